/**
 * Workspace isolation with Add to Slack (issue 16, item 5): three installed workspaces use
 * Blindspot at the same time (the slash command, the App Home, sign-up, and the first note), and
 * every Slack call the bot makes carries the token of the team it acts in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_LOOKAHEAD_MS, planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { generateKeyEntry } from '../../src/core/secrets/keyring.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { addToSlack, addToSlackEnv } from '../support/add-to-slack.ts';
import { startTestApp, TEST_SIGNING_SECRET, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { signupModalValues } from '../support/slack-harness.ts';
import { createSlackRequester } from '../support/slack-requests.ts';

const TEAMS = ['T0ALPHA', 'T0BRAVO', 'T0CHARLIE'] as const;
const userOf = (team: string) => `U0${team.slice(2)}`;

let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
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

/** The team a recorded call acted in: the team it names, or that of its user or DM channel. */
function teamOfCall(args: Record<string, unknown>): string | undefined {
  if (typeof args.team_id === 'string') return args.team_id;
  const named = [args.user_id, args.user, args.users, args.channel].map((v) => String(v ?? ''));
  for (const team of TEAMS) {
    const user = userOf(team);
    if (named.includes(user) || named.includes(standIn.dmChannelIdFor(user))) return team;
  }
  return undefined;
}

describe('three workspaces at once', () => {
  it('each workspace’s events and notes use its own token, and only its own', async () => {
    await Promise.all(
      TEAMS.map(async (team) => {
        const installed = await addToSlack(app.url, standIn, team);
        expect(installed.status).toBe(200);
      }),
    );
    const tokenOf = new Map(standIn.installs.tokens.map((t) => [t.teamId, t.token]));
    expect(new Set(tokenOf.values()).size).toBe(3);
    const before = standIn.calls.length;

    await Promise.all(
      TEAMS.map(async (team) => {
        const userId = userOf(team);
        standIn.addUser({ id: userId, teamId: team, tz: 'Europe/Berlin' });
        const slack = createSlackRequester({
          baseUrl: app.url,
          signingSecret: TEST_SIGNING_SECRET,
          teamId: team,
          standIn,
          now: () => clock,
        });
        const command = await slack.slashCommand({ command: '/blindspot', userId });
        expect(command.status).toBe(200);
        await standIn.waitForCall('views.open', (c) => c.args.trigger_id === command.triggerId);
        await slack.event({ type: 'app_home_opened', user: userId, tab: 'home' });
        const submitted = await slack.viewSubmission({
          userId,
          callbackId: 'signup_modal',
          values: signupModalValues({
            weekdays: [1, 2, 3, 4, 5],
            localTime: '09:00',
            timeZone: 'Europe/Berlin',
          }),
        });
        expect(submitted.body).toBe('');
        await standIn.waitForCall('chat.postMessage', (c) => c.args.channel === userId);
      }),
    );

    // One planner run plans the three notes, due the same minute; the bot sends them together.
    const due = await database.pool.query(
      "SELECT min(next_due_at) AS due FROM subscriptions WHERE status = 'active'",
    );
    const dueAt = due.rows[0].due as Date;
    await planDueDeliveries(database.db, new Date(dueAt.getTime() - PLAN_LOOKAHEAD_MS + 60_000));
    clock = dueAt;
    await expect
      .poll(
        async () =>
          (
            await database.pool.query(
              "SELECT count(*)::int AS n FROM deliveries WHERE status = 'sent'",
            )
          ).rows[0].n,
        { timeout: 15_000 },
      )
      .toBe(3);

    const calls = standIn.calls.slice(before);
    expect(calls.length).toBeGreaterThanOrEqual(3 * 5);
    for (const call of calls) {
      const team = teamOfCall(call.args);
      expect(team, `${call.method} ${JSON.stringify(call.args).slice(0, 120)}`).toBeDefined();
      expect(call.token, `${call.method} for ${team}`).toBe(tokenOf.get(team ?? ''));
    }
    for (const team of TEAMS) {
      expect(
        calls.some(
          (c) => c.method === 'chat.postMessage' && teamOfCall(c.args) === team && c.args.metadata,
        ),
      ).toBe(true);
    }
  });
});
