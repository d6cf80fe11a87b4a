import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, isValidSlackRequest, LogLevel } from '@slack/bolt';
import {
  ErrorCode,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  LogLevel as WebApiLogLevel,
  WebClient,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import {
  createSlackRequester,
  encodeSlackForm,
  signSlackRequest,
} from '../support/slack-requests.ts';

const BOT_TOKEN = 'xoxb-1234-5678-standin';

// Slack's worked example: https://docs.slack.dev/authentication/verifying-requests-from-slack
const SLACK_EXAMPLE = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

describe('Slack stand-in', () => {
  let standIn: SlackStandIn;
  let client: WebClient;

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    standIn.addUser({
      id: 'U0MANAGER1',
      realName: 'Ada Lovelace',
      tz: 'Europe/London',
      locale: 'en-GB',
    });
    client = new WebClient(BOT_TOKEN, {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  });

  afterEach(async () => {
    await standIn.close();
  });

  it('serves the Web API under a base URL ending in /api/ on a free local port', () => {
    expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(standIn.port).toBeGreaterThan(0);
  });

  describe('when the app calls methods through a WebClient', () => {
    it('records chat.postMessage with its blocks parsed back to an array, and answers like Slack', async () => {
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Your week*' } }];

      const result = await client.chat.postMessage({
        channel: 'C0TEAM0001',
        text: 'Your week',
        blocks,
      });

      expect(result).toMatchObject({
        ok: true,
        channel: 'C0TEAM0001',
        message: { type: 'message', text: 'Your week', blocks, bot_id: standIn.identity.botId },
      });
      expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(result.message?.ts).toBe(result.ts);
      const [call] = standIn.callsTo('chat.postMessage');
      expect(call).toMatchObject({
        method: 'chat.postMessage',
        token: BOT_TOKEN,
        args: { channel: 'C0TEAM0001', text: 'Your week', blocks },
        response: { status: 200, body: { ok: true, ts: result.ts } },
      });
      expect(call?.at).toBeInstanceOf(Date);
      expect(call?.args).not.toHaveProperty('token');
    });

    it('gives every posted message a unique, increasing ts', async () => {
      const timestamps: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const result = await client.chat.postMessage({ channel: 'C0TEAM0001', text: `#${index}` });
        timestamps.push(result.ts ?? '');
      }

      expect(new Set(timestamps).size).toBe(5);
      expect([...timestamps].sort((a, b) => Number(a) - Number(b))).toEqual(timestamps);
    });

    it('answers users.info with the seeded member, including the locale only when asked', async () => {
      const withoutLocale = await client.users.info({ user: 'U0MANAGER1' });
      const withLocale = await client.users.info({ user: 'U0MANAGER1', include_locale: true });

      expect(withoutLocale.user).toMatchObject({
        id: 'U0MANAGER1',
        team_id: standIn.identity.teamId,
        real_name: 'Ada Lovelace',
        tz: 'Europe/London',
        is_bot: false,
        deleted: false,
        profile: { real_name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' },
      });
      expect(withoutLocale.user?.tz_label).toMatch(/^(Greenwich Mean Time|British Summer Time)$/);
      expect([0, 3600]).toContain(withoutLocale.user?.tz_offset);
      expect(withoutLocale.user).not.toHaveProperty('locale');
      expect(withLocale.user?.locale).toBe('en-GB');
      expect(standIn.callsTo('users.info')[1]?.args).toEqual({
        user: 'U0MANAGER1',
        include_locale: 'true',
      });
    });

    it('fails users.info for a member it does not know with user_not_found', async () => {
      const error = await rejectionOf(client.users.info({ user: 'U0NOBODY01' }));

      expect(error).toBeInstanceOf(WebAPIPlatformError);
      expect((error as WebAPIPlatformError).data.error).toBe('user_not_found');
    });

    it('opens the same DM channel for the same member every time, and posts there by user id too', async () => {
      const first = await client.conversations.open({ users: 'U0MANAGER1' });
      const second = await client.conversations.open({ users: 'U0MANAGER1' });
      const posted = await client.chat.postMessage({ channel: 'U0MANAGER1', text: 'Hello' });

      expect(first.channel?.id).toMatch(/^D[A-Z0-9]+$/);
      expect(second.channel?.id).toBe(first.channel?.id);
      expect(second).toMatchObject({ already_open: true });
      expect(posted.channel).toBe(first.channel?.id);
      expect(standIn.dmChannelIdFor('U0MANAGER1')).toBe(first.channel?.id);
    });

    it('refuses a DM with a deactivated member but, like Slack, still delivers to an existing DM', async () => {
      const dm = await client.conversations.open({ users: 'U0MANAGER1' });
      standIn.addUser({ id: 'U0MANAGER1', realName: 'Ada Lovelace', deleted: true });

      const openError = await rejectionOf(client.conversations.open({ users: 'U0MANAGER1' }));
      const posted = await client.chat.postMessage({
        channel: dm.channel?.id ?? '',
        text: 'Still there?',
      });
      const info = await client.users.info({ user: 'U0MANAGER1' });

      expect((openError as WebAPIPlatformError).data.error).toBe('user_disabled');
      expect(posted.ok).toBe(true);
      expect(info.user?.deleted).toBe(true);
    });

    it('refuses to post to a DM channel it never opened with channel_not_found', async () => {
      const error = await rejectionOf(
        client.chat.postMessage({ channel: 'D0MADEUP01', text: 'Hi' }),
      );

      expect((error as WebAPIPlatformError).data.error).toBe('channel_not_found');
    });

    it('opens a modal and refuses an update carrying a stale hash with hash_conflict', async () => {
      const view = {
        type: 'modal' as const,
        callback_id: 'log_blindspot',
        title: { type: 'plain_text' as const, text: 'Log a blind spot' },
        blocks: [],
      };
      const opened = await client.views.open({ trigger_id: '123.456.abc', view });
      const updated = await client.views.update({
        view_id: opened.view?.id ?? '',
        hash: opened.view?.hash ?? '',
        view,
      });

      const error = await rejectionOf(
        client.views.update({
          view_id: opened.view?.id ?? '',
          hash: opened.view?.hash ?? '',
          view,
        }),
      );

      expect(opened.view).toMatchObject({
        id: expect.stringMatching(/^V/),
        callback_id: 'log_blindspot',
      });
      expect(standIn.callsTo('views.open')[0]?.args.view).toEqual(view);
      expect(updated.view?.id).toBe(opened.view?.id);
      expect(updated.view?.hash).not.toBe(opened.view?.hash);
      expect((error as WebAPIPlatformError).data.error).toBe('hash_conflict');
    });

    it('publishes a Home tab under one view id per member', async () => {
      const home = { type: 'home' as const, blocks: [] };

      const first = await client.views.publish({ user_id: 'U0MANAGER1', view: home });
      const second = await client.views.publish({ user_id: 'U0MANAGER1', view: home });

      expect(first.view?.type).toBe('home');
      expect(second.view?.id).toBe(first.view?.id);
    });

    it('tells the bot who it is on auth.test', async () => {
      const result = await client.auth.test();

      expect(result).toMatchObject({
        ok: true,
        url: `https://${standIn.identity.teamDomain}.slack.com/`,
        team_id: standIn.identity.teamId,
        user_id: standIn.identity.botUserId,
        bot_id: standIn.identity.botId,
      });
    });
  });

  describe('when a request is not authenticated', () => {
    it('answers not_authed without a token and invalid_auth with one it does not accept', async () => {
      const strict = await startSlackStandIn({ tokens: ['xoxb-the-only-one'] });
      try {
        const anonymous = new WebClient(undefined, {
          slackApiUrl: strict.url,
          retryConfig: { retries: 0 },
        });
        const wrong = new WebClient(BOT_TOKEN, {
          slackApiUrl: strict.url,
          retryConfig: { retries: 0 },
        });
        const right = new WebClient('xoxb-the-only-one', { slackApiUrl: strict.url });

        const notAuthed = await rejectionOf(anonymous.auth.test());
        const invalidAuth = await rejectionOf(wrong.auth.test());

        expect((notAuthed as WebAPIPlatformError).data.error).toBe('not_authed');
        expect((invalidAuth as WebAPIPlatformError).data.error).toBe('invalid_auth');
        await expect(right.auth.test()).resolves.toMatchObject({ ok: true });
      } finally {
        await strict.close();
      }
    });

    it('ignores a token inside a JSON body, as Slack does, and warns about a missing charset', async () => {
      const inBody = await fetch(`${standIn.url}auth.test`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: BOT_TOKEN }),
      });
      const inHeader = await fetch(`${standIn.url}auth.test`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${BOT_TOKEN}` },
        body: '{}',
      });

      expect(await inBody.json()).toEqual({ ok: false, error: 'not_authed' });
      expect(await inHeader.json()).toMatchObject({
        ok: true,
        warning: 'missing_charset',
        response_metadata: { warnings: ['missing_charset'] },
      });
    });

    it('accepts the token as a form field', async () => {
      const response = await fetch(`${standIn.url}auth.test`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `token=${BOT_TOKEN}`,
      });

      expect(await response.json()).toMatchObject({ ok: true });
      expect(standIn.calls[0]?.token).toBe(BOT_TOKEN);
    });
  });

  it('answers a method it does not know with unknown_method and HTTP 200', async () => {
    const response = await fetch(`${standIn.url}admin.teams.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${BOT_TOKEN}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: false, error: 'unknown_method' });
  });

  describe('when a method is set to fail', () => {
    it('gives the WebClient a platform error with that code once, records it, then recovers', async () => {
      standIn.failNext('chat.postMessage', { error: 'channel_not_found' });

      const error = await rejectionOf(
        client.chat.postMessage({ channel: 'C0TEAM0001', text: 'Hi' }),
      );
      const retried = await client.chat.postMessage({ channel: 'C0TEAM0001', text: 'Hi' });

      expect(error).toBeInstanceOf(WebAPIPlatformError);
      expect((error as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
      expect((error as WebAPIPlatformError).data.error).toBe('channel_not_found');
      expect(retried.ok).toBe(true);
      expect(standIn.callsTo('chat.postMessage').map((call) => call.response)).toEqual([
        expect.objectContaining({ status: 200, body: { ok: false, error: 'channel_not_found' } }),
        expect.objectContaining({ status: 200, body: expect.objectContaining({ ok: true }) }),
      ]);
    });

    it('keeps failing for as many calls as asked, and only for calls matching `when`', async () => {
      standIn.failNext('chat.postMessage', {
        error: 'account_inactive',
        times: 2,
        when: (args) => args.channel === 'C0GONE0001',
      });

      const outcomes: string[] = [];
      for (const channel of ['C0GONE0001', 'C0TEAM0001', 'C0GONE0001', 'C0GONE0001']) {
        try {
          await client.chat.postMessage({ channel, text: 'Hi' });
          outcomes.push(`${channel} ok`);
        } catch (error) {
          outcomes.push(`${channel} ${(error as WebAPIPlatformError).data.error}`);
        }
      }

      expect(outcomes).toEqual([
        'C0GONE0001 account_inactive',
        'C0TEAM0001 ok',
        'C0GONE0001 account_inactive',
        'C0GONE0001 ok',
      ]);
    });

    it('fails every call to every method until reset when set with "*" and Infinity', async () => {
      standIn.failNext('*', { error: 'invalid_auth', times: Number.POSITIVE_INFINITY });

      const first = await rejectionOf(client.auth.test());
      const second = await rejectionOf(client.users.info({ user: 'U0MANAGER1' }));
      standIn.reset();

      expect((first as WebAPIPlatformError).data.error).toBe('invalid_auth');
      expect((second as WebAPIPlatformError).data.error).toBe('invalid_auth');
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
      expect(standIn.calls.map((call) => call.method)).toEqual(['auth.test']);
    });
  });

  describe('when a method is set to be rate limited', () => {
    it('answers 429 with Retry-After and the ratelimited error', async () => {
      standIn.rateLimitNext('chat.postMessage', { retryAfterSeconds: 30 });

      const response = await fetch(`${standIn.url}chat.postMessage`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${BOT_TOKEN}` },
        body: new URLSearchParams({ channel: 'C0TEAM0001', text: 'Hi' }),
      });

      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
      expect(standIn.calls[0]?.response).toMatchObject({
        status: 429,
        headers: { 'retry-after': '30' },
      });
    });

    it('makes a WebClient that rejects rate-limited calls throw a rate-limited error with retryAfter', async () => {
      standIn.rateLimitNext('chat.postMessage', { retryAfterSeconds: 7 });

      const error = await rejectionOf(
        client.chat.postMessage({ channel: 'C0TEAM0001', text: 'Hi' }),
      );

      expect(error).toBeInstanceOf(WebAPIRateLimitedError);
      expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    });
  });

  describe('when a method is set to fail with a server error', () => {
    it('answers the status and the WebClient reports an HTTP error', async () => {
      standIn.serverErrorNext('users.info', { status: 503 });

      const error = await rejectionOf(client.users.info({ user: 'U0MANAGER1' }));

      expect(error).toBeInstanceOf(WebAPIHTTPError);
      expect((error as WebAPIHTTPError).statusCode).toBe(503);
      expect(standIn.calls[0]?.response).toMatchObject({
        status: 503,
        body: '503 Service Unavailable',
      });
    });
  });

  describe('when latency is set', () => {
    it('holds the answer back for that long', async () => {
      standIn.setLatency('users.info', 150);

      const startedAt = performance.now();
      await client.users.info({ user: 'U0MANAGER1' });
      const elapsedMs = performance.now() - startedAt;

      expect(elapsedMs).toBeGreaterThanOrEqual(145);
    });

    it('lets a client with a shorter timeout give up, and still records the call', async () => {
      standIn.setLatency('*', 300);
      const impatient = new WebClient(BOT_TOKEN, {
        slackApiUrl: standIn.url,
        retryConfig: { retries: 0 },
        timeout: 50,
        // The WebClient logs the abort as a warning; the assertion below is what matters.
        logLevel: WebApiLogLevel.ERROR,
      });

      const error = await rejectionOf(impatient.auth.test());
      const call = await standIn.waitForCall('auth.test');

      expect(error).toBeInstanceOf(WebAPIRequestError);
      expect(call.response.status).toBe(200);
    });
  });

  describe('waitForCall', () => {
    it('resolves with a call that has already been made', async () => {
      await client.auth.test();

      const call = await standIn.waitForCall('auth.test');

      expect(call.method).toBe('auth.test');
    });

    it('resolves with the first future call that matches the predicate', async () => {
      const waiting = standIn.waitForCall(
        'chat.postMessage',
        (call) => call.args.text === 'second',
      );

      await client.chat.postMessage({ channel: 'C0TEAM0001', text: 'first' });
      await client.chat.postMessage({ channel: 'C0TEAM0001', text: 'second' });

      await expect(waiting).resolves.toMatchObject({ args: { text: 'second' } });
    });

    it('rejects after its deadline, listing the calls that were made', async () => {
      await client.auth.test();

      const error = await rejectionOf(
        standIn.waitForCall('chat.postMessage', undefined, { timeoutMs: 30 }),
      );

      expect((error as Error).message).toContain('Timed out after 30 ms');
      expect((error as Error).message).toContain('no chat.postMessage call');
      expect((error as Error).message).toMatch(/1\. auth\.test \{\} -> 200 ok/);
    });
  });

  describe('response_url endpoints', () => {
    it('records what the app POSTs and answers "ok" like Slack', async () => {
      const responseUrl = standIn.newResponseUrl();
      const waiting = standIn.waitForResponseUrlPost((post) => post.url === responseUrl);

      const response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text: 'Noted.' }),
      });

      expect(responseUrl.startsWith(`${standIn.origin}/response-url/`)).toBe(true);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok');
      await expect(waiting).resolves.toMatchObject({
        body: { response_type: 'ephemeral', text: 'Noted.' },
        contentType: 'application/json',
      });
      expect(standIn.responseUrlPosts).toHaveLength(1);
    });

    it('can be set to fail, e.g. with a 404 for an expired URL', async () => {
      standIn.failNextResponseUrlPost({ status: 404 });

      const response = await fetch(standIn.newResponseUrl(), { method: 'POST', body: '{}' });

      expect(response.status).toBe(404);
      expect(standIn.responseUrlPosts[0]?.response.status).toBe(404);
    });
  });

  it('forgets calls, faults and latency on reset but keeps seeded members and DM ids', async () => {
    const dm = await client.conversations.open({ users: 'U0MANAGER1' });
    standIn.failNext('auth.test', { error: 'invalid_auth' });
    standIn.setLatency('*', 10_000);

    standIn.reset();
    await client.auth.test();
    const reopened = await client.conversations.open({ users: 'U0MANAGER1' });

    expect(standIn.calls.map((call) => call.method)).toEqual(['auth.test', 'conversations.open']);
    expect(reopened.channel?.id).toBe(dm.channel?.id);
  });

  it('closes promptly even with a keep-alive connection open', async () => {
    await client.auth.test();

    await standIn.close();

    await expect(fetch(`${standIn.url}auth.test`)).rejects.toThrow();
  });
});

describe('signSlackRequest', () => {
  it("reproduces the signature of Slack's documented example", () => {
    const headers = signSlackRequest(SLACK_EXAMPLE);

    expect(headers).toEqual({
      'X-Slack-Request-Timestamp': '1531420618',
      'X-Slack-Signature': SLACK_EXAMPLE.signature,
    });
  });

  it('produces headers that Bolt accepts', () => {
    const body = '{"type":"url_verification","challenge":"abc"}';
    const headers = signSlackRequest({ signingSecret: 's3cret', body });

    const valid = isValidSlackRequest({
      signingSecret: 's3cret',
      body,
      headers: {
        'x-slack-signature': headers['X-Slack-Signature'],
        'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
      },
    });

    expect(valid).toBe(true);
  });
});

describe('encodeSlackForm', () => {
  it("encodes fields exactly as Slack's documented example body", () => {
    const body = encodeSlackForm({
      token: 'xyzz0WbapA4vBCDEFasx0q6G',
      team_id: 'T1DC2JH3J',
      team_domain: 'testteamnow',
      channel_id: 'G8PSS9T3V',
      channel_name: 'foobar',
      user_id: 'U2CERLKJA',
      user_name: 'roadrunner',
      command: '/webhook-collect',
      text: '',
      response_url:
        'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
      trigger_id: '398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
      enterprise_id: undefined,
    });

    expect(body).toBe(SLACK_EXAMPLE.body);
  });
});

interface CapturedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('Slack requester', () => {
  const signingSecret = 'requester-signing-secret';
  let app: Server;
  let baseUrl: string;
  let captured: CapturedRequest[];
  let standIn: SlackStandIn;

  beforeEach(async () => {
    captured = [];
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        captured.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ received: true }));
      });
    });
    app.listen(0, '127.0.0.1');
    await once(app, 'listening');
    baseUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    standIn = await startSlackStandIn();
  });

  afterEach(async () => {
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
    await standIn.close();
  });

  function lastRequest(): CapturedRequest {
    const request = captured.at(-1);
    if (!request) throw new Error('The app received no request');
    return request;
  }

  function expectSignedBySlack(request: CapturedRequest): void {
    const timestamp = String(request.headers['x-slack-request-timestamp']);
    const expected = createHmac('sha256', signingSecret)
      .update(`v0:${timestamp}:${request.body}`)
      .digest('hex');
    expect(request.headers['x-slack-signature']).toBe(`v0=${expected}`);
  }

  function payloadOf(request: CapturedRequest): unknown {
    const form = new URLSearchParams(request.body);
    expect([...form.keys()]).toEqual(['payload']);
    return JSON.parse(form.get('payload') ?? '');
  }

  it('sends a slash command form-encoded in Slack field order, signed, with a stand-in response_url', async () => {
    const fixedClock = new Date('2026-03-02T09:00:00Z');
    const requester = createSlackRequester({
      baseUrl,
      signingSecret,
      teamId: 'T0TEAM0001',
      standIn,
      now: () => fixedClock,
    });

    const result = await requester.slashCommand({
      command: '/blindspot',
      text: 'log missed 1:1',
      userId: 'U0MANAGER1',
    });

    const request = lastRequest();
    const form = new URLSearchParams(request.body);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/slack/events');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers['user-agent']).toMatch(/^Slackbot 1\.0/);
    expect(request.headers['x-slack-request-timestamp']).toBe(String(fixedClock.getTime() / 1000));
    expectSignedBySlack(request);
    expect([...form.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(request.body).toContain('command=%2Fblindspot&text=log+missed+1%3A1');
    expect(Object.fromEntries(form)).toMatchObject({
      team_id: 'T0TEAM0001',
      user_id: 'U0MANAGER1',
      channel_id: standIn.dmChannelIdFor('U0MANAGER1'),
      channel_name: 'directmessage',
      is_enterprise_install: 'false',
      response_url: result.responseUrl,
    });
    expect(result.responseUrl.startsWith(`${standIn.origin}/response-url/`)).toBe(true);
    expect(form.get('trigger_id')).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    expect(result.status).toBe(200);
    expect(result.json()).toEqual({ received: true });
  });

  it('sends block_actions as a form field `payload` holding the JSON payload', async () => {
    const requester = createSlackRequester({
      baseUrl,
      signingSecret,
      teamId: 'T0TEAM0001',
      standIn,
    });

    const result = await requester.blockActions({
      userId: 'U0MANAGER1',
      actionId: 'snooze_nudge',
      blockId: 'nudge_actions',
      value: 'nudge-42',
      messageTs: '1700000000.000100',
    });

    const request = lastRequest();
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expectSignedBySlack(request);
    const dm = standIn.dmChannelIdFor('U0MANAGER1');
    expect(payloadOf(request)).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0MANAGER1', team_id: 'T0TEAM0001' },
      api_app_id: standIn.identity.appId,
      team: { id: 'T0TEAM0001' },
      container: {
        type: 'message',
        message_ts: '1700000000.000100',
        channel_id: dm,
        is_ephemeral: false,
      },
      channel: { id: dm },
      message: { ts: '1700000000.000100', user: standIn.identity.botUserId },
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
      actions: [
        {
          action_id: 'snooze_nudge',
          block_id: 'nudge_actions',
          value: 'nudge-42',
          type: 'button',
          action_ts: expect.stringMatching(/^\d+\.\d+$/),
        },
      ],
    });
  });

  it('sends block_actions from inside a view with the view and no response_url', async () => {
    const requester = createSlackRequester({
      baseUrl,
      signingSecret,
      teamId: 'T0TEAM0001',
      standIn,
    });

    await requester.blockActions({
      userId: 'U0MANAGER1',
      actionId: 'pick_report',
      view: { id: 'V0MODAL001', callbackId: 'log_blindspot' },
    });

    const payload = payloadOf(lastRequest());
    expect(payload).toMatchObject({
      container: { type: 'view', view_id: 'V0MODAL001' },
      view: { id: 'V0MODAL001', callback_id: 'log_blindspot', type: 'modal' },
    });
    expect(payload).not.toHaveProperty('response_url');
    expect(payload).not.toHaveProperty('channel');
  });

  it('sends view_submission with the state values, private_metadata and empty response_urls', async () => {
    const requester = createSlackRequester({
      baseUrl,
      signingSecret,
      teamId: 'T0TEAM0001',
      standIn,
    });
    const values = {
      note_block: { note_input: { type: 'plain_text_input', value: 'Skipped two 1:1s' } },
    };

    await requester.viewSubmission({
      userId: 'U0MANAGER1',
      callbackId: 'log_blindspot',
      values,
      privateMetadata: '{"reportId":"r1"}',
      viewId: 'V0MODAL001',
    });

    const request = lastRequest();
    expectSignedBySlack(request);
    expect(payloadOf(request)).toMatchObject({
      type: 'view_submission',
      team: { id: 'T0TEAM0001' },
      user: { id: 'U0MANAGER1' },
      view: {
        id: 'V0MODAL001',
        type: 'modal',
        callback_id: 'log_blindspot',
        private_metadata: '{"reportId":"r1"}',
        state: { values },
        hash: expect.any(String),
      },
      response_urls: [],
    });
  });

  it('sends an Events API callback as JSON, and a retry with the same event_id and retry headers', async () => {
    const requester = createSlackRequester({
      baseUrl,
      signingSecret,
      teamId: 'T0TEAM0001',
      standIn,
    });
    const appHomeOpened = {
      type: 'app_home_opened',
      user: 'U0MANAGER1',
      channel: 'D0HOME0001',
      tab: 'home',
    };

    const original = await requester.event(appHomeOpened);
    const first = lastRequest();
    const retry = await requester.event(appHomeOpened, {
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    const second = lastRequest();

    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers).not.toHaveProperty('x-slack-retry-num');
    expectSignedBySlack(first);
    expect(JSON.parse(first.body)).toMatchObject({
      token: expect.any(String),
      team_id: 'T0TEAM0001',
      api_app_id: standIn.identity.appId,
      event: appHomeOpened,
      type: 'event_callback',
      event_id: expect.stringMatching(/^Ev[A-Z0-9]{10}$/),
      event_time: expect.any(Number),
      authorizations: [
        { team_id: 'T0TEAM0001', user_id: standIn.identity.botUserId, is_bot: true },
      ],
      is_ext_shared_channel: false,
      event_context: expect.stringMatching(/^4-/),
    });
    expect(second.headers['x-slack-retry-num']).toBe('1');
    expect(second.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(second.body).toBe(first.body);
    expect(retry.eventId).toBe(original.eventId);
    expectSignedBySlack(second);
  });

  it('refuses to invent a retry of an event it never sent', async () => {
    const requester = createSlackRequester({ baseUrl, signingSecret, teamId: 'T0TEAM0001' });

    await expect(requester.event({ type: 'app_mention' }, { retryNum: 1 })).rejects.toThrow(
      /original delivery/,
    );
  });

  it('sends url_verification as JSON with the challenge', async () => {
    const requester = createSlackRequester({ baseUrl, signingSecret, teamId: 'T0TEAM0001' });

    await requester.urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');

    const request = lastRequest();
    expectSignedBySlack(request);
    expect(JSON.parse(request.body)).toEqual({
      token: expect.any(String),
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
  });

  it('sends raw requests with a stale timestamp or a forged signature when asked', async () => {
    const requester = createSlackRequester({ baseUrl, signingSecret, teamId: 'T0TEAM0001' });
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    await requester.raw({
      body: 'a=1',
      contentType: 'application/x-www-form-urlencoded',
      timestamp: sixMinutesAgo,
    });
    const stale = lastRequest();
    await requester.raw({
      body: 'a=1',
      contentType: 'application/x-www-form-urlencoded',
      signature: 'v0=forged',
    });
    const forged = lastRequest();
    await requester.raw({
      body: 'a=1',
      contentType: 'application/x-www-form-urlencoded',
      signature: null,
    });
    const unsigned = lastRequest();

    expect(stale.headers['x-slack-request-timestamp']).toBe(String(sixMinutesAgo));
    expectSignedBySlack(stale);
    expect(forged.headers['x-slack-signature']).toBe('v0=forged');
    expect(unsigned.headers).not.toHaveProperty('x-slack-signature');
  });
});

describe('a Bolt app between the requester and the stand-in', () => {
  it('receives a signed slash command, and its respond() and chat.postMessage reach the stand-in', async () => {
    const standIn = await startSlackStandIn();
    standIn.addUser({ id: 'U0MANAGER1', realName: 'Ada Lovelace' });
    const app = new App({
      token: BOT_TOKEN,
      signingSecret: 'bolt-signing-secret',
      clientOptions: { slackApiUrl: standIn.url },
      logLevel: LogLevel.ERROR,
    });
    app.command('/blindspot', async ({ ack, respond, client: boltClient, command }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `Logged: ${command.text}` });
      await boltClient.chat.postMessage({ channel: command.user_id, text: 'Thanks for logging.' });
    });
    const server = (await app.start(0)) as Server;
    try {
      const requester = createSlackRequester({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        signingSecret: 'bolt-signing-secret',
        teamId: standIn.identity.teamId,
        standIn,
      });

      const stale = await requester.slashCommand({
        command: '/blindspot',
        text: 'ignored',
        userId: 'U0MANAGER1',
        timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
      });
      const accepted = await requester.slashCommand({
        command: '/blindspot',
        text: 'missed 1:1',
        userId: 'U0MANAGER1',
      });

      expect(stale.status).toBe(401);
      expect(accepted.status).toBe(200);
      await expect(
        standIn.waitForResponseUrlPost((post) => post.url === accepted.responseUrl),
      ).resolves.toMatchObject({
        body: { response_type: 'ephemeral', text: 'Logged: missed 1:1' },
      });
      await expect(standIn.waitForCall('chat.postMessage')).resolves.toMatchObject({
        args: { channel: 'U0MANAGER1', text: 'Thanks for logging.' },
        response: { body: { ok: true, channel: standIn.dmChannelIdFor('U0MANAGER1') } },
      });
      expect(standIn.callsTo('auth.test')).toHaveLength(1);
    } finally {
      await app.stop();
      await standIn.close();
    }
  });
});
