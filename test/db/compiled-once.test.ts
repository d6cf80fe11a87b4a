/**
 * Queries compiled once (src/db/compiled-once.ts) send PostgreSQL exactly what Kysely would
 * have compiled from the same arguments, for any arguments, and give the same rows. A builder
 * whose argument changes the text (an `in` list, a literal) is caught.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsBySlack, itemsBySlackAndStatus } from '../../src/core/action-items/repository.ts';
import { createActionItem } from '../../src/core/action-items/service.ts';
import { homeListsQuery, managerWithSubscriptionQuery } from '../../src/core/home/repository.ts';
import { managerBySlackIds } from '../../src/core/managers/repository.ts';
import {
  subscriptionBySlack,
  subscriptionBySlackForUpdate,
} from '../../src/core/subscriptions/repository.ts';
import { compiledOnce } from '../../src/db/compiled-once.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createSubscriber, createWorkspace } from '../support/factories.ts';

const NOW = new Date('2026-03-10T09:00:00.000Z');

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const slackId = fc.stringMatching(/^[A-Z0-9]{1,12}$/);
const status = fc.constantFrom('open' as const, 'done' as const, 'partly' as const);

/** The text and parameters that would reach PostgreSQL. */
const sent = (query: { sql: string; parameters: ReadonlyArray<unknown> }) => ({
  sql: query.sql,
  parameters: [...query.parameters],
});

describe('queries compiled once', () => {
  it('send what Kysely compiles from the same arguments', () => {
    const db = database.db;
    fc.assert(
      fc.property(slackId, slackId, status, (team, user, itemStatus) => {
        for (const query of [
          managerBySlackIds,
          managerWithSubscriptionQuery,
          subscriptionBySlack,
          subscriptionBySlackForUpdate,
          itemsBySlack,
        ]) {
          expect(sent(query.compile(db, team, user))).toEqual(
            sent(query.compileAfresh(db, team, user)),
          );
        }
        expect(sent(itemsBySlackAndStatus.compile(db, team, user, itemStatus))).toEqual(
          sent(itemsBySlackAndStatus.compileAfresh(db, team, user, itemStatus)),
        );
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }).map(String),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata'),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (managerId, timeZone, day) => {
          const since = day.toISOString().slice(0, 10);
          expect(sent(homeListsQuery.compile(db, managerId, timeZone, since))).toEqual(
            sent(homeListsQuery.compileAfresh(db, managerId, timeZone, since)),
          );
        },
      ),
    );
  });

  it('read the same rows as the query built afresh', async () => {
    const workspace = await createWorkspace(database.db);
    const subscriber = await createSubscriber(database.db, workspace, {}, NOW);
    for (const text of ['First', 'Second']) {
      await createActionItem(database.db, subscriber.who, { text, source: 'api' }, NOW);
    }
    const { slackTeamId, slackUserId } = subscriber.who;
    const once = await itemsBySlackAndStatus(database.db, slackTeamId, slackUserId, 'open');
    const afresh = await database.db.executeQuery(
      itemsBySlackAndStatus.compileAfresh(database.db, slackTeamId, slackUserId, 'open'),
    );
    expect(once.map((item) => item.text)).toEqual(['Second', 'First']);
    expect(once).toEqual(afresh.rows);
    // Other arguments, the same compiled text: nobody else's items.
    expect(await itemsBySlack(database.db, slackTeamId, 'U0SOMEONEELSE')).toEqual([]);
  });

  it('refuses an argument that does not become a parameter', async () => {
    const literal = compiledOnce((db, name: string) => db.selectNoFrom(sql.lit(name).as('name')));
    await expect(literal(database.db, 'x')).rejects.toThrow(/not one of its parameters/);
    // An argument the builder never uses.
    const unused = compiledOnce((db, _name: string) => db.selectFrom('managers').select('id'));
    await expect(unused(database.db, 'x')).rejects.toThrow(/argument 0 .* not one of its/);
  });

  it('is told apart from Kysely when an argument changes the text', () => {
    // An `in` list is expanded to one parameter per element: a placeholder stands for one.
    const list = compiledOnce((db, ids: string[]) =>
      db.selectFrom('managers').where('id', 'in', ids).select('id'),
    );
    expect(sent(list.compile(database.db, ['1', '2']))).not.toEqual(
      sent(list.compileAfresh(database.db, ['1', '2'])),
    );
  });
});
