import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type pg from 'pg';
import { type Migration, pendingMigrations } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Ready means: the database answers, and every migration this build ships has been applied.
 * A pool that cannot hand out a connection in time counts as not ready.
 */
export async function checkReadiness(
  db: Kysely<Database>,
  pool: pg.Pool,
  migrations: readonly Migration[],
): Promise<Readiness> {
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    return { ready: false, reason: `database unreachable: ${(error as Error).message}` };
  }
  const pending = await pendingMigrations(pool, migrations);
  if (pending.length > 0) {
    return { ready: false, reason: `migrations pending: ${pending.join(', ')}` };
  }
  return { ready: true };
}
