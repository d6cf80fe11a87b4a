/**
 * A manager's subscription: when they hear from Blindspot, and whether they do at all.
 * Each operation runs in one transaction and records an audit event.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { setManagerLanguage } from '../languages/repository.ts';
import type { Language } from '../languages/rules.ts';
import { findManager, setManagerTimeZone, upsertManager } from '../managers/repository.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { localDateOf, nextOccurrence } from '../schedule/rules.ts';
import { workspaceSettingsOrDefaults } from '../settings/repository.ts';
import { TOPIC_CATEGORIES } from '../topics/catalogue.ts';
import { ensureWorkspace } from '../workspaces/service.ts';
import { parseReturnDate, returnDateProblem, returnInstant } from './away-rules.ts';
import {
  cancelPendingReminders,
  deletePendingDeliveries,
  findSubscriptionBySlack,
  findSubscriptionOfManager,
  type SubscriptionRow,
  setSubscriptionStatus,
  setWeeklyDigestOfManager,
  upsertSubscription,
} from './repository.ts';
import { normaliseWeekdays, type SubscriptionInput, subscriptionProblems } from './rules.ts';

export type { SubscriptionRow } from './repository.ts';

/** Reasons a subscription was paused that the manager did not choose. */
export const SYSTEM_PAUSE_PREFIX = 'slack:';

export async function getSubscription(
  db: Kysely<Database>,
  who: SlackIdentity,
): Promise<SubscriptionRow> {
  const manager = await getManager(db, who);
  const subscription = await findSubscriptionOfManager(db, manager.id);
  if (!subscription) throw notFound('subscription');
  return subscription;
}

/**
 * Signs a manager up, or changes their schedule; either way the subscription is active after.
 * The manager and workspace are created if this is the first we hear of them.
 */
export async function subscribe(
  db: Kysely<Database>,
  who: SlackIdentity,
  input: SubscriptionInput,
  now: Date,
  context: RequestContext = {},
): Promise<SubscriptionRow> {
  const problems = subscriptionProblems(input, TOPIC_CATEGORIES);
  if (Object.keys(problems).length > 0) {
    throw invalid('invalid_subscription', Object.values(problems).join(' '), problems);
  }
  const schedule = { ...input, weekdays: normaliseWeekdays(input.weekdays) };
  return db.transaction().execute(async (trx) => {
    const workspaceId = await ensureWorkspace(trx, who.slackTeamId, now);
    const known = await findManager(trx, who.slackTeamId, who.slackUserId);
    const managerId =
      known?.id ??
      (
        await upsertManager(
          trx,
          {
            workspaceId,
            slackUserId: who.slackUserId,
            timeZone: schedule.timeZone,
            locale: 'en-US',
          },
          now,
        )
      ).id;
    const before = await findSubscriptionOfManager(trx, managerId, { forUpdate: true });
    await upsertSubscription(
      trx,
      {
        workspaceId,
        managerId,
        weekdays: schedule.weekdays,
        localTime: schedule.localTime,
        timeZone: schedule.timeZone,
        skippedCategories: [...new Set(schedule.skippedCategories)],
        nextDueAt: nextOccurrence(schedule, now).dueAt,
        weeklyDigest: (await workspaceSettingsOrDefaults(trx, workspaceId)).weeklyDigest,
      },
      now,
    );
    if (before) await deletePendingDeliveries(trx, before.id);
    // The schedule's zone is the manager's zone from now on (check-back dates count in it).
    await setManagerTimeZone(trx, managerId, schedule.timeZone, now);
    if (input.language !== undefined) {
      await setManagerLanguage(trx, managerId, input.language as Language | null, now);
    }
    const after = await findSubscriptionOfManager(trx, managerId);
    if (!after) throw new Error('subscription vanished inside its own transaction');
    await recordAuditEvent(trx, {
      workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: before ? 'subscription.changed' : 'subscription.created',
      subjectType: 'subscription',
      subjectId: after.id,
      requestId: context.requestId,
      details: {
        weekdays: after.weekdays,
        localTime: after.localTime,
        timeZone: after.timeZone,
        skippedCategories: after.skippedCategories,
        ...(input.language !== undefined && { language: input.language }),
        ...(before && before.status !== 'active' && { previousStatus: before.status }),
      },
    });
    return after;
  });
}

/** Whether a status change would leave the subscription as it is. */
function unchangedBy(
  next: { status: SubscriptionRow['status']; away?: { until: string } },
  subscription: SubscriptionRow,
): boolean {
  return (
    next.status === subscription.status && (next.away?.until ?? null) === subscription.pausedUntil
  );
}

