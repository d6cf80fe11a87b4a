/**
 * The weekly digest's planning cost follows the tick, not the digests (issue 19, item 3b): a
 * Monday tick that plans thirty digests sends the same statements as one that plans three, with
 * one insert for all the new ledger rows and one update for all the next times. Counted from
 * Kysely's query log.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueReminders } from '../../../src/core/reminders/service.ts';
import { setWeeklyDigest } from '../../../src/core/subscriptions/service.ts';
import {
  createTestDatabase,
  recordingDatabase,
  type TestDatabase,
} from '../../support/database.ts';
import { createSubscriber, createWorkspace } from '../../support/factories.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Sunday, the day before the Monday the digests go out. */
const SUNDAY = new Date('2026-11-22T12:00:00Z');

/** The reminder planner run once at `now`, with every statement it sent. */
async function planRecorded(now: Date) {
  const { db, recorded } = recordingDatabase(database.pool);
  const result = await planDueReminders(db, now);
  const statements = recorded.map((query) => query.sql);
  return { result, statements };
}

async function digestSubscribers(count: number, localTime: string): Promise<void> {
  const workspace = await createWorkspace(database.db);
  for (let i = 0; i < count; i++) {
    const subscriber = await createSubscriber(
      database.db,
      workspace,
      { timeZone: 'UTC', localTime },
      SUNDAY,
    );
    await setWeeklyDigest(database.db, subscriber.who, true, SUNDAY);
  }
}

describe('when 3 managers take the digest at 09:00 UTC and 30 at 10:00 UTC', () => {
  it('then the Monday ticks plan 3 and 30 digests with the same statements', async () => {
    await digestSubscribers(3, '09:00');
    await digestSubscribers(30, '10:00');
    // The first look stores each digest's time; nothing is due on Sunday.
    const first = await planRecorded(SUNDAY);
    expect(first.result.digests).toBe(0);

    const few = await planRecorded(new Date('2026-11-23T08:57:00Z'));
    const many = await planRecorded(new Date('2026-11-23T09:57:00Z'));
    expect(few.result).toEqual({ planned: 0, lapsed: 0, digests: 3 });
    expect(many.result).toEqual({ planned: 0, lapsed: 0, digests: 30 });
    // Begin, the managers with items due, the digests due (locked), those planned already, one
    // insert, one update, commit.
    expect(many.statements).toHaveLength(few.statements.length);
    expect(many.statements.filter((text) => /insert into/i.test(text))).toHaveLength(1);
    expect(many.statements.filter((text) => /^\s*update /i.test(text))).toHaveLength(1);
    expect(many.statements.length).toBeLessThanOrEqual(7);

    const { rows } = await sql<{ due_at: Date; n: number }>`
      SELECT due_at, count(*)::int AS n FROM reminders
      WHERE kind = 'digest' AND local_date = '2026-11-23' GROUP BY due_at ORDER BY due_at`.execute(
      database.db,
    );
    expect(rows).toEqual([
      { due_at: new Date('2026-11-23T09:00:00Z'), n: 3 },
      { due_at: new Date('2026-11-23T10:00:00Z'), n: 30 },
    ]);
    // Planned once: a tick in the same window finds the next times moved on to next week.
    const again = await planRecorded(new Date('2026-11-23T09:58:00Z'));
    expect(again.result.digests).toBe(0);
    expect(again.statements.filter((text) => /insert into/i.test(text))).toHaveLength(0);
  });
});
