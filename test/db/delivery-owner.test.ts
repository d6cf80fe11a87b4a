/**
 * A delivery belongs to its subscription's manager and workspace (migration 0036): one key on
 * the three columns, in place of three separate keys the planner paid for on every row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createSubscriber, createWorkspace, type TestSubscriber } from '../support/factories.ts';

const NOW = new Date('2026-03-09T08:00:00.000Z');
let database: TestDatabase;
let ada: TestSubscriber;
let bo: TestSubscriber;
let otherWorkspace: TestSubscriber;

beforeAll(async () => {
  database = await createTestDatabase();
  const workspace = await createWorkspace(database.db);
  ada = await createSubscriber(database.db, workspace, {}, NOW);
  bo = await createSubscriber(database.db, workspace, {}, NOW);
  otherWorkspace = await createSubscriber(database.db, await createWorkspace(database.db), {}, NOW);
});

afterAll(async () => {
  await database?.drop();
});

function delivery(subscriber: TestSubscriber, owner: TestSubscriber, localDate: string) {
  return database.db
    .insertInto('deliveries')
    .values({
      workspace_id: owner.subscription.workspaceId,
      subscription_id: subscriber.subscription.id,
      manager_id: owner.id,
      local_date: localDate,
      due_at: new Date(`${localDate}T08:00:00.000Z`),
      status: 'pending',
    })
    .execute();
}

describe("a delivery's owner", () => {
  it("is refused when its manager is not its subscription's", async () => {
    await expect(delivery(ada, bo, '2026-03-10')).rejects.toMatchObject({
      code: '23503',
      constraint: 'deliveries_subscription_owner_fkey',
    });
  });

  it("is refused when its workspace is not its subscription's", async () => {
    const wrongWorkspace = {
      ...ada,
      subscription: { ...ada.subscription, workspaceId: otherWorkspace.subscription.workspaceId },
    };
    await expect(delivery(ada, wrongWorkspace, '2026-03-10')).rejects.toMatchObject({
      code: '23503',
      constraint: 'deliveries_subscription_owner_fkey',
    });
  });

  it('is accepted as its subscription says, and goes when its manager goes', async () => {
    await delivery(bo, bo, '2026-03-10');
    const count = () =>
      database.db
        .selectFrom('deliveries')
        .where('manager_id', '=', bo.id)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
    expect(Number((await count()).n)).toBe(1);
    await database.db.deleteFrom('managers').where('id', '=', bo.id).execute();
    expect(Number((await count()).n)).toBe(0);
  });
});
