/**
 * The analytics team filter over real HTTP on real PostgreSQL: a team's numbers on data with
 * known answers, in every report and its CSV; suppression when a team has fewer than k (5)
 * managers in a week; a team of fewer than k managers refused; differencing (a team that is
 * another plus one manager reveals nothing); and choosing the teams, an admin's audited act.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAnalytics } from '../../src/core/analytics/refresh.ts';
import { deleteManager } from '../../src/core/data-rights/repository.ts';
import {
  type AdminApi,
  type AdminBrowser,
  startAdminApi,
  TestClock,
} from '../support/admin-harness.ts';
import { signedIn } from '../support/admin-sessions.ts';
import {
  type AnalyticsWorld,
  addItem,
  addManagers,
  addNote,
  addReminder,
  createWorld,
  setTeams,
  type WorldManager,
} from '../support/analytics-data.ts';
import { leftoversOf } from '../support/erasure-checks.ts';

const K = 5;
const W1 = '2026-03-02';
const W2 = '2026-03-09';
const W3 = '2026-03-16';
const SUPPRESSED = { value: null, suppressed: true };
const EMPTY = { value: null, suppressed: false };
const n = (value: number) => ({ value, suppressed: false });

let api: AdminApi;
let viewer: AdminBrowser;
let admin: AdminBrowser;
let world: AnalyticsWorld;
let managers: WorldManager[];
/** M1–M6: the "alpha" group; M7–M12: "beta". */
let alpha: WorldManager[];
let beta: WorldManager[];

/**
 * W1: M1–M6 get a1 (family A) on Monday, 10 s late; M1–M5 write an item from it (done, done,
 * lapsed, open, open) and answer Wednesday's reminder at 10:xx, rating it 5 to 1. M7–M12 get b1
 * (family B) on Monday, on time.
 * W2: M1 and M2 get a1; M7–M11 get b1: alpha has two managers that week, beta five.
 * W3: M1–M6 get a1, and nobody else anything.
 */
async function buildWorld(): Promise<void> {
  world = await createWorld(api.db);
  managers = await addManagers(world, 12);
  alpha = managers.slice(0, 6);
  beta = managers.slice(6);
  const outcomes = ['done', 'done', 'lapsed', 'open', 'open'] as const;
  for (const [index, manager] of alpha.entries()) {
    const a1 = {
      id: await addNote(world, manager, W1, world.a1, { lateSeconds: 10 }),
      topicId: world.a1,
    };
    const outcome = outcomes[index];
    if (!outcome) continue;
    const item = await addItem(world, manager, W1, a1, outcome);
    await addReminder(world, manager, '2026-03-04', item, {
      at: new Date(`2026-03-04T10:${15 + index}:00Z`),
      usefulness: 5 - index,
    });
  }
  for (const manager of beta) await addNote(world, manager, W1, world.b1);
  for (const manager of alpha.slice(0, 2)) await addNote(world, manager, W2, world.a1);
  for (const manager of beta.slice(0, 5)) await addNote(world, manager, W2, world.b1);
  for (const manager of alpha) await addNote(world, manager, W3, world.a1);
  await refreshAnalytics(api.db, api.clock.now());
}

beforeAll(async () => {
  api = await startAdminApi({
    clock: new TestClock(new Date('2026-03-20T12:00:00Z')),
    admin: { analyticsMinGroup: K },
  });
  await buildWorld();
  viewer = (await signedIn(api, 'viewer')).browser;
  admin = (await signedIn(api, 'admin')).browser;
});

afterAll(async () => {
  await api?.close();
});

type Row = Record<string, unknown>;
interface Body {
  weeks: Row[];
  families: Row[];
  topics: Row[];
  days: Row[];
  cells: Row[];
  [field: string]: unknown;
}

