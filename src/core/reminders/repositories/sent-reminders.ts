/**
 * Sent reminders as their Slack messages stand: found by the message (a thread reply's
 * thread_ts), or by id with every item they asked about and the answer each got, so that the bot
 * can make the message show an answer given somewhere else.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { ReminderItem } from '../repository.ts';

type ItemStatus = 'open' | 'done' | 'partly' | 'dropped' | 'lapsed';

/** An item a sent reminder asked about, with the answer this reminder got for it, if any. */
export interface AskedItem extends Omit<ReminderItem, 'final'> {
  answer: string | null;
  /** The item's status now: one marked done on the Home tab has no answer here, yet is closed. */
  status: ItemStatus;
}

/** A sent reminder's item as its message should show it now. */
export interface ReminderMessageItem extends ReminderItem {
  /** The item's status now: an item marked done on the Home tab has no answer here. */
  status: ItemStatus;
  /** This reminder's answer for the item, if it got one, and that answer's id. */
  answer: string | null;
  responseId: string | null;
  /** For a snooze that is still the item's latest answer: the local date it asks again. */
  snoozedUntil: string | null;
}

export interface ReminderMessageRow {
  id: string;
  channelId: string;
  ts: string;
  items: ReminderMessageItem[];
}

/** The manager's reminders (not digests) that reached Slack, with their message. */
function sentReminders(db: Executor, managerId: string) {
  return db
    .selectFrom('reminders')
    .where('manager_id', '=', managerId)
    .where('kind', '=', 'reminder')
    .where('status', '=', 'sent')
    .where('slack_channel_id', 'is not', null)
    .where('slack_ts', 'is not', null);
}

/** The items a reminder asked about, joined to its answers; `final` ones too unless told not. */
function askedItems(db: Executor, reminderId: string) {
  return db
    .selectFrom('reminder_items as ri')
    .innerJoin('action_items as a', 'a.id', 'ri.action_item_id')
    .innerJoin('managers as m', 'm.id', 'a.manager_id')
    .leftJoin('topics as t', 't.id', 'a.topic_id')
    .leftJoin('deliveries as d', 'd.id', 'a.delivery_id')
    .leftJoin('responses as r', (join) =>
      join.onRef('r.reminder_id', '=', 'ri.reminder_id').onRef('r.action_item_id', '=', 'a.id'),
    )
    .where('ri.reminder_id', '=', reminderId)
    .orderBy('a.check_back_on')
    .orderBy('a.id');
}

const plannedOn = sql<string>`coalesce(d.local_date, (a.created_at AT TIME ZONE m.time_zone)::date)::text`;

/**
 * The manager's sent reminder behind a Slack message (a thread reply's thread_ts), with the
 * items it asked about; undefined when the message is not one of their reminders.
 */
export async function findSentReminderByMessage(
  db: Executor,
  managerId: string,
  channelId: string,
  ts: string,
): Promise<{ id: string; items: AskedItem[] } | undefined> {
  const reminder = await db
    .selectFrom('reminders')
    .where('manager_id', '=', managerId)
    .where('slack_channel_id', '=', channelId)
    .where('slack_ts', '=', ts)
    .where('status', '=', 'sent')
    .select('id')
    .executeTakeFirst();
  if (!reminder) return undefined;
  const items = await askedItems(db, reminder.id)
    .where('ri.final', '=', false)
    .select([
      'a.id',
      'a.text',
      'a.topic_id as topicId',
      't.title as topicTitle',
      plannedOn.as('plannedOn'),
      'r.answer',
      'a.status',
    ])
    .execute();
  return { id: reminder.id, items };
}

/** Whether no answer about the item came after this one. */
function latestAnswer(): Expression<SqlBool> {
  return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM responses later
    WHERE later.action_item_id = r.action_item_id AND later.id > r.id)`;
}

/** The reminder's message and every item it asked about, as they stand; undefined if not theirs. */
export async function findReminderMessage(
  db: Executor,
  managerId: string,
  reminderId: string,
): Promise<ReminderMessageRow | undefined> {
  const reminder = await sentReminders(db, managerId)
    .where('id', '=', reminderId)
    .select(['id', 'slack_channel_id as channelId', 'slack_ts as ts'])
    .executeTakeFirst();
  if (!reminder?.channelId || !reminder.ts) return undefined;
  const items = await askedItems(db, reminder.id)
    .select([
      'a.id',
      'a.text',
      'a.topic_id as topicId',
      't.title as topicTitle',
      plannedOn.as('plannedOn'),
      'ri.final',
      'a.status',
      'r.answer',
      'r.id as responseId',
      sql<string | null>`CASE WHEN r.answer = 'snoozed' AND ${latestAnswer()}
        THEN a.check_back_on::text END`.as('snoozedUntil'),
    ])
    .execute();
  return { id: reminder.id, channelId: reminder.channelId, ts: reminder.ts, items };
}

/** The latest of the manager's sent reminders that asked about the item, if any. */
export async function findLatestReminderIdAbout(
  db: Executor,
  managerId: string,
  itemId: string,
): Promise<string | undefined> {
  const row = await sentReminders(db, managerId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('reminder_items as ri')
          .whereRef('ri.reminder_id', '=', 'reminders.id')
          .where('ri.action_item_id', '=', itemId)
          .select('ri.reminder_id'),
      ),
    )
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .select('id')
    .executeTakeFirst();
  return row?.id;
}
