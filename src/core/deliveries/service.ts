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
 * Steps 2 and 3 are the lease protocol of ../ledger/service.ts, configured here. Only the bot
 * talks to Slack; only this layer talks to PostgreSQL. docs/decisions/0008 has the reasoning.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { languageChoicesOfRow } from '../languages/repository.ts';
import { effectiveLanguage } from '../languages/rules.ts';
import type { FailureOutcome, FailureReport } from '../ledger/rules.ts';
import { latenessSeconds as secondsLate } from '../ledger/rules.ts';
import {
  type BatchConfirmation,
  claimedLease,
  claimLeases,
  confirmLease,
  confirmLeases,
  type HeldLease,
  type LeaseRenewal,
  type Ledger,
  renewLeases,
  reportLeaseFailure,
  type SentMessage,
} from '../ledger/service.ts';
import { getManager } from '../managers/service.ts';
import { STATUS_FRESH_MS } from '../member-statuses/rules.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { localDateOf } from '../schedule/rules.ts';
import {
  deletePendingDeliveries,
  findSubscriptionOfManager,
  pauseActiveSubscription,
} from '../subscriptions/repository.ts';
import { topicsInLanguages } from '../topics/localize.ts';
import { loadTopicChooser } from './planner.ts';
import {
  type ClaimedRow,
  type DeliveryClaimColumns,
  deliveryClaim,
  findDeliveryOn,
  insertDelivery,
  markDeliveriesUnsent,
  oldestUnsentDueAge,
  rescheduleDeliveryNow,
} from './repository.ts';
import { LATE_AFTER_MS, timeliness } from './rules.ts';

export type { FailureKind, FailureOutcome, FailureReport } from '../ledger/rules.ts';
export type { PlanResult } from './planner.ts';
export { PLAN_LOOKAHEAD_MS, planDueDeliveries } from './planner.ts';
export type { ClaimedRow } from './repository.ts';

const DELIVERIES: Ledger<'deliveries'> = {
  table: 'deliveries',
  subject: 'delivery',
  recordsErrorCode: true,
};

export interface ClaimResult {
  deliveries: Array<ClaimedRow & { late: boolean }>;
  missed: number;
  cancelled: number;
  /** Claimed and recorded skipped_away at once: the manager's kept status says out. */
  skippedAway: number;
}

/**
 * Hands out up to `limit` due deliveries, each leased to the caller for `leaseMs`. Closes first
 * the rows past the missed window. Of the rows claimed, those whose subscription or workspace
 * stopped are recorded as cancelled, and a note whose manager's kept Slack status is fresh and
 * says out as skipped_away (as the bot's skipDelivery would), in the same transaction; neither
 * is handed out. The bot reads Slack only for managers whose status is not known (issue 19,
 * items 1–2).
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  now: Date,
  options: { limit: number; leaseMs: number },
): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    const { missed, rows } = await claimLeases<DeliveryClaimColumns>(
      trx,
      DELIVERIES,
      now,
      options,
      deliveryClaim(now, new Date(now.getTime() - STATUS_FRESH_MS)),
    );
    // Judged among the rows claimed, not by a scan of every due row before each claim: that
    // cost grew with the backlog, 155 ms a claim with 100,000 due at once.
    const stopped = rows.filter((row) => !row.still_active).map((row) => row.id);
    await markDeliveriesUnsent(trx, stopped, 'cancelled', now);
    const knownAway = (row: DeliveryClaimColumns) =>
      row.still_active && row.status_fresh && row.status_away;
    const away = rows.filter(knownAway).map((row) => row.id);
    await markDeliveriesUnsent(trx, away, 'skipped_away', now);
    const deliveries = rows
      .filter((row) => row.still_active && !knownAway(row))
      .map((row) => ({
        ...claimedLease(row),
        timeZone: row.time_zone,
        language: effectiveLanguage(languageChoicesOfRow(row)),
        topic: row.topic,
        statusKnown: row.status_fresh,
        late: timeliness(row.due_at, now) !== 'on_time',
      }));
    return {
      missed,
      cancelled: stopped.length,
      skippedAway: away.length,
      // The note in its reader's language, topic by topic falling back to English.
      deliveries: await topicsInLanguages(
        trx,
        deliveries,
        (delivery) => delivery.language,
        (delivery) => delivery.topic,
        (delivery, topic) => ({ ...delivery, topic }),
      ),
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
 * Records that a delivery reached Slack, with the message's channel and ts. Confirming again
 * with the same message changes nothing; with another message, it is a conflict.
 */
