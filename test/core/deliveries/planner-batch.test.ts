import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../../src/core/deliveries/service.ts';
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

/** The planner run once at `now`, with every statement it sent. */
async function planRecorded(now: Date) {
  const { db, recorded } = recordingDatabase(database.pool);
  const result = await planDueDeliveries(db, now);
  const statements = recorded.map((query) => query.sql);
  return { result, statements };
}

describe('when 3 managers are due at 09:00 and 30 at 10:00, across two workspaces', () => {
  it('then each tick plans all its managers with the same statements', async () => {
    const created = new Date('2026-06-01T05:00:00Z');
    const first = await createWorkspace(database.db);
    const second = await createWorkspace(database.db);
    const workspaceOf = (i: number) => (i % 2 === 0 ? first : second);
    for (let i = 0; i < 3; i++) {
      await createSubscriber(database.db, workspaceOf(i), { timeZone: 'UTC' }, created);
    }
    for (let i = 0; i < 30; i++) {
      await createSubscriber(
        database.db,
        workspaceOf(i),
        { timeZone: 'UTC', localTime: '10:00' },
        created,
      );
    }
    const few = await planRecorded(new Date('2026-06-01T08:58:00Z'));
    const many = await planRecorded(new Date('2026-06-01T09:58:00Z'));
    expect(few.result).toEqual({ planned: 3, missed: 0, failed: 0, skipped: 0, returned: 0 });
    expect(many.result).toEqual({ planned: 30, missed: 0, failed: 0, skipped: 0, returned: 0 });
    // One batch (the managers back from an away, lock, four loads for topic choice, insert,
    // advance) and the empty pass that ends the run, each in its transaction. The away's return
    // is one indexed read per pass, whoever is due: being away costs no rows.
    expect(many.statements).toHaveLength(few.statements.length);
    expect(many.statements.filter((text) => /insert into/i.test(text))).toHaveLength(1);
    expect(many.statements.filter((text) => /^\s*update /i.test(text))).toHaveLength(1);
    expect(many.statements.length).toBeLessThanOrEqual(14);
  });
});
