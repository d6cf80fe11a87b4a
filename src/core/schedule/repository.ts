import type { Executor } from '../managers/repository.ts';

export interface DueSubscription {
  id: string;
  workspaceId: string;
  managerId: string;
  nextDueAt: Date;
}

/**
 * "What is due now": active subscriptions whose next delivery time has come, oldest first.
 * Runs on every scheduler tick; served by the partial index subscriptions_due, so its cost
 * follows the number due, not the number of subscriptions.
 */
export function dueSubscriptionsQuery(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('subscriptions')
    .where('status', '=', 'active')
    .where('next_due_at', '<=', now)
    .orderBy('next_due_at')
    .limit(limit)
    .select([
      'id',
      'workspace_id as workspaceId',
      'manager_id as managerId',
      'next_due_at as nextDueAt',
    ]);
}

export async function dueSubscriptions(
  db: Executor,
  now: Date,
  limit: number,
): Promise<DueSubscription[]> {
  const rows = await dueSubscriptionsQuery(db, now, limit).execute();
  return rows.map((row) => ({ ...row, nextDueAt: row.nextDueAt as Date }));
}
