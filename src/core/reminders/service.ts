/**
 * Reminders close the loop: at each action item's check-back date, Blindspot asks whether the
 * manager did it. Like deliveries, a reminder is a ledger row (one per manager, local date and
 * kind), planned by the worker, claimed by the bot under a lease, confirmed with the Slack ts.
 * One reminder bundles every item due that day; the weekly digest is a ledger row of its own.
 */
import { type Kysely, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { MISSED_AFTER_MS, retryDelayMs } from '../deliveries/rules.ts';
import type { FailureOutcome, FailureReport } from '../deliveries/service.ts';
import { notFound } from '../errors.ts';
import { addDays, isoWeekdayOf, localDateOf, type Schedule } from '../schedule/rules.ts';
import {
  MAX_DMS_PER_DAY,
  MAX_UNANSWERED,
  nextCheckBackAfterSilence,
  reminderSlot,
  weekOf,
} from './rules.ts';

/** Plan this far ahead, like deliveries. */
const LOOKAHEAD_MS = 5 * 60_000;
/** A slot whose time passed this long ago is not used: the next one is. */
const PAST_SLOT_GRACE_MS = 5 * 60_000;

interface ActiveSubscription extends Schedule {
  subscriptionId: string;
  workspaceId: string;
  managerId: string;
  weeklyDigest: boolean;
}

/** Blindspot DMs a manager has, or will have, on each local date from `from`. */
async function dmsByDate(
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
          AND status IN ('pending', 'claimed', 'sent')
    ) AS dms GROUP BY local_date`.execute(db);
  return new Map(rows.map((row) => [row.local_date, row.n]));
}

async function hasReminderOn(
  db: Executor,
  managerId: string,
  localDate: string,
  kind: 'reminder' | 'digest',
) {
  const row = await db
    .selectFrom('reminders')
    .where('manager_id', '=', managerId)
    .where('local_date', '=', localDate)
    .where('kind', '=', kind)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface ReminderPlan {
  planned: number;
  /** Items that went unanswered three times: marked lapsed, with a last word. */
  lapsed: number;
  digests: number;
}

async function planOneManager(
  trx: Executor,
  subscription: ActiveSubscription,
  now: Date,
  until: Date,
  result: ReminderPlan,
): Promise<void> {
  const today = localDateOf(now, subscription.timeZone);
  const pending = await trx
    .selectFrom('reminders')
    .where('manager_id', '=', subscription.managerId)
    .where('kind', '=', 'reminder')
    .where('status', 'in', ['pending', 'claimed'])
    .select('id')
    .executeTakeFirst();
  if (pending) return; // One reminder in flight at a time: its items are already in it.
  const first = await trx
    .selectFrom('action_items')
    .where('manager_id', '=', subscription.managerId)
    .where('status', '=', 'open')
    .select(sql<string>`min(check_back_on)::text`.as('date'))
    .executeTakeFirst();
  if (!first?.date) return;
  const from = first.date > today ? first.date : today;
  const counts = await dmsByDate(trx, subscription.managerId, today);
  const notBefore = new Date(now.getTime() - PAST_SLOT_GRACE_MS);
  // Days that already have a reminder are full: one reminder message a day at most.
  const existing = await trx
    .selectFrom('reminders')
    .where('manager_id', '=', subscription.managerId)
    .where('kind', '=', 'reminder')
    .where('local_date', '>=', from)
    .select(sql<string>`local_date::text`.as('date'))
    .execute();
  const taken = new Set(existing.map((row) => row.date));
  const slot = reminderSlot(
    subscription,
    from,
    (date) => (taken.has(date) ? MAX_DMS_PER_DAY : (counts.get(date) ?? 0)),
    notBefore,
  );
  if (!slot || slot.dueAt > until) return;
  // Where it would have gone without the cap: the first slot on or after the check-back date.
  const wanted = reminderSlot(subscription, first.date, () => 0);
  const items = await trx
    .selectFrom('action_items')
    .where('manager_id', '=', subscription.managerId)
    .where('status', '=', 'open')
    .where('check_back_on', '<=', slot.localDate)
    .select(['id', 'unanswered_reminders'])
    .orderBy('check_back_on')
    .orderBy('id')
    .execute();
  if (items.length === 0) return;
  const reminder = await trx
    .insertInto('reminders')
    .values({
      workspace_id: subscription.workspaceId,
      manager_id: subscription.managerId,
      local_date: slot.localDate,
      kind: 'reminder',
      due_at: slot.dueAt,
      wanted_at: wanted?.dueAt ?? slot.dueAt,
    })
    .onConflict((oc) => oc.columns(['manager_id', 'local_date', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!reminder) return;
  for (const item of items) {
    const final = item.unanswered_reminders >= MAX_UNANSWERED;
    await trx
      .insertInto('reminder_items')
      .values({
        reminder_id: reminder.id,
        action_item_id: item.id,
        workspace_id: subscription.workspaceId,
        final,
      })
      .execute();
    if (final) {
      await trx
        .updateTable('action_items')
        .set({ status: 'lapsed', updated_at: now })
        .where('id', '=', item.id)
        .execute();
      result.lapsed += 1;
    }
  }
  result.planned += 1;
}

async function planDigest(
  trx: Executor,
  subscription: ActiveSubscription,
  now: Date,
  until: Date,
  result: ReminderPlan,
) {
  const today = localDateOf(now, subscription.timeZone);
  const monday = isoWeekdayOf(today) === 1 ? today : addDays(weekOf(today), 7);
  if (await hasReminderOn(trx, subscription.managerId, monday, 'digest')) return;
  // Every Monday at the delivery time (outside quiet hours), whether or not Monday is a note day.
  const slot = reminderSlot(
    { ...subscription, weekdays: [1] },
    monday,
    () => 0,
    new Date(now.getTime() - PAST_SLOT_GRACE_MS),
  );
  if (!slot || slot.localDate !== monday || slot.dueAt > until) return;
  await trx
    .insertInto('reminders')
    .values({
      workspace_id: subscription.workspaceId,
      manager_id: subscription.managerId,
      local_date: monday,
      kind: 'digest',
      due_at: slot.dueAt,
      wanted_at: slot.dueAt,
    })
    .onConflict((oc) => oc.columns(['manager_id', 'local_date', 'kind']).doNothing())
    .execute();
  result.digests += 1;
}

/**
 * Plans the reminders (and weekly digests) due within the look-ahead. Safe to run from any
 * number of workers: subscriptions are locked with SKIP LOCKED, and the ledger's unique key
 * allows one reminder per manager per day.
 */
export async function planDueReminders(db: Kysely<Database>, now: Date): Promise<ReminderPlan> {
  const result: ReminderPlan = { planned: 0, lapsed: 0, digests: 0 };
  const until = new Date(now.getTime() + LOOKAHEAD_MS);
  // Any zone's today is at most a day from UTC's: a day's margin finds every due item.
  const horizon = addDays(localDateOf(until, 'UTC'), 1);
  await db.transaction().execute(async (trx) => {
    const columns = [
      's.id as subscriptionId',
      's.workspace_id as workspaceId',
      's.manager_id as managerId',
      's.weekdays',
      sql<string>`to_char(s.local_time, 'HH24:MI')`.as('localTime'),
      's.time_zone as timeZone',
      's.weekly_digest as weeklyDigest',
    ] as const;
    // Managers with an open item due, from the partial index over open items; then their
    // subscriptions by manager id. Two steps on purpose: as one join, PostgreSQL overestimates
    // the due items (closed items skew check_back_on's statistics) and reads every subscription.
    const dueManagers = await trx
      .selectFrom('action_items')
      .where('status', '=', 'open')
      .where('check_back_on', '<=', horizon)
      .select('manager_id')
      .distinct()
      .execute();
    const withItemsDue =
      dueManagers.length === 0
        ? []
        : await trx
            .selectFrom('subscriptions as s')
            .where('s.status', '=', 'active')
            .where(
              's.manager_id',
              '=',
              sql<string>`any(${dueManagers.map((row) => row.manager_id)}::bigint[])`,
            )
            .select(columns)
            .forUpdate()
            .skipLocked()
            .execute();
    // Weekly-digest subscribers, only while it is Monday somewhere (UTC-12 to UTC+14).
    const mondaySomewhere =
      isoWeekdayOf(localDateOf(until, 'Etc/GMT-14')) === 1 ||
      isoWeekdayOf(localDateOf(until, 'Etc/GMT+12')) === 1;
    const digestOnly = mondaySomewhere
      ? await trx
          .selectFrom('subscriptions as s')
          .where('s.status', '=', 'active')
          .where('s.weekly_digest', '=', true)
          .select(columns)
          .forUpdate()
          .skipLocked()
          .execute()
      : [];
    const seen = new Set(withItemsDue.map((row) => row.subscriptionId));
    const subscriptions = [
      ...withItemsDue,
      ...digestOnly.filter((row) => !seen.has(row.subscriptionId)),
    ];
    for (const subscription of subscriptions) {
      // The digest first: it counts towards the daily cap the reminder must fit under.
      if (subscription.weeklyDigest) await planDigest(trx, subscription, now, until, result);
      await planOneManager(trx, subscription, now, until, result);
    }
  });
  return result;
}

export interface ReminderItem {
  id: string;
  text: string;
  topicTitle: string | null;
  /** Local date the item was planned on. */
  plannedOn: string;
  final: boolean;
}

export interface DigestSummary {
  weekStart: string;
  topicsReceived: number;
  actionsPlanned: number;
  actionsDone: number;
  actionsLapsed: number;
}

export interface ClaimedReminder {
  id: string;
  attempt: number;
  kind: 'reminder' | 'digest';
  dueAt: Date;
  localDate: string;
  slackTeamId: string;
  slackUserId: string;
  dmChannelId: string | null;
  timeZone: string;
  items: ReminderItem[];
  digest: DigestSummary | null;
}

async function digestFor(
  db: Executor,
  managerId: string,
  timeZone: string,
  localDate: string,
): Promise<DigestSummary> {
  const weekStart = addDays(weekOf(localDate), -7);
  const weekEnd = addDays(weekStart, 7);
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
  const row = rows[0] ?? { topics: 0, planned: 0, done: 0, lapsed: 0 };
  return {
    weekStart,
    topicsReceived: row.topics,
    actionsPlanned: row.planned,
    actionsDone: row.done,
    actionsLapsed: row.lapsed,
  };
}

/** Hands out due reminders under a lease, with their items, as deliveries are. */
export async function claimReminders(
  db: Kysely<Database>,
  now: Date,
  options: { limit: number; leaseMs: number },
): Promise<ClaimedReminder[]> {
  return db.transaction().execute(async (trx) => {
    await sql`
      UPDATE reminders SET status = 'missed', lease_expires_at = NULL, updated_at = ${now}
      WHERE status IN ('pending', 'claimed') AND due_at < ${new Date(now.getTime() - MISSED_AFTER_MS)}
        AND (status = 'pending' OR lease_expires_at <= ${now})`.execute(trx);
    const { rows } = await sql<{
      id: string;
      attempts: number;
      kind: 'reminder' | 'digest';
      due_at: Date;
      local_date: string;
      manager_id: string;
      slack_team_id: string;
      slack_user_id: string;
      dm_channel_id: string | null;
      time_zone: string;
    }>`
      WITH picked AS (
        SELECT r.id FROM reminders r
        WHERE r.status IN ('pending', 'claimed') AND r.due_at <= ${now}
          AND (r.status = 'pending' OR r.lease_expires_at <= ${now})
        ORDER BY r.due_at LIMIT ${options.limit}
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE reminders r SET status = 'claimed', attempts = r.attempts + 1,
          lease_expires_at = ${new Date(now.getTime() + options.leaseMs)}, updated_at = ${now}
        FROM picked WHERE r.id = picked.id RETURNING r.*
      )
      SELECT c.id, c.attempts, c.kind, c.due_at, c.local_date::text AS local_date, c.manager_id,
        w.slack_team_id, m.slack_user_id, m.dm_channel_id, m.time_zone
      FROM claimed c JOIN managers m ON m.id = c.manager_id JOIN workspaces w ON w.id = c.workspace_id
      ORDER BY c.due_at`.execute(trx);
    const claimed: ClaimedReminder[] = [];
    for (const row of rows) {
      const items =
        row.kind === 'reminder'
          ? await trx
              .selectFrom('reminder_items as ri')
              .innerJoin('action_items as a', 'a.id', 'ri.action_item_id')
              .leftJoin('topics as t', 't.id', 'a.topic_id')
              .leftJoin('deliveries as d', 'd.id', 'a.delivery_id')
              .where('ri.reminder_id', '=', row.id)
              // Answered (or lapsed by this reminder) since it was planned: nothing left to ask.
              .where((eb) => eb.or([eb('a.status', '=', 'open'), eb('ri.final', '=', true)]))
              .select([
                'a.id',
                'a.text',
                't.title as topicTitle',
                // The day of the note it answers; without one, the day it was planned.
                sql<string>`coalesce(d.local_date, (a.created_at AT TIME ZONE ${row.time_zone})::date)::text`.as(
                  'plannedOn',
                ),
                'ri.final',
              ])
              .orderBy('a.check_back_on')
              .orderBy('a.id')
              .execute()
          : [];
      if (row.kind === 'reminder' && items.length === 0) {
        await trx
          .updateTable('reminders')
          .set({ status: 'cancelled', lease_expires_at: null, updated_at: now })
          .where('id', '=', row.id)
          .execute();
        continue;
      }
      claimed.push({
        id: row.id,
        attempt: row.attempts,
        kind: row.kind,
        dueAt: row.due_at,
        localDate: row.local_date,
        slackTeamId: row.slack_team_id,
        slackUserId: row.slack_user_id,
        dmChannelId: row.dm_channel_id,
        timeZone: row.time_zone,
        items,
        digest:
          row.kind === 'digest'
            ? await digestFor(trx, row.manager_id, row.time_zone, row.local_date)
            : null,
      });
    }
    return claimed;
  });
}

/**
 * Records a reminder as sent. Each item in it now waits for an answer: one more unanswered
 * reminder, and the next check-back backs off (the interval doubles each time).
 */
export async function confirmReminder(
  db: Kysely<Database>,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
): Promise<{ latenessSeconds: number; itemsDue: number; repeated: boolean }> {
  return db.transaction().execute(async (trx) => {
    const reminder = await trx
      .selectFrom('reminders')
      .where('id', '=', id)
      .select(['id', 'status', 'slack_ts', 'local_date', 'due_at', 'wanted_at', 'manager_id'])
      .forUpdate()
      .executeTakeFirst();
    if (!reminder) throw notFound('reminder');
    const latenessSeconds = Math.max(
      0,
      (now.getTime() - (reminder.wanted_at ?? reminder.due_at).getTime()) / 1000,
    );
    if (reminder.status === 'sent') return { latenessSeconds, itemsDue: 0, repeated: true };
    await trx
      .updateTable('reminders')
      .set({
        status: 'sent',
        slack_channel_id: sent.channelId,
        slack_ts: sent.ts,
        sent_at: now,
        lease_expires_at: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const items = await trx
      .selectFrom('reminder_items as ri')
      .innerJoin('action_items as a', 'a.id', 'ri.action_item_id')
      .where('ri.reminder_id', '=', id)
      .where('ri.final', '=', false)
      .where('a.status', '=', 'open')
      .select(['a.id', 'a.interval_days', 'a.unanswered_reminders'])
      .execute();
    for (const item of items) {
      await trx
        .updateTable('action_items')
        .set({
          unanswered_reminders: item.unanswered_reminders + 1,
          check_back_on: nextCheckBackAfterSilence(
            reminder.local_date,
            item.interval_days,
            item.unanswered_reminders + 1,
          ),
          updated_at: now,
        })
        .where('id', '=', item.id)
        .execute();
    }
    await trx
      .updateTable('managers')
      .set({ dm_channel_id: sent.channelId, updated_at: now })
      .where('id', '=', reminder.manager_id)
      .where((eb) =>
        eb.or([eb('dm_channel_id', 'is', null), eb('dm_channel_id', '<>', sent.channelId)]),
      )
      .execute();
    return { latenessSeconds, itemsDue: items.length, repeated: false };
  });
}

/** A failed send: retry later (rate limit, transient) or give up (unreachable). */
export async function reportReminderFailure(
  db: Kysely<Database>,
  id: string,
  report: FailureReport,
  now: Date,
): Promise<FailureOutcome> {
  const reminder = await db
    .selectFrom('reminders')
    .where('id', '=', id)
    .select(['status', 'attempts'])
    .executeTakeFirst();
  if (!reminder) throw notFound('reminder');
  if (reminder.status !== 'claimed' || reminder.attempts !== report.attempt)
    return { status: 'ignored', subscriptionPaused: false };
  if (report.kind === 'unreachable') {
    await db
      .updateTable('reminders')
      .set({ status: 'failed', lease_expires_at: null, updated_at: now })
      .where('id', '=', id)
      .execute();
    return { status: 'failed', subscriptionPaused: false };
  }
  const delayMs =
    report.retryAfterSeconds !== undefined
      ? report.retryAfterSeconds * 1000
      : retryDelayMs(reminder.attempts);
  const retryAt = new Date(now.getTime() + delayMs);
  await db
    .updateTable('reminders')
    .set({ lease_expires_at: retryAt, updated_at: now })
    .where('id', '=', id)
    .execute();
  return { status: 'retrying', retryAt, subscriptionPaused: false };
}
