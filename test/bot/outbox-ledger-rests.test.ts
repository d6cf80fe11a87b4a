/**
 * A sender asks an empty ledger again only at its next poll (issue 19, item 2): during a
 * fan-out it claims notes several times a second, and asking the empty reminders ledger each
 * time cost a signed request and a transaction for nothing. A reminder that falls due meanwhile
 * still goes, at the next poll. Everything is real: the API over HTTP, the stand-in, the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryOf,
  type OutboxWorld,
  reminderRow,
  startOutboxWorld,
} from '../support/outbox-harness.ts';
import { botApiClient } from '../support/service-calls.ts';

const POLL = { timeout: 15_000, interval: 20 };
let world: OutboxWorld;

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterAll(async () => {
  await world?.close();
});

/** The bot's API client, counting the claims it makes of each ledger. */
function countingApi() {
  const real = botApiClient(world.apiUrl, world.clock.now);
  const claims = { deliveries: 0, reminders: 0 };
  const api: typeof real = {
    ...real,
    claimDeliveries(limit, leaseSeconds) {
      claims.deliveries += 1;
      return real.claimDeliveries(limit, leaseSeconds);
    },
    claimReminders(limit, leaseSeconds) {
      claims.reminders += 1;
      return real.claimReminders(limit, leaseSeconds);
    },
  };
  return { api, claims };
}

describe('when twenty notes are due and no reminder is', () => {
  it('then the sender claims the notes two at a time and asks the reminders ledger once', async () => {
    const managers = await world.managersDueNow(20);
    const { api, claims } = countingApi();
    // Half a minute to the next one, and a poll interval of a minute: the next poll is 30 s
    // away, longer than this test.
    const midMinute = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
    const sender = world.startSender(60, {
      api,
      batchSize: 2,
      concurrency: 2,
      pollIntervalMs: 60_000,
      serviceNow: () => midMinute,
    });
    try {
      for (const manager of managers) {
        await expect.poll(async () => (await deliveryOf(world, manager)).status, POLL).toBe('sent');
      }
    } finally {
      await sender.stop();
    }
    expect(claims.deliveries).toBeGreaterThanOrEqual(10);
    expect(claims.reminders).toBe(1);
  });
});

describe('when a reminder falls due while notes are being sent', () => {
  it('then it goes at the next poll', async () => {
    const managers = await world.managersDueNow(20);
    const { api, claims } = countingApi();
    const sender = world.startSender(60, { api, batchSize: 2, concurrency: 1, pollIntervalMs: 50 });
    try {
      await expect.poll(() => claims.deliveries, POLL).toBeGreaterThanOrEqual(2);
      const reminderId = await world.reminderDueNow(
        managers[0] as NonNullable<(typeof managers)[0]>,
      );
      await expect
        .poll(async () => (await reminderRow(world, reminderId)).status, POLL)
        .toBe('sent');
      for (const manager of managers) {
        await expect.poll(async () => (await deliveryOf(world, manager)).status, POLL).toBe('sent');
      }
    } finally {
      await sender.stop();
    }
  });
});
