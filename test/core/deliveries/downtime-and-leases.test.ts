/**
 * The delivery planner after downtime, and a claim whose lease runs out, over a simulated clock
 * (planner-harness.ts): what is caught up, sent late, or recorded missed, and how a late
 * confirmation of an expired claim counts once.
 */
import { describe, expect, it } from 'vitest';
import {
  type ClaimedRow,
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
  sendNow,
} from '../../../src/core/deliveries/service.ts';
import { AppError } from '../../../src/core/errors.ts';
import { HOUR_MS, LEASE_MS, MINUTE_MS, setUpPlannerHarness } from './planner-harness.ts';

const harness = setUpPlannerHarness();
const { subscriber, slackMessage, sendWhatIsDue, ledgerOf, nextDueAtOf } = harness;

describe('downtime and leases', () => {
  // Tuesday 1 December 2026; 09:00 in Berlin is 08:00 UTC.
  const subscribedAt = new Date('2026-12-01T06:00:00Z');
  const dueAt = new Date('2026-12-01T08:00:00Z');

  it('when the planner comes back after three days down, then one run catches up, and today’s delivery, 1 h 58 late, is still sent', async () => {
    await subscriber({ localTime: '09:00', timeZone: 'Europe/Berlin' }, subscribedAt);
    const back = new Date('2026-12-04T09:58:00Z');
    expect(await planDueDeliveries(harness.database.db, back)).toEqual({
      planned: 1,
      missed: 3,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    expect((await sendWhatIsDue(back)).map((d) => d.localDate)).toEqual(['2026-12-04']);
  });

  it('when today’s delivery was missed and the manager asks for one now, then a sender is handed it', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    const now = new Date(dueAt.getTime() + 3 * HOUR_MS);
    expect(await planDueDeliveries(harness.database.db, now)).toMatchObject({ missed: 1 });
    expect(await sendNow(harness.database.db, manager.who, now)).toMatchObject({
      status: 'queued',
    });
    expect(await sendWhatIsDue(now)).toHaveLength(1);
  });

  it('when the planner comes back 3 hours after a delivery was due, then it records it missed and it is never sent', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    expect(manager.subscription.nextDueAt).toEqual(dueAt);
    const back = new Date(dueAt.getTime() + 3 * HOUR_MS);

    expect(await planDueDeliveries(harness.database.db, back)).toEqual({
      planned: 0,
      missed: 1,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    expect(await sendWhatIsDue(back)).toEqual([]);
    expect(await sendWhatIsDue(new Date(back.getTime() + HOUR_MS))).toEqual([]);

    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({
        localDate: '2026-12-01',
        dueAt,
        status: 'missed',
        attempts: 0,
        topicId: null,
        slackTs: null,
      }),
    ]);
    expect(await nextDueAtOf(manager)).toEqual(new Date('2026-12-02T08:00:00Z'));
  });

  it('when the planner comes back 30 minutes after a delivery was due, then it is still sent, and marked late', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    const back = new Date(dueAt.getTime() + 30 * MINUTE_MS);

    expect(await planDueDeliveries(harness.database.db, back)).toEqual({
      planned: 1,
      missed: 0,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    const { deliveries } = await claimDeliveries(harness.database.db, back, {
      limit: 10,
      leaseMs: LEASE_MS,
    });
    expect(deliveries).toEqual([expect.objectContaining({ attempt: 1, late: true })]);
    const delivery = deliveries[0] as ClaimedRow;
    const confirmation = await confirmDelivery(
      harness.database.db,
      delivery.id,
      slackMessage(manager.who.slackUserId, back),
      back,
    );

    expect(confirmation).toEqual({ latenessSeconds: 1800, late: true, repeated: false });
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ status: 'sent', late: true, sentAt: back, attempts: 1 }),
    ]);
  });

  it('when a claimed delivery is not confirmed before its lease runs out, then it is claimed again; the old attempt’s message still counts, once', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    await planDueDeliveries(harness.database.db, new Date(dueAt.getTime() - MINUTE_MS));
    const claim = (at: number) =>
      claimDeliveries(harness.database.db, new Date(dueAt.getTime() + at), {
        limit: 10,
        leaseMs: LEASE_MS,
      });

    const first = (await claim(0)).deliveries;
    expect(first).toEqual([expect.objectContaining({ attempt: 1, late: false })]);
    expect((await claim(LEASE_MS - 1)).deliveries).toEqual([]);
    const second = (await claim(LEASE_MS)).deliveries;
    expect(second).toEqual([expect.objectContaining({ id: first[0]?.id, attempt: 2 })]);

    // The first sender's message did reach Slack, late: the truth wins over the lease.
    const id = String(first[0]?.id);
    const sentAt = new Date(dueAt.getTime() + LEASE_MS + 1_000);
    const message = slackMessage(manager.who.slackUserId, sentAt);
    expect(await confirmDelivery(harness.database.db, id, message, sentAt)).toMatchObject({
      repeated: false,
    });
    const recorded = await ledgerOf([manager.subscription.id]);
    expect(recorded).toEqual([
      expect.objectContaining({
        status: 'sent',
        attempts: 2,
        slackChannelId: message.channelId,
        slackTs: message.ts,
        sentAt,
      }),
    ]);

    // The same confirmation again (a retried request) changes nothing.
    const later = new Date(sentAt.getTime() + 5_000);
    expect(await confirmDelivery(harness.database.db, id, message, later)).toMatchObject({
      repeated: true,
    });
    expect(await ledgerOf([manager.subscription.id])).toEqual(recorded);

    // A second message for the same delivery is refused.
    const other = slackMessage(manager.who.slackUserId, later);
    const refused = await confirmDelivery(harness.database.db, id, other, later).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ statusCode: 409, code: 'delivery_already_sent' });
    expect(await ledgerOf([manager.subscription.id])).toEqual(recorded);
  });
});
