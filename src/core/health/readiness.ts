import type { Kysely } from 'kysely';
import type pg from 'pg';
import { type Migration, pendingMigrations } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';
import { oldestUnsentDueAge } from '../deliveries/repository.ts';
import { pingDatabase } from './repository.ts';

export interface DeliveryHealth {
  status: 'ok' | 'lagging';
  oldestUnsentDueSeconds: number;
}

export type Readiness =
  | { ready: true; deliveries?: DeliveryHealth }
  | { ready: false; reason: string };

/** A due delivery still unsent after this long means senders are down or throttled. */
const LAGGING_AFTER_SECONDS = 60;

/**
 * Ready means: the database answers, and every migration this build ships has been applied.
 * A pool that cannot hand out a connection in time counts as not ready.
 */
export async function checkReadiness(
  db: Kysely<Database>,
  pool: pg.Pool,
  migrations: readonly Migration[],
  now: () => Date,
): Promise<Readiness> {
  try {
    await pingDatabase(db);
  } catch (error) {
    return { ready: false, reason: `database unreachable: ${(error as Error).message}` };
  }
  const pending = await pendingMigrations(pool, migrations);
  if (pending.length > 0) {
    return { ready: false, reason: `migrations pending: ${pending.join(', ')}` };
  }
  // Lagging deliveries are reported, not made a reason to be unready: taking the API out of the
  // load balancer would stop the very senders that clear the backlog. Alerts watch the metric.
  const oldestUnsentDueSeconds = Math.round(await oldestUnsentDueAge(db, now()));
  return {
    ready: true,
    deliveries: {
      status: oldestUnsentDueSeconds > LAGGING_AFTER_SECONDS ? 'lagging' : 'ok',
      oldestUnsentDueSeconds,
    },
  };
}
