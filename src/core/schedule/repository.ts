import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/**
 * "What is due now": active subscriptions whose next delivery time has come (or comes within
 * the planner's look-ahead), oldest first. Runs on every scheduler tick; served by the partial
 * index subscriptions_due, so its cost follows the number due, not the number of subscriptions.
 */
export function dueSubscriptionsQuery(db: Executor, until: Date, limit: number) {
  return db
    .selectFrom('subscriptions')
    .where('status', '=', 'active')
    .where('next_due_at', '<=', until)
    .orderBy('next_due_at')
    .orderBy('id')
    .limit(limit)
    .select([
      'id',
      'workspace_id as workspaceId',
      'manager_id as managerId',
      'next_due_at as nextDueAt',
      'weekdays',
      sql<string>`to_char(local_time, 'HH24:MI')`.as('localTime'),
      'time_zone as timeZone',
      'skipped_categories as skippedCategories',
      // Where the manager keeps public holidays (0026): a primary-key probe per due row, in
      // the same statement, so holidays cost the planner no statement of their own.
      sql<
        string | null
      >`(SELECT holiday_country FROM managers WHERE managers.id = subscriptions.manager_id)`.as(
        'holidayCountry',
      ),
      sql<
        string | null
      >`(SELECT holiday_region FROM managers WHERE managers.id = subscriptions.manager_id)`.as(
        'holidayRegion',
      ),
    ]);
}

/**
 * The due subscriptions, locked for the planner's transaction. SKIP LOCKED: planners running
 * at once each take their own.
 */
export function lockDueSubscriptions(db: Executor, until: Date, limit: number) {
  return dueSubscriptionsQuery(db, until, limit).forUpdate().skipLocked().execute();
}
