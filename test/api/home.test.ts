/**
 * GET /api/v1/me/home over real HTTP: the App Home's one read answers each part exactly as the
 * endpoint of its own does (so the bot's Home tab shows what it showed when it made five
 * calls), and someone Blindspot has not met, or who has not signed up, gets nulls and empty
 * lists rather than a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { botCaller, type SlackCaller as Who } from '../support/service-calls.ts';

const TEAM = 'T0HOMEREAD';
const NOW = new Date('2026-03-10T09:00:00.000Z');

let database: TestDatabase;
let app: TestApp;
const call = botCaller(
  () => app.url,
  () => NOW,
);

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ databaseUrl: database.url, clock: () => NOW });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function ok(method: string, path: string, who: Who, body?: unknown) {
  const answer = await call(method, path, who, body);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
}

const NOTHING = { openItems: [], progress: null, skippedNotes: [], hiddenTopics: [] };

/** A manager who signed up, planned two actions (one done), hid a topic and missed a note. */
async function busyManager(who: Who) {
  await ok('PUT', '/me', who, { timeZone: 'Europe/Berlin', locale: 'de-DE' });
  await ok('PUT', '/subscriptions/me', who, {
    weekdays: [1, 2, 3, 4, 5],
    localTime: '17:00',
    timeZone: 'Europe/Berlin',
  });
  const ids = await database.db
    .selectFrom('managers as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .innerJoin('subscriptions as s', 's.manager_id', 'm.id')
    .where('w.slack_team_id', '=', who.team)
    .where('m.slack_user_id', '=', who.user)
    .select(['m.id as managerId', 'm.workspace_id as workspaceId', 's.id as subscriptionId'])
    .executeTakeFirstOrThrow();
  const topics = await database.db
    .selectFrom('topics')
    .where('workspace_id', '=', ids.workspaceId)
    .orderBy('id')
    .limit(2)
    .select('id')
    .execute();
  const [kept, hidden] = topics.map((t) => t.id);
  await database.db
    .insertInto('deliveries')
    .values({
      workspace_id: ids.workspaceId,
      subscription_id: ids.subscriptionId,
      manager_id: ids.managerId,
      local_date: '2026-03-09',
      topic_id: null,
      due_at: new Date('2026-03-09T16:00:00.000Z'),
      status: 'skipped_away',
      lease_expires_at: null,
      slack_channel_id: null,
      slack_ts: null,
      sent_at: null,
      error_code: null,
    })
    .execute();
  await ok('POST', '/me/topic-feedback', who, { topicId: hidden, kind: 'not_relevant' });
  const open = await ok('POST', '/action-items', who, {
    text: 'Ask Sam what they would change',
    source: 'api',
    topicId: kept,
  });
  const done = await ok('POST', '/action-items', who, { text: 'Thank the team', source: 'api' });
  await ok('PATCH', `/action-items/${done.id}`, who, { status: 'done' });
  return { open, done };
}

describe('GET /api/v1/me/home', () => {
  it('answers each part as its own endpoint does', async () => {
    const who = { team: TEAM, user: 'U0HOMEBUSY' };
    const { open, done } = await busyManager(who);
    const home = await ok('GET', '/me/home', who);

    expect(home).toEqual({
      manager: await ok('GET', '/me', who),
      subscription: await ok('GET', '/subscriptions/me', who),
      openItems: (await ok('GET', '/action-items?status=open', who)).items,
      progress: await ok('GET', '/me/progress', who),
      skippedNotes: (await ok('GET', '/me/skipped-notes', who)).notes,
      hiddenTopics: (await ok('GET', '/me/hidden-topics', who)).topics,
    });
    // And those are the manager's own, not empty lists agreeing with empty lists.
    expect(home.openItems.map((item: { id: string }) => item.id)).toEqual([open.id]);
    expect(home.progress).toMatchObject({ planned: 2, done: 1 });
    expect(home.progress.recentlyCompleted.map((item: { id: string }) => item.id)).toEqual([
      done.id,
    ]);
    expect(home.skippedNotes).toEqual([{ localDate: '2026-03-09', reason: 'away', holiday: null }]);
    expect(home.hiddenTopics).toHaveLength(1);
    expect(home.subscription).toMatchObject({ status: 'active', localTime: '17:00' });
    expect(home.manager).toMatchObject({ slackUserId: 'U0HOMEBUSY', language: 'de' });
  });

  it('keeps each manager to their own Home', async () => {
    const busy = { team: TEAM, user: 'U0HOMEOWN' };
    await busyManager(busy);
    const quiet = { team: TEAM, user: 'U0HOMEQUIET' };
    await ok('PUT', '/me', quiet, { timeZone: 'UTC', locale: 'en-US' });
    await ok('PUT', '/subscriptions/me', quiet, {
      weekdays: [1],
      localTime: '09:00',
      timeZone: 'UTC',
    });
    const home = await ok('GET', '/me/home', quiet);
    expect(home).toMatchObject({ openItems: [], skippedNotes: [], hiddenTopics: [] });
    expect(home.progress).toMatchObject({ planned: 0, done: 0, open: [], recentlyCompleted: [] });
  });

  it('answers someone not met yet with nulls, not a 404', async () => {
    const stranger = { team: TEAM, user: 'U0HOMENEW' };
    expect(await call('GET', '/me/home', stranger)).toEqual({
      status: 200,
      body: { manager: null, subscription: null, ...NOTHING },
    });
  });

  it('answers someone met but not signed up with their record and nothing else', async () => {
    const who = { team: TEAM, user: 'U0HOMEMET' };
    const me = await ok('PUT', '/me', who, { timeZone: 'Europe/Paris', locale: 'fr-FR' });
    expect(await ok('GET', '/me/home', who)).toEqual({
      manager: { ...me, language: 'fr' },
      subscription: null,
      ...NOTHING,
    });
  });

  it('refuses a caller without the service token', async () => {
    const response = await globalThis.fetch(`${app.url}/api/v1/me/home`, {
      headers: { 'x-slack-team-id': TEAM, 'x-slack-user-id': 'U0HOMENEW' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: expect.any(String) });
  });
});
