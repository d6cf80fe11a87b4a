import { describe, expect, it } from 'vitest';
import {
  completionRate,
  DEFAULT_REMINDER_POLICY,
  digestDecision,
  digestMondayOf,
  MAX_DMS_PER_DAY,
  MAX_UNANSWERED,
  nextCheckBackAfterSilence,
  type ProgressItem,
  QUIET_HOURS,
  reminderLocalTime,
  reminderSlot,
  streakWeeks,
  weekOf,
} from '../../../src/core/reminders/rules.ts';
import type { Schedule } from '../../../src/core/schedule/rules.ts';

const WEEKDAYS = [1, 2, 3, 4, 5];
/** Monday to Friday at 09:00 in Berlin; in January that is 08:00 UTC. */
const BERLIN_WEEKDAYS: Schedule = {
  weekdays: WEEKDAYS,
  localTime: '09:00',
  timeZone: 'Europe/Berlin',
};
// Saturday 10 January 2026 to Tuesday 13 January 2026.
const SATURDAY = '2026-01-10';
const MONDAY = '2026-01-12';
const TUESDAY = '2026-01-13';

const noDms = () => 0;

describe('the policy constants', () => {
  it('quiet hours run from 20:00 to 08:00, two DMs a day at most, and three unanswered reminders lapse an item', () => {
    expect(QUIET_HOURS).toEqual({ start: '20:00', end: '08:00' });
    expect(MAX_DMS_PER_DAY).toBe(2);
    expect(MAX_UNANSWERED).toBe(3);
  });
});

describe('reminderLocalTime', () => {
  it.each([
    ['00:00', '08:00'],
    ['07:00', '08:00'],
    ['07:59', '08:00'],
    ['08:00', '08:00'],
    ['12:34', '12:34'],
    ['19:59', '19:59'],
    ['20:00', '19:59'],
    ['21:30', '19:59'],
    ['23:59', '19:59'],
  ])('when the delivery time is %s, then the reminder goes at %s', (deliveryTime, expected) => {
    expect(reminderLocalTime(deliveryTime)).toBe(expected);
  });
});

describe('reminderSlot', () => {
  it('when the date is a day the manager receives messages, then the slot is that day at the delivery time in their zone', () => {
    expect(reminderSlot(BERLIN_WEEKDAYS, MONDAY, noDms)).toEqual({
      localDate: MONDAY,
      dueAt: new Date('2026-01-12T08:00:00Z'),
    });
  });

  it('when the date is a weekend day and the manager only receives messages on weekdays, then the slot is Monday', () => {
    expect(reminderSlot(BERLIN_WEEKDAYS, SATURDAY, noDms)).toEqual({
      localDate: MONDAY,
      dueAt: new Date('2026-01-12T08:00:00Z'),
    });
  });

  it('when the delivery time is in quiet hours, then the slot moves to their edge, in local time', () => {
    const early = reminderSlot({ ...BERLIN_WEEKDAYS, localTime: '07:00' }, MONDAY, noDms);
    const late = reminderSlot({ ...BERLIN_WEEKDAYS, localTime: '21:30' }, MONDAY, noDms);
    expect(early?.dueAt).toEqual(new Date('2026-01-12T07:00:00Z'));
    expect(late?.dueAt).toEqual(new Date('2026-01-12T18:59:00Z'));
    // In summer Berlin is two hours ahead of UTC.
    const summer = reminderSlot({ ...BERLIN_WEEKDAYS, localTime: '07:00' }, '2026-07-06', noDms);
    expect(summer?.dueAt).toEqual(new Date('2026-07-06T06:00:00Z'));
  });

  it('when a day already has two DMs, then the slot is the next allowed day; one DM leaves room', () => {
    const full = (date: string) => (date === MONDAY ? MAX_DMS_PER_DAY : 0);
    const oneDm = (date: string) => (date === MONDAY ? 1 : 0);
    expect(reminderSlot(BERLIN_WEEKDAYS, MONDAY, full)).toEqual({
      localDate: TUESDAY,
      dueAt: new Date('2026-01-13T08:00:00Z'),
    });
    expect(reminderSlot(BERLIN_WEEKDAYS, MONDAY, oneDm)?.localDate).toBe(MONDAY);
  });

  it('when Friday is full, then the slot skips the weekend too, to Monday', () => {
    const friday = '2026-01-09';
    expect(
      reminderSlot(BERLIN_WEEKDAYS, friday, (date) => (date === friday ? 2 : 0))?.localDate,
    ).toBe(MONDAY);
  });

  it('when the day’s slot is before notBefore, then it is the next day’s; a slot exactly at notBefore still counts', () => {
    const mondaySlot = new Date('2026-01-12T08:00:00Z');
    expect(reminderSlot(BERLIN_WEEKDAYS, MONDAY, noDms, mondaySlot)?.localDate).toBe(MONDAY);
    expect(
      reminderSlot(BERLIN_WEEKDAYS, MONDAY, noDms, new Date(mondaySlot.getTime() + 1))?.localDate,
    ).toBe(TUESDAY);
  });

  it('when every day for four weeks is full, then there is no slot', () => {
    expect(reminderSlot(BERLIN_WEEKDAYS, MONDAY, () => MAX_DMS_PER_DAY)).toBeUndefined();
  });
});

