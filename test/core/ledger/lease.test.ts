/**
 * The lease protocol of core/ledger, through the deliveries ledger: renewing a lease keeps the
 * row from being claimed again under a live sender, and only the current holder may renew.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
  renewDeliveryLease,
} from '../../../src/core/deliveries/service.ts';
import { AppError } from '../../../src/core/errors.ts';
import { retryAt, retryDelayMs } from '../../../src/core/ledger/rules.ts';
import { renewReminderLease } from '../../../src/core/reminders/service.ts';
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

describe('renewing a lease', () => {
  it('when the holder renews before its lease ends, then no one claims the row until the new end', async () => {
    const delivery = await claimedDelivery();
    expect(delivery.attempt).toBe(1);

    const renewal = await renewDeliveryLease(database.db, delivery.id, 1, at(50_000), LEASE_MS);
    expect(renewal).toEqual({ renewed: true, leaseExpiresAt: at(110_000) });

    // The first lease would have run out at +60 s: the renewed one holds until +110 s.
    expect(await claimedIdsAt(at(70_000))).not.toContain(delivery.id);
    const reclaimed = await claimedIdsAt(at(110_000));
    expect(reclaimed).toContain(delivery.id);
  });

  it('when a sender whose claim was taken over renews, then it is told so and the new holder keeps the row', async () => {
    const delivery = await claimedDelivery();
    // The first lease ran out and another sender claimed it: attempt 2.
    expect(await claimedIdsAt(at(LEASE_MS))).toContain(delivery.id);

    expect(await renewDeliveryLease(database.db, delivery.id, 1, at(61_000), LEASE_MS)).toEqual({
      renewed: false,
    });
    expect(await renewDeliveryLease(database.db, delivery.id, 2, at(61_000), LEASE_MS)).toEqual({
      renewed: true,
      leaseExpiresAt: at(121_000),
    });
  });

  it('when the delivery was already confirmed, then renewing changes nothing', async () => {
    const delivery = await claimedDelivery();
    await confirmDelivery(database.db, delivery.id, { channelId: 'D0LEASE', ts: '1.1' }, at(5_000));

    expect(await renewDeliveryLease(database.db, delivery.id, 1, at(10_000), LEASE_MS)).toEqual({
      renewed: false,
    });
  });

  it('when the row does not exist, then it is a 404 naming the ledger', async () => {
    const delivery = renewDeliveryLease(database.db, '999999999', 1, DUE_AT, LEASE_MS);
    await expect(delivery).rejects.toBeInstanceOf(AppError);
    await expect(delivery).rejects.toMatchObject({ statusCode: 404, code: 'delivery_not_found' });
    await expect(
      renewReminderLease(database.db, '999999999', 1, DUE_AT, LEASE_MS),
    ).rejects.toMatchObject({ statusCode: 404, code: 'reminder_not_found' });
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
