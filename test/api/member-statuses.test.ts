/**
 * The kept Slack statuses over real HTTP, as the bot pushes them (issue 19, items 1–2): which
 * workspaces are due a sweep, and each page or event of members' derived statuses. Only
 * managers are kept, an older read never overwrites a newer one, and the last page of a sweep
 * makes the workspace due again twelve hours later.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/bot/api-client/index.ts';
import { markWorkspaceInactive } from '../../src/core/workspaces/repository.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import {
  createManager,
  createWorkspace,
  type TestWorkspace,
  uniqueSlackId,
} from '../support/factories.ts';
import { botApiClient, serviceFetch } from '../support/service-calls.ts';

const NOW = new Date('2026-12-08T08:00:00Z');
const HOUR_MS = 3_600_000;

let api: ApiClient;
let clock = NOW;
const fetch = serviceFetch(() => clock);

const testApp = setUpTestApp({ clock: () => clock });

beforeAll(async () => {
  api = botApiClient(testApp.url, () => clock);
});

const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();

/** The manager's kept status, as stored. */
async function keptStatus(slackUserId: string) {
  const { rows } = await sql<{ forever: boolean | null; awayUntil: Date | null; readAt: Date }>`
    SELECT away_until = 'infinity' AS forever,
           CASE WHEN away_until <> 'infinity' THEN away_until END AS "awayUntil",
           status_read_at AS "readAt"
      FROM managers WHERE slack_user_id = ${slackUserId}`.execute(testApp.database.db);
  return rows[0];
}

