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
    ]);
}

/**
 * The due subscriptions, locked for the planner's transaction. SKIP LOCKED: planners running
 * at once each take their own.
 */
export function lockDueSubscriptions(db: Executor, until: Date, limit: number) {
  return dueSubscriptionsQuery(db, until, limit).forUpdate().skipLocked().execute();
}
