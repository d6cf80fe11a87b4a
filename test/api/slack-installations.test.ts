/**
 * The installation store behind the API (issue 16), over real HTTP as the bot calls it: tokens
 * sealed at rest, reinstall, uninstall erasing them, single-use OAuth state, one renewal of a
 * rotating token among concurrent callers, and a start refused when the key is wrong.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyEntry } from '../../src/core/secrets/keyring.ts';
import { setUpTestApp, startTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch } from '../support/service-calls.ts';

const NOW = new Date('2026-12-08T08:00:00Z');
const KEYS = generateKeyEntry('k1');

let clock = NOW;
const fetch = serviceFetch(() => clock);

const testApp = setUpTestApp({
  clock: () => clock,
  env: { BLINDSPOT_ENCRYPTION_KEYS: KEYS },
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${testApp.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function installation(teamId: string, overrides: Record<string, unknown> = {}) {
  return {
    teamId,
    enterpriseId: null,
    isEnterpriseInstall: false,
    appId: 'A0APP',
    botUserId: 'U0BOT',
    botId: 'B0BOT',
    botScopes: ['chat:write', 'commands'],
    botToken: `xoxb-${teamId}-first-token-secret`,
    botRefreshToken: null,
    botTokenExpiresAt: null,
    installerUserId: 'U0INSTALLER',
    ...overrides,
  };
}
async function deactivate(teamId: string) {
  const response = await fetch(`${testApp.url}/api/v1/workspaces/current/deactivation`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
      'x-slack-team-id': teamId,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ reason: 'app_uninstalled' }),
  });
  return response.status;
}
const workspaceStatus = async (teamId: string) =>
  (
    await testApp.database.pool.query('SELECT status FROM workspaces WHERE slack_team_id = $1', [
      teamId,
    ])
  ).rows[0]?.status;
const lookup = (teamId: string) => ({ teamId, enterpriseId: null, isEnterpriseInstall: false });

describe('the installation store', () => {
  it('stores an installation with its tokens sealed: the raw table holds no token', async () => {
    const saved = await call(
      'PUT',
      '/slack/installations',
      installation('T0SEAL', { botRefreshToken: 'xoxe-1-refresh-secret' }),
    );
    expect(saved).toEqual({ status: 200, body: { created: true } });

    const raw = await testApp.database.pool.query('SELECT * FROM slack_installations');
    const dump = JSON.stringify(raw.rows);
    expect(dump).not.toContain('first-token-secret');
    expect(dump).not.toContain('refresh-secret');
    expect(raw.rows[0].bot_token_sealed).toMatch(/^v1\.k1\./);

    const fetched = await call('POST', '/slack/installations/lookup', lookup('T0SEAL'));
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      teamId: 'T0SEAL',
      botToken: 'xoxb-T0SEAL-first-token-secret',
      botRefreshToken: 'xoxe-1-refresh-secret',
      botScopes: ['chat:write', 'commands'],
    });
    // The workspace exists and is active from the install on.
    expect(await workspaceStatus('T0SEAL')).toBe('active');
  });

  it('refuses a sealed token copied into another row: it is bound to its own', async () => {
    await call('PUT', '/slack/installations', installation('T0COPYA'));
    await call('PUT', '/slack/installations', installation('T0COPYB'));
    await testApp.database.pool.query(
      `UPDATE slack_installations SET bot_token_sealed =
         (SELECT bot_token_sealed FROM slack_installations WHERE slack_team_id = 'T0COPYA')
       WHERE slack_team_id = 'T0COPYB'`,
    );
    const fetched = await call('POST', '/slack/installations/lookup', lookup('T0COPYB'));
    expect(fetched.status).toBe(500);
    expect(JSON.stringify(fetched.body)).not.toContain('xoxb-');
  });

  it('a reinstall replaces the tokens and scopes in the same row', async () => {
    await call('PUT', '/slack/installations', installation('T0AGAIN'));
    const again = await call(
      'PUT',
      '/slack/installations',
      installation('T0AGAIN', { botToken: 'xoxb-T0AGAIN-second', botScopes: ['chat:write'] }),
    );
    expect(again).toEqual({ status: 200, body: { created: false } });
    const fetched = await call('POST', '/slack/installations/lookup', lookup('T0AGAIN'));
    expect(fetched.body).toMatchObject({
      botToken: 'xoxb-T0AGAIN-second',
      botScopes: ['chat:write'],
    });
    const rows = await testApp.database.pool.query(
      "SELECT count(*)::int AS n FROM slack_installations WHERE slack_team_id = 'T0AGAIN'",
    );
    expect(rows.rows[0].n).toBe(1);
  });

  it('an install after an uninstall makes the workspace active again', async () => {
    await call('PUT', '/slack/installations', installation('T0BACK'));
    expect(await deactivate('T0BACK')).toBe(200);
    expect(await workspaceStatus('T0BACK')).toBe('inactive');
    const back = await call('PUT', '/slack/installations', installation('T0BACK'));
    expect(back).toEqual({ status: 200, body: { created: true } });
    expect(await workspaceStatus('T0BACK')).toBe('active');
  });

  it('an uninstall erases the tokens and deactivates the workspace', async () => {
    await call('PUT', '/slack/installations', installation('T0GONE'));
    expect(await deactivate('T0GONE')).toBe(200);
    expect(await workspaceStatus('T0GONE')).toBe('inactive');
    const rows = await testApp.database.pool.query(
      "SELECT count(*)::int AS n FROM slack_installations WHERE slack_team_id = 'T0GONE'",
    );
    expect(rows.rows[0].n).toBe(0);
    expect((await call('POST', '/slack/installations/lookup', lookup('T0GONE'))).status).toBe(404);
  });

  it('an OAuth state is good once: a replay, an unknown or an expired state is refused', async () => {
    const created = await call('POST', '/slack/oauth-states', {
      installOptions: { scopes: ['chat:write'] },
    });
    expect(created.status).toBe(201);
    const { state } = created.body as { state: string };
    expect(await call('POST', '/slack/oauth-states/consumption', { state })).toEqual({
      status: 200,
      body: { installOptions: { scopes: ['chat:write'] } },
    });
    const replay = await call('POST', '/slack/oauth-states/consumption', { state });
    expect(replay).toMatchObject({ status: 400, body: { code: 'invalid_oauth_state' } });
    const forged = await call('POST', '/slack/oauth-states/consumption', { state: 'forged' });
    expect(forged).toMatchObject({ status: 400, body: { code: 'invalid_oauth_state' } });

    const late = await call('POST', '/slack/oauth-states', { installOptions: {} });
    clock = new Date(NOW.getTime() + 11 * 60_000);
    try {
      const expired = await call('POST', '/slack/oauth-states/consumption', {
        state: (late.body as { state: string }).state,
      });
      expect(expired).toMatchObject({ status: 400, body: { code: 'invalid_oauth_state' } });
    } finally {
      clock = NOW;
    }
  });

  it('an org-wide install answers for any workspace of its enterprise, and then for the workspace alone', async () => {
    const org = installation('', {
      teamId: null,
      enterpriseId: 'E0ORG',
      isEnterpriseInstall: true,
      botToken: 'xoxb-E0ORG-org-token',
    });
    expect(await call('PUT', '/slack/installations', org)).toEqual({
      status: 200,
      body: { created: true },
    });
    const byTeam = (teamId: string) => call('POST', '/slack/installations/lookup', lookup(teamId));
    // Before Slack named T0ORGA as the org's, its team alone finds nothing.
    expect((await byTeam('T0ORGA')).status).toBe(404);

    const fromEvent = await call('POST', '/slack/installations/lookup', {
      teamId: 'T0ORGA',
      enterpriseId: 'E0ORG',
      isEnterpriseInstall: true,
    });
    expect(fromEvent.status).toBe(200);
    expect(fromEvent.body).toMatchObject({
      teamId: null,
      enterpriseId: 'E0ORG',
      isEnterpriseInstall: true,
      botToken: 'xoxb-E0ORG-org-token',
    });
    // The event recorded the workspace as the org's, with its topics: the outbox's lookup, by
    // team, now finds the org's token.
    const workspace = await testApp.database.pool.query(
      `SELECT slack_enterprise_id, status, (SELECT count(*)::int FROM topics t WHERE t.workspace_id = w.id) AS topics
         FROM workspaces w WHERE slack_team_id = 'T0ORGA'`,
    );
    expect(workspace.rows).toEqual([
      { slack_enterprise_id: 'E0ORG', status: 'active', topics: expect.any(Number) },
    ]);
    expect(workspace.rows[0].topics).toBeGreaterThan(0);
    expect((await byTeam('T0ORGA')).body).toMatchObject({ botToken: 'xoxb-E0ORG-org-token' });

    // Another enterprise's workspace is not the org's, whatever it claims about itself.
    const stranger = await call('POST', '/slack/installations/lookup', {
      teamId: 'T0STRANGE',
      enterpriseId: 'E0STRANGE',
      isEnterpriseInstall: true,
    });
    expect(stranger.status).toBe(404);
    expect(await workspaceStatus('T0STRANGE')).toBeUndefined();

    // A workspace of the org with its own install keeps its own token.
    await call(
      'PUT',
      '/slack/installations',
      installation('T0ORGOWN', { enterpriseId: 'E0ORG', botToken: 'xoxb-T0ORGOWN-own' }),
    );
    expect((await byTeam('T0ORGOWN')).body).toMatchObject({ botToken: 'xoxb-T0ORGOWN-own' });
  });

  it('deactivating an enterprise erases its org-wide install and stops the workspaces it served, once', async () => {
    const deactivateOrg = () =>
      call('POST', '/slack/enterprises/E0ORG/deactivation', { reason: 'app_uninstalled' });
    expect(await deactivateOrg()).toEqual({
      status: 200,
      body: { installationsErased: 1, workspacesDeactivated: 1 },
    });
    expect(await workspaceStatus('T0ORGA')).toBe('inactive');
    // The workspace with its own install is not the org's to stop.
    expect(await workspaceStatus('T0ORGOWN')).toBe('active');
    expect((await call('POST', '/slack/installations/lookup', lookup('T0ORGA'))).status).toBe(404);
    expect(await deactivateOrg()).toEqual({
      status: 200,
      body: { installationsErased: 0, workspacesDeactivated: 0 },
    });

    // Installed again for the org: its workspaces are active again.
    const org = installation('', {
      teamId: null,
      enterpriseId: 'E0ORG',
      isEnterpriseInstall: true,
      botToken: 'xoxb-E0ORG-again',
    });
    expect((await call('PUT', '/slack/installations', org)).body).toEqual({ created: true });
    expect(await workspaceStatus('T0ORGA')).toBe('active');
  });

  it('renews an org-wide token once whether an event (by enterprise) or the outbox (by team) asks', async () => {
    await call(
      'PUT',
      '/slack/installations',
      installation('', {
        teamId: null,
        enterpriseId: 'E0ROTORG',
        isEnterpriseInstall: true,
        botToken: 'xoxe.xoxb-E0ROTORG-first',
        botRefreshToken: 'xoxe-1-E0ROTORG',
        botTokenExpiresAt: new Date(NOW.getTime() + 60_000).toISOString(),
      }),
    );
    const orgQuery = { teamId: 'T0ROTORG', enterpriseId: 'E0ROTORG', isEnterpriseInstall: true };
    expect((await call('POST', '/slack/installations/lookup', orgQuery)).status).toBe(200);
    const claim = (query: object) =>
      call('POST', '/slack/installations/refresh-claim', { ...query, withinSeconds: 300 });
    const answers = await Promise.all([
      claim(orgQuery),
      claim(lookup('T0ROTORG')),
      claim(orgQuery),
      claim(lookup('T0ROTORG')),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.claimed)).toHaveLength(1);

    // Stored through the team's query, it is the org's row that changes.
    const stored = await call('PUT', '/slack/installations/tokens', {
      ...lookup('T0ROTORG'),
      botToken: 'xoxe.xoxb-E0ROTORG-renewed',
      botRefreshToken: 'xoxe-1-E0ROTORG-renewed',
      expiresAt: new Date(NOW.getTime() + 12 * 3_600_000).toISOString(),
    });
    expect(stored.status).toBe(204);
    expect((await call('POST', '/slack/installations/lookup', orgQuery)).body).toMatchObject({
      teamId: null,
      botToken: 'xoxe.xoxb-E0ROTORG-renewed',
    });
    const rows = await testApp.database.pool.query(
      "SELECT count(*)::int AS n FROM slack_installations WHERE slack_enterprise_id = 'E0ROTORG'",
    );
    expect(rows.rows[0].n).toBe(1);
  });

  it('gives the renewal of an expiring token to exactly one of many concurrent callers', async () => {
    await call(
      'PUT',
      '/slack/installations',
      installation('T0ROTATE', {
        botRefreshToken: 'xoxe-1-rotate',
        botTokenExpiresAt: new Date(NOW.getTime() + 60_000).toISOString(),
      }),
    );
    const claim = () =>
      call('POST', '/slack/installations/refresh-claim', {
        ...lookup('T0ROTATE'),
        withinSeconds: 300,
      });
    const answers = await Promise.all([claim(), claim(), claim(), claim()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.claimed)).toHaveLength(1);

    const stored = await call('PUT', '/slack/installations/tokens', {
      ...lookup('T0ROTATE'),
      botToken: 'xoxe.xoxb-renewed',
      botRefreshToken: 'xoxe-1-renewed',
      expiresAt: new Date(NOW.getTime() + 12 * 3_600_000).toISOString(),
    });
    expect(stored.status).toBe(204);
    // Renewed and far from expiry: no one is asked to renew it again.
    expect((await claim()).body).toMatchObject({
      claimed: false,
      installation: { botToken: 'xoxe.xoxb-renewed', botRefreshToken: 'xoxe-1-renewed' },
    });
  });
});

describe('the API with a different key', () => {
  it('refuses to start with a clear error naming the variable, not garbage', async () => {
    await expect(
      startTestApp({
        databaseUrl: testApp.database.url,
        env: { BLINDSPOT_ENCRYPTION_KEYS: generateKeyEntry('k1') },
      }),
    ).rejects.toThrow(/BLINDSPOT_ENCRYPTION_KEYS/);
    await expect(startTestApp({ databaseUrl: testApp.database.url })).rejects.toThrow(
      'the database holds Slack installations, but BLINDSPOT_ENCRYPTION_KEYS is not set',
    );
  });
});
