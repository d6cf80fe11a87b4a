/**
 * "Not relevant" feedback over real HTTP, as the bot sends it when a manager clicks the button
 * under a note: the service token plus the Slack team and user it acts for. A delivery named in
 * the feedback must be the caller's own, as for action items. And what each weekday leans to,
 * which the sign-up modal shows.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/bot/api-client/index.ts';
import { DEFAULT_WEEKDAY_THEMES } from '../../src/core/topics/catalogue.ts';
import { setWeekdayTheme } from '../../src/core/topics/service.ts';
import { setUpTestApp } from '../support/app.ts';
import { botCaller, type SlackCaller as Who } from '../support/service-calls.ts';

const TEAM = 'T0FEEDBACK';
const OTHER_TEAM = 'T0FEEDOTHER';
const NOW = new Date('2026-03-10T09:00:00.000Z');

const testApp = setUpTestApp({ clock: () => NOW });

// As the bot's client does: the service token, the caller's ids, every call signed.
const call = botCaller(
  () => testApp.url,
  () => NOW,
);

let managersMade = 0;
/** A manager no other test uses, registered as the bot registers one. */
async function newManager(team = TEAM): Promise<Who> {
  managersMade += 1;
  const who = { team, user: `U0FB${managersMade}` };
  const answer = await call('PUT', '/me', who, { timeZone: 'Europe/Berlin', locale: 'en-GB' });
  expect(answer.status).toBe(200);
  return who;
}

function markNotRelevant(who: Who, topicId: string, deliveryId?: string) {
  return call('POST', '/me/topic-feedback', who, {
    topicId,
    kind: 'not_relevant',
    ...(deliveryId && { deliveryId }),
  });
}

