/**
 * The lease protocol of core/ledger, through the deliveries ledger: renewing a lease keeps the
 * row from being claimed again under a live sender, and only the current holder may renew.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
  renewDeliveryLeases,
  reportDeliveryFailure,
} from '../../../src/core/deliveries/service.ts';
import { retryAt, retryDelayMs } from '../../../src/core/ledger/rules.ts';
import { renewReminderLeases } from '../../../src/core/reminders/service.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createSubscriber, createWorkspace, type TestWorkspace } from '../../support/factories.ts';

const LEASE_MS = 60_000;
const SUBSCRIBED_AT = new Date('2026-12-07T12:00:00Z');
/** 09:00 in Berlin on 2026-12-08. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');

let database: TestDatabase;
let workspace: TestWorkspace;

beforeAll(async () => {
  database = await createTestDatabase();
  workspace = await createWorkspace(database.db);
});

afterAll(async () => {
  await database?.drop();
});

function at(offsetMs: number): Date {
  return new Date(DUE_AT.getTime() + offsetMs);
}

/** A subscriber whose delivery is due at DUE_AT, claimed then by one sender. */
async function claimedDelivery() {
  const manager = await createSubscriber(database.db, workspace, {}, SUBSCRIBED_AT);
  await planDueDeliveries(database.db, at(-2 * 60_000));
  const { deliveries } = await claimDeliveries(database.db, DUE_AT, {
    limit: 100,
    leaseMs: LEASE_MS,
  });
  const delivery = deliveries.find((row) => row.slackUserId === manager.who.slackUserId);
  if (!delivery) throw new Error('expected the delivery to be claimed');
  return delivery;
}

async function claimedIdsAt(now: Date): Promise<string[]> {
  const { deliveries } = await claimDeliveries(database.db, now, {
    limit: 100,
    leaseMs: LEASE_MS,
  });
  return deliveries.map((row) => row.id);
}

/** Renews one sender's leases through the batch call the outbox makes. */
function renew(leases: Array<{ id: string; attempt: number }>, now: Date) {
  return renewDeliveryLeases(database.db, leases, now, LEASE_MS);
}

describe('renewing leases', () => {
  it('when the holder renews before its lease ends, then no one claims the row until the new end', async () => {
    const delivery = await claimedDelivery();
    expect(delivery.attempt).toBe(1);

    expect(await renew([{ id: delivery.id, attempt: 1 }], at(50_000))).toEqual([
      { id: delivery.id, attempt: 1, renewed: true, leaseExpiresAt: at(110_000) },
    ]);

    // The first lease would have run out at +60 s: the renewed one holds until +110 s.
    expect(await claimedIdsAt(at(70_000))).not.toContain(delivery.id);
    const reclaimed = await claimedIdsAt(at(110_000));
    expect(reclaimed).toContain(delivery.id);
  });

  it('when a sender whose claim was taken over renews, then it is told so and the new holder keeps the row', async () => {
    const delivery = await claimedDelivery();
    // The first lease ran out and another sender claimed it: attempt 2.
    expect(await claimedIdsAt(at(LEASE_MS))).toContain(delivery.id);

    expect(await renew([{ id: delivery.id, attempt: 1 }], at(61_000))).toEqual([
      { id: delivery.id, attempt: 1, renewed: false, leaseExpiresAt: null },
    ]);
    expect(await renew([{ id: delivery.id, attempt: 2 }], at(61_000))).toEqual([
      { id: delivery.id, attempt: 2, renewed: true, leaseExpiresAt: at(121_000) },
    ]);
  });

  it('when the delivery was already confirmed, then renewing changes nothing', async () => {
    const delivery = await claimedDelivery();
    await confirmDelivery(database.db, delivery.id, { channelId: 'D0LEASE', ts: '1.1' }, at(5_000));

    expect(await renew([{ id: delivery.id, attempt: 1 }], at(10_000))).toEqual([
      { id: delivery.id, attempt: 1, renewed: false, leaseExpiresAt: null },
    ]);
  });

  it('when a row does not exist, then it is answered not renewed (not a 404), and the rest of the batch still is', async () => {
    const delivery = await claimedDelivery();
    const batch = [
      { id: '999999999', attempt: 1 },
      { id: delivery.id, attempt: 1 },
    ];
    expect(await renew(batch, at(10_000))).toEqual([
      { id: '999999999', attempt: 1, renewed: false, leaseExpiresAt: null },
      { id: delivery.id, attempt: 1, renewed: true, leaseExpiresAt: at(70_000) },
    ]);
    expect(
      await renewReminderLeases(database.db, [{ id: '999999999', attempt: 1 }], DUE_AT, LEASE_MS),
    ).toEqual([{ id: '999999999', attempt: 1, renewed: false, leaseExpiresAt: null }]);
  });

  it('when a failure report pushed the lease out past the renewal, then renewing does not pull it back', async () => {
    const delivery = await claimedDelivery();
    await reportDeliveryFailure(
      database.db,
      delivery.id,
      { attempt: 1, code: 'ratelimited', kind: 'rate_limited', retryAfterSeconds: 300 },
      at(1_000),
    );

    expect(await renew([{ id: delivery.id, attempt: 1 }], at(2_000))).toEqual([
      { id: delivery.id, attempt: 1, renewed: true, leaseExpiresAt: at(301_000) },
    ]);
  });
});

describe('when a failed send may be retried', () => {
  const now = new Date('2026-12-08T08:00:00Z');

  it('after a rate limit, then after Slack’s Retry-After', () => {
    const report = { attempt: 1, code: 'ratelimited', kind: 'rate_limited' as const };
    expect(retryAt({ ...report, retryAfterSeconds: 30 }, 1, now)).toEqual(
      new Date(now.getTime() + 30_000),
    );
  });

  it('after a rate limit without Retry-After, or a transient error, then after the back-off for the attempt', () => {
    const limited = { attempt: 3, code: 'ratelimited', kind: 'rate_limited' as const };
    const transient = { attempt: 3, code: 'internal_error', kind: 'transient' as const };
    expect(retryAt(limited, 3, now)).toEqual(new Date(now.getTime() + retryDelayMs(3)));
    expect(retryAt({ ...transient, retryAfterSeconds: 30 }, 3, now)).toEqual(
      new Date(now.getTime() + retryDelayMs(3)),
    );
  });
});