export async function confirmDelivery(
  db: Kysely<Database>,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
): Promise<Confirmation> {
  return db.transaction().execute(async (trx) => {
    const lateAt = (dueAt: Date) => secondsLate(dueAt, now) * 1000 > LATE_AFTER_MS;
    const { row, repeated } = await confirmLease(trx, DELIVERIES, id, sent, now, {
      details: (delivery) => ({ late: lateAt(delivery.due_at), errorCode: null }),
      otherMessage: () =>
        conflict('delivery_already_sent', 'This delivery was already sent as another message.'),
    });
    return { latenessSeconds: secondsLate(row.due_at, now), late: lateAt(row.due_at), repeated };
  });
}

/** A batch's answer for one delivery; a sent one says how late it went. */
export type DeliveryConfirmation =
  | { id: string; status: 'sent'; late: boolean; latenessSeconds: number }
  | { id: string; status: Exclude<BatchConfirmation['status'], 'sent'> };

/**
 * confirmDelivery for a batch of deliveries in one transaction and a fixed number of
 * statements: one API call and three statements confirm what a sender posted meanwhile.
 */
export async function confirmDeliveries(
  db: Kysely<Database>,
  sent: readonly SentMessage[],
  now: Date,
): Promise<DeliveryConfirmation[]> {
  const lateAt = (dueAt: Date) => secondsLate(dueAt, now) * 1000 > LATE_AFTER_MS;
  const results = await db
    .transaction()
    .execute((trx) => confirmLeases(trx, DELIVERIES, sent, now, lateAt));
  return results.map((result) =>
    result.status === 'sent'
      ? {
          id: result.id,
          status: 'sent',
          late: lateAt(result.dueAt),
          latenessSeconds: secondsLate(result.dueAt, now),
        }
      : result,
  );
}

/**
 * Records a failed send (see reportLeaseFailure). An unreachable manager (deactivated account,
 * no DM channel) also pauses the subscription, once, with the reason: its planned deliveries
 * are forgotten and the pause is audited.
 */
export async function reportDeliveryFailure(
  db: Kysely<Database>,
  id: string,
  report: FailureReport,
  now: Date,
): Promise<FailureOutcome> {
  return db.transaction().execute(async (trx) => {
    const failure = await reportLeaseFailure(trx, DELIVERIES, id, report, now);
    if (failure.status === 'ignored') return { status: 'ignored', subscriptionPaused: false };
    if (failure.status === 'retrying') {
      return { status: 'retrying', retryAt: failure.retryAt, subscriptionPaused: false };
    }
    const delivery = failure.row;
    const reason = `slack:${report.code}`;
    const subscriptionPaused = await pauseActiveSubscription(
      trx,
      delivery.subscription_id,
      reason,
      now,
    );
    if (subscriptionPaused) {
      await deletePendingDeliveries(trx, delivery.subscription_id);
      await recordAuditEvent(trx, {
        workspaceId: delivery.workspace_id,
        actor: 'system',
        action: 'subscription.paused',
        subjectType: 'subscription',
        subjectId: delivery.subscription_id,
        details: { reason, deliveryId: id },
      });
    }
    return { status: 'failed', subscriptionPaused };
  });
}

/** Renews the leases a sender holds on these deliveries in one statement (see renewLeases). */
export function renewDeliveryLeases(
  db: Kysely<Database>,
  leases: readonly HeldLease[],
  now: Date,
  leaseMs: number,
): Promise<LeaseRenewal[]> {
  return renewLeases(db, DELIVERIES, leases, now, leaseMs);
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
    const manager = await getManager(trx, who);
    const subscription = await findSubscriptionOfManager(trx, manager.id, { forUpdate: true });
    if (!subscription) throw notFound('subscription');
    if (subscription.status !== 'active') {
      throw conflict('subscription_not_active', 'Your subscription is paused; resume it first.');
    }
    const localDate = localDateOf(now, subscription.timeZone);
    const existing = await findDeliveryOn(trx, subscription.id, localDate);
    if (existing && (existing.status === 'sent' || existing.status === 'claimed')) {
      return { status: 'already_sent', deliveryId: existing.id };
    }
    // A row recorded as missed has no topic: choose one now.
    const topicId =
      existing?.topic_id ?? (await loadTopicChooser(trx, [subscription]))(subscription, localDate);
    if (!topicId) throw invalid('no_topics', 'There are no topics to send yet.');
    let deliveryId: string;
    if (existing) {
      await rescheduleDeliveryNow(trx, existing.id, topicId, now);
      deliveryId = existing.id;
    } else {
      await insertDelivery(trx, {
        workspaceId: subscription.workspaceId,
        subscriptionId: subscription.id,
        managerId: manager.id,
        localDate,
        dueAt: now,
        topicId,
        status: 'pending',
      });
      const row = await findDeliveryOn(trx, subscription.id, localDate);
      if (!row) throw new Error('delivery vanished inside its own transaction');
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
    return { status: 'queued', deliveryId };
  });
}

export function deliveryBacklogSeconds(db: Kysely<Database>, now: Date): Promise<number> {
  return oldestUnsentDueAge(db, now);
}
