/**
 * Add to Slack end to end (issue 16), against the stand-in's oauth.v2.access and auth.test: the
 * install page, the redirect, the installed token used for the events and the DMs that follow,
 * every way an install can fail (nothing stored), a rotating token renewed once among
 * concurrent events, and an uninstall that erases the tokens and stops deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/bot/slack-install.ts';
import { PLAN_LOOKAHEAD_MS, planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { generateKeyEntry } from '../../src/core/secrets/keyring.ts';
import {
  type InstallGrant,
  type SlackStandIn,
  startSlackStandIn,
} from '../../src/slack-emulator/index.ts';
import {
  addToSlack,
  addToSlackEnv,
  oauthRedirect,
  startInstall as startInstallAt,
  TEST_SLACK_CLIENT,
} from '../support/add-to-slack.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type SlackHarness, signUpAndReceiveNote } from '../support/slack-harness.ts';
import { createSlackRequester } from '../support/slack-requests.ts';

const CLIENT = TEST_SLACK_CLIENT;
const COOKIE = 'slack-app-oauth-state';

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

const startInstall = () => startInstallAt(app.url);
const redirect = (query: Record<string, string>, cookie: string) =>
  oauthRedirect(app.url, query, cookie);
const install = (teamId: string, grant: Partial<InstallGrant> = {}) =>
  addToSlack(app.url, standIn, teamId, grant);

const installationCount = async () =>
  Number(
    (await database.pool.query('SELECT count(*)::int AS n FROM slack_installations')).rows[0].n,
  );

describe('Add to Slack', () => {
  it('serves an Add to Slack page asking for the manifest’s scopes, with a state in a cookie', async () => {
    const started = await startInstall();
    expect(started.status).toBe(200);
    expect(started.html).toContain('Add Blindspot to Slack');
    expect(started.link.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
    expect(started.link.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(started.cookie).toBe(`${COOKIE}=${started.state}`);
  });

  it('installs, then answers the team’s events and sends its DMs with the installed token', async () => {
    const teamId = standIn.identity.teamId;
    const installed = await install(teamId);
    expect(installed.status).toBe(200);
    expect(installed.html).toContain('Blindspot is installed');
    const token = standIn.installs.tokens.find((t) => t.teamId === teamId)?.token ?? '';
    expect(token).toMatch(/^xoxb-/);

    // At rest, sealed: the raw table holds no token.
    const raw = JSON.stringify(
      (await database.pool.query('SELECT * FROM slack_installations')).rows,
    );
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.slice(-12));

    const harness = {
      teamId,
      database,
      standIn,
      app,
      slack: createSlackRequester({
        baseUrl: app.url,
        signingSecret: TEST_SIGNING_SECRET,
        teamId,
        standIn,
        now: () => clock,
      }),
      close: async () => {},
    } satisfies SlackHarness;
    const before = standIn.calls.length;
    const note = await signUpAndReceiveNote(harness, {
      userId: 'U0OAUTH',
      setClock: (at) => {
        clock = at;
      },
    });
    expect(note.call.token).toBe(token);
    const used = standIn.calls.slice(before).filter((call) => call.method !== 'oauth.v2.access');
    expect(used.length).toBeGreaterThan(2);
    expect(new Set(used.map((call) => call.token))).toEqual(new Set([token]));
    // Neither the token nor its sealed form reaches a log line.
    expect(app.logs.text()).not.toContain(token.slice(-12));
    expect(app.logs.text()).not.toContain('v1.k1.');
  });

  it('refuses a replayed state, a forged one, and one without its browser cookie; nothing is stored', async () => {
    const count = await installationCount();
    const first = await install('T0REPLAY');
    expect(first.status).toBe(200);
    const again = standIn.installs.grant({ teamId: 'T0REPLAY2', scopes: BOT_SCOPES });
    const replay = await redirect(
      { code: again, state: first.started.state },
      first.started.cookie,
    );
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('This install link cannot be used');

    const forged = await redirect({ code: again, state: 'forged' }, `${COOKIE}=forged`);
    expect(forged.status).toBe(400);
    const fresh = await startInstall();
    const noCookie = await redirect({ code: again, state: fresh.state }, '');
    expect(noCookie.status).toBe(400);
    expect(await installationCount()).toBe(count + 1);
  });

  it('shows a clear page and stores nothing for a cancelled consent, missing scopes or a Slack error', async () => {
    const count = await installationCount();
    const cancelled = await startInstall();
    const cancel = await redirect(
      { error: 'access_denied', state: cancelled.state },
      cancelled.cookie,
    );
    expect(cancel.html).toContain('You cancelled on Slack’s page');

    const narrow = await install('T0NARROW', { scopes: ['commands', 'chat:write'] });
    expect(narrow.status).toBe(400);
    expect(narrow.html).toContain('<code>users:read</code>');
    expect(narrow.html).toContain('nothing was stored');
    // The token Slack issued for the refused install is given back, and works no more.
    const narrowToken = standIn.installs.tokens.find((t) => t.teamId === 'T0NARROW');
    expect(standIn.callsTo('auth.revoke').map((call) => call.token)).toEqual([narrowToken?.token]);
    expect(narrowToken?.revoked).toBe(true);

    const started = await startInstall();
    const slackError = await redirect({ code: 'not-a-code', state: started.state }, started.cookie);
    expect(slackError.status).toBe(502);
    expect(slackError.html).toContain('<code>invalid_code</code>');
    expect(await installationCount()).toBe(count);
  });

  it('stores a workspace install inside an Enterprise Grid with its enterprise, and authorizes its commands', async () => {
    const installed = await install('T0GRIDWS', { enterpriseId: 'E0GRID' });
    expect(installed.status).toBe(200);
    const stored = await database.pool.query(
      "SELECT slack_enterprise_id, is_enterprise_install FROM slack_installations WHERE slack_team_id = 'T0GRIDWS'",
    );
    expect(stored.rows).toEqual([{ slack_enterprise_id: 'E0GRID', is_enterprise_install: false }]);
    const token = standIn.installs.tokens.find((t) => t.teamId === 'T0GRIDWS')?.token;
    standIn.addUser({ id: 'U0GRID', teamId: 'T0GRIDWS', tz: 'Europe/Berlin' });
    const grid = createSlackRequester({
      baseUrl: app.url,
      signingSecret: TEST_SIGNING_SECRET,
      teamId: 'T0GRIDWS',
      standIn,
      now: () => clock,
    });
    const command = await grid.slashCommand({
      command: '/blindspot',
      userId: 'U0GRID',
      enterpriseId: 'E0GRID',
    });
    expect(command.status).toBe(200);
    const opened = await standIn.waitForCall(
      'views.open',
      (c) => c.args.trigger_id === command.triggerId,
    );
    expect(opened.token).toBe(token);
  });

  it('acknowledges an event from a workspace with no installation, with one warning and no Slack call', async () => {
    const before = standIn.calls.length;
    const stranger = createSlackRequester({
      baseUrl: app.url,
      signingSecret: TEST_SIGNING_SECRET,
      teamId: 'T0NOBODY',
      standIn,
      now: () => clock,
    });
    const event = await stranger.event({ type: 'app_home_opened', user: 'U0NOBODY', tab: 'home' });
    expect(event.status).toBe(200);
    const command = await stranger.slashCommand({ command: '/blindspot', userId: 'U0NOBODY' });
    expect(command.status).toBe(200);
    const warnings = app.logs.lines.filter(
      (line) =>
        line.msg === 'dropped a Slack request from a workspace with no installation' &&
        line.slackTeamId === 'T0NOBODY',
    );
    expect(warnings).toHaveLength(2);
    expect(standIn.calls.slice(before)).toEqual([]);
  });

  it('renews a rotating token once when concurrent events find it about to expire', async () => {
    clock = new Date();
    // Ten minutes left: inside the half hour before expiry in which the bot renews.
    const installed = await install('T0ROTATE', { tokenRotation: true, expiresInSeconds: 600 });
    expect(installed.status).toBe(200);
    const slack = createSlackRequester({
      baseUrl: app.url,
      signingSecret: TEST_SIGNING_SECRET,
      teamId: 'T0ROTATE',
      standIn,
      now: () => clock,
    });
    const refreshes = () =>
      standIn.callsTo('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');
    const opened = await Promise.all(
      ['U0ROT1', 'U0ROT2', 'U0ROT3'].map((userId) =>
        slack.event({ type: 'app_home_opened', user: userId, tab: 'home' }),
      ),
    );
    expect(opened.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(refreshes()).toHaveLength(1);
    const renewed = standIn.installs.tokens.filter((t) => t.teamId === 'T0ROTATE').at(-1);
    // After the renewal, events use the new token, and no one renews it again.
    const next = await slack.event({ type: 'app_home_opened', user: 'U0ROT4', tab: 'home' });
    expect(next.status).toBe(200);
    await expect
      .poll(() => standIn.callsTo('views.publish').filter((c) => c.args.user_id === 'U0ROT4'))
      .toHaveLength(1);
    expect(standIn.callsTo('views.publish').find((c) => c.args.user_id === 'U0ROT4')?.token).toBe(
      renewed?.token,
    );
    expect(refreshes()).toHaveLength(1);
  });

  it('on app_uninstalled erases the tokens, deactivates the workspace and cancels what was due', async () => {
    const teamId = standIn.identity.teamId;
    const slack = createSlackRequester({
      baseUrl: app.url,
      signingSecret: TEST_SIGNING_SECRET,
      teamId,
      standIn,
      now: () => clock,
    });
    // The next note is planned, not yet due.
    const next = await database.pool.query(
      "SELECT next_due_at FROM subscriptions WHERE status = 'active' AND workspace_id = (SELECT id FROM workspaces WHERE slack_team_id = $1)",
      [teamId],
    );
    const nextDue = next.rows[0].next_due_at as Date;
    await planDueDeliveries(database.db, new Date(nextDue.getTime() - PLAN_LOOKAHEAD_MS + 60_000));
    const planned = await database.pool.query(
      "SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending' AND due_at = $1",
      [nextDue],
    );
    expect(planned.rows[0].n).toBe(1);

    const answer = await slack.event({ type: 'app_uninstalled' });
    expect(answer.status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await database.pool.query(
              'SELECT count(*)::int AS n FROM slack_installations WHERE slack_team_id = $1',
              [teamId],
            )
          ).rows[0].n,
      )
      .toBe(0);
    const workspace = await database.pool.query(
      'SELECT id, status FROM workspaces WHERE slack_team_id = $1',
      [teamId],
    );
    expect(workspace.rows[0].status).toBe('inactive');
    const pending = await database.pool.query(
      "SELECT count(*)::int AS n FROM deliveries WHERE workspace_id = $1 AND status = 'pending'",
      [workspace.rows[0].id],
    );
    expect(pending.rows[0].n).toBe(0);
    const active = await database.pool.query(
      "SELECT count(*)::int AS n FROM subscriptions WHERE workspace_id = $1 AND status = 'active'",
      [workspace.rows[0].id],
    );
    expect(active.rows[0].n).toBe(0);
  });
});