async function changeStatus(
  db: Kysely<Database>,
  who: SlackIdentity,
  change: (subscription: SubscriptionRow) => {
    status: 'active' | 'paused' | 'unsubscribed';
    reason: string | null;
    nextDueAt: Date | null;
    action: string;
    away?: { until: string; resumesAt: Date };
  },
  now: Date,
  context: RequestContext,
): Promise<SubscriptionRow> {
  // A click that changes nothing (a second Resume, a stale Home tab's Pause) is answered from
  // one read, outside any transaction: no `begin`, no lock, no `commit`. The manager is found
  // inside the subscription's read; which of the two is missing is asked only then.
  const seen = await findSubscriptionBySlack(db, who);
  if (!seen) {
    await getManager(db, who);
    throw notFound('subscription');
  }
  if (unchangedBy(change(seen), seen)) return seen;
  return db.transaction().execute(async (trx) => {
    // Read again under the lock: another request may have changed it since.
    const subscription = await findSubscriptionBySlack(trx, who, { forUpdate: true });
    if (!subscription) throw notFound('subscription');
    const next = change(subscription);
    if (unchangedBy(next, subscription)) return subscription;
    await setSubscriptionStatus(trx, subscription.id, next, now);
    if (next.status !== 'active') await deletePendingDeliveries(trx, subscription.id);
    // Away means no reminders either: those about to go wait for the return (their items keep
    // their check-back dates, so the reminder planner asks on the first day back).
    if (next.away) await cancelPendingReminders(trx, subscription.managerId, now);
    await recordAuditEvent(trx, {
      workspaceId: subscription.workspaceId,
      // An admin acting on the manager's request is named as the admin.
      actor: context.actor ?? `slack:${who.slackUserId}`,
      action: next.action,
      subjectType: 'subscription',
      subjectId: subscription.id,
      requestId: context.requestId,
      details: {
        from: subscription.status,
        to: next.status,
        ...(next.away && { until: next.away.until }),
      },
    });
    const after = await findSubscriptionOfManager(trx, subscription.managerId);
    if (!after) throw new Error('subscription vanished inside its own transaction');
    return after;
  });
}

/**
 * Pauses the manager's notes and reminders: until they resume, or, with `until` (the first day
 * they are back, 'YYYY-MM-DD' in their zone), until that day starts, when they come back by
 * themselves with one "welcome back" (./returns.ts). A return date that is not a date, not
 * after today or more than a year ahead is refused, and nothing changes.
 */
export function pause(
  db: Kysely<Database>,
  who: SlackIdentity,
  reason: string,
  now: Date,
  context: RequestContext = {},
  until?: string,
): Promise<SubscriptionRow> {
  return changeStatus(
    db,
    who,
    (subscription) => {
      if (subscription.status === 'unsubscribed') {
        throw conflict('subscription_not_active', 'You are unsubscribed; sign up again first.');
      }
      if (until === undefined) {
        return { status: 'paused', reason, nextDueAt: null, action: 'subscription.paused' };
      }
      const problem = returnDateProblem(until, localDateOf(now, subscription.timeZone));
      const back = parseReturnDate(until);
      if (problem || !back)
        throw invalid('invalid_return_date', String(problem), { until: String(problem) });
      return {
        status: 'paused',
        reason,
        nextDueAt: null,
        action: 'subscription.away',
        away: { until: back, resumesAt: returnInstant(back, subscription.timeZone) },
      };
    },
    now,
    context,
  );
}

export function resume(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
  context: RequestContext = {},
): Promise<SubscriptionRow> {
  return changeStatus(
    db,
    who,
    (subscription) => ({
      status: 'active',
      reason: null,
      nextDueAt: nextOccurrence(subscription, now).dueAt,
      action: 'subscription.resumed',
    }),
    now,
    context,
  );
}

export function unsubscribe(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
  context: RequestContext = {},
): Promise<SubscriptionRow> {
  return changeStatus(
    db,
    who,
    () => ({
      status: 'unsubscribed',
      reason: null,
      nextDueAt: null,
      action: 'subscription.unsubscribed',
    }),
    now,
    context,
  );
}

/** Turns the weekly digest on or off, and records that it did. */
export async function setWeeklyDigest(
  db: Kysely<Database>,
  who: SlackIdentity,
  enabled: boolean,
  now: Date,
  context: RequestContext = {},
): Promise<void> {
  const manager = await getManager(db, who);
  await db.transaction().execute(async (trx) => {
    const updated = await setWeeklyDigestOfManager(trx, manager.id, enabled, now);
    if (!updated) throw notFound('subscription');
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'subscription.weekly_digest_changed',
      subjectType: 'manager',
      subjectId: manager.id,
      requestId: context.requestId,
      details: { enabled },
    });
  });
}