async function put(teamId: string, body: unknown, authorization = `Bearer ${TEST_SERVICE_TOKEN}`) {
  const response = await fetch(`${testApp.url}/api/v1/workspaces/current/member-statuses`, {
    method: 'PUT',
    headers: { authorization, 'x-slack-team-id': teamId, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('when the bot pushes members’ statuses', () => {
  let workspace: TestWorkspace;
  beforeAll(async () => {
    workspace = await createWorkspace(testApp.database.db);
  });

  it('then each manager’s away flag is kept, until when, and when it was read', async () => {
    const out = await createManager(testApp.database.db, workspace);
    const outUntil = await createManager(testApp.database.db, workspace);
    const back = await createManager(testApp.database.db, workspace);
    const answer = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(-60_000),
      statuses: [
        { slackUserId: out.who.slackUserId, away: true },
        { slackUserId: outUntil.who.slackUserId, away: true, until: at(3 * HOUR_MS) },
        { slackUserId: back.who.slackUserId, away: false, until: at(HOUR_MS) },
      ],
    });
    expect(answer).toEqual({ updated: 3 });
    const readAt = new Date(at(-60_000));
    expect(await keptStatus(out.who.slackUserId)).toEqual({
      forever: true,
      awayUntil: null,
      readAt,
    });
    expect(await keptStatus(outUntil.who.slackUserId)).toEqual({
      forever: false,
      awayUntil: new Date(at(3 * HOUR_MS)),
      readAt,
    });
    // Not out: no end is kept, whatever the bot sent with it.
    expect(await keptStatus(back.who.slackUserId)).toEqual({
      forever: null,
      awayUntil: null,
      readAt,
    });
  });

  it('then members who are not managers are dropped: nothing about them is kept', async () => {
    const manager = await createManager(testApp.database.db, workspace);
    const stranger = uniqueSlackId('U');
    const answer = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(0),
      statuses: [
        { slackUserId: stranger, away: true },
        { slackUserId: manager.who.slackUserId, away: true },
      ],
    });
    expect(answer).toEqual({ updated: 1 });
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM managers WHERE slack_user_id = ${stranger}`.execute(
      testApp.database.db,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('then a manager of another workspace with the pushed id is not touched', async () => {
    const other = await createWorkspace(testApp.database.db);
    const elsewhere = await createManager(testApp.database.db, other);
    const answer = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(0),
      statuses: [{ slackUserId: elsewhere.who.slackUserId, away: true }],
    });
    expect(answer).toEqual({ updated: 0 });
    expect(await keptStatus(elsewhere.who.slackUserId)).toEqual({
      forever: null,
      awayUntil: null,
      readAt: null,
    });
  });

  it('then a status read before the one kept does not overwrite it, and a later one does', async () => {
    const manager = await createManager(testApp.database.db, workspace);
    const slackUserId = manager.who.slackUserId;
    // An event at 07:55 says out; a sweep page read at 07:50 reaches the API after it.
    await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(-5 * 60_000),
      statuses: [{ slackUserId, away: true }],
    });
    const stale = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(-10 * 60_000),
      statuses: [{ slackUserId, away: false }],
    });
    expect(stale).toEqual({ updated: 0 });
    expect(await keptStatus(slackUserId)).toMatchObject({
      forever: true,
      readAt: new Date(at(-5 * 60_000)),
    });

    const later = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(-60_000),
      statuses: [{ slackUserId, away: false }],
    });
    expect(later).toEqual({ updated: 1 });
    expect(await keptStatus(slackUserId)).toEqual({
      forever: null,
      awayUntil: null,
      readAt: new Date(at(-60_000)),
    });
  });

  it('then a read time ahead of the API’s clock counts as now: a bot whose clock runs fast cannot block later reads', async () => {
    const manager = await createManager(testApp.database.db, workspace);
    const slackUserId = manager.who.slackUserId;
    const ahead = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(HOUR_MS),
      statuses: [{ slackUserId, away: true }],
    });
    expect(ahead).toEqual({ updated: 1 });
    expect(await keptStatus(slackUserId)).toMatchObject({ forever: true, readAt: NOW });
    clock = new Date(NOW.getTime() + 60_000);
    try {
      const back = await api.putMemberStatuses(workspace.slackTeamId, {
        readAt: at(30_000),
        statuses: [{ slackUserId, away: false }],
      });
      expect(back).toEqual({ updated: 1 });
      expect(await keptStatus(slackUserId)).toEqual({
        forever: null,
        awayUntil: null,
        readAt: new Date(at(30_000)),
      });
    } finally {
      clock = NOW;
    }
  });

  it('then of two statuses of one member in a batch, the last one is kept', async () => {
    const manager = await createManager(testApp.database.db, workspace);
    const slackUserId = manager.who.slackUserId;
    const answer = await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: at(0),
      statuses: [
        { slackUserId, away: true },
        { slackUserId, away: false },
      ],
    });
    expect(answer).toEqual({ updated: 1 });
    expect(await keptStatus(slackUserId)).toMatchObject({ forever: null, awayUntil: null });
  });

  it('answers 404 workspace_not_found for a team Blindspot does not know', async () => {
    const answer = await put(uniqueSlackId('T'), { readAt: at(0), statuses: [] });
    expect(answer).toEqual({
      status: 404,
      body: {
        code: 'workspace_not_found',
        message: expect.any(String),
        requestId: expect.any(String),
      },
    });
  });

  it.each([
    ['no readAt', { statuses: [] }],
    ['a readAt that is not a time', { readAt: 'yesterday', statuses: [] }],
    ['no statuses', { readAt: at(0) }],
    ['a malformed user id', { readAt: at(0), statuses: [{ slackUserId: 'bob', away: true }] }],
    ['no away flag', { readAt: at(0), statuses: [{ slackUserId: 'U0BOB' }] }],
    [
      'an until that is not a time',
      { readAt: at(0), statuses: [{ slackUserId: 'U0BOB', away: true, until: 'soon' }] },
    ],
    [
      'the status text, which is never kept',
      { readAt: at(0), statuses: [{ slackUserId: 'U0BOB', away: true, statusText: 'Vacation' }] },
    ],
    [
      'more than 1000 statuses',
      {
        readAt: at(0),
        statuses: Array.from({ length: 1001 }, (_, i) => ({ slackUserId: `U0B${i}`, away: false })),
      },
    ],
    ['an unknown field', { readAt: at(0), statuses: [], everyone: true }],
  ])('refuses a body with %s (400, coded)', async (_case, body) => {
    const answer = await put(workspace.slackTeamId, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: expect.any(String),
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('answers 401 without the service token', async () => {
    const answer = await put(workspace.slackTeamId, { readAt: at(0), statuses: [] }, 'Bearer no');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'unauthorized', requestId: expect.any(String) });
  });
});

describe('the workspaces due a status sweep', () => {
  async function claim(authorization = `Bearer ${TEST_SERVICE_TOKEN}`) {
    const response = await fetch(`${testApp.url}/api/v1/workspaces/status-sweeps/claims`, {
      method: 'POST',
      headers: { authorization },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const at = (offsetMs: number) => {
    clock = new Date(NOW.getTime() + offsetMs);
  };

  it('hands out a workspace never swept once, held for fifteen minutes; the last page of a sweep makes it due again after twelve hours', async () => {
    at(0);
    const workspace = await createWorkspace(testApp.database.db);
    expect(await api.claimStatusSweeps()).toContain(workspace.slackTeamId);
    // Held: another replica polling now is not given it.
    expect(await api.claimStatusSweeps()).not.toContain(workspace.slackTeamId);

    // A page that is not the last one leaves it due, once the hold ends.
    await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: new Date(NOW).toISOString(),
      statuses: [],
    });
    at(15 * 60_000);
    expect(await api.claimStatusSweeps()).not.toContain(workspace.slackTeamId);
    at(15 * 60_000 + 1);
    expect(await api.claimStatusSweeps()).toContain(workspace.slackTeamId);

    at(16 * 60_000);
    await api.putMemberStatuses(workspace.slackTeamId, {
      readAt: new Date(NOW).toISOString(),
      statuses: [],
      sweepDone: true,
    });
    const { rows } = await sql<{ sweptAt: Date }>`
      SELECT statuses_swept_at AS "sweptAt" FROM workspaces WHERE id = ${workspace.id}`.execute(
      testApp.database.db,
    );
    // On the API's clock, not the bot's readAt.
    expect(rows[0]?.sweptAt).toEqual(clock);
    at(31 * 60_000);
    expect(await api.claimStatusSweeps()).not.toContain(workspace.slackTeamId);

    at(16 * 60_000 + 12 * HOUR_MS);
    expect(await api.claimStatusSweeps()).not.toContain(workspace.slackTeamId);
    at(16 * 60_000 + 12 * HOUR_MS + 1);
    expect(await api.claimStatusSweeps()).toContain(workspace.slackTeamId);
    clock = NOW;
  });

  it('gives two replicas polling at once different workspaces', async () => {
    at(2 * 24 * HOUR_MS);
    const first = await createWorkspace(testApp.database.db);
    const second = await createWorkspace(testApp.database.db);
    const [a, b] = await Promise.all([api.claimStatusSweeps(), api.claimStatusSweeps()]);
    expect(a.filter((team) => b.includes(team))).toEqual([]);
    expect([...a, ...b]).toEqual(expect.arrayContaining([first.slackTeamId, second.slackTeamId]));
    clock = NOW;
  });

  it('leaves out a workspace whose app was uninstalled', async () => {
    const workspace = await createWorkspace(testApp.database.db);
    await markWorkspaceInactive(testApp.database.db, workspace.slackTeamId, 'app_uninstalled', NOW);
    expect(await api.claimStatusSweeps()).not.toContain(workspace.slackTeamId);
  });

  it('answers 401 without the service token', async () => {
    const answer = await claim('Bearer not-the-service-token');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'unauthorized', requestId: expect.any(String) });
  });
});
