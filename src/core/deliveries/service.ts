/**
 * The delivery pipeline, in three steps that each run on their own:
 *
 * 1. plan (worker, every minute): for each subscription due within the look-ahead, write its
 *    ledger row (one per subscription and local date: the unique key) with the topic chosen,
 *    and move the subscription's next_due_at to its next occurrence.
 * 2. claim (API, called by the bot): hand out due rows under a lease.
 * 3. confirm or report failure (API, called by the bot): record the Slack message ts, or when
 *    to try again, or that the manager cannot be reached.
 *
 * Only the bot talks to Slack; only this layer talks to PostgreSQL. docs/decisions/0008 has
 * the reasoning.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { findManager } from '../managers/repository.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { dueSubscriptionsQuery } from '../schedule/repository.ts';
import {
  firstOccurrenceAfterDate,
  isoWeekdayOf,
  localDateOf,
  type Schedule,
} from '../schedule/rules.ts';
import { findSubscriptionOfManager } from '../subscriptions/repository.ts';
import {
  activeTopics,
  type ClaimedRow,
  claimDue,
  closeUnsendable,
  dismissedTopics,
  findDelivery,
  insertDelivery,
  oldestUnsentDueAge,
  setNextDueAt,
  topicHistory,
  weekdayThemes,
} from './repository.ts';
import { chooseTopic, LATE_AFTER_MS, MISSED_AFTER_MS, retryDelayMs, timeliness } from './rules.ts';

export type { ClaimedRow, TopicContent } from './repository.ts';

/** Plan this far ahead, so a row is waiting when its minute comes. */
export const PLAN_LOOKAHEAD_MS = 5 * 60_000;
const PLAN_BATCH = 200;

export interface PlanResult {
  /** Ledger rows written to be sent. */
  planned: number;
  /** Occurrences already more than 2 hours past (after downtime): recorded, not sent. */
  missed: number;
  /** Occurrences with no topic to send (an empty catalogue). */
  failed: number;
}

interface TopicCache {
  topics: Map<string, Awaited<ReturnType<typeof activeTopics>>>;
  themes: Map<string, Map<number, string>>;
}

async function chooseTopicFor(
  db: Executor,
  cache: TopicCache,
  subscription: { workspaceId: string; managerId: string; skippedCategories: string[] },
  localDate: string,
): Promise<string | undefined> {
  const { workspaceId, managerId } = subscription;
  if (!cache.topics.has(workspaceId)) {
    cache.topics.set(workspaceId, await activeTopics(db, workspaceId));
    cache.themes.set(workspaceId, await weekdayThemes(db, workspaceId));
  }
  const [lastSent, notRelevant] = await Promise.all([
    topicHistory(db, managerId),
    dismissedTopics(db, managerId),
  ]);
  return chooseTopic({
    topics: cache.topics.get(workspaceId) ?? [],
    dayCategory: cache.themes.get(workspaceId)?.get(isoWeekdayOf(localDate)),
    skippedCategories: subscription.skippedCategories,
    lastSent,
    notRelevant,
  });
}

/**
 * Writes the ledger rows for every subscription due by `now` + look-ahead. Safe to run from any
 * number of workers at once: rows are locked with SKIP LOCKED, and the ledger's unique key
 * makes a second row for the same date impossible.
 */
export async function planDueDeliveries(
  db: Kysely<Database>,
  now: Date,
  lookaheadMs = PLAN_LOOKAHEAD_MS,
): Promise<PlanResult> {
  const result: PlanResult = { planned: 0, missed: 0, failed: 0 };
  const cache: TopicCache = { topics: new Map(), themes: new Map() };
  const until = new Date(now.getTime() + lookaheadMs);
  for (;;) {
    const handled = await db.transaction().execute(async (trx) => {
      const due = await dueSubscriptionsQuery(trx, until, PLAN_BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const subscription of due) {
        const dueAt = subscription.nextDueAt as Date;
        const schedule: Schedule = subscription;
        const localDate = localDateOf(dueAt, schedule.timeZone);
        const missed = timeliness(dueAt, now) === 'missed';
        const topicId = missed
          ? undefined
          : await chooseTopicFor(trx, cache, subscription, localDate);
        const status = missed ? 'missed' : topicId ? 'pending' : 'failed';
        const inserted = await insertDelivery(trx, {
          workspaceId: subscription.workspaceId,
          subscriptionId: subscription.id,
          managerId: subscription.managerId,
          localDate,
          dueAt,
          topicId: topicId ?? null,
          status,
          ...(status === 'failed' && { errorCode: 'no_topics' }),
        });
        if (inserted) result[status === 'pending' ? 'planned' : status] += 1;
        await setNextDueAt(
          trx,
          subscription.id,
          firstOccurrenceAfterDate(schedule, localDate).dueAt,
        );
      }
      return due.length;
    });
    // Each pass moves every subscription it saw on by at least one occurrence, so one run
    // catches up a subscription days behind (after downtime); an empty pass ends it.
    if (handled === 0) return result;
  }
}

