/**
 * The reminders ledger's own queries: what the planner reads and writes, what a claimed
 * reminder carries, and what confirming one does to its items. The lease protocol's queries
 * are in ../ledger/repository.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { LANGUAGE_CHOICE_COLUMNS, type LanguageChoiceColumns } from '../languages/repository.ts';
import type { ClaimPayload } from '../ledger/repository.ts';
import type { Schedule } from '../schedule/rules.ts';
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from './rules.ts';

/** A reminder, the Monday digest, or the one "welcome back" after an away (0026). */
export type ReminderKind = 'reminder' | 'digest' | 'welcome_back';

/** A subscription the planner works on, with its workspace's quiet hours and daily cap. */
export interface ActiveSubscription extends Schedule, ReminderPolicy {
  subscriptionId: string;
  workspaceId: string;
  managerId: string;
  weeklyDigest: boolean;
}

/** What the planner reads of a subscription and its workspace's settings. */
export const SUBSCRIPTION_COLUMNS = [
  's.id as subscriptionId',
  's.workspace_id as workspaceId',
  's.manager_id as managerId',
  's.weekdays',
  sql<string>`to_char(s.local_time, 'HH24:MI')`.as('localTime'),
  's.time_zone as timeZone',
  's.weekly_digest as weeklyDigest',
  // A workspace without settings (migration 0018) has the defaults.
  sql<string>`coalesce(to_char(ws.quiet_start, 'HH24:MI'), ${DEFAULT_REMINDER_POLICY.quietStart})`.as(
    'quietStart',
  ),
  sql<string>`coalesce(to_char(ws.quiet_end, 'HH24:MI'), ${DEFAULT_REMINDER_POLICY.quietEnd})`.as(
    'quietEnd',
  ),
  sql<number>`coalesce(ws.daily_dm_cap, ${DEFAULT_REMINDER_POLICY.dailyDmCap}::smallint)::int`.as(
    'dailyDmCap',
  ),
] as const;

/** Managers with an open item due by `horizon`, from the partial index over open items. */
export async function managersWithItemsDue(db: Executor, horizon: string): Promise<string[]> {
  const rows = await db
    .selectFrom('action_items')
    .where('status', '=', 'open')
    .where('check_back_on', '<=', horizon)
    .select('manager_id')
    .distinct()
    .execute();
  return rows.map((row) => row.manager_id);
}

/**
 * The active subscriptions of these managers, locked (SKIP LOCKED: planners running at once
 * each take their own). Looked up by manager id on purpose: as one join with the due items,
 * PostgreSQL overestimates the due items (closed items skew check_back_on's statistics) and
 * reads every subscription.
 */
export async function lockActiveSubscriptionsOf(
  db: Executor,
  managerIds: string[],
): Promise<ActiveSubscription[]> {
  if (managerIds.length === 0) return [];
  return db
    .selectFrom('subscriptions as s')
    .where('s.status', '=', 'active')
    .where('s.manager_id', '=', sql<string>`any(${managerIds}::bigint[])`)
    .leftJoin('workspace_settings as ws', 'ws.workspace_id', 's.workspace_id')
    .select(SUBSCRIPTION_COLUMNS)
    .forUpdate('s')
    .skipLocked()
    .execute();
}

/** Blindspot DMs a manager has, or will have, on each local date from `from`. */
export async function countDmsByDate(
  db: Executor,
  managerId: string,
  from: string,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ local_date: string; n: number }>`
    SELECT local_date::text, count(*)::int AS n FROM (
      SELECT local_date FROM deliveries
        WHERE manager_id = ${managerId} AND local_date >= ${from}
          AND status IN ('pending', 'claimed', 'sent')
      UNION ALL
      SELECT local_date FROM reminders
        WHERE manager_id = ${managerId} AND local_date >= ${from}
          AND status IN ('pending', 'claimed', 'sent') AND kind <> 'welcome_back'
    ) AS dms GROUP BY local_date`.execute(db);
  return new Map(rows.map((row) => [row.local_date, row.n]));
}