async function managerOf(who: Who) {
  return testApp.database.db
    .selectFrom('managers as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .where('w.slack_team_id', '=', who.team)
    .where('m.slack_user_id', '=', who.user)
    .select(['m.id', 'm.workspace_id as workspaceId'])
    .executeTakeFirstOrThrow();
}

/** A topic of the manager's workspace (the shipped catalogue is seeded with it). */
async function topicOf(who: Who, offset = 0): Promise<string> {
  const { workspaceId } = await managerOf(who);
  const topic = await testApp.database.db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .offset(offset)
    .limit(1)
    .select('id')
    .executeTakeFirstOrThrow();
  return topic.id;
}

/** A note the bot has sent the manager about `topicId`, as the confirm step leaves it. */
async function sentDelivery(who: Who, topicId: string): Promise<string> {
  const manager = await managerOf(who);
  const subscribed = await call('PUT', '/subscriptions/me', who, {
    weekdays: [1, 2, 3, 4, 5],
    localTime: '17:00',
    timeZone: 'Europe/Berlin',
  });
  expect(subscribed.status).toBe(200);
  const subscription = await testApp.database.db
    .selectFrom('subscriptions')
    .where('manager_id', '=', manager.id)
    .select('id')
    .executeTakeFirstOrThrow();
  const row = await testApp.database.db
    .insertInto('deliveries')
    .values({
      workspace_id: manager.workspaceId,
      subscription_id: subscription.id,
      manager_id: manager.id,
      local_date: '2026-03-09',
      topic_id: topicId,
      due_at: new Date('2026-03-09T08:00:00.000Z'),
      status: 'sent',
      lease_expires_at: null,
      slack_channel_id: `D0${who.user}`,
      slack_ts: '1773043200.000100',
      sent_at: new Date('2026-03-09T08:00:01.000Z'),
      error_code: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The manager's stored feedback, and the audit events it left. */
async function storedFor(who: Who) {
  const manager = await managerOf(who);
  const feedback = await testApp.database.db
    .selectFrom('topic_feedback')
    .where('manager_id', '=', manager.id)
    .select(['topic_id as topicId', 'delivery_id as deliveryId', 'kind'])
    .execute();
  const audit = await testApp.database.db
    .selectFrom('audit_events')
    .where('workspace_id', '=', manager.workspaceId)
    .where('actor', '=', `slack:${who.user}`)
    .where('action', '=', 'topic.marked_not_relevant')
    .select('subject_id as subjectId')
    .execute();
  return { feedback, audit };
}

describe('marking a topic not relevant', () => {
  it('when a manager marks the topic of their own note, then it is stored with that note (204)', async () => {
    const alice = await newManager();
    const topicId = await topicOf(alice);
    const deliveryId = await sentDelivery(alice, topicId);
    const answer = await markNotRelevant(alice, topicId, deliveryId);
    expect(answer.status).toBe(204);
    expect(await storedFor(alice)).toEqual({
      feedback: [{ topicId, deliveryId, kind: 'not_relevant' }],
      audit: [{ subjectId: topicId }],
    });
  });

  it('when a manager marks a topic without naming a note, then it is stored without one (204)', async () => {
    const alice = await newManager();
    const topicId = await topicOf(alice, 1);
    expect((await markNotRelevant(alice, topicId)).status).toBe(204);
    expect((await storedFor(alice)).feedback).toEqual([
      { topicId, deliveryId: null, kind: 'not_relevant' },
    ]);
  });

  it.each([
    ['another manager of the same workspace', TEAM],
    ['a manager of another workspace', OTHER_TEAM],
  ])(
    "when the deliveryId is %s's note, then 404 delivery_not_found and nothing is stored",
    async (_whose, team) => {
      const alice = await newManager();
      const bob = await newManager(team);
      const bobsNote = await sentDelivery(bob, await topicOf(bob));
      const topicId = await topicOf(alice);
      const answer = await markNotRelevant(alice, topicId, bobsNote);
      expect(answer.status).toBe(404);
      expect((answer.body as ApiError).code).toBe('delivery_not_found');
      expect(await storedFor(alice)).toEqual({ feedback: [], audit: [] });
      expect((await storedFor(bob)).feedback).toEqual([]);
    },
  );

  it('when the deliveryId names no delivery at all, then 404 delivery_not_found (not 500) and nothing is stored', async () => {
    const alice = await newManager();
    const topicId = await topicOf(alice);
    for (const unknown of ['999999999', '999999999999999999']) {
      const answer = await markNotRelevant(alice, topicId, unknown);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        code: 'delivery_not_found',
        message: expect.any(String),
        requestId: expect.any(String),
      });
    }
    expect(await storedFor(alice)).toEqual({ feedback: [], audit: [] });
  });
});

describe('what each weekday leans to (GET /weekday-themes, for the sign-up modal)', () => {
  it('when the bot asks for a manager, then it gets their workspace’s themes, Monday first, as an admin last set them', async () => {
    const alice = await newManager();
    await setWeekdayTheme(testApp.database.db, alice.team, 3, 'recognition-and-feedback', NOW);
    const answer = await call('GET', '/weekday-themes', alice);
    expect(answer.status).toBe(200);
    const themes = answer.body as Array<{ isoWeekday: number; category: string }>;
    expect(themes.map((theme) => theme.isoWeekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(themes[0]).toEqual({ isoWeekday: 1, category: DEFAULT_WEEKDAY_THEMES[1] });
    expect(themes[2]).toEqual({ isoWeekday: 3, category: 'recognition-and-feedback' });
  });

  it('when the workspace is not known yet (its first sign-up), then the default themes it will be created with; reading them is not audited', async () => {
    const team = { team: 'T0NOTYETHERE', user: 'U0FIRST' };
    const answer = await call('GET', '/weekday-themes', team);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(
      Object.entries(DEFAULT_WEEKDAY_THEMES).map(([day, category]) => ({
        isoWeekday: Number(day),
        category,
      })),
    );
    expect(answer.body).toHaveLength(7);
    const audited = await testApp.database.db
      .selectFrom('audit_events')
      .where('action', '=', 'weekday_themes.listed')
      .select('id')
      .execute();
    expect(audited).toEqual([]);
  });
});

describe('the topics a manager hid, and restoring one', () => {
  it('when a manager hid two topics, then GET /me/hidden-topics lists them, theirs only, with titles', async () => {
    const alice = await newManager();
    const bob = await newManager();
    const [first, second] = [await topicOf(alice, 2), await topicOf(alice, 3)];
    expect((await markNotRelevant(alice, first)).status).toBe(204);
    expect((await markNotRelevant(alice, second)).status).toBe(204);
    expect((await markNotRelevant(bob, await topicOf(bob, 4))).status).toBe(204);
    const listed = await call('GET', '/me/hidden-topics', alice);
    expect(listed.status).toBe(200);
    const { topics } = listed.body as { topics: Array<{ topicId: string; title: string }> };
    expect(topics.map((topic) => topic.topicId).sort()).toEqual([first, second].sort());
    expect(topics.every((topic) => topic.title.length > 0)).toBe(true);
  });

  it('when a manager restores a hidden topic, then it is no longer hidden, once audited; again changes nothing (204)', async () => {
    const alice = await newManager();
    const topicId = await topicOf(alice, 5);
    await markNotRelevant(alice, topicId);
    expect((await call('DELETE', `/me/hidden-topics/${topicId}`, alice)).status).toBe(204);
    expect((await storedFor(alice)).feedback).toEqual([]);
    expect((await call('DELETE', `/me/hidden-topics/${topicId}`, alice)).status).toBe(204);
    const manager = await managerOf(alice);
    const restored = await testApp.database.db
      .selectFrom('audit_events')
      .where('workspace_id', '=', manager.workspaceId)
      .where('actor', '=', `slack:${alice.user}`)
      .where('action', '=', 'topic.restored')
      .select('subject_id as subjectId')
      .execute();
    expect(restored).toEqual([{ subjectId: topicId }]);
    expect((await call('GET', '/me/hidden-topics', alice)).body).toEqual({ topics: [] });
  });

  it("when the topic is another workspace's, then 404 topic_not_found", async () => {
    const alice = await newManager();
    const carol = await newManager(OTHER_TEAM);
    const theirs = await topicOf(carol);
    await markNotRelevant(carol, theirs);
    const answer = await call('DELETE', `/me/hidden-topics/${theirs}`, alice);
    expect(answer.status).toBe(404);
    expect((answer.body as ApiError).code).toBe('topic_not_found');
    expect((await storedFor(carol)).feedback).toHaveLength(1);
  });
});
