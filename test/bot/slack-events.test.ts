/**
 * Slack's side of the all-in-one service, end to end: signed requests from the helper, the real
 * service with Bolt, our API and PostgreSQL, and the Slack stand-in at the network edge.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN, type TestApp } from '../support/app.ts';
import type { TestDatabase } from '../support/database.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import type { SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0ACME';
let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let slack: SlackRequester;
let harness: SlackHarness;
/** The service's clock and Slack's, moved by tests that check timestamps. */
let clockMs = Date.now();

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => new Date(clockMs) });
  ({ database, standIn, app, slack } = harness);
});

beforeEach(() => {
  clockMs = Date.now();
  standIn.reset();
});

afterAll(async () => {
  await harness?.close();
});

async function managersNamed(slackUserId: string) {
  return database.db
    .selectFrom('managers')
    .where('slack_user_id', '=', slackUserId)
    .selectAll()
    .execute();
}

async function metric(name: string): Promise<string[]> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith(name));
}

describe('Slack URL verification', () => {
  it('answers the challenge', async () => {
    const response = await slack.urlVerification(
      'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    );
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
  });
});

describe('when a manager types /blindspot', () => {
  it('acknowledges at once and opens the sign-up modal with their Slack time zone', async () => {
    standIn.addUser({ id: 'U0ALICE', teamId: TEAM, tz: 'Asia/Kolkata', locale: 'en-IN' });
    const response = await slack.slashCommand({
      command: '/blindspot',
      text: '',
      userId: 'U0ALICE',
    });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');

    const opened = await standIn.waitForCall('views.open');
    expect(opened.args.trigger_id).toBe(response.triggerId);
    const view = opened.args.view as {
      callback_id: string;
      blocks: Array<Record<string, unknown>>;
    };
    expect(view.callback_id).toBe('signup_modal');
    const zone = view.blocks.find((block) => block.block_id === 'time_zone') as {
      element: { initial_option: { value: string } };
    };
    expect(zone.element.initial_option.value).toBe('Asia/Kolkata');
    // Each day says what it leans to, from the workspace's themes through the API.
    const days = view.blocks.find((block) => block.block_id === 'weekdays') as {
      element: { options: Array<{ value: string; description?: { text: string } }> };
    };
    expect(days.element.options[1]).toMatchObject({
      value: '2',
      description: { text: 'leans to: Judging people fairly' },
    });

    const [lookup] = standIn.callsTo('users.info');
    expect(lookup?.args).toMatchObject({ user: 'U0ALICE' });
    expect(lookup?.token).toBe(TEST_BOT_TOKEN);
    // The profile is recorded through the API once the modal is open.
    await expect
      .poll(() => managersNamed('U0ALICE'))
      .toMatchObject([{ time_zone: 'Asia/Kolkata', locale: 'en-IN' }]);
    expect(await metric('blindspot_slack_ack_seconds_count{kind="command"}')).toHaveLength(1);
  });

  it('follows one request id from the Slack request through the bot into the API', async () => {
    standIn.addUser({ id: 'U0TRACE', teamId: TEAM, tz: 'Europe/Oslo', locale: 'nb-NO' });
    const response = await slack.slashCommand({
      command: '/blindspot',
      text: '',
      userId: 'U0TRACE',
    });
    await standIn.waitForCall('views.open');
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const urls = () =>
      app.logs.lines
        .filter((line) => line.requestId === requestId)
        .map((line) => (line.req as { url?: string } | undefined)?.url)
        .filter(Boolean);
    // The Slack request, and the API calls the bot made on its behalf, share one id.
    await expect.poll(urls).toContain('/api/v1/me');
    expect(urls()).toEqual(
      expect.arrayContaining([
        '/slack/events',
        '/api/v1/subscriptions/me',
        '/api/v1/topic-categories',
        '/api/v1/weekday-themes',
      ]),
    );
    const lines = app.logs.lines.filter((line) => line.requestId === requestId);
    expect(lines.some((line) => line.slackUserId === 'U0TRACE' && line.slackTeamId === TEAM)).toBe(
      true,
    );
  });

  it('answers /blindspot help with help, and touches nothing else', async () => {
    const response = await slack.slashCommand({
      command: '/blindspot',
      text: 'help',
      userId: 'U0HELP',
    });
    expect(response.status).toBe(200);
    const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
    expect(JSON.stringify(post.body)).toContain('/blindspot help');
    // Only a read of their Slack locale, for the language of the help: someone the API has not
    // met yet has no language on record.
    expect(standIn.calls.map((call) => call.method)).toEqual(['users.info']);
    expect(await managersNamed('U0HELP')).toEqual([]);
  });

  it('offers UTC when Slack cannot tell the time zone', async () => {
    standIn.failNext('users.info', { error: 'user_not_found' });
    await slack.slashCommand({ command: '/blindspot', text: '', userId: 'U0GHOST' });
    const opened = await standIn.waitForCall('views.open');
    expect(JSON.stringify(opened.args.view)).toContain('"value":"UTC"');
  });

  it('tells a manager who is not signed up how to sign up when they try to pause', async () => {
    const response = await slack.slashCommand({
      command: '/blindspot',
      text: 'pause',
      userId: 'U0NOBODY',
    });
    const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
    expect(JSON.stringify(post.body)).toContain('You are not signed up yet');
  });
});

describe('requests not signed by Slack', () => {
  async function expectRejected(response: { status: number; headers: Headers }, userId: string) {
    expect(response.status).toBe(401);
    // The request reached no listener: no Slack call, no row, and no log line of a listener.
    expect(standIn.calls).toEqual([]);
    expect(await managersNamed(userId)).toEqual([]);
    const requestId = response.headers.get('x-request-id');
    const lines = app.logs.lines.filter((line) => line.requestId === requestId);
    expect(lines.some((line) => 'slackKind' in line)).toBe(false);
  }

  it('rejects a bad signature with 401', async () => {
    standIn.addUser({ id: 'U0MALLORY', teamId: TEAM, tz: 'UTC' });
    const body = `command=%2Fblindspot&text=&user_id=U0MALLORY&team_id=${TEAM}&response_url=${encodeURIComponent(standIn.newResponseUrl())}`;
    const response = await slack.raw({
      body,
      contentType: 'application/x-www-form-urlencoded',
      signature: 'v0=0000000000000000000000000000000000000000000000000000000000000000',
    });
    await expectRejected(response, 'U0MALLORY');
    expect(JSON.parse(response.body)).toMatchObject({ code: 'invalid_slack_signature' });
    expect(await metric('blindspot_slack_requests_rejected_total{reason="bad_signature"}')).toEqual(
      ['blindspot_slack_requests_rejected_total{reason="bad_signature"} 1'],
    );
  });

  it('rejects a request without signature headers', async () => {
    const response = await slack.raw({
      body: `command=%2Fblindspot&user_id=U0NOSIG&team_id=${TEAM}`,
      contentType: 'application/x-www-form-urlencoded',
      signature: null,
    });
    await expectRejected(response, 'U0NOSIG');
  });

  it.each([
    ['more than 5 minutes old', -301],
    ['more than 5 minutes ahead', +301],
  ])('rejects a correctly signed request whose timestamp is %s', async (_label, offsetSeconds) => {
    standIn.addUser({ id: 'U0REPLAY', teamId: TEAM, tz: 'UTC' });
    const response = await slack.slashCommand({
      command: '/blindspot',
      userId: 'U0REPLAY',
      timestamp: Math.floor(clockMs / 1000) + offsetSeconds,
    });
    await expectRejected(response, 'U0REPLAY');
  });

  it('accepts a request signed 4 minutes ago, within the window', async () => {
    const response = await slack.slashCommand({
      command: '/blindspot',
      text: 'help',
      userId: 'U0RECENT',
      timestamp: Math.floor(clockMs / 1000) - 240,
    });
    expect(response.status).toBe(200);
    await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  });
});
