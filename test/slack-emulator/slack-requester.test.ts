/**
 * The test Slack requester (test/support/slack-requests.ts): what an app receives from it for
 * each kind of Slack request, and a Bolt app between it and the stand-in.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { createSlackRequester } from '../support/slack-requests.ts';
import { STAND_IN_BOT_TOKEN } from '../support/stand-in-client.ts';

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
      token: STAND_IN_BOT_TOKEN,
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
