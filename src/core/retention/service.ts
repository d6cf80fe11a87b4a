/**
 * Retention (issue 16, item 6): deliveries, reminders and answers older than RETENTION_DAYS are
 * deleted, in batches, until none is left. Action items stay while their owner does: they are
 * the manager's own list, and erasure or the manager's own delete removes them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { deleteOldRows, RETAINED, type RetainedTable } from './repository.ts';

/** Rows per DELETE: small enough for a short lock, big enough to clear a backlog in minutes. */
export const RETENTION_BATCH = 5_000;
const DAY_MS = 86_400_000;

export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Deletes every row past the period, table by table, one batch per statement, each its own
 * transaction. `onDeleted` hears every batch, so a metric counts rows as they go.
 */
export async function purgeOldData(
  db: Kysely<Database>,
  options: {
    now: Date;
    days: number;
    batch?: number;
    onDeleted?: (table: RetainedTable, rows: number) => void;
  },
): Promise<Record<RetainedTable, number>> {
  const batch = options.batch ?? RETENTION_BATCH;
  const before = retentionCutoff(options.now, options.days);
  const totals = { responses: 0, reminders: 0, deliveries: 0 };
  for (const table of Object.keys(RETAINED) as RetainedTable[]) {
    for (;;) {
      const deleted = await deleteOldRows(db, table, before, batch);
      if (deleted > 0) options.onDeleted?.(table, deleted);
      totals[table] += deleted;
      if (deleted < batch) break;
    }
  }
  return totals;
}
