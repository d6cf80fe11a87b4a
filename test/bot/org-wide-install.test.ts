/**
 * Enterprise Grid org-wide installs (issue 16), end to end through the stand-in: an org admin
 * installs Blindspot for the whole org, once; events then come from the org's workspaces, each
 * with its own team id, marked `is_enterprise_install`. Sign-up and the outbox's notes in two of
 * them use the org's one token; a workspace install beside it keeps its own; a workspace of an
 * enterprise that installed nothing is dropped; the org token renews once; a reinstall updates
 * the one row, and an uninstall of the org stops all its workspaces at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_LOOKAHEAD_MS, planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { generateKeyEntry } from '../../src/core/secrets/keyring.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { addToSlack, addToSlackEnv, addToSlackOrgWide } from '../support/add-to-slack.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type SlackHarness, signUpAndReceiveNote } from '../support/slack-harness.ts';
import { createSlackRequester, type SlackRequesterOptions } from '../support/slack-requests.ts';

const ORG = 'E0ACME';
const ORG_TEAMS = ['T0NORTH', 'T0SOUTH'] as const;
/** A workspace in no Grid, installed on its own beside the org. */
const SOLO = 'T0SOLO';
const userOf = (team: string) => `U0${team.slice(2)}`;

let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
// The install stamps token expiry with the real time, so the clock starts there.
let clock = new Date();

beforeAll(async () => {
  database = await createTestDatabase();
  standIn = await startSlackStandIn();
  app = await startTestApp({
    databaseUrl: database.url,
    clock: () => clock,
    env: addToSlackEnv(standIn, TEST_SIGNING_SECRET, generateKeyEntry('k1')),
  });
});

afterAll(async () => {
  await app?.close();
  await standIn?.close();
  await database?.drop();
});

/** Signs requests as Slack does for `teamId`, as a workspace of `enterprise` when given. */
const slackOf = (teamId: string, enterprise?: SlackRequesterOptions['enterprise']) =>
  createSlackRequester({
    baseUrl: app.url,
    signingSecret: TEST_SIGNING_SECRET,
    teamId,
    enterprise,
    standIn,
    now: () => clock,
  });
const orgSlack = (teamId: string) => slackOf(teamId, { id: ORG, name: 'Acme', orgWide: true });

const harnessOf = (teamId: string, slack = orgSlack(teamId)): SlackHarness => ({
  teamId,
  database,
  standIn,
  app,
  slack,
  close: async () => {},
});

const orgTokens = (enterpriseId: string) =>
  standIn.installs.tokens.filter((t) => t.isEnterpriseInstall && t.enterpriseId === enterpriseId);

async function rows(sql: string, params: unknown[] = []) {
  return (await database.pool.query(sql, params)).rows;
}

/** The Slack calls since `since` that acted for `userId`: in their DM, or on their Home tab. */
const callsFor = (userId: string, since: number) =>
  standIn.calls
    .slice(since)
    .filter((c) =>
      [c.args.channel, c.args.user_id, c.args.user].some(
        (v) => v === userId || v === standIn.dmChannelIdFor(userId),
      ),
    );

const droppedWarnings = (teamId: string) =>
  app.logs.lines.filter(
    (line) =>
      line.msg === 'dropped a Slack request from a workspace with no installation' &&
      line.slackTeamId === teamId,
  );