export interface ClaimResult {
  deliveries: Array<ClaimedRow & { late: boolean }>;
  missed: number;
  cancelled: number;
}

/** Hands out up to `limit` due deliveries, each leased to the caller for `leaseMs`. */
export async function claimDeliveries(
  db: Kysely<Database>,
  now: Date,
  options: { limit: number; leaseMs: number },
): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    const closed = await closeUnsendable(trx, now, new Date(now.getTime() - MISSED_AFTER_MS));
    const rows = await claimDue(trx, now, new Date(now.getTime() + options.leaseMs), options.limit);
    return {
      ...closed,
      deliveries: rows.map((row) => ({ ...row, late: timeliness(row.dueAt, now) !== 'on_time' })),
    };
  });
}

export interface Confirmation {
  /** Seconds between the due time and now. */
  latenessSeconds: number;
  late: boolean;
  /** The delivery was already confirmed with this same message: nothing changed. */
  repeated: boolean;
}

/**
 * Records that a delivery reached Slack, with the message's channel and ts. The truth wins: a
 * message that went out is recorded as sent even if its lease had lapsed meanwhile.
 */
export async function confirmDelivery(
  db: Kysely<Database>,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
): Promise<Confirmation> {
  return db.transaction().execute(async (trx) => {
    const delivery = await findDelivery(trx, id);
    if (!delivery) throw notFound('delivery');
    const latenessSeconds = Math.max(0, (now.getTime() - delivery.dueAt.getTime()) / 1000);
    const late = latenessSeconds * 1000 > LATE_AFTER_MS;
    if (delivery.status === 'sent') {
      if (delivery.slackTs === sent.ts) return { latenessSeconds, late, repeated: true };
      throw conflict('delivery_already_sent', 'This delivery was already sent as another message.');
    }
    await trx
      .updateTable('deliveries')
      .set({
        status: 'sent',
        slack_channel_id: sent.channelId,
        slack_ts: sent.ts,
        sent_at: now,
        late,
        lease_expires_at: null,
        error_code: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    await trx
      .updateTable('managers')
      .set({ dm_channel_id: sent.channelId, updated_at: now })
      .where('id', '=', delivery.managerId)
      .where((eb) =>
        eb.or([eb('dm_channel_id', 'is', null), eb('dm_channel_id', '<>', sent.channelId)]),
      )
      .execute();
    return { latenessSeconds, late, repeated: false };
  });
}

export type FailureKind = 'rate_limited' | 'transient' | 'unreachable';

export interface FailureReport {
  /** The claim's attempt number; a report about an older claim is ignored. */
  attempt: number;
  /** Slack's error code, e.g. 'ratelimited', 'account_inactive', 'internal_error'. */
  code: string;
  kind: FailureKind;
  retryAfterSeconds?: number;
}

export interface FailureOutcome {
  status: 'retrying' | 'failed' | 'ignored';
  retryAt?: Date;
  subscriptionPaused: boolean;
}

/**
 * Records a failed send. Rate limits and transient errors extend the lease, so the delivery is
 * claimed again once it runs out (within the 2-hour window, after which it counts as missed).
 * An unreachable manager (deactivated account, no DM channel) fails the delivery and pauses
 * the subscription, once, with the reason.
 */
export async function reportDeliveryFailure(
  db: Kysely<Database>,
  id: string,
  report: FailureReport,
  now: Date,
): Promise<FailureOutcome> {
  return db.transaction().execute(async (trx) => {
    const delivery = await findDelivery(trx, id);
    if (!delivery) throw notFound('delivery');
    if (delivery.status !== 'claimed' || delivery.attempts !== report.attempt) {
      return { status: 'ignored', subscriptionPaused: false };
    }
    if (report.kind !== 'unreachable') {
      const delayMs =
        report.kind === 'rate_limited' && report.retryAfterSeconds !== undefined
          ? report.retryAfterSeconds * 1000
          : retryDelayMs(delivery.attempts);
      const retryAt = new Date(now.getTime() + delayMs);
      await trx
        .updateTable('deliveries')
        .set({ lease_expires_at: retryAt, error_code: report.code, updated_at: now })
        .where('id', '=', id)
        .execute();
      return { status: 'retrying', retryAt, subscriptionPaused: false };
    }
    await trx
      .updateTable('deliveries')
      .set({ status: 'failed', lease_expires_at: null, error_code: report.code, updated_at: now })
      .where('id', '=', id)
      .execute();
    const paused = await trx
      .updateTable('subscriptions')
      .set({
        status: 'paused',
        status_reason: `slack:${report.code}`,
        next_due_at: null,
        updated_at: now,
      })
      .where('id', '=', delivery.subscriptionId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    const subscriptionPaused = Number(paused.numUpdatedRows) > 0;
    if (subscriptionPaused) {
      await trx
        .deleteFrom('deliveries')
        .where('subscription_id', '=', delivery.subscriptionId)
        .where('status', '=', 'pending')
        .execute();
      await recordAuditEvent(trx, {
        workspaceId: delivery.workspaceId,
        actor: 'system',
        action: 'subscription.paused',
        subjectType: 'subscription',
        subjectId: delivery.subscriptionId,
        details: { reason: `slack:${report.code}`, deliveryId: id },
      });
    }
    return { status: 'failed', subscriptionPaused };
  });
}

export interface SendNowResult {
  status: 'queued' | 'already_sent';
  deliveryId: string;
}

/**
 * "Send me one now": today's delivery goes out at once. If today's was planned for later, it
 * moves to now; if it already went, there is no second one today.
 */
export async function sendNow(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
  context: RequestContext = {},
): Promise<SendNowResult> {
  return db.transaction().execute(async (trx) => {
    const manager = await findManager(trx, who.slackTeamId, who.slackUserId);
    if (!manager) throw notFound('manager');
    const subscription = await findSubscriptionOfManager(trx, manager.id, { forUpdate: true });
    if (!subscription) throw notFound('subscription');
    if (subscription.status !== 'active') {
      throw conflict('subscription_not_active', 'Your subscription is paused; resume it first.');
    }
    const localDate = localDateOf(now, subscription.timeZone);
    const existing = await trx
      .selectFrom('deliveries')
      .where('subscription_id', '=', subscription.id)
      .where('local_date', '=', localDate)
      .select(['id', 'status', 'topic_id'])
      .forUpdate()
      .executeTakeFirst();
    if (existing && (existing.status === 'sent' || existing.status === 'claimed')) {
      return { status: 'already_sent', deliveryId: existing.id };
    }
    let deliveryId = existing?.id;
    if (existing) {
      // A row recorded as missed has no topic: choose one now.
      const topicId =
        existing.topic_id ??
        (await chooseTopicFor(
          trx,
          { topics: new Map(), themes: new Map() },
          subscription,
          localDate,
        ));
      if (!topicId) throw invalid('no_topics', 'There are no topics to send yet.');
      await trx
        .updateTable('deliveries')
        .set({
          status: 'pending',
          due_at: now,
          topic_id: topicId,
          lease_expires_at: null,
          error_code: null,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute();
    } else {
      const topicId = await chooseTopicFor(
        trx,
        { topics: new Map(), themes: new Map() },
        subscription,
        localDate,
      );
      if (!topicId) throw invalid('no_topics', 'There are no topics to send yet.');
      await insertDelivery(trx, {
        workspaceId: subscription.workspaceId,
        subscriptionId: subscription.id,
        managerId: manager.id,
        localDate,
        dueAt: now,
        topicId,
        status: 'pending',
      });
      const row = await trx
        .selectFrom('deliveries')
        .where('subscription_id', '=', subscription.id)
        .where('local_date', '=', localDate)
        .select('id')
        .executeTakeFirstOrThrow();
      deliveryId = row.id;
    }
    await recordAuditEvent(trx, {
      workspaceId: subscription.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'delivery.requested',
      subjectType: 'delivery',
      subjectId: deliveryId,
      requestId: context.requestId,
    });
    return { status: 'queued', deliveryId: String(deliveryId) };
  });
}

export function deliveryBacklogSeconds(db: Kysely<Database>, now: Date): Promise<number> {
  return oldestUnsentDueAge(db, now);
}
