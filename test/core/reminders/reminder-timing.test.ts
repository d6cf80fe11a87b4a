/**
 * When a reminder comes, by the reminder planner over a simulated clock (planner-harness.ts): on
 * its check-back day at the manager's delivery time in their zone, items due the same day in one
 * reminder, out of quiet hours, on a day the manager receives messages, and within the daily cap
 * of two Blindspot DMs.
 */
import { describe, expect, it } from 'vitest';
import { sendNow } from '../../../src/core/deliveries/service.ts';
import { setWeeklyDigest } from '../../../src/core/subscriptions/service.ts';
import {
  at,
  BERLIN,
  CHECK_BACK_DAY,
  NINE_ON_CHECK_BACK_DAY,
  PLANNED_AT,
  STEP_MS,
  setUpPlannerHarness,
  WEEKDAYS,
} from './planner-harness.ts';

const harness = setUpPlannerHarness();
const {
  subscribed,
  planned,
  sendDueDeliveries,
  runClock,
  runDays,
  sentTo,
  remindersOf,
  itemState,
  dmsPerDay,
} = harness;

describe('when a reminder is due', () => {
  it('when an item’s check-back date comes, then the reminder arrives that day at the manager’s delivery time in their zone (09:00 in Berlin is 08:00 UTC in winter), and not before', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);

    const dayBefore = await runClock(
      new Date('2026-01-11T06:00:00Z'),
      new Date('2026-01-11T10:00:00Z'),
    );
    expect(sentTo(manager, dayBefore)).toEqual([]);
    const onTheDay = await runClock(
      new Date('2026-01-12T06:00:00Z'),
      new Date('2026-01-12T10:00:00Z'),
    );

    expect(sentTo(manager, onTheDay)).toEqual([
      {
        reminder: {
          id: expect.any(String),
          attempt: 1,
          kind: 'reminder',
          dueAt: NINE_ON_CHECK_BACK_DAY,
          localDate: CHECK_BACK_DAY,
          slackTeamId: harness.workspace.slackTeamId,
          slackUserId: manager.who.slackUserId,
          dmChannelId: null,
          timeZone: BERLIN,
          locale: 'en-US',
          language: 'en',
          items: [
            {
              id: item,
              text: 'Ask Priya what she needs',
              topicId: null,
              topicTitle: null,
              plannedOn: '2026-01-05',
              final: false,
            },
          ],
          digest: null,
        },
        sentAt: NINE_ON_CHECK_BACK_DAY,
        latenessSeconds: 0,
      },
    ]);
    expect(await remindersOf(manager)).toEqual([
      expect.objectContaining({
        kind: 'reminder',
        localDate: CHECK_BACK_DAY,
        dueAt: NINE_ON_CHECK_BACK_DAY,
        wantedAt: NINE_ON_CHECK_BACK_DAY,
        sentAt: NINE_ON_CHECK_BACK_DAY,
        status: 'sent',
        items: [{ id: item, final: false }],
      }),
    ]);
    // Sent and unanswered: the next check-back waits twice the interval.
    expect(await itemState(item)).toEqual({
      status: 'open',
      checkBackOn: '2026-01-26',
      intervalDays: 7,
      unanswered: 1,
    });
  });

  it('when the reminder is claimed, then each item says the local date it was planned on, by the planner’s clock in the manager’s zone', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    // 23:30 UTC on Sunday 4 January is already Monday 5 January in Berlin.
    const lateSunday = new Date('2026-01-04T23:30:00Z');
    const item = await planned(
      manager,
      'Ask Priya what she needs',
      { on: CHECK_BACK_DAY },
      lateSunday,
    );

    const tally = await runDays(BERLIN, CHECK_BACK_DAY, CHECK_BACK_DAY);

    expect(sentTo(manager, tally).map(({ reminder }) => reminder.items)).toEqual([
      [expect.objectContaining({ id: item, plannedOn: '2026-01-05' })],
    ]);
  });

  it('when two items are due the same day, then they come in one reminder; an item due the next day comes the next day', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const laterPlannedAt = at(BERLIN, '2026-01-07T16:00');
    const first = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
    const second = await planned(
      manager,
      'Share the roadmap draft',
      { on: CHECK_BACK_DAY },
      laterPlannedAt,
    );
    const nextDay = await planned(
      manager,
      'Say thank you in the channel',
      { on: '2026-01-13' },
      laterPlannedAt,
    );

    const tally = await runDays(BERLIN, '2026-01-08', '2026-01-14');

    expect(
      sentTo(manager, tally).map(({ reminder }) => ({
        localDate: reminder.localDate,
        items: reminder.items.map((i) => i.text),
      })),
    ).toEqual([
      { localDate: CHECK_BACK_DAY, items: ['Ask Priya what she needs', 'Share the roadmap draft'] },
      { localDate: '2026-01-13', items: ['Say thank you in the channel'] },
    ]);
    expect(await remindersOf(manager)).toEqual([
      expect.objectContaining({
        localDate: CHECK_BACK_DAY,
        status: 'sent',
        items: [
          { id: first, final: false },
          { id: second, final: false },
        ],
      }),
      expect.objectContaining({
        localDate: '2026-01-13',
        status: 'sent',
        items: [{ id: nextDay, final: false }],
      }),
    ]);
  });

  it.each([
    { deliveryTime: '07:00', remindAt: '08:00', dueAt: '2026-01-12T07:00:00Z' },
    { deliveryTime: '21:30', remindAt: '19:59', dueAt: '2026-01-12T18:59:00Z' },
  ])(
    'when the manager’s delivery time is $deliveryTime, in quiet hours, then the reminder comes at $remindAt local time',
    async ({ deliveryTime, dueAt }) => {
      const manager = await subscribed({ localTime: deliveryTime }, PLANNED_AT);
      const item = await planned(manager, 'Block focus time', { in: '1w' }, PLANNED_AT);

      const tally = await runClock(
        new Date('2026-01-12T05:00:00Z'),
        new Date('2026-01-12T19:30:00Z'),
      );

      const sent = sentTo(manager, tally);
      expect(sent.map(({ reminder }) => reminder.dueAt)).toEqual([new Date(dueAt)]);
      // The bot polls in planner steps here: it sends at the first poll at or after the slot.
      expect(sent[0]?.sentAt.getTime()).toBeGreaterThanOrEqual(new Date(dueAt).getTime());
      expect(sent[0]?.sentAt.getTime()).toBeLessThan(new Date(dueAt).getTime() + STEP_MS);
      expect(await remindersOf(manager)).toEqual([
        expect.objectContaining({
          localDate: CHECK_BACK_DAY,
          dueAt: new Date(dueAt),
          items: [{ id: item, final: false }],
        }),
      ]);
    },
  );

  it('when the check-back date is a Saturday and the manager receives messages on weekdays only, then the reminder comes on Monday', async () => {
    const saturday = at(BERLIN, '2026-01-10T11:00');
    const manager = await subscribed({ weekdays: WEEKDAYS, localTime: '09:00' }, saturday);
    const item = await planned(manager, 'Write the team charter', { in: '1w' }, saturday);
    expect((await itemState(item)).checkBackOn).toBe('2026-01-17');

    const tally = await runDays(BERLIN, '2026-01-16', '2026-01-20');

    const monday = new Date('2026-01-19T08:00:00Z');
    expect(sentTo(manager, tally).map(({ reminder }) => reminder.localDate)).toEqual([
      '2026-01-19',
    ]);
    expect(await remindersOf(manager)).toEqual([
      expect.objectContaining({
        localDate: '2026-01-19',
        dueAt: monday,
        wantedAt: monday,
        sentAt: monday,
        items: [{ id: item, final: false }],
      }),
    ]);
    // Backs off from the day it was sent.
    expect((await itemState(item)).checkBackOn).toBe('2026-02-02');
  });
});

