/**
 * Deleting rows past the retention period, a bounded batch per statement: a night's backlog
 * (the first run on a years-old database) never holds locks or a transaction for long.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/** The tables the retention period applies to, with the instant a row's age counts from. */
export const RETAINED = {
  // Answers first: a reminder's deletion would only unlink them (reminder_id SET NULL).
  responses: 'answered_at',
  reminders: 'due_at',
  deliveries: 'due_at',
} as const;
export type RetainedTable = keyof typeof RETAINED;

/**
 * Deletes up to `limit` rows of `table` older than `before`, oldest first; answers how many.
 * Rows still in flight (pending or claimed) are left to their own lease and expiry rules.
 */
export async function deleteOldRows(
  db: Executor,
  table: RetainedTable,
  before: Date,
  limit: number,
): Promise<number> {
  const column = RETAINED[table];
  const inFlight = table === 'responses' ? sql`false` : sql`status IN ('pending', 'claimed')`;
  const result = await sql`
    DELETE FROM ${sql.table(table)}
     WHERE id IN (
       SELECT id FROM ${sql.table(table)}
        WHERE ${sql.ref(column)} < ${before} AND NOT (${inFlight})
        ORDER BY ${sql.ref(column)}
        LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
