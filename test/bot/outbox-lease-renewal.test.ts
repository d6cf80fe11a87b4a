/**
 * The outbox's short leases, renewed while it holds the rows (src/bot/outbox-leases.ts): Slack
 * is slowed so that one note is in flight while the others wait their turn, and the API's clock
 * is moved on (not waited for) past the lease they were claimed with. The rows stay the sender's,
 * their lease ends keep moving forward, and each note goes out once, on its first claim.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutbox } from '../../src/bot/outbox.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { TEST_BOT_TOKEN } from '../support/app.ts';
import type { TestSubscriber } from '../support/factories.ts';
import {
  deliveryOf,
  messagesIn,
  type OutboxWorld,
  standInPoster,
  startOutboxWorld,
} from '../support/outbox-harness.ts';
import { botApiClient } from '../support/service-calls.ts';

/** The shortest lease the API grants, renewed every 50 ms rather than every third of it. */
const LEASE_SECONDS = 5;
const SLACK_LATENCY_MS = 1_500;

let world: OutboxWorld;

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterAll(async () => {
  await world?.close();
});

function leasesOf(managers: TestSubscriber[]) {
  return Promise.all(
    managers.map((manager) =>
      world.database.db
        .selectFrom('deliveries')
        .where('subscription_id', '=', manager.subscription.id)
        .select(['status', 'lease_expires_at as leaseExpiresAt'])
        .executeTakeFirstOrThrow(),
    ),
  );
}

/** A sender sending one note at a time through a slowed Slack, renewing its leases every 50 ms. */
function startSlowSender() {
  world.standIn.setLatency('chat.postMessage', SLACK_LATENCY_MS);
  return startOutbox({
    api: botApiClient(world.apiUrl, world.clock.now),
    slack: new WebClient(TEST_BOT_TOKEN, {
      slackApiUrl: world.standIn.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    }),
    post: standInPoster(world.standIn),
    logger: createLogger({ level: 'silent', service: 'test' }),
    pollIntervalMs: 10,
    // One at a time, so two of three notes wait in the queue behind the slow one.
    concurrency: 1,
    leaseSeconds: LEASE_SECONDS,
    renewEveryMs: 50,
  });
}

describe('when notes wait in the outbox longer than the lease they were claimed with', () => {
  it('then the sender renews their leases, no one claims them again, and each is sent once', async () => {
    const managers = await world.managersDueNow(3);
    const outbox = startSlowSender();
    try {
      let firstLeases: Date[] = [];
      await expect
        .poll(
          async () => {
            const rows = await leasesOf(managers);
            firstLeases = rows.map((row) => row.leaseExpiresAt ?? new Date(0));
            return rows.every((row) => row.status === 'claimed');
          },
          { timeout: 5_000, interval: 10 },
        )
        .toBe(true);
      const firstLeaseEnd = Math.max(...firstLeases.map((at) => at.getTime()));

      // Four of the lease's five seconds pass; the next renewal holds the rows 5 s from then.
      world.clock.advance(4_000);
      await expect
        .poll(
          async () => {
            const rows = await leasesOf(managers);
            const waiting = rows.filter((row) => row.status === 'claimed');
            return (
              waiting.length >= 2 &&
              waiting.every((row) => (row.leaseExpiresAt?.getTime() ?? 0) > firstLeaseEnd + 3_000)
            );
          },
          { timeout: 5_000, interval: 10 },
        )
        .toBe(true);

      // Past the first lease by now: only the renewals keep the waiting notes from a claim.
      world.clock.advance(4_000);
      await expect
        .poll(async () => (await leasesOf(managers)).every((row) => row.status === 'sent'), {
          timeout: 15_000,
          interval: 20,
        })
        .toBe(true);
    } finally {
      await outbox.stop();
      world.standIn.reset();
    }

    for (const manager of managers) {
      expect(await deliveryOf(world, manager)).toEqual(
        expect.objectContaining({ status: 'sent', attempts: 1 }),
      );
      expect(await messagesIn(world, manager)).toHaveLength(1);
    }
  }, 30_000);
});

describe('when another sender has claimed a note this one still has queued', () => {
  it('then the renewal says the lease is lost, and the note is dropped from the queue unsent', async () => {
    const managers = await world.managersDueNow(3);
    const outbox = startSlowSender();
    try {
      await expect
        .poll(async () => (await leasesOf(managers)).every((row) => row.status === 'claimed'), {
          timeout: 5_000,
          interval: 10,
        })
        .toBe(true);
      // As another sender's claim would once the lease had lapsed: the attempt moves on.
      await world.database.db
        .updateTable('deliveries')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where(
          'subscription_id',
          'in',
          managers.map((manager) => manager.subscription.id),
        )
        .execute();
      // The one in flight finishes (its confirmation records the truth); the others are gone.
      await expect
        .poll(async () => (await leasesOf(managers)).some((row) => row.status === 'sent'), {
          timeout: 5_000,
          interval: 20,
        })
        .toBe(true);
    } finally {
      await outbox.stop();
      world.standIn.reset();
    }
    const rows = await Promise.all(managers.map((manager) => deliveryOf(world, manager)));
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(1);
    expect(rows.filter((row) => row.status === 'claimed' && row.attempts === 2)).toHaveLength(2);
    const messages = await Promise.all(managers.map((manager) => messagesIn(world, manager)));
    expect(messages.map((dm) => dm.length).sort()).toEqual([0, 0, 1]);
  }, 30_000);
});
