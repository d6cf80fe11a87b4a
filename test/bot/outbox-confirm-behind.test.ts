/**
 * A sender's slot moves on to its next message as soon as Slack has taken one, while that one's
 * confirmation goes to the API behind it (issue 19, item 1): the pace counts Slack calls in
 * flight, not API calls. The lease of a posted message is still held until its confirmation is
 * recorded, and stopping waits for every confirmation under way. The API's confirmations are
 * held back here until the test lets them through; everything else is real (the API over HTTP,
 * the stand-in, the outbox's own chat.postMessage).
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/bot/api-client/index.ts';
import { startOutbox } from '../../src/bot/outbox.ts';
import { createMessagePoster } from '../../src/bot/slack-post.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { deliveryOf, type OutboxWorld, startOutboxWorld } from '../support/outbox-harness.ts';
import { TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';

const POLL = { timeout: 15_000, interval: 20 };
let world: OutboxWorld;

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('when a sender with one slot posts two notes and the API is slow to confirm', () => {
  it('then the second is posted before the first is confirmed, and stopping waits for both confirmations', async () => {
    const managers = await world.managersDueNow(2);
    const real = createApiClient({
      baseUrl: world.apiUrl,
      serviceToken: TEST_SERVICE_TOKEN,
      signingSecret: TEST_API_SIGNING_SECRET,
      now: world.clock.now,
    });
    let letThrough!: () => void;
    const gate = new Promise<void>((resolve) => {
      letThrough = resolve;
    });
    const confirmationCalls: string[][] = [];
    const api: typeof real = {
      ...real,
      async confirmDeliveries(confirmations) {
        confirmationCalls.push(confirmations.map((confirmation) => confirmation.id));
        await gate;
        return real.confirmDeliveries(confirmations);
      },
    };
    const sender = startOutbox({
      api,
      slack: new WebClient(TEST_BOT_TOKEN, {
        slackApiUrl: world.standIn.url,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: LogLevel.ERROR,
      }),
      post: createMessagePoster({
        apiUrl: world.standIn.url,
        metrics: createMetrics(),
        timeoutMs: 5_000,
      }),
      logger: createLogger({ level: 'silent', service: 'test' }),
      pollIntervalMs: 10,
      concurrency: 1,
      leaseSeconds: 60,
    });
    let stopped = false;
    try {
      await expect.poll(() => world.standIn.callsTo('chat.postMessage').length, POLL).toBe(2);
      // The first confirmation is still held; the second waits to go in the next batch.
      expect(confirmationCalls).toHaveLength(1);
      for (const manager of managers) {
        expect(await deliveryOf(world, manager)).toMatchObject({ status: 'claimed' });
      }
      const stopping = sender.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      letThrough();
      await stopping;
    } finally {
      letThrough();
      if (!stopped) await sender.stop();
    }
    for (const manager of managers) {
      expect(await deliveryOf(world, manager)).toMatchObject({ status: 'sent' });
    }
    expect(confirmationCalls.flat()).toHaveLength(2);
  });
});
