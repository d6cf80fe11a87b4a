/**
 * Slack can be down, or answer errors, when the bot starts. The bot must come up anyway, serve
 * its health checks, and work as soon as Slack answers again: a crash here would put the
 * container into a restart loop for the length of Slack's incident.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { startTestApp, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createSlackRequester, type SlackRequester } from '../support/slack-requests.ts';

let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let slack: SlackRequester;

beforeAll(async () => {
  database = await createTestDatabase();
  standIn = await startSlackStandIn();
  standIn.serverErrorNext('auth.test', { status: 503, times: Number.POSITIVE_INFINITY });
  app = await startTestApp({
    databaseUrl: database.url,
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: standIn.url,
    },
  });
  slack = createSlackRequester({
    baseUrl: app.url,
    signingSecret: TEST_SIGNING_SECRET,
    teamId: 'T0STARTUP',
    standIn,
  });
});

afterAll(async () => {
  await app?.close();
  await standIn?.close();
  await database?.drop();
});

describe('when Slack is failing as the bot starts', () => {
  it('starts anyway, says so once, and answers its health checks', async () => {
    expect(standIn.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(app.logs.lines.map((line) => line.msg)).toContain(
      'Slack auth.test failed; will ask again on the next event',
    );
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('works as soon as Slack answers again, and asks who it is only once', async () => {
    standIn.reset();
    const first = await slack.slashCommand({ command: '/blindspot', text: 'help', userId: 'U0S1' });
    expect(first.status).toBe(200);
    const post = await standIn.waitForResponseUrlPost((p) => p.url === first.responseUrl);
    expect(JSON.stringify(post.body)).toContain('/blindspot help');

    const second = await slack.slashCommand({
      command: '/blindspot',
      text: 'help',
      userId: 'U0S2',
    });
    expect(second.status).toBe(200);
    await standIn.waitForResponseUrlPost((p) => p.url === second.responseUrl);
    expect(standIn.callsTo('auth.test')).toHaveLength(1);
  });
});
