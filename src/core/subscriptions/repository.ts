import { type Expression, sql } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
import type { Executor } from '../../db/executor.ts';
import { languageChoiceSubqueries } from '../languages/repository.ts';
import { managerIdBySlack } from '../managers/repository.ts';

export interface SubscriptionRow {
  id: string;
  workspaceId: string;
  managerId: string;
  weekdays: number[];
  localTime: string;
  timeZone: string;
  skippedCategories: string[];
  status: 'active' | 'paused' | 'unsubscribed';
  statusReason: string | null;
  nextDueAt: Date | null;
  /** Away: the local date the manager is back, when they paused with an end. */
  pausedUntil: string | null;
  weeklyDigest: boolean;
  createdAt: Date;
  updatedAt: Date;
  locale: string;
  /** The manager's own choice of language and the workspace default (effectiveLanguage). */
  chosenLanguage: string | null;
  workspaceLanguage: string | null;
  /** The place whose public holidays the manager keeps (0026), if any. */
  holidayCountry: string | null;
  holidayRegion: string | null;
}

const COLUMNS = [
  'subscriptions.id',
  'subscriptions.workspace_id as workspaceId',
  'subscriptions.manager_id as managerId',
  'subscriptions.weekdays',
  // 'HH:MM': PostgreSQL's time type prints seconds too.
  sql<string>`to_char(subscriptions.local_time, 'HH24:MI')`.as('localTime'),
  'subscriptions.time_zone as timeZone',
  'subscriptions.skipped_categories as skippedCategories',
  'subscriptions.status',
  'subscriptions.status_reason as statusReason',
  'subscriptions.next_due_at as nextDueAt',
  sql<string | null>`subscriptions.paused_until::text`.as('pausedUntil'),
  'subscriptions.weekly_digest as weeklyDigest',
  'subscriptions.created_at as createdAt',
  'subscriptions.updated_at as updatedAt',
  // Messages about the schedule write its times in the manager's locale.
  sql<string>`(SELECT managers.locale FROM managers WHERE managers.id = subscriptions.manager_id)`.as(
    'locale',
  ),
  ...languageChoiceSubqueries(sql.ref('subscriptions.manager_id')),
  sql<
    string | null
  >`(SELECT managers.holiday_country FROM managers WHERE managers.id = subscriptions.manager_id)`.as(
    'holidayCountry',
  ),
  sql<
    string | null
  >`(SELECT managers.holiday_region FROM managers WHERE managers.id = subscriptions.manager_id)`.as(
    'holidayRegion',
  ),
] as const;