describe('an org-wide install', () => {
  it('is stored once, for the enterprise and no team, with its token sealed', async () => {
    const installed = await addToSlackOrgWide(app.url, standIn, ORG, { enterpriseName: 'Acme' });
    expect(installed.status).toBe(200);
    expect(installed.html).toContain('for the whole of Acme');
    // An org-wide app is in no workspace until an org admin adds it to some.
    expect(installed.html).toContain(`https://app.slack.com/manage/${ORG}/integrations/profile/`);
    expect(
      await rows(
        'SELECT slack_enterprise_id, slack_team_id, is_enterprise_install, workspace_id FROM slack_installations',
      ),
    ).toEqual([
      {
        slack_enterprise_id: ORG,
        slack_team_id: null,
        is_enterprise_install: true,
        workspace_id: null,
      },
    ]);
    const [token] = orgTokens(ORG);
    expect(token?.teamId).toBeNull();
    const raw = JSON.stringify(await rows('SELECT * FROM slack_installations'));
    expect(raw).not.toContain(token?.token.slice(-12));
  });

  it('renews a rotating org token once when events from two of its workspaces find it expiring', async () => {
    clock = new Date();
    const rotating = 'E0ROTATE';
    // Ten minutes left: inside the half hour before expiry in which the bot renews.
    const installed = await addToSlackOrgWide(app.url, standIn, rotating, {
      tokenRotation: true,
      expiresInSeconds: 600,
    });
    expect(installed.status).toBe(200);
    const teams = ['T0ROTA', 'T0ROTB'];
    const slack = teams.map((team) => slackOf(team, { id: rotating, orgWide: true }));
    const refreshes = () =>
      standIn.callsTo('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');
    const users = ['U0ROT1', 'U0ROT2', 'U0ROT3', 'U0ROT4'];
    const opened = await Promise.all(
      users.map((user, i) => slack[i % 2]?.event({ type: 'app_home_opened', user, tab: 'home' })),
    );
    expect(opened.map((answer) => answer?.status)).toEqual([200, 200, 200, 200]);
    // Each Home tab was published, in both workspaces, after a single renewal.
    await expect.poll(() => users.filter((user) => callsFor(user, 0).length > 0)).toEqual(users);
    expect(refreshes()).toHaveLength(1);
    const renewed = orgTokens(rotating).at(-1);
    expect(orgTokens(rotating)).toHaveLength(2);

    const next = await slack[1]?.event({ type: 'app_home_opened', user: 'U0ROT5', tab: 'home' });
    expect(next?.status).toBe(200);
    await expect
      .poll(() => standIn.callsTo('views.publish').filter((c) => c.args.user_id === 'U0ROT5'))
      .toHaveLength(1);
    expect(standIn.callsTo('views.publish').find((c) => c.args.user_id === 'U0ROT5')?.token).toBe(
      renewed?.token,
    );
    expect(refreshes()).toHaveLength(1);
  });

  it('refuses a workspace of an enterprise that installed nothing: one warning, no Slack call', async () => {
    const before = standIn.calls.length;
    const stranger = slackOf('T0OTHER', { id: 'E0OTHER', orgWide: true });
    const event = await stranger.event({ type: 'app_home_opened', user: 'U0OTHER', tab: 'home' });
    expect(event.status).toBe(200);
    expect(droppedWarnings('T0OTHER')).toHaveLength(1);
    expect(droppedWarnings('T0OTHER')[0]?.slackEnterpriseId).toBe('E0OTHER');
    expect(standIn.calls.slice(before)).toEqual([]);
    expect(await rows("SELECT id FROM workspaces WHERE slack_team_id = 'T0OTHER'")).toEqual([]);
  });

  it('signs up a manager in each of two workspaces of the org and delivers each note with the org token', async () => {
    const orgToken = orgTokens(ORG)[0]?.token;
    expect(orgToken).toBeDefined();
    const before = standIn.calls.length;
    for (const team of ORG_TEAMS) {
      const note = await signUpAndReceiveNote(harnessOf(team), {
        userId: userOf(team),
        setClock: (at) => {
          clock = at;
        },
      });
      // The note is the outbox's, which knows only the team: it found the org's token.
      expect(note.call.token).toBe(orgToken);
    }
    const used = standIn.calls.slice(before);
    expect(used.filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThanOrEqual(4);
    expect(new Set(used.map((call) => call.token))).toEqual(new Set([orgToken]));
    expect(
      await rows(
        'SELECT slack_team_id, status FROM workspaces WHERE slack_enterprise_id = $1 ORDER BY 1',
        [ORG],
      ),
    ).toEqual([
      { slack_team_id: 'T0NORTH', status: 'active' },
      { slack_team_id: 'T0SOUTH', status: 'active' },
    ]);
    expect(
      await rows(
        'SELECT count(*)::int AS n FROM slack_installations WHERE slack_enterprise_id = $1',
        [ORG],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('leaves a workspace install beside it on its own token', async () => {
    const installed = await addToSlack(app.url, standIn, SOLO);
    expect(installed.status).toBe(200);
    const soloToken = standIn.installs.tokens.find((t) => t.teamId === SOLO)?.token;
    const before = standIn.calls.length;
    const note = await signUpAndReceiveNote(harnessOf(SOLO, slackOf(SOLO)), {
      userId: userOf(SOLO),
      setClock: (at) => {
        clock = at;
      },
    });
    expect(note.call.token).toBe(soloToken);
    expect(soloToken).not.toBe(orgTokens(ORG)[0]?.token);
    // The org's workspaces may get their next notes meanwhile; SOLO's calls are SOLO's alone.
    const solo = callsFor(userOf(SOLO), before);
    expect(solo.length).toBeGreaterThanOrEqual(3);
    expect(new Set(solo.map((call) => call.token))).toEqual(new Set([soloToken]));
  });

  it('a reinstall of the org replaces its token in the same row, and events use the new one', async () => {
    const installed = await addToSlackOrgWide(app.url, standIn, ORG, { enterpriseName: 'Acme' });
    expect(installed.status).toBe(200);
    expect(
      await rows(
        'SELECT count(*)::int AS n FROM slack_installations WHERE slack_enterprise_id = $1',
        [ORG],
      ),
    ).toEqual([{ n: 1 }]);
    expect(
      await rows("SELECT action FROM audit_events WHERE action LIKE 'slack.%install%' ORDER BY id"),
    ).toEqual(
      expect.arrayContaining([{ action: 'slack.installed' }, { action: 'slack.reinstalled' }]),
    );
    const newest = orgTokens(ORG).at(-1)?.token;
    expect(orgTokens(ORG)).toHaveLength(2);
    const user = userOf('T0SOUTH');
    const before = standIn.calls.length;
    const opened = await orgSlack('T0SOUTH').event({ type: 'app_home_opened', user, tab: 'home' });
    expect(opened.status).toBe(200);
    const published = () =>
      standIn.calls
        .slice(before)
        .filter((c) => c.method === 'views.publish' && c.args.user_id === user);
    await expect.poll(published).toHaveLength(1);
    expect(published()[0]?.token).toBe(newest);
  });

  it('on app_uninstalled for the org, stops every workspace it served at once, and no other', async () => {
    // Each org workspace's next note is planned, not yet due.
    const planned = await rows(
      `SELECT s.next_due_at FROM subscriptions s JOIN workspaces w ON w.id = s.workspace_id
        WHERE w.slack_enterprise_id = $1 AND s.status = 'active'`,
      [ORG],
    );
    expect(planned).toHaveLength(2);
    for (const { next_due_at: due } of planned) {
      await planDueDeliveries(database.db, new Date(due.getTime() - PLAN_LOOKAHEAD_MS + 60_000));
    }
    const pendingOf = async (enterprise: string) =>
      (
        await rows(
          `SELECT count(*)::int AS n FROM deliveries d JOIN workspaces w ON w.id = d.workspace_id
            WHERE w.slack_enterprise_id = $1 AND d.status = 'pending'`,
          [enterprise],
        )
      )[0].n;
    expect(await pendingOf(ORG)).toBe(2);

    // Slack revokes the org's token, then tells the app, from whichever workspace.
    standIn.installs.revokeEnterpriseInstall(ORG);
    const answer = await orgSlack('T0NORTH').event({ type: 'app_uninstalled' });
    expect(answer.status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await rows(
              'SELECT count(*)::int AS n FROM slack_installations WHERE slack_enterprise_id = $1',
              [ORG],
            )
          )[0].n,
      )
      .toBe(0);
    expect(
      await rows(
        'SELECT slack_team_id, status, status_reason FROM workspaces WHERE slack_team_id = ANY($1) ORDER BY 1',
        [[...ORG_TEAMS, SOLO]],
      ),
    ).toEqual([
      { slack_team_id: 'T0NORTH', status: 'inactive', status_reason: 'app_uninstalled' },
      { slack_team_id: 'T0SOLO', status: 'active', status_reason: null },
      { slack_team_id: 'T0SOUTH', status: 'inactive', status_reason: 'app_uninstalled' },
    ]);
    expect(await pendingOf(ORG)).toBe(0);
    expect(
      await rows(
        `SELECT count(*)::int AS n FROM subscriptions s JOIN workspaces w ON w.id = s.workspace_id
          WHERE w.slack_enterprise_id = $1 AND s.status = 'active'`,
        [ORG],
      ),
    ).toEqual([{ n: 0 }]);
    // The workspace install beside it keeps its token.
    expect(
      await rows('SELECT count(*)::int AS n FROM slack_installations WHERE slack_team_id = $1', [
        SOLO,
      ]),
    ).toEqual([{ n: 1 }]);

    // From now on the org's workspaces are strangers: acknowledged, warned about, not answered.
    const before = standIn.calls.length;
    const user = userOf('T0SOUTH');
    const later = await orgSlack('T0SOUTH').event({ type: 'app_home_opened', user, tab: 'home' });
    expect(later.status).toBe(200);
    expect(droppedWarnings('T0SOUTH')).toHaveLength(1);
    expect(callsFor(user, before)).toEqual([]);
  });
});
