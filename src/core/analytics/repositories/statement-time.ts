/** A time limit on one transaction's statements, for the analytics reads and refresh alike. */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';

/** The statement_timeout of every statement on `db` until its transaction ends. */
export async function limitStatementTime(db: Executor, ms: number): Promise<void> {
  await sql`SELECT set_config('statement_timeout', ${String(Math.round(ms))}, true)`.execute(db);
}