const get = async (path: string): Promise<Body> => {
  const answer = await viewer.get(`/analytics/${path}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as unknown as Body;
};

/** Chooses the teams as a sync would, then runs the refresh that counts their cells. */
const teams = async (groups: Record<string, readonly WorldManager[]>) => {
  const ids = await setTeams(world, groups, api.clock.now());
  await refreshAnalytics(api.db, api.clock.now());
  return ids;
};

const cell = (body: Body, day: number, hour: number) =>
  body.cells.find((c) => c.isoWeekday === day && c.hour === hour);

describe('a team with known answers', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    ids = await teams({ S0ALPHA: alpha, S0BETA: beta });
  });

  it('lists the teams a viewer can filter by', async () => {
    const answer = await viewer.get('/analytics/teams');
    expect(answer.status).toBe(200);
    expect(answer.body.teams).toEqual([
      expect.objectContaining({ id: ids.S0ALPHA, slackGroupId: 'S0ALPHA', name: 'Team S0ALPHA' }),
      expect.objectContaining({ id: ids.S0BETA, slackGroupId: 'S0BETA', name: 'Team S0BETA' }),
    ]);
  });

  it('when a team is asked for, then engagement counts its managers only', async () => {
    const everyone = await get(`engagement?from=${W1}&to=${W1}`);
    const team = await get(`engagement?from=${W1}&to=${W1}&team=${ids.S0ALPHA}`);
    const other = await get(`engagement?from=${W1}&to=${W1}&team=${ids.S0BETA}`);
    expect(everyone.weeks[0]).toMatchObject({
      managersSubscribed: n(12),
      notesDelivered: n(12),
      actionShare: n(0.4167),
    });
    expect(team).toMatchObject({ team: ids.S0ALPHA, minGroup: K });
    expect(team.weeks).toEqual([
      {
        week: W1,
        managersSubscribed: n(6),
        notesDelivered: n(6),
        actionShare: n(0.8333),
        completionRate: n(0.4),
        reminderAnswerRate: n(1),
        lapseRate: n(0.2),
        unsubscribes: n(0),
      },
    ]);
    expect(other.weeks[0]).toEqual({
      week: W1,
      managersSubscribed: n(6),
      notesDelivered: n(6),
      actionShare: n(0),
      completionRate: EMPTY,
      reminderAnswerRate: EMPTY,
      lapseRate: EMPTY,
      unsubscribes: n(0),
    });
  });

  it('when a team and a family are asked for, then topics, delivery health and activity count the team', async () => {
    const topics = await get(`topics?from=${W1}&to=${W1}&team=${ids.S0ALPHA}`);
    expect(topics.families).toEqual([
      {
        family: world.familyA,
        sent: n(6),
        actionRate: n(0.8333),
        completionRate: n(0.4),
        meanUsefulness: n(3),
        notRelevantRate: n(0),
      },
    ]);
    const byId = new Map(topics.topics.map((t) => [t.topicId, t]));
    expect(byId.get(world.a1)).toMatchObject({ sent: n(6), meanUsefulness: n(3) });
    // Topics the team had nothing of are not listed.
    expect(byId.has(world.b1)).toBe(false);

    const health = await get(`delivery-health?from=${W1}&to=${W1}&team=${ids.S0BETA}`);
    expect(health).toMatchObject({ team: ids.S0BETA, family: null });
    expect(health.days).toEqual([
      {
        day: W1,
        due: n(6),
        onTime: n(6),
        late: n(0),
        missed: n(0),
        failed: n(0),
        slackErrors: n(0),
        rateLimited: n(0),
        latenessP50Ms: n(0),
        latenessP99Ms: n(0),
      },
    ]);

    const answers = await get(
      `activity?from=${W1}&to=${W1}&family=${world.familyA}&team=${ids.S0ALPHA}`,
    );
    const shown = answers.cells.filter((c) => JSON.stringify(c.answers) !== JSON.stringify(n(0)));
    expect(shown).toEqual([{ isoWeekday: 3, hour: 10, answers: n(5) }]);
    const none = await get(`activity?from=${W1}&to=${W1}&team=${ids.S0BETA}`);
    expect(cell(none, 3, 10)).toMatchObject({ answers: n(0) });
  });

  it('as CSV holds the team’s rows', async () => {
    const path = `/api/v1/admin/analytics/engagement?from=${W1}&to=${W1}&team=${ids.S0ALPHA}`;
    const answer = await fetch(`${api.url}${path}&format=csv`, {
      headers: { cookie: [...viewer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(answer.status).toBe(200);
    expect((await answer.text()).split('\r\n')[1]).toBe(`${W1},6,6,0.8333,0.4,1,0.2,0`);
  });

  it('refuses a team that is not one, with our error shape', async () => {
    for (const [team, code] of [
      ['999999', 'unknown_team'],
      ['alpha', 'validation_failed'],
    ] as const) {
      const answer = await viewer.get(`/analytics/engagement?team=${team}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code, requestId: expect.any(String) });
    }
  });
});

