import {
  WebAPIHTTPError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';

const BOT_TOKEN = 'xoxb-1234-5678-outages';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}

describe('Slack stand-in: outages, posting limits and the call rate', () => {
  let standIn: SlackStandIn;
  let client: WebClient;
  /** The DM channel with a member named after `name`: channels the stand-in knows. */
  const dm = (name: string) => standIn.dmChannelIdFor(`U${name.slice(2)}`);

  beforeEach(async () => {
    standIn = await startSlackStandIn();
    client = new WebClient(BOT_TOKEN, {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 500,
    });
  });

  afterEach(async () => {
    await standIn.close();
  });

  describe('when Slack is down', () => {
    it('answers every call 503 in a server-error outage, and normally once it ends', async () => {
      await standIn.startOutage('server-error');

      const error = await rejectionOf(client.chat.postMessage({ channel: 'C0A', text: 'hi' }));

      expect(error).toBeInstanceOf(WebAPIHTTPError);
      expect((error as WebAPIHTTPError).statusCode).toBe(503);
      expect(standIn.outage).toBe('server-error');
      expect(standIn.callsTo('chat.postMessage')[0]?.response.status).toBe(503);
      await standIn.endOutage();
      await expect(client.chat.postMessage({ channel: 'C0A', text: 'hi' })).resolves.toMatchObject({
        ok: true,
      });
      expect(standIn.outage).toBeUndefined();
    });

    it('accepts and never answers in a timeout outage, so the client gives up on its own', async () => {
      await standIn.startOutage('timeout');
      const started = performance.now();

      const error = await rejectionOf(client.auth.test());

      expect(error).toBeInstanceOf(WebAPIRequestError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(450);
      // Held calls have no answer, so nothing is recorded as answered.
      expect(standIn.calls).toHaveLength(0);
      expect(standIn.callRate().reduce((sum, s) => sum + s.calls, 0)).toBe(1);
    });

    it('cuts off calls it holds when the outage ends', async () => {
      const patient = new WebClient(BOT_TOKEN, {
        slackApiUrl: standIn.url,
        retryConfig: { retries: 0 },
        timeout: 30_000,
      });
      await standIn.startOutage('timeout');
      const held = rejectionOf(patient.auth.test());
      await expect.poll(() => standIn.callRate().length).toBe(1);

      await standIn.endOutage();

      expect(await held).toBeInstanceOf(WebAPIRequestError);
    });

    it('refuses connections in a refuse outage, and listens on the same port again after', async () => {
      const { port, url } = standIn;
      await standIn.startOutage('refuse');

      const refused = await rejectionOf(fetch(`${standIn.origin}/api/auth.test`));

      expect((refused as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
      await standIn.endOutage();
      expect(standIn.port).toBe(port);
      expect(standIn.url).toBe(url);
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    });

    it('goes from one mode to the next without ending the outage in between', async () => {
      await standIn.startOutage('refuse');
      await standIn.startOutage('server-error');

      const error = await rejectionOf(client.auth.test());

      expect((error as WebAPIHTTPError).statusCode).toBe(503);
    });

    it('keeps the outage through reset(), which a long run calls to keep its memory flat', async () => {
      await standIn.startOutage('server-error');

      standIn.reset();

      expect(standIn.outage).toBe('server-error');
      expect(((await rejectionOf(client.auth.test())) as WebAPIHTTPError).statusCode).toBe(503);
    });
  });

  describe('when posting limits are enforced', () => {
    it('lets a burst through to a channel, then answers 429 with a whole-second Retry-After', async () => {
      standIn.enforceRateLimits({ perChannel: { perSecond: 1, burst: 2 } });

      await client.chat.postMessage({ channel: dm('D0ONE'), text: '1' });
      await client.chat.postMessage({ channel: dm('D0ONE'), text: '2' });
      const error = await rejectionOf(client.chat.postMessage({ channel: dm('D0ONE'), text: '3' }));
      const other = await client.chat.postMessage({ channel: dm('D0TWO'), text: 'elsewhere' });

      expect(error).toBeInstanceOf(WebAPIRateLimitedError);
      expect((error as WebAPIRateLimitedError).retryAfter).toBe(1);
      expect(other.ok).toBe(true);
      expect(standIn.rateLimitViolations().limited).toEqual({ channel: 1, workspace: 0 });
    });

    it('limits the workspace across channels, and leaves other methods alone', async () => {
      standIn.enforceRateLimits({ workspace: { perSecond: 0.5, burst: 3 } });

      for (const channel of [dm('D0A'), dm('D0B'), dm('D0C')]) {
        await client.chat.postMessage({ channel, text: 'ok' });
      }
      const error = await rejectionOf(
        client.chat.postMessage({ channel: dm('D0D'), text: 'over' }),
      );

      expect((error as WebAPIRateLimitedError).retryAfter).toBe(2);
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
      expect(standIn.rateLimitViolations().limited).toEqual({ channel: 0, workspace: 1 });
    });

    it('counts a post that comes before the Retry-After ran out as a violation, by scope', async () => {
      standIn.enforceRateLimits({ workspace: { perSecond: 0.2, burst: 1 } });
      await client.chat.postMessage({ channel: dm('D0A'), text: 'ok' });
      await rejectionOf(client.chat.postMessage({ channel: dm('D0B'), text: 'limited' }));

      await rejectionOf(client.chat.postMessage({ channel: dm('D0C'), text: 'too soon' }));

      const { violations, limited } = standIn.rateLimitViolations();
      expect(limited.workspace).toBe(2);
      expect(violations).toHaveLength(1);
      expect(violations[0]).toMatchObject({
        scope: 'workspace',
        teamId: standIn.identity.teamId,
        channel: dm('D0C'),
      });
      expect(violations[0]?.sinceRateLimitMs).toBeGreaterThanOrEqual(0);
      expect(violations[0]?.earlyByMs).toBeGreaterThan(0);
      // The post that was limited first broke no promise: nobody had been told to wait.
      expect(violations[0]?.earlyByMs).toBeLessThanOrEqual(5_000);
    });

    it('lifts the limits with undefined', async () => {
      standIn.enforceRateLimits({ perChannel: { perSecond: 1, burst: 1 } });
      standIn.enforceRateLimits(undefined);

      for (let i = 0; i < 3; i++)
        await client.chat.postMessage({ channel: dm('D0A'), text: `${i}` });

      expect(standIn.rateLimitViolations().limited).toEqual({ channel: 0, workspace: 0 });
    });

    it('refuses limits that could never let a post through', () => {
      expect(() => standIn.enforceRateLimits({ perChannel: { perSecond: 0, burst: 1 } })).toThrow(
        RangeError,
      );
    });
  });

  describe('the call rate', () => {
    it('counts Web API requests per second, those an outage answers too, and outlives reset()', async () => {
      await client.auth.test();
      await standIn.startOutage('server-error');
      await rejectionOf(client.auth.test());
      await standIn.endOutage();
      standIn.reset();

      const rate = standIn.callRate();

      expect(rate.reduce((sum, s) => sum + s.calls, 0)).toBe(2);
      for (const sample of rate) {
        expect(Math.abs(sample.second - Date.now() / 1000)).toBeLessThan(30);
      }
    });
  });
});
