/**
 * The weekly digest's stored next time (issue 19, item 3b; migration 0017): a planner tick reads
 * and locks only the digests due in its window, and any change of schedule or digest setting
 * makes the next tick look again, so a digest is never late for a stale time.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueReminders } from '../../../src/core/reminders/service.ts';
import { setWeeklyDigest, subscribe } from '../../../src/core/subscriptions/service.ts';
import type { Database } from '../../../src/db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createSubscriber, createWorkspace, type TestSubscriber } from '../../support/factories.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Sunday, the day before the Monday the digests go out. */
const SUNDAY = new Date('2026-11-22T12:00:00Z');

/** When the planner next looks at the manager's digest; null while that is its next tick. */
async function nextDigestAt(subscriber: TestSubscriber): Promise<Date | null> {
  const { rows } = await sql<{ next: Date | null }>`
    SELECT CASE WHEN next_digest_at = '-infinity' THEN NULL ELSE next_digest_at END AS next
    FROM subscriptions WHERE manager_id = ${subscriber.id}`.execute(database.db);
  if (!rows[0]) throw new Error('no subscription');
  return rows[0].next;
}

/** Whether another session could lock the manager's subscription right now. */
async function lockable(client: pg.Client, subscriber: TestSubscriber): Promise<boolean> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT 1 FROM subscriptions WHERE manager_id = $1 FOR UPDATE NOWAIT', [
      subscriber.id,
    ]);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return false;
    throw error;
  } finally {
    await client.query('ROLLBACK');
  }
}

/**
 * The planner run at `now`, with `probe` called inside its transaction just before it commits,
 * while it still holds every lock it took.
 */
async function planWithProbe(now: Date, probe: () => Promise<void>) {
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = async (...args: unknown[]) => {
      if (args[0] === 'commit') await probe();
      return query(...args);
    };
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await planDueReminders(db, now);
  } finally {
    await db.destroy();
  }
}

async function digestSubscriber(localTime: string): Promise<TestSubscriber> {
  const workspace = await createWorkspace(database.db);
  const subscriber = await createSubscriber(
    database.db,
    workspace,
    { timeZone: 'UTC', localTime },
    SUNDAY,
  );
  await setWeeklyDigest(database.db, subscriber.who, true, SUNDAY);
  return subscriber;
}

describe('when two managers take the digest, at 09:00 and at 15:00 UTC', () => {
  it('then each tick locks only the digest due in its window, and a schedule change is looked at again', async () => {
    const morning = await digestSubscriber('09:00');
    const afternoon = await digestSubscriber('15:00');
    expect(await nextDigestAt(morning)).toBeNull();

    // The first look stores each digest's time; nothing is due on Sunday.
    expect((await planDueReminders(database.db, SUNDAY)).digests).toBe(0);
    expect(await nextDigestAt(morning)).toEqual(new Date('2026-11-23T09:00:00Z'));
    expect(await nextDigestAt(afternoon)).toEqual(new Date('2026-11-23T15:00:00Z'));

    // Monday 08:57: the morning digest is planned, and the afternoon row is not even locked.
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    const lockableDuringTick: boolean[] = [];
    try {
      const plan = await planWithProbe(new Date('2026-11-23T08:57:00Z'), async () => {
        lockableDuringTick.push(await lockable(other, morning), await lockable(other, afternoon));
      });
      expect(plan.digests).toBe(1);
    } finally {
      await other.end();
    }
    expect(lockableDuringTick).toEqual([false, true]);
    expect(await nextDigestAt(morning)).toEqual(new Date('2026-11-30T09:00:00Z'));
    expect(await nextDigestAt(afternoon)).toEqual(new Date('2026-11-23T15:00:00Z'));
    // Planned once: a second tick in the same window finds nothing to do.
    expect((await planDueReminders(database.db, new Date('2026-11-23T08:58:00Z'))).digests).toBe(0);

    // The afternoon manager moves to 10:00: the next tick looks again and plans it then.
    await subscribe(
      database.db,
      afternoon.who,
      { weekdays: [1, 2, 3, 4, 5], localTime: '10:00', timeZone: 'UTC', skippedCategories: [] },
      new Date('2026-11-23T09:30:00Z'),
    );
    expect(await nextDigestAt(afternoon)).toBeNull();
    expect((await planDueReminders(database.db, new Date('2026-11-23T09:31:00Z'))).digests).toBe(0);
    expect(await nextDigestAt(afternoon)).toEqual(new Date('2026-11-23T10:00:00Z'));
    expect((await planDueReminders(database.db, new Date('2026-11-23T09:56:00Z'))).digests).toBe(1);

    // Turning the digest off and on again also makes the next tick look.
    await setWeeklyDigest(database.db, morning.who, false, new Date('2026-11-23T10:00:00Z'));
    await setWeeklyDigest(database.db, morning.who, true, new Date('2026-11-23T10:01:00Z'));
    expect(await nextDigestAt(morning)).toBeNull();
  });
});
