import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/** The cheapest round trip that proves the database answers. */
export async function pingDatabase(db: Executor): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