export async function findSubscriptionOfManager(
  db: Executor,
  managerId: string,
  options: { forUpdate?: boolean } = {},
): Promise<SubscriptionRow | undefined> {
  let query = subscriptionOfManagerQuery(db, managerId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * The subscription of the manager with these Slack ids, the manager found inside the same
 * statement; with `forUpdate`, locked until the transaction ends.
 */
export async function findSubscriptionBySlack(
  db: Executor,
  who: { slackTeamId: string; slackUserId: string },
  options: { forUpdate?: boolean } = {},
): Promise<SubscriptionRow | undefined> {
  const query = options.forUpdate ? subscriptionBySlackForUpdate : subscriptionBySlack;
  return (await query(db, who.slackTeamId, who.slackUserId))[0];
}

/** A click's first read: compiled once (src/db/compiled-once.ts). */
export const subscriptionBySlack = compiledOnce((db, slackTeamId: string, slackUserId: string) =>
  subscriptionOfManagerQuery(db, managerIdBySlack(db, slackTeamId, slackUserId)),
);
export const subscriptionBySlackForUpdate = compiledOnce(
  (db, slackTeamId: string, slackUserId: string) =>
    subscriptionOfManagerQuery(db, managerIdBySlack(db, slackTeamId, slackUserId)).forUpdate(),
);

/** findSubscriptionOfManager's query; `managerId` a value or a column of an outer query. */
export function subscriptionOfManagerQuery(db: Executor, managerId: string | Expression<string>) {
  return db.selectFrom('subscriptions').where('manager_id', '=', managerId).select(COLUMNS);
}

export async function upsertSubscription(
  db: Executor,
  values: {
    workspaceId: string;
    managerId: string;
    weekdays: number[];
    localTime: string;
    timeZone: string;
    skippedCategories: string[];
    nextDueAt: Date;
    /** For a new subscription only: a changed schedule keeps the manager's own choice. */
    weeklyDigest: boolean;
  },
  now: Date,
): Promise<void> {
  const row = {
    weekdays: values.weekdays,
    local_time: values.localTime,
    time_zone: values.timeZone,
    skipped_categories: values.skippedCategories,
    status: 'active' as const,
    status_reason: null,
    next_due_at: values.nextDueAt,
    paused_until: null,
    resumes_at: null,
  };
  await db
    .insertInto('subscriptions')
    .values({
      workspace_id: values.workspaceId,
      manager_id: values.managerId,
      weekly_digest: values.weeklyDigest,
      ...row,
    })
    .onConflict((oc) => oc.column('manager_id').doUpdateSet({ ...row, updated_at: now }))
    .execute();
}

export async function setSubscriptionStatus(
  db: Executor,
  subscriptionId: string,
  next: {
    status: 'active' | 'paused' | 'unsubscribed';
    reason: string | null;
    nextDueAt: Date | null;
    /** Away: the day the manager is back, and the instant that day starts in their zone. */
    away?: { until: string; resumesAt: Date };
  },
  now: Date,
): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({
      status: next.status,
      status_reason: next.reason,
      next_due_at: next.nextDueAt,
      paused_until: next.away?.until ?? null,
      resumes_at: next.away?.resumesAt ?? null,
      updated_at: now,
    })
    .where('id', '=', subscriptionId)
    .execute();
}

/**
 * Forgets deliveries planned but not yet claimed, after the schedule changed or stopped. They
 * hold no history; the planner plans again from the new schedule.
 */
export async function deletePendingDeliveries(db: Executor, subscriptionId: string): Promise<void> {
  await db
    .deleteFrom('deliveries')
    .where('subscription_id', '=', subscriptionId)
    .where('status', '=', 'pending')
    .execute();
}

/** Turns the weekly digest on or off; false when the manager has no subscription. */
export async function setWeeklyDigestOfManager(
  db: Executor,
  managerId: string,
  enabled: boolean,
  now: Date,
): Promise<boolean> {
  const updated = await db
    .updateTable('subscriptions')
    .set({ weekly_digest: enabled, updated_at: now })
    .where('manager_id', '=', managerId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/**
 * Pauses an active subscription with the reason, and stops its schedule. False when it was
 * not active (already paused by an earlier failure): the pause happens once.
 */
export async function pauseActiveSubscription(
  db: Executor,
  subscriptionId: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const paused = await db
    .updateTable('subscriptions')
    .set({ status: 'paused', status_reason: reason, next_due_at: null, updated_at: now })
    .where('id', '=', subscriptionId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(paused.numUpdatedRows) > 0;
}

/** A subscription whose away ended, as the return needs it. */
export interface ReturningSubscription {
  id: string;
  workspaceId: string;
  managerId: string;
  weekdays: number[];
  localTime: string;
  timeZone: string;
  pausedUntil: string;
}

/**
 * Locks a batch of subscriptions whose manager is back by `now`, skipping rows another worker
 * holds. Reads the partial index subscriptions_returning: only the rows whose day has come. A
 * workspace that removed Blindspot meanwhile stays paused, as its active subscriptions did.
 */
export async function lockReturningSubscriptions(
  db: Executor,
  now: Date,
  limit: number,
): Promise<ReturningSubscription[]> {
  return db
    .selectFrom('subscriptions as s')
    .innerJoin('workspaces as w', 'w.id', 's.workspace_id')
    .where('s.status', '=', 'paused')
    .where('s.resumes_at', '<=', now)
    .where('w.status', '=', 'active')
    .select([
      's.id',
      's.workspace_id as workspaceId',
      's.manager_id as managerId',
      's.weekdays',
      sql<string>`to_char(s.local_time, 'HH24:MI')`.as('localTime'),
      's.time_zone as timeZone',
      sql<string>`s.paused_until::text`.as('pausedUntil'),
    ])
    .orderBy('s.resumes_at')
    .limit(limit)
    .forUpdate('s')
    .skipLocked()
    .execute();
}

/**
 * Cancels the manager's reminders and digests planned but not yet claimed, as they go away:
 * the items keep their check-back dates, so the reminder planner asks again once they are back.
 */
export async function cancelPendingReminders(
  db: Executor,
  managerId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ status: 'cancelled', updated_at: now })
    .where('manager_id', '=', managerId)
    .where('status', '=', 'pending')
    .execute();
}