describe('the weekly digest', () => {
  // Berlin's 09:00 on Monday 12 January 2026 is 08:00 UTC.
  const berlin = { ...BERLIN_WEEKDAYS, ...DEFAULT_REMINDER_POLICY };
  const at = (iso: string) => new Date(iso);
  const decide = (now: string, alreadyPlanned = false) =>
    digestDecision(
      berlin,
      MONDAY,
      alreadyPlanned,
      // The planner's grace and look-ahead, five minutes each.
      new Date(at(now).getTime() - 5 * 60_000),
      new Date(at(now).getTime() + 5 * 60_000),
    );

  it('is for the coming Monday, or today on a Monday', () => {
    expect(digestMondayOf(SATURDAY)).toBe(MONDAY);
    expect(digestMondayOf(MONDAY)).toBe(MONDAY);
    expect(digestMondayOf(TUESDAY)).toBe('2026-01-19');
  });

  it('when its time is in the window, then it is planned and looked at again next Monday', () => {
    expect(decide('2026-01-12T07:57:00Z')).toEqual({
      plan: { localDate: MONDAY, dueAt: at('2026-01-12T08:00:00Z') },
      nextLookAt: at('2026-01-19T08:00:00Z'),
    });
  });

  it('when its time is later, then nothing is planned and the planner looks again at that time', () => {
    expect(decide('2026-01-11T12:00:00Z')).toEqual({
      plan: undefined,
      nextLookAt: at('2026-01-12T08:00:00Z'),
    });
  });

  it('when it is planned already, or its time passed beyond the grace, then next Monday', () => {
    const nextMonday = { plan: undefined, nextLookAt: at('2026-01-19T08:00:00Z') };
    expect(decide('2026-01-12T07:57:00Z', true)).toEqual(nextMonday);
    expect(decide('2026-01-12T08:30:00Z')).toEqual(nextMonday);
  });
});

describe('nextCheckBackAfterSilence', () => {
  it('when reminders go unanswered, then the wait doubles each time: 7, then 14, then 28, then 56 days', () => {
    expect(nextCheckBackAfterSilence('2026-01-12', 7, 0)).toBe('2026-01-19');
    expect(nextCheckBackAfterSilence('2026-01-12', 7, 1)).toBe('2026-01-26');
    expect(nextCheckBackAfterSilence('2026-01-26', 7, 2)).toBe('2026-02-23');
    expect(nextCheckBackAfterSilence('2026-02-23', 7, 3)).toBe('2026-04-20');
  });

  it('when the interval is two days, then it doubles from two', () => {
    expect(nextCheckBackAfterSilence('2026-02-27', 2, 1)).toBe('2026-03-03');
    expect(nextCheckBackAfterSilence('2026-02-27', 2, 2)).toBe('2026-03-07');
  });
});