describe('suppression below k in a team', () => {
  it('when a team has two managers in a week, then its week and the other team’s read "fewer than k", not the total', async () => {
    const ids = await teams({ S0ALPHA: alpha, S0BETA: beta });
    const everyone = await get(`engagement?from=${W2}&to=${W2}`);
    expect(everyone.weeks[0]).toMatchObject({ managersSubscribed: n(7), notesDelivered: n(7) });
    const team = await get(`engagement?from=${W2}&to=${W2}&team=${ids.S0ALPHA}`);
    expect(team.weeks[0]).toMatchObject({
      managersSubscribed: SUPPRESSED,
      notesDelivered: SUPPRESSED,
      actionShare: SUPPRESSED,
    });
    // Beta has five, but everyone less beta would be alpha's two.
    const other = await get(`engagement?from=${W2}&to=${W2}&team=${ids.S0BETA}`);
    expect(other.weeks[0]).toMatchObject({
      managersSubscribed: SUPPRESSED,
      notesDelivered: SUPPRESSED,
    });
    const health = await get(`delivery-health?from=${W2}&to=${W2}&team=${ids.S0BETA}`);
    expect(health.days[0]).toMatchObject({ due: SUPPRESSED });
  });

  it('refuses a team of fewer than k managers, and leaves it out of the others’ atoms', async () => {
    const ids = await teams({ S0ALPHA: alpha, S0BETA: beta, S0TRIO: alpha.slice(0, 3) });
    const answer = await viewer.get(`/analytics/topics?team=${ids.S0TRIO}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'team_too_small' });
    const listed = await viewer.get('/analytics/teams');
    expect((listed.body.teams as Row[]).map((t) => t.slackGroupId)).toEqual(['S0ALPHA', 'S0BETA']);
    const team = await get(`engagement?from=${W1}&to=${W1}&team=${ids.S0ALPHA}`);
    expect(team.weeks[0]).toMatchObject({ notesDelivered: n(6) });
  });
});

describe('differencing: a team that is another plus one manager', () => {
  it('when both are asked for in a week the extra manager had a note, then both are suppressed; in a week without, both are shown', async () => {
    const m7 = beta[0] as WorldManager;
    const ids = await teams({ S0ALPHA: alpha, S0PLUS: [...alpha, m7] });
    const everyone = await get(`engagement?from=${W1}&to=${W3}`);
    expect(everyone.weeks[0]).toMatchObject({ notesDelivered: n(12) });
    const team = await get(`engagement?from=${W1}&to=${W3}&team=${ids.S0ALPHA}`);
    const plus = await get(`engagement?from=${W1}&to=${W3}&team=${ids.S0PLUS}`);
    for (const answer of [team, plus]) {
      expect(answer.weeks[0]).toMatchObject({
        week: W1,
        managersSubscribed: SUPPRESSED,
        notesDelivered: SUPPRESSED,
        actionShare: SUPPRESSED,
      });
      expect(answer.weeks[2]).toMatchObject({
        week: W3,
        managersSubscribed: n(6),
        notesDelivered: n(6),
      });
    }
    // Over a range holding W1, a topic's sums are hidden too, for both. Each measure goes by
    // its own managers: M7 rated nothing, so the ratings (the same five) are shown for both.
    for (const id of [ids.S0ALPHA, ids.S0PLUS]) {
      const topics = await get(`topics?from=${W1}&to=${W3}&team=${id}`);
      expect(topics.topics.find((t) => t.topicId === world.a1)).toMatchObject({
        sent: SUPPRESSED,
        actionRate: SUPPRESSED,
        meanUsefulness: n(3),
      });
      const health = await get(`delivery-health?from=${W1}&to=${W1}&team=${id}`);
      expect(health.days[0]).toMatchObject({ due: SUPPRESSED, latenessP50Ms: SUPPRESSED });
    }
    // M7 answered nothing at Wednesday 10:00: that slot is the same for both, and shown.
    const answersTeam = await get(`activity?from=${W1}&to=${W1}&team=${ids.S0ALPHA}`);
    const answersPlus = await get(`activity?from=${W1}&to=${W1}&team=${ids.S0PLUS}`);
    expect(cell(answersTeam, 3, 10)).toMatchObject({ answers: n(5) });
    expect(cell(answersPlus, 3, 10)).toMatchObject({ answers: n(5) });
  });
});

describe('a change of members', () => {
  it('when a team gains members, then its numbers change at the next refresh, not before', async () => {
    const ids = await teams({ S0ALPHA: alpha, S0BETA: beta });
    const read = async (team: string | undefined) =>
      (await get(`engagement?from=${W1}&to=${W1}&team=${team}`)).weeks[0];
    expect(await read(ids.S0BETA)).toMatchObject({ notesDelivered: n(6) });
    // A sync: alpha's managers join beta too.
    await setTeams(world, { S0ALPHA: alpha, S0BETA: [...alpha, ...beta] }, api.clock.now());
    expect(await read(ids.S0BETA)).toMatchObject({ notesDelivered: n(6) });
    await refreshAnalytics(api.db, api.clock.now());
    expect(await read(ids.S0BETA)).toMatchObject({
      managersSubscribed: n(12),
      notesDelivered: n(12),
      actionShare: n(0.4167),
    });
    expect(await read(ids.S0ALPHA)).toMatchObject({ notesDelivered: n(6) });
  });
});

describe('choosing the teams', () => {
  it('lets an admin choose among the groups Slack lists (audited), and no viewer', async () => {
    await teams({ S0ALPHA: alpha, S0BETA: beta });
    const path = `/workspaces/${world.workspace.slackTeamId}/analytics-teams`;
    const refused = await viewer.request('PUT', path, { groupIds: ['S0ALPHA'] });
    expect(refused.status).toBe(403);
    const unknown = await admin.request('PUT', path, { groupIds: ['S0NOSUCH'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'unknown_team' });

    const saved = await admin.request('PUT', path, { groupIds: ['S0BETA'] });
    expect(saved.status).toBe(200);
    expect(saved.body.sync).toMatchObject({ requested: true });
    const groups = (saved.body.groups as Row[]).filter((g) => !g.removed);
    expect(groups.map((g) => [g.slackGroupId, g.isTeam, g.members])).toEqual([
      ['S0ALPHA', false, 0],
      ['S0BETA', true, 6],
    ]);
    const read = await admin.get(path);
    expect(read.body).toEqual(saved.body);
    const audit = await api.db
      .selectFrom('audit_events')
      .where('action', '=', 'analytics_teams.updated')
      .select('details')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ added: [], removed: ['S0ALPHA'] });
  });

  it('keeps only managers as members, and erasing one leaves nothing of them in a team', async () => {
    await teams({ S0BETA: beta });
    const last = beta[5] as WorldManager;
    const person = { managerId: last.id, slackUserId: last.slackUserId };
    await deleteManager(api.db, {
      id: last.id,
      workspaceId: world.workspace.id,
      slackUserId: last.slackUserId,
    });
    expect(await leftoversOf(api.db, person)).toEqual([]);
    const read = await admin.get(`/workspaces/${world.workspace.slackTeamId}/analytics-teams`);
    expect((read.body.groups as Row[]).find((g) => g.slackGroupId === 'S0BETA')).toMatchObject({
      members: 6,
      managers: 5,
    });
  });
});
