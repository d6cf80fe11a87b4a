/**
 * The App Home's one read (src/core/home) costs the same few statements however much the
 * manager has: the manager with their subscription, then every list in one statement, with no
 * transaction around them. Only titles in another language than English add a read per list with
 * topics in it. A Home refresh is the follow-up of nearly every click (issue 19, item 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionItem } from '../../../src/core/action-items/service.ts';
import { homeOf } from '../../../src/core/home/service.ts';
import { chooseLanguage } from '../../../src/core/languages/service.ts';
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

/** The Home read once, with the statements it sent. */
async function homeRecorded(who: { slackTeamId: string; slackUserId: string }) {
  const { db, recorded } = recordingDatabase(database.pool);
  const home = await homeOf(db, who, NOW);
  return { home, statements: firstWords(recorded) };
}

async function managerWithItems(items: number) {
  const workspace = await createWorkspace(database.db);
  const subscriber = await createSubscriber(database.db, workspace, {}, NOW);
  const topic = await database.db
    .selectFrom('topics')
    .where('workspace_id', '=', workspace.id)
    .select('id')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  for (let i = 0; i < items; i++) {
    await createActionItem(
      database.db,
      subscriber.who,
      { text: `Action ${i}`, source: 'api', topicId: topic.id },
      NOW,
    );
  }
  return subscriber;
}

describe('the Home read', () => {
  it('sends two statements, outside any transaction, for one item or for thirty', async () => {
    const few = await managerWithItems(1);
    const many = await managerWithItems(30);
    const one = await homeRecorded(few.who);
    const thirty = await homeRecorded(many.who);
    expect(one.home.openItems).toHaveLength(1);
    expect(thirty.home.openItems).toHaveLength(30);
    expect(thirty.home.progress?.open).toHaveLength(20);
    expect(one.statements).toEqual(['select', 'select']);
    expect(thirty.statements).toEqual(one.statements);
  });

  it('reads translated titles only for a manager who reads another language', async () => {
    const subscriber = await managerWithItems(2);
    await chooseLanguage(database.db, subscriber.who, 'de', NOW);
    const { home, statements } = await homeRecorded(subscriber.who);
    expect(home.manager?.language).toEqual({ language: 'de', chosen: 'de' });
    expect(home.openItems).toHaveLength(2);
    // The items' topic titles in German: one read for the open items of progress (nothing
    // completed or hidden here, so nothing else to translate).
    expect(statements).toEqual(['select', 'select', 'select']);
  });

  it('sends one statement for someone Blindspot has not met', async () => {
    const stranger = await homeRecorded({ slackTeamId: 'T0NOBODY', slackUserId: 'U0NOBODY' });
    expect(stranger.home).toMatchObject({ manager: null, subscription: null, openItems: [] });
    expect(stranger.statements).toEqual(['select']);
  });
});