describe('weekOf', () => {
  it.each([
    ['2026-01-12', '2026-01-12'],
    ['2026-01-14', '2026-01-12'],
    ['2026-01-18', '2026-01-12'],
    ['2026-01-19', '2026-01-19'],
    // Thursday 1 January 2026 is in the ISO week that starts on Monday 29 December 2025.
    ['2026-01-01', '2025-12-29'],
  ])('the week of %s starts on Monday %s', (date, monday) => {
    expect(weekOf(date)).toBe(monday);
  });
});

describe('completionRate', () => {
  const TODAY = '2026-03-02';
  const item = (
    createdOn: string,
    status: ProgressItem['status'],
    completedOn: string | null = null,
  ): ProgressItem => ({ createdOn, status, completedOn });

  it('when nothing was planned in the last 8 weeks, then the rate is null, not zero', () => {
    expect(completionRate([], TODAY)).toEqual({ planned: 0, done: 0, rate: null });
    expect(completionRate([item('2025-11-01', 'done', '2025-11-03')], TODAY)).toEqual({
      planned: 0,
      done: 0,
      rate: null,
    });
  });

  it('when items were planned, then the rate is the share done; open, partly, dropped and lapsed ones are not done', () => {
    const items = [
      item('2026-02-23', 'done', '2026-02-25'),
      item('2026-02-10', 'done', '2026-02-12'),
      item('2026-02-10', 'open'),
      item('2026-02-01', 'partly', '2026-02-09'),
      item('2026-01-20', 'dropped'),
      item('2026-01-15', 'lapsed'),
    ];
    expect(completionRate(items, TODAY)).toEqual({ planned: 6, done: 2, rate: 2 / 6 });
  });

  it('the window is the 56 days up to today: planned 55 days ago counts, 56 days ago does not', () => {
    const items = [
      item('2026-01-06', 'done', '2026-01-07'),
      item('2026-01-05', 'done', '2026-01-07'),
    ];
    expect(completionRate(items, TODAY)).toEqual({ planned: 1, done: 1, rate: 1 });
    expect(completionRate(items, TODAY, 1)).toEqual({ planned: 0, done: 0, rate: null });
  });
});

describe('streakWeeks', () => {
  // Wednesday of the week that starts on Monday 2 March 2026.
  const TODAY = '2026-03-04';

  it('when something was done this week and in each of the two weeks before, then the streak is 3', () => {
    expect(streakWeeks(['2026-03-02', '2026-02-27', '2026-02-16'], TODAY)).toBe(3);
  });

  it('when this week has nothing done yet, then it does not break the streak: it counts from last week', () => {
    expect(streakWeeks(['2026-03-01', '2026-02-17'], TODAY)).toBe(2);
  });

  it('when a week has nothing done, then the streak ends there', () => {
    expect(streakWeeks(['2026-03-03', '2026-02-24', '2026-02-10', '2026-02-03'], TODAY)).toBe(2);
  });

  it('when neither this week nor last week has anything done, then the streak is 0', () => {
    expect(streakWeeks(['2026-02-18', '2026-02-11'], TODAY)).toBe(0);
    expect(streakWeeks([], TODAY)).toBe(0);
  });

  it('when several actions are done in one week, then that week counts once', () => {
    expect(streakWeeks(['2026-03-02', '2026-03-03', '2026-03-04'], TODAY)).toBe(1);
  });

  it('when the streak spans the new year, then ISO weeks carry it across', () => {
    expect(streakWeeks(['2026-01-05', '2026-01-01', '2025-12-22'], '2026-01-07')).toBe(3);
  });
});
