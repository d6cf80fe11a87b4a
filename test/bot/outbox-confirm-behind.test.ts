/**
 * A sender's slot moves on to its next message as soon as Slack has taken one, while that one's
 * confirmation goes to the API behind it (issue 19, item 1): the pace counts Slack calls in
 * flight, not API calls. The lease of a posted message is still held until its confirmation is
 * recorded, and stopping waits for every confirmation under way. The API's confirmations are
 * held back here until the test lets them through; everything else is real (the API over HTTP,
 * the stand-in, the outbox's own chat.postMessage).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessagePoster } from '../../src/bot/slack-post.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { deliveryOf, type OutboxWorld, startOutboxWorld } from '../support/outbox-harness.ts';
import { botApiClient } from '../support/service-calls.ts';

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
    const real = botApiClient(world.apiUrl, world.clock.now);
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
    const sender = world.startSender(60, {
      api,
      post: createMessagePoster({
        apiUrl: world.standIn.url,
        metrics: createMetrics(),
        timeoutMs: 5_000,
      }),
      concurrency: 1,
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

describe('when an idle sender polls seldom and a minute, with notes due on it, starts', () => {
  it('then it claims them just after the minute starts, not a poll interval later', async () => {
    // The sender's clock stands 300 ms before a minute: with nothing to send it waits until
    // just after that minute, not the poll interval's 60 seconds, and the note made due
    // meanwhile goes then.
    const beforeMinute = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000 - 300);
    const posts = () => world.standIn.callsTo('chat.postMessage').length;
    const before = posts();
    const sender = world.startSender(60, {
      pollIntervalMs: 60_000,
      serviceNow: () => beforeMinute,
    });
    try {
      const [manager] = await world.managersDueNow(1);
      const status = async () =>
        (await deliveryOf(world, manager as NonNullable<typeof manager>)).status;
      await expect.poll(status, { timeout: 5_000, interval: 20 }).toBe('sent');
      expect(posts()).toBe(before + 1);
    } finally {
      await sender.stop();
    }
  });
});
