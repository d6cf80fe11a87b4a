/**
 * The outbox's own chat.postMessage and the Home tab's own views.publish (src/bot/slack-post.ts),
 * against the Slack stand-in over real HTTP: each sends what WebClient sent (the blocks and
 * metadata as given, unfurling off, the token in the Authorization header, a JSON body with its
 * charset), and fails as WebClient failed, with the same error classes, so the outbox
 * classifies Slack's refusals, limits, 5xx, timeouts and refused connections as before. The
 * publish retries as the listeners' WebClient did. Every call is measured.
 */
import { createServer } from 'node:net';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/bot/outbox-failures.ts';
import {
  createMessagePoster,
  createViewPublisher,
  postThroughWebClient,
  publishThroughWebClient,
} from '../../src/bot/slack-post.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';

const MANAGER = 'U0POSTME';
let standIn: SlackStandIn;
let client: WebClient;
const metrics = createMetrics();

beforeAll(async () => {
  standIn = await startSlackStandIn();
  standIn.addUser({ id: MANAGER });
  client = new WebClient('xoxb-post', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await standIn?.close();
});

const note = () => ({
  channel: standIn.dmChannelIdFor(MANAGER),
  text: 'Recency bias: the last two weeks are not the whole quarter',
  blocks: [
    { type: 'section', text: { type: 'mrkdwn', text: '*Recency bias* — "quoted" & ünïcode ✓' } },
  ],
  metadata: { event_type: 'blindspot_delivery', event_payload: { delivery_id: '42' } },
  unfurl_links: false,
  unfurl_media: false,
});

async function counted(result: string, method = 'chat.postMessage'): Promise<number> {
  const metric = await metrics.slackApi.calls.get();
  return (
    metric.values.find((value) => value.labels.method === method && value.labels.result === result)
      ?.value ?? 0
  );
}

describe('when the outbox posts a note itself', () => {
  const post = () => createMessagePoster({ apiUrl: standIn.url, metrics, timeoutMs: 2_000 });

  it('then Slack receives what WebClient would have posted, and the answer names the message', async () => {
    const before = await counted('ok');
    const posted = await post()(client, note());
    const [call] = standIn.callsTo('chat.postMessage').slice(-1);
    expect(call?.token).toBe('xoxb-post');
    expect(call?.args).toEqual(note());
    // The stand-in warns as Slack does about a JSON body without its charset: none here.
    expect(call?.response.body).not.toHaveProperty('warning');
    expect(posted).toEqual({ channel: note().channel, ts: expect.stringMatching(/^\d+\.\d+$/) });
    expect(await counted('ok')).toBe(before + 1);

    // The same note through WebClient reaches Slack with the same arguments (its form body
    // carries the flags as text, which Slack reads as the same).
    await postThroughWebClient(client, note());
    const [viaWebClient] = standIn.callsTo('chat.postMessage').slice(-1);
    expect(viaWebClient?.args).toEqual({
      ...call?.args,
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
  });

  it('then a refusal is a WebAPIPlatformError with Slack’s code, classified as before', async () => {
    standIn.failNext('chat.postMessage', { error: 'channel_not_found' });
    const error = await post()(client, note()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('channel_not_found');
    expect(classify(error)).toEqual({ kind: 'unreachable', code: 'channel_not_found' });
  });

  it('then a 429 is a WebAPIRateLimitedError with Slack’s Retry-After, not waited out', async () => {
    const before = await counted('ratelimited');
    standIn.rateLimitNext('chat.postMessage', { retryAfterSeconds: 17 });
    const error = await post()(client, note()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(classify(error)).toEqual({
      kind: 'rate_limited',
      code: 'ratelimited',
      retryAfterSeconds: 17,
    });
    expect(await counted('ratelimited')).toBe(before + 1);
  });

  it('then a 503 is a WebAPIHTTPError with its status', async () => {
    standIn.serverErrorNext('chat.postMessage', { status: 503 });
    const error = await post()(client, note()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(classify(error)).toEqual({ kind: 'transient', code: 'http_503' });
  });

  it('then no answer within the timeout is a request error, and so is a refused connection', async () => {
    const before = await counted('request_error');
    standIn.setLatency('chat.postMessage', 1_000);
    try {
      const hasty = createMessagePoster({ apiUrl: standIn.url, metrics, timeoutMs: 50 });
      const error = await hasty(client, note()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WebAPIRequestError);
      expect(classify(error)).toEqual({ kind: 'transient', code: 'request_failed' });
    } finally {
      standIn.setLatency('chat.postMessage', 0);
    }

    const closed = await closedPort();
    const nowhere = createMessagePoster({
      apiUrl: `http://127.0.0.1:${closed}/api/`,
      metrics,
      timeoutMs: 2_000,
    });
    const refused = await nowhere(client, note()).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(WebAPIRequestError);
    expect(await counted('request_error')).toBe(before + 2);
  });

  it('then a wrong token is Slack’s invalid_auth', async () => {
    const stranger = new WebClient('not-a-token', { slackApiUrl: standIn.url });
    const error = await post()(stranger, note()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('invalid_auth');
  });
});

describe('when a Home tab is published without WebClient', () => {
  const home = (title: string) => ({
    user_id: MANAGER,
    view: {
      type: 'home',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${title}* — ünïcode ✓` } }],
    },
  });
  /** A publisher that records the waits it is asked for instead of waiting. */
  const publisher = (apiUrl = standIn.url) => {
    const waits: number[] = [];
    const publish = createViewPublisher({
      apiUrl,
      metrics,
      timeoutMs: 2_000,
      wait: async (ms) => {
        waits.push(ms);
      },
    });
    return { publish, waits };
  };
  const publishes = () => standIn.callsTo('views.publish').length;

  it('then Slack stores the view WebClient would have published, and the call is measured', async () => {
    const before = await counted('ok', 'views.publish');
    const { publish, waits } = publisher();
    await publish(client, home('Recency bias'));
    const [call] = standIn.callsTo('views.publish').slice(-1);
    expect(call?.token).toBe('xoxb-post');
    expect(call?.args).toEqual(home('Recency bias'));
    expect(call?.response.body).toMatchObject({ ok: true, view: { type: 'home' } });
    expect(call?.response.body).not.toHaveProperty('warning');
    expect(waits).toEqual([]);
    expect(await counted('ok', 'views.publish')).toBe(before + 1);

    await publishThroughWebClient(client, home('Recency bias'));
    const [viaWebClient] = standIn.callsTo('views.publish').slice(-1);
    expect(viaWebClient?.args).toEqual(call?.args);
    await publish.close();
  });

  it('then a 503 or no answer is tried again after 200 and 400 ms, as the listeners’ WebClient did', async () => {
    const { publish, waits } = publisher();
    const before = publishes();
    standIn.serverErrorNext('views.publish', { status: 503 });
    await publish(client, home('After one 503'));
    expect(waits).toEqual([200]);
    expect(publishes()).toBe(before + 2);

    standIn.serverErrorNext('views.publish', { status: 502, times: 3 });
    const error = await publish(client, home('Never')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect((error as WebAPIHTTPError).statusCode).toBe(502);
    expect(waits).toEqual([200, 200, 400]);
    expect(publishes()).toBe(before + 5);
    await publish.close();

    const refused = publisher(`http://127.0.0.1:${await closedPort()}/api/`);
    const unreachable = await refused
      .publish(client, home('Nowhere'))
      .catch((caught: unknown) => caught);
    expect(unreachable).toBeInstanceOf(WebAPIRequestError);
    expect(refused.waits).toEqual([200, 400]);
    await refused.publish.close();
  });

  it('then a 429 waits out Slack’s Retry-After before it tries again', async () => {
    const limited = await counted('ratelimited', 'views.publish');
    const { publish, waits } = publisher();
    standIn.rateLimitNext('views.publish', { retryAfterSeconds: 7 });
    await publish(client, home('After the limit'));
    expect(waits).toEqual([7_000]);
    expect(standIn.callsTo('views.publish').at(-1)?.args).toEqual(home('After the limit'));
    expect(await counted('ratelimited', 'views.publish')).toBe(limited + 1);
    await publish.close();
  });

  it('then Slack’s refusal is a WebAPIPlatformError, not tried again', async () => {
    const { publish, waits } = publisher();
    const before = publishes();
    standIn.failNext('views.publish', { error: 'not_enabled' });
    const error = await publish(client, home('Refused')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect((error as WebAPIPlatformError).data.error).toBe('not_enabled');
    expect(waits).toEqual([]);
    expect(publishes()).toBe(before + 1);
    await publish.close();
  });
});

/** A port nothing listens on: one that was free a moment ago. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
