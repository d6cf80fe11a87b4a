import { purgeOldData } from '../../core/retention/service.ts';
import type { WorkerDependencies } from '../dependencies.ts';
import type { JobBody } from '../jobs.ts';

/** RETENTION_DAYS' default: two years. */
export const DEFAULT_RETENTION_DAYS = 730;

/**
 * Nightly: deletes deliveries, reminders and answers older than RETENTION_DAYS, in batches
 * (src/core/retention/service.ts), counting rows by table in
 * blindspot_retention_rows_deleted_total. Idempotent: a second run finds nothing left to delete.
 */
export function purgeOldDataTask(deps: WorkerDependencies): JobBody {
  return async (_payload, { log }) => {
    const totals = await purgeOldData(deps.db, {
      now: deps.now(),
      days: deps.retentionDays ?? DEFAULT_RETENTION_DAYS,
      onDeleted: (table, rows) => deps.metrics.retentionRowsDeleted.inc({ table }, rows),
    });
    log.info({ ...totals }, 'deleted data past its retention period');
  };
}