/** Whether the manager has a reminder planned or claimed, not yet sent. */
export async function hasReminderInFlight(db: Executor, managerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('reminders')
    .where('manager_id', '=', managerId)
    .where('kind', '=', 'reminder')
    .where('status', 'in', ['pending', 'claimed'])
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The earliest check-back date among the manager's open items, if they have any. */
export async function firstOpenCheckBack(
  db: Executor,
  managerId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('action_items')
    .where('manager_id', '=', managerId)
    .where('status', '=', 'open')
    .select(sql<string>`min(check_back_on)::text`.as('date'))
    .executeTakeFirst();
  return row?.date ?? undefined;
}

/** The local dates from `from` on which the manager already has a reminder (of any status). */
export async function reminderDatesFrom(
  db: Executor,
  managerId: string,
  from: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('reminders')
    .where('manager_id', '=', managerId)
    .where('kind', '=', 'reminder')
    .where('local_date', '>=', from)
    .select(sql<string>`local_date::text`.as('date'))
    .execute();
  return new Set(rows.map((row) => row.date));
}

/** The manager's open items due by `localDate`, in the order a reminder lists them. */
export async function openItemsDueBy(db: Executor, managerId: string, localDate: string) {
  return db
    .selectFrom('action_items')
    .where('manager_id', '=', managerId)
    .where('status', '=', 'open')
    .where('check_back_on', '<=', localDate)
    .select(['id', 'unanswered_reminders'])
    .orderBy('check_back_on')
    .orderBy('id')
    .execute();
}

/** Plans a reminder or digest unless the manager has one of that kind that day. Its id if so. */
export async function insertReminder(
  db: Executor,
  values: {
    workspaceId: string;
    managerId: string;
    localDate: string;
    kind: ReminderKind;
    dueAt: Date;
    wantedAt: Date;
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('reminders')
    .values({
      workspace_id: values.workspaceId,
      manager_id: values.managerId,
      local_date: values.localDate,
      kind: values.kind,
      due_at: values.dueAt,
      wanted_at: values.wantedAt,
    })
    .onConflict((oc) => oc.columns(['manager_id', 'local_date', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertReminderItem(
  db: Executor,
  values: { reminderId: string; actionItemId: string; workspaceId: string; final: boolean },
): Promise<void> {
  await db
    .insertInto('reminder_items')
    .values({
      reminder_id: values.reminderId,
      action_item_id: values.actionItemId,
      workspace_id: values.workspaceId,
      final: values.final,
    })
    .execute();
}

/** An item asked about too often without an answer: it lapses. */
export async function markItemLapsed(db: Executor, itemId: string, now: Date): Promise<void> {
  await db
    .updateTable('action_items')
    .set({ status: 'lapsed', updated_at: now })
    .where('id', '=', itemId)
    .execute();
}

/** What a claimed reminder carries beyond the lease. */
export interface ReminderClaimColumns extends LanguageChoiceColumns {
  kind: ReminderKind;
  time_zone: string;
  locale: string;
}

export const REMINDER_CLAIM: ClaimPayload = {
  columns: sql`c.kind, m.time_zone, m.locale, ${LANGUAGE_CHOICE_COLUMNS}`,
};

export interface ReminderItem {
  id: string;
  text: string;
  /** Its topic, whose title is then shown in the manager's language. */
  topicId: string | null;
  topicTitle: string | null;
  /** Local date the item was planned on. */
  plannedOn: string;
  final: boolean;
}

/** The reminder's items still to ask about: open, or lapsed by this very reminder. */
export async function itemsToAsk(
  db: Executor,
  reminderId: string,
  timeZone: string,
): Promise<ReminderItem[]> {
  return db
    .selectFrom('reminder_items as ri')
    .innerJoin('action_items as a', 'a.id', 'ri.action_item_id')
    .leftJoin('topics as t', 't.id', 'a.topic_id')
    .leftJoin('deliveries as d', 'd.id', 'a.delivery_id')
    .where('ri.reminder_id', '=', reminderId)
    .where((eb) => eb.or([eb('a.status', '=', 'open'), eb('ri.final', '=', true)]))
    .select([
      'a.id',
      'a.text',
      'a.topic_id as topicId',
      't.title as topicTitle',
      // The day of the note it answers; without one, the day it was planned.
      sql<string>`coalesce(d.local_date, (a.created_at AT TIME ZONE ${timeZone})::date)::text`.as(
        'plannedOn',
      ),
      'ri.final',
    ])
    .orderBy('a.check_back_on')
    .orderBy('a.id')
    .execute();
}

/** A claimed reminder with nothing left to ask: it does not go. */
export async function cancelReminder(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable('reminders')
    .set({ status: 'cancelled', lease_expires_at: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A manager's week in counts, from `weekStart` (a Monday) for seven local days. */
export async function weekCounts(
  db: Executor,
  managerId: string,
  timeZone: string,
  weekStart: string,
  weekEnd: string,
): Promise<{ topics: number; planned: number; done: number; lapsed: number }> {
  const { rows } = await sql<{ topics: number; planned: number; done: number; lapsed: number }>`
    SELECT
      (SELECT count(*)::int FROM deliveries WHERE manager_id = ${managerId} AND status = 'sent'
         AND local_date >= ${weekStart} AND local_date < ${weekEnd}) AS topics,
      (SELECT count(*)::int FROM action_items WHERE manager_id = ${managerId}
         AND (created_at AT TIME ZONE ${timeZone})::date >= ${weekStart}
         AND (created_at AT TIME ZONE ${timeZone})::date < ${weekEnd}) AS planned,
      (SELECT count(*)::int FROM action_items WHERE manager_id = ${managerId} AND status = 'done'
         AND (completed_at AT TIME ZONE ${timeZone})::date >= ${weekStart}
         AND (completed_at AT TIME ZONE ${timeZone})::date < ${weekEnd}) AS done,
      (SELECT count(*)::int FROM reminder_items ri JOIN reminders r ON r.id = ri.reminder_id
         WHERE r.manager_id = ${managerId} AND ri.final
         AND r.local_date >= ${weekStart} AND r.local_date < ${weekEnd}) AS lapsed`.execute(db);
  return rows[0] ?? { topics: 0, planned: 0, done: 0, lapsed: 0 };
}

/** The open items a sent reminder asked about (not its final word on lapsed ones). */
export async function openItemsAskedBy(db: Executor, reminderId: string) {
  return db
    .selectFrom('reminder_items as ri')
    .innerJoin('action_items as a', 'a.id', 'ri.action_item_id')
    .where('ri.reminder_id', '=', reminderId)
    .where('ri.final', '=', false)
    .where('a.status', '=', 'open')
    .select(['a.id', 'a.interval_days', 'a.unanswered_reminders'])
    .execute();
}

/** One more reminder went unanswered: count it, and ask again on `checkBackOn`. */
export async function recordUnansweredReminder(
  db: Executor,
  itemId: string,
  unanswered: number,
  checkBackOn: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('action_items')
    .set({ unanswered_reminders: unanswered, check_back_on: checkBackOn, updated_at: now })
    .where('id', '=', itemId)
    .execute();
}
