/**
 * The Slack stand-in's Web API as a WebClient sees it: its methods, authentication, waiting
 * for a call, response_url endpoints, reset and close. Its faults and latency:
 * slack-stand-in-faults.test.ts.
 */
import { WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import {
  rejectionOf,
  STAND_IN_BOT_TOKEN,
  startStandInWithClient,
} from '../support/stand-in-client.ts';

describe('Slack stand-in', () => {
  let standIn: SlackStandIn;
  let client: WebClient;

  beforeEach(async () => {
    ({ standIn, client } = await startStandInWithClient());
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
        token: STAND_IN_BOT_TOKEN,
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
        const wrong = new WebClient(STAND_IN_BOT_TOKEN, {
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
        body: JSON.stringify({ token: STAND_IN_BOT_TOKEN }),
      });
      const inHeader = await fetch(`${standIn.url}auth.test`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${STAND_IN_BOT_TOKEN}`,
        },
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
        body: `token=${STAND_IN_BOT_TOKEN}`,
      });

      expect(await response.json()).toMatchObject({ ok: true });
      expect(standIn.calls[0]?.token).toBe(STAND_IN_BOT_TOKEN);
    });
  });

  it('answers a method it does not know with unknown_method and HTTP 200', async () => {
    const response = await fetch(`${standIn.url}admin.teams.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${STAND_IN_BOT_TOKEN}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: false, error: 'unknown_method' });
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
