import { parseCronItems, type TaskList } from 'graphile-worker';
import type { WorkerDependencies } from '../dependencies.ts';
import { jobWithRequestId } from '../jobs.ts';
import { planDeliveries } from './plan-deliveries.ts';
import { planReminders } from './plan-reminders.ts';
import { purgeDeletedActionsTask } from './purge-deleted-actions.ts';
import { purgeOldDataTask } from './purge-old-data.ts';
import { refreshAnalyticsTask } from './refresh-analytics.ts';

/**
 * Every task the worker runs, by name. Each lives in its own file beside this one and must be
 * idempotent: graphile-worker runs a job at least once. Each logs with its job's request id.
 */
export function createTaskList(deps: WorkerDependencies): TaskList {
  return {
    plan_deliveries: jobWithRequestId(deps.logger, planDeliveries(deps)),
    plan_reminders: jobWithRequestId(deps.logger, planReminders(deps)),
    refresh_analytics: jobWithRequestId(deps.logger, refreshAnalyticsTask(deps)),
    purge_old_data: jobWithRequestId(deps.logger, purgeOldDataTask(deps)),
    purge_deleted_actions: jobWithRequestId(deps.logger, purgeDeletedActionsTask(deps)),
  };
}

/**
 * Recurring jobs. graphile-worker's cron schedules each tick once across all worker replicas.
 * No backfill: a planner run after downtime plans everything that came due meanwhile.
 */
export const cronItems = parseCronItems([
  { task: 'plan_deliveries', match: '* * * * *', options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: 'plan_reminders', match: '* * * * *', options: { backfillPeriod: 0, maxAttempts: 1 } },
  {
    task: 'refresh_analytics',
    match: '*/5 * * * *',
    options: { backfillPeriod: 0, maxAttempts: 1 },
  },
  {
    task: 'purge_deleted_actions',
    match: '* * * * *',
    options: { backfillPeriod: 0, maxAttempts: 1 },
  },
  // Nightly at 03:17 UTC, off the hour when other crons crowd the database; a missed night is
  // caught up by the next (the cutoff moves, nothing is skipped).
  { task: 'purge_old_data', match: '17 3 * * *', options: { backfillPeriod: 0, maxAttempts: 3 } },
]);
