/**
 * "Undo" of a deleted action (issue 17, item 3), below the bot: a deleted item, with its answer,
 * reflection and reminder row, comes back row for row within the minute; the worker's
 * purge_deleted_actions task deletes the copies whose minute has passed, and only those. Real
 * PostgreSQL, the real graphile-worker, an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteActionItem, restoreActionItem } from '../../src/core/action-items/service.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { startWorker } from '../../src/worker/runner.ts';
import { cronItems } from '../../src/worker/tasks/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createWorkspace } from '../support/factories.ts';
import { liveManagers, type ManagerLife } from '../support/manager-lives.ts';

const DELETED_AT = new Date('2026-11-26T09:00:00.000Z');
const seconds = (n: number) => new Date(DELETED_AT.getTime() + n * 1000);

let database: TestDatabase;
let lives: ManagerLife[];

/** Every row that belongs to one item, as stored. */
async function rowsOf(itemId: string) {
  const { db } = database;
  return {
    item: await db.selectFrom('action_items').where('id', '=', itemId).selectAll().execute(),
    responses: await db
      .selectFrom('responses')
      .where('action_item_id', '=', itemId)
      .selectAll()
      .execute(),
    reminderItems: await db
      .selectFrom('reminder_items')
      .where('action_item_id', '=', itemId)
      .selectAll()
      .execute(),
  };
}

const keptCopies = async () =>
  (
    await database.db
      .selectFrom('deleted_action_items')
      .select('action_item_id')
      .orderBy('action_item_id')
      .execute()
  ).map((row) => row.action_item_id);

beforeAll(async () => {
  database = await createTestDatabase();
  lives = await liveManagers(database.db, await createWorkspace(database.db), 2);
}, 60_000);

afterAll(async () => {
  await database?.drop();
});

describe('deleting and restoring an item', () => {
  it('when an answered, reflected, reminded item is restored within the minute, then every row is back as it was', async () => {
    const life = lives[0] as ManagerLife;
    const itemId = String(life.items[0]?.id);
    const before = await rowsOf(itemId);
    expect(before.responses).toHaveLength(1);
    expect(before.reminderItems).toHaveLength(1);
    expect(before.responses[0]?.reflection).toBe(life.reflection);

    await deleteActionItem(database.db, life.who, itemId, DELETED_AT);
    expect(await rowsOf(itemId)).toEqual({ item: [], responses: [], reminderItems: [] });
    expect(await keptCopies()).toEqual([itemId]);

    const restored = await restoreActionItem(database.db, life.who, itemId, seconds(60));
    expect(restored.id).toBe(itemId);
    expect(await rowsOf(itemId)).toEqual(before);
    expect(await keptCopies()).toEqual([]);
  });
});

describe('purge_deleted_actions', () => {
  it('is declared as a cron job of every minute', () => {
    expect(cronItems.find((item) => item.task === 'purge_deleted_actions')).toMatchObject({
      match: expect.any(Function),
      options: { backfillPeriod: 0 },
    });
  });

  it('when the worker runs it, then it deletes the copies past their minute, and only those', async () => {
    const [first, second] = lives as [ManagerLife, ManagerLife];
    const early = String(first.items[1]?.id);
    const recent = String(second.items[1]?.id);
    await deleteActionItem(database.db, first.who, early, DELETED_AT);
    await deleteActionItem(database.db, second.who, recent, seconds(30));
    const runner = await startWorker({
      pool: database.pool,
      db: database.db,
      metrics: createMetrics(),
      logger: createLogger({ level: 'silent', service: 'test' }),
      now: () => seconds(61),
      concurrency: 1,
    });
    try {
      await runner.addJob('purge_deleted_actions', {});
      await expect.poll(keptCopies, { timeout: 20_000 }).toEqual([recent]);
    } finally {
      await runner.stop();
    }
    await expect(
      restoreActionItem(database.db, first.who, early, seconds(61)),
    ).rejects.toMatchObject({ code: 'undo_expired', statusCode: 409 });
    expect((await restoreActionItem(database.db, second.who, recent, seconds(61))).id).toBe(recent);
  });
});