describe('the daily cap of two Blindspot DMs', () => {
  const MONDAY_SLOT = new Date('2026-01-12T08:00:00Z');
  const TUESDAY_SLOT = new Date('2026-01-13T08:00:00Z');

  it.each([
    { secondDm: 'the weekly digest', sendNowAt: undefined },
    { secondDm: 'a send-now note and the weekly digest', sendNowAt: '2026-01-12T08:30' },
  ])(
    'when Monday already has a topic note and $secondDm, then the reminder waits for Tuesday, keeping Monday’s slot as wanted_at, and its lateness is a day',
    async ({ sendNowAt }) => {
      const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
      await setWeeklyDigest(harness.database.db, manager.who, true, PLANNED_AT);
      const item = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
      if (sendNowAt) {
        const pressedAt = at(BERLIN, sendNowAt);
        expect(await sendNow(harness.database.db, manager.who, pressedAt)).toMatchObject({
          status: 'queued',
        });
        expect(await sendDueDeliveries(pressedAt)).toHaveLength(1);
      }

      const tally = await runDays(BERLIN, CHECK_BACK_DAY, '2026-01-13', ['09:00'], {
        deliveries: true,
      });

      // Every day within the cap, topic notes included.
      expect(await dmsPerDay(manager)).toEqual({ '2026-01-12': 2, '2026-01-13': 2 });
      expect(await remindersOf(manager)).toEqual([
        expect.objectContaining({ kind: 'digest', localDate: CHECK_BACK_DAY, status: 'sent' }),
        expect.objectContaining({
          kind: 'reminder',
          localDate: '2026-01-13',
          dueAt: TUESDAY_SLOT,
          wantedAt: MONDAY_SLOT,
          sentAt: TUESDAY_SLOT,
          status: 'sent',
          items: [{ id: item, final: false }],
        }),
      ]);
      const reminder = sentTo(manager, tally).find((sent) => sent.reminder.kind === 'reminder');
      expect(reminder?.latenessSeconds).toBe(86_400);
    },
  );
});
