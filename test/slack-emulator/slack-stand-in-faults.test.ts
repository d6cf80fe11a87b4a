/**
 * The Slack stand-in's faults as a WebClient sees them: a method set to fail, to be rate
 * limited, to fail with a server error, or to answer late.
 */
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
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
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
        headers: { Authorization: `Bearer ${STAND_IN_BOT_TOKEN}` },
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
      const impatient = new WebClient(STAND_IN_BOT_TOKEN, {
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
});
