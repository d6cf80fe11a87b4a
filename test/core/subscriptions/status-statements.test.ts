/**
 * What a pause or resume costs PostgreSQL (issue 19, item 4). A click that changes nothing (a
 * second Resume, a stale Home tab) is answered from one read with no transaction; a change
 * reads the subscription again under its lock, inside the transaction that writes it and its
 * audit event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause, resume } from '../../../src/core/subscriptions/service.ts';
import {
  createTestDatabase,
  firstWords,
  recordingDatabase,
  type TestDatabase,
} from '../../support/database.ts';
import { createSubscriber, createWorkspace } from '../../support/factories.ts';

const NOW = new Date('2026-03-10T09:00:00.000Z');

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** One call, with the first word of each statement it sent (and whether it locked). */
async function recorded<T>(call: (db: ReturnType<typeof recordingDatabase>['db']) => Promise<T>) {
  const { db, recorded: queries } = recordingDatabase(database.pool);
  const result = await call(db);
  const statements = firstWords(queries).map((word, i) =>
    /for update/i.test(queries[i]?.sql ?? '') ? `${word} for update` : word,
  );
  return { result, statements };
}

/** Pauses and resumes audited for this subscription. */
async function auditCount(subjectId: string): Promise<number> {
  const rows = await database.db
    .selectFrom('audit_events')
    .where('subject_type', '=', 'subscription')
    .where('subject_id', '=', subjectId)
    .where('action', 'in', ['subscription.paused', 'subscription.resumed'])
    .select('id')
    .execute();
  return rows.length;
}

describe('changing a subscription’s status', () => {
  it('answers a Resume of an active subscription from one read, with no transaction', async () => {
    const workspace = await createWorkspace(database.db);
    const subscriber = await createSubscriber(database.db, workspace, {}, NOW);
    const { result, statements } = await recorded((db) => resume(db, subscriber.who, NOW));
    expect(result.status).toBe('active');
    expect(statements).toEqual(['select']);
    expect(await auditCount(result.id)).toBe(0);
  });

  it('locks and reads again before a change, and writes it with its audit event', async () => {
    const workspace = await createWorkspace(database.db);
    const subscriber = await createSubscriber(database.db, workspace, {}, NOW);
    const paused = await recorded((db) => pause(db, subscriber.who, 'holiday', NOW));
    expect(paused.result.status).toBe('paused');
    expect(paused.statements.slice(0, 3)).toEqual(['select', 'begin', 'select for update']);
    expect(paused.statements.at(-1)).toBe('commit');
    expect(paused.statements).toContain('update');
    expect(paused.statements).toContain('insert');

    const resumed = await recorded((db) => resume(db, subscriber.who, NOW));
    expect(resumed.result.status).toBe('active');
    expect(resumed.result.nextDueAt).not.toBeNull();
    expect(await auditCount(resumed.result.id)).toBe(2);

    // A second Resume finds nothing to do, and records nothing.
    const again = await recorded((db) => resume(db, subscriber.who, NOW));
    expect(again.statements).toEqual(['select']);
    expect(await auditCount(resumed.result.id)).toBe(2);
  });

  it('does not change again what another request changed while it waited for the lock', async () => {
    const workspace = await createWorkspace(database.db);
    const subscriber = await createSubscriber(database.db, workspace, {}, NOW);
    // Another request holds the lock while this pause reads "active" outside it; by the time
    // the pause has the lock, the other has paused the subscription and committed.
    const holder = await database.pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select id from subscriptions where id = $1 for update', [
        subscriber.subscription.id,
      ]);
      const racing = pause(database.db, subscriber.who, 'holiday', NOW);
      await waitUntilBlockedOnLock();
      await holder.query(
        "update subscriptions set status = 'paused', status_reason = 'other', next_due_at = null where id = $1",
        [subscriber.subscription.id],
      );
      await holder.query('commit');
      const paused = await racing;
      expect(paused.status).toBe('paused');
      expect(paused.statusReason).toBe('other');
      expect(await auditCount(paused.id)).toBe(0);
    } finally {
      holder.release();
    }
  });
});

/** Until some session waits on a row lock; a deadline, not a sleep. */
async function waitUntilBlockedOnLock(): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows } = await database.pool.query(
      "select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('no session waited on the lock within 5 s');
}
