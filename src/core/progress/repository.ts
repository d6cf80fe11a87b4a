import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/** When each reminder that asked about the item was sent. */
export async function remindersSentAbout(db: Executor, itemId: string): Promise<Date[]> {
  const rows = await db
    .selectFrom('reminder_items as ri')
    .innerJoin('reminders as r', 'r.id', 'ri.reminder_id')
    .where('ri.action_item_id', '=', itemId)
    .where('r.status', '=', 'sent')
    .select(['r.sent_at'])
    .execute();
  return rows.map((row) => row.sent_at as Date);
}

/** Every answer to the item, in no particular order. */
export async function answersTo(db: Executor, itemId: string) {
  return db
    .selectFrom('responses')
    .where('action_item_id', '=', itemId)
    .select(['answer', 'reflection', 'usefulness', 'answered_at'])
    .execute();
}

/**
 * The manager's items planned since `since` (a local date in `timeZone`) or ever done, with
 * the local dates they were planned and completed.
 */
export async function itemDatesSince(
  db: Executor,
  managerId: string,
  timeZone: string,
  since: string,
) {
  return itemDatesQuery(db, managerId, timeZone, since).execute();
}

/** itemDatesSince's query, to be run or read as part of another (core/home). */
export function itemDatesQuery(db: Executor, managerId: string, timeZone: string, since: string) {
  return (
    db
      .selectFrom('action_items')
      .where('manager_id', '=', managerId)
      // eb.or keeps the OR inside its parentheses: raw SQL here would escape the manager filter.
      .where((eb) =>
        eb.or([
          eb(sql`(created_at AT TIME ZONE ${timeZone})::date`, '>=', since),
          eb('status', '=', 'done'),
        ]),
      )
      .select([
        'status',
        sql<string>`(created_at AT TIME ZONE ${timeZone})::date::text`.as('createdOn'),
        sql<string | null>`(completed_at AT TIME ZONE ${timeZone})::date::text`.as('completedOn'),
      ])
  );
}

/** The manager's next 20 open items, soonest check-back first. */
export async function openItemsOf(db: Executor, managerId: string) {
  return openItemsQuery(db, managerId).execute();
}

export function openItemsQuery(db: Executor, managerId: string) {
  return db
    .selectFrom('action_items as a')
    .leftJoin('topics as t', 't.id', 'a.topic_id')
    .where('a.manager_id', '=', managerId)
    .where('a.status', '=', 'open')
    .select([
      'a.id',
      'a.text',
      sql<string>`a.check_back_on::text`.as('checkBackOn'),
      'a.topic_id as topicId',
      't.title as topicTitle',
    ])
    .orderBy('a.check_back_on')
    .limit(20);
}

/** The manager's 10 latest completed items, with the latest reflection on each. */
export async function recentlyCompletedOf(db: Executor, managerId: string) {
  return recentlyCompletedQuery(db, managerId).execute();
}

export function recentlyCompletedQuery(db: Executor, managerId: string) {
  return db
    .selectFrom('action_items as a')
    .leftJoin('topics as t', 't.id', 'a.topic_id')
    .where('a.manager_id', '=', managerId)
    .where('a.status', 'in', ['done', 'partly'])
    .where('a.completed_at', 'is not', null)
    .select([
      'a.id',
      'a.text',
      'a.completed_at as completedAt',
      'a.topic_id as topicId',
      't.title as topicTitle',
      (eb) =>
        eb
          .selectFrom('responses as r')
          .whereRef('r.action_item_id', '=', 'a.id')
          .where('r.reflection', 'is not', null)
          .orderBy('r.answered_at', 'desc')
          .limit(1)
          .select('r.reflection')
          .as('reflection'),
    ])
    .orderBy('a.completed_at', 'desc')
    .limit(10);
}

/** What progress is computed from (../progress/service.ts progressFromRows). */
export interface ProgressRows {
  items: Awaited<ReturnType<typeof itemDatesSince>>;
  openRows: Awaited<ReturnType<typeof openItemsOf>>;
  recentRows: Awaited<ReturnType<typeof recentlyCompletedOf>>;
}
