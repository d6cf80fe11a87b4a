import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/** What every task is handed when the task list is built. */
export interface WorkerDependencies {
  db: Kysely<Database>;
  metrics: Metrics;
  logger: Logger;
  /** The clock every task reads; tests inject their own. */
  now: () => Date;
  /** RETENTION_DAYS: how long deliveries, reminders and answers are kept (default 730). */
  retentionDays?: number;
}
