import { parseCronItems, type TaskList } from 'graphile-worker';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { jobWithRequestId } from '../jobs.ts';
import { planDeliveries } from './plan-deliveries.ts';
import { planReminders } from './plan-reminders.ts';

export interface WorkerDependencies {
  db: Kysely<Database>;
  metrics: Metrics;
  logger: Logger;
  /** The clock every task reads; tests inject their own. */
  now: () => Date;
}

/**
 * Every task the worker runs, by name. Each lives in its own file beside this one and must be
 * idempotent: graphile-worker runs a job at least once. Each logs with its job's request id.
 */
export function createTaskList(deps: WorkerDependencies): TaskList {
  return {
    plan_deliveries: jobWithRequestId(deps.logger, planDeliveries(deps)),
    plan_reminders: jobWithRequestId(deps.logger, planReminders(deps)),
  };
}

/**
 * Recurring jobs. graphile-worker's cron schedules each tick once across all worker replicas.
 * No backfill: a planner run after downtime plans everything that came due meanwhile.
 */
export const cronItems = parseCronItems([
  { task: 'plan_deliveries', match: '* * * * *', options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: 'plan_reminders', match: '* * * * *', options: { backfillPeriod: 0, maxAttempts: 1 } },
]);
