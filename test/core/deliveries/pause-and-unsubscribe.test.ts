/**
 * Pausing, resuming and unsubscribing against the delivery planner, over a simulated clock
 * (planner-harness.ts): a planned delivery is removed, and resuming plans again from then on.
 */
import { describe, expect, it } from 'vitest';
import { PLAN_LOOKAHEAD_MS, planDueDeliveries } from '../../../src/core/deliveries/service.ts';
import { pause, resume, unsubscribe } from '../../../src/core/subscriptions/service.ts';
import { HOUR_MS, MINUTE_MS, setUpPlannerHarness } from './planner-harness.ts';

const harness = setUpPlannerHarness();
const { subscriber, runClock, ledgerOf, nextDueAtOf } = harness;

describe('pausing, unsubscribing and resuming', () => {
  // Tuesday 8 December 2026; 09:00 in Tokyo is 00:00 UTC.
  const subscribedAt = new Date('2026-12-07T20:00:00Z');
  const dueAt = new Date('2026-12-08T00:00:00Z');
  const plannedAt = new Date(dueAt.getTime() - 2 * MINUTE_MS);

  it('when a manager pauses, then the planned delivery is removed and nothing is sent; resuming plans again from then on', async () => {
    const manager = await subscriber({ localTime: '09:00', timeZone: 'Asia/Tokyo' }, subscribedAt);
    expect(await planDueDeliveries(harness.database.db, plannedAt)).toMatchObject({ planned: 1 });
    expect(await ledgerOf([manager.subscription.id])).toHaveLength(1);

    const paused = await pause(harness.database.db, manager.who, 'on holiday', plannedAt);
    expect(paused).toMatchObject({ status: 'paused', statusReason: 'on holiday', nextDueAt: null });
    expect(await ledgerOf([manager.subscription.id])).toEqual([]);
    await runClock(plannedAt, new Date(dueAt.getTime() + HOUR_MS));
    expect(await ledgerOf([manager.subscription.id])).toEqual([]);

    // Resumed after today's time had passed: the next one is tomorrow's, not today's.
    const resumedAt = new Date(dueAt.getTime() + 2 * HOUR_MS);
    const resumed = await resume(harness.database.db, manager.who, resumedAt);
    expect(resumed).toMatchObject({
      status: 'active',
      nextDueAt: new Date('2026-12-09T00:00:00Z'),
    });
    expect(await planDueDeliveries(harness.database.db, resumedAt)).toEqual({
      planned: 0,
      missed: 0,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    await runClock(new Date('2026-12-08T23:45:00Z'), new Date('2026-12-09T00:05:00Z'));
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ localDate: '2026-12-09', status: 'sent' }),
    ]);
  });

  it('when a manager resumes before today’s time, then today’s delivery is planned again', async () => {
    const manager = await subscriber({ localTime: '09:00', timeZone: 'Asia/Tokyo' }, subscribedAt);
    await planDueDeliveries(harness.database.db, plannedAt);
    await pause(harness.database.db, manager.who, 'a quiet week', plannedAt);
    const resumedAt = new Date(plannedAt.getTime() + MINUTE_MS);
    await resume(harness.database.db, manager.who, resumedAt);

    await runClock(resumedAt, new Date(dueAt.getTime() + PLAN_LOOKAHEAD_MS));
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ localDate: '2026-12-08', dueAt, status: 'sent', attempts: 1 }),
    ]);
  });

  it('when a manager unsubscribes, then the planned delivery is removed and nothing more is planned', async () => {
    const manager = await subscriber({ localTime: '09:00', timeZone: 'Asia/Tokyo' }, subscribedAt);
    await planDueDeliveries(harness.database.db, plannedAt);
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);

    const gone = await unsubscribe(harness.database.db, manager.who, plannedAt);
    expect(gone).toMatchObject({ status: 'unsubscribed', nextDueAt: null });
    await runClock(plannedAt, new Date(dueAt.getTime() + 30 * MINUTE_MS));
    expect(await ledgerOf([manager.subscription.id])).toEqual([]);
    expect(await nextDueAtOf(manager)).toBeNull();
  });
});
