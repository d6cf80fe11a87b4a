/**
 * The schedule rules (src/core/schedule/rules.ts) away from daylight-saving changes, which
 * dst-year.test.ts and dst-transition-days.test.ts cover: the next occurrence, the occurrence on
 * a date, the calendar helpers, the wording for messages, and the programming errors they refuse.
 */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  describeSchedule,
  firstOccurrenceAfterDate,
  isoWeekdayOf,
  isValidLocalTime,
  localDateOf,
  nextOccurrence,
  occurrenceOn,
} from '../../../src/core/schedule/rules.ts';
import {
  atLocal,
  datesFrom,
  EVERY_DAY,
  localReading,
  MON_WED_FRI,
  schedule,
  summary,
} from './local-clock.ts';

describe('nextOccurrence', () => {
  const berlinMonWedFri = schedule('Europe/Berlin', '09:00', MON_WED_FRI);

  it('when asked at exactly a due instant, then it returns the following occurrence', () => {
    const monday = atLocal('Europe/Berlin', '2026-11-23T09:00');
    expect(summary(nextOccurrence(berlinMonWedFri, monday))).toBe(
      '2026-11-25 2026-11-25T08:00:00.000Z',
    );
  });

  it('when asked a millisecond before a due instant, then it returns that occurrence', () => {
    const justBefore = new Date(atLocal('Europe/Berlin', '2026-11-23T09:00').getTime() - 1);
    expect(summary(nextOccurrence(berlinMonWedFri, justBefore))).toBe(
      '2026-11-23 2026-11-23T08:00:00.000Z',
    );
  });

  it('when today is chosen but its time has passed, then it rolls to the next chosen day', () => {
    const fridayAfternoon = atLocal('Europe/Berlin', '2026-11-27T15:00');
    expect(summary(nextOccurrence(berlinMonWedFri, fridayAfternoon))).toBe(
      '2026-11-30 2026-11-30T08:00:00.000Z',
    );
  });

  it('when only one weekday is chosen and it has just passed, then it is a week ahead', () => {
    const rules = schedule('Asia/Tokyo', '09:00', [1]);
    const mondayMorning = atLocal('Asia/Tokyo', '2026-11-23T09:00');
    expect(summary(nextOccurrence(rules, mondayMorning))).toBe(
      '2026-11-30 2026-11-30T00:00:00.000Z',
    );
  });

  it('when all seven weekdays are chosen, then occurrences fall on consecutive days', () => {
    const rules = schedule('America/Sao_Paulo', '09:00', EVERY_DAY);
    let occurrence = nextOccurrence(rules, atLocal('America/Sao_Paulo', '2026-11-23T10:00'));
    const dates: string[] = [];
    for (let day = 0; day < 8; day += 1) {
      dates.push(occurrence.localDate);
      expect(localReading(occurrence.dueAt, 'America/Sao_Paulo')).toBe(
        `${occurrence.localDate} 09:00`,
      );
      occurrence = nextOccurrence(rules, occurrence.dueAt);
    }
    expect(dates).toEqual(datesFrom('2026-11-24', '2026-12-01'));
  });

  it('when a 00:00 manager is east of UTC, then the due instant is on the previous UTC date but keyed by the local date', () => {
    const rules = schedule('Europe/Berlin', '00:00', [1]);
    const occurrence = nextOccurrence(rules, atLocal('Europe/Berlin', '2026-11-22T12:00'));
    expect(summary(occurrence)).toBe('2026-11-23 2026-11-22T23:00:00.000Z');
    expect(isoWeekdayOf(occurrence.localDate)).toBe(1);
  });

  it('when a 23:59 manager is west of UTC, then the due instant is on the next UTC date but keyed by the local date', () => {
    const rules = schedule('America/New_York', '23:59', [7]);
    const occurrence = nextOccurrence(rules, atLocal('America/New_York', '2026-11-22T12:00'));
    expect(summary(occurrence)).toBe('2026-11-22 2026-11-23T04:59:00.000Z');
  });

  it.each([
    ['Asia/Kathmandu', '2026-11-23T03:15:00.000Z'], // +05:45
    ['Asia/Kolkata', '2026-11-23T03:30:00.000Z'], // +05:30
    ['Asia/Tokyo', '2026-11-23T00:00:00.000Z'], // +09:00
    ['Pacific/Auckland', '2026-11-22T20:00:00.000Z'], // +13:00 in the southern summer
  ])('when a 09:00 Monday manager is in %s, then Monday 2026-11-23 is due at %s', (zone, dueAt) => {
    const rules = schedule(zone, '09:00', [1]);
    expect(occurrenceOn(rules, '2026-11-23')?.dueAt.toISOString()).toBe(dueAt);
    expect(nextOccurrence(rules, new Date('2026-11-20T00:00:00Z')).dueAt.toISOString()).toBe(dueAt);
  });
});

describe('occurrenceOn and firstOccurrenceAfterDate', () => {
  it('when the date is not a chosen weekday, then there is no occurrence', () => {
    const rules = schedule('Europe/Berlin', '09:00', MON_WED_FRI);
    expect(occurrenceOn(rules, '2026-11-24')).toBeUndefined();
    expect(occurrenceOn(rules, '2026-11-25')?.localDate).toBe('2026-11-25');
  });

  it('when advancing from a planned date, then the next chosen date follows, even across a year end', () => {
    const rules = schedule('Europe/Berlin', '09:00', MON_WED_FRI);
    expect(firstOccurrenceAfterDate(rules, '2026-11-23').localDate).toBe('2026-11-25');
    expect(firstOccurrenceAfterDate(rules, '2026-11-27').localDate).toBe('2026-11-30');
    expect(firstOccurrenceAfterDate(rules, '2026-12-30').localDate).toBe('2027-01-01');
    expect(firstOccurrenceAfterDate(schedule('UTC', '09:00', [3]), '2026-11-25').localDate).toBe(
      '2026-12-02',
    );
  });

  it('when weekdays are listed twice or out of order, then each date still gets one occurrence', () => {
    const rules = schedule('Asia/Tokyo', '09:00', [5, 1, 1]);
    expect(firstOccurrenceAfterDate(rules, '2026-11-23').localDate).toBe('2026-11-27');
    expect(firstOccurrenceAfterDate(rules, '2026-11-27').localDate).toBe('2026-11-30');
  });
});

describe('calendar helpers', () => {
  it.each([
    // instant, zone, local date: near midnight on both sides of UTC
    ['2026-11-22T23:30:00Z', 'Europe/Berlin', '2026-11-23'],
    ['2026-11-22T23:30:00Z', 'America/New_York', '2026-11-22'],
    ['2026-11-23T00:30:00Z', 'America/Los_Angeles', '2026-11-22'],
    ['2026-11-22T18:14:00Z', 'Asia/Kathmandu', '2026-11-22'],
    ['2026-11-22T18:15:00Z', 'Asia/Kathmandu', '2026-11-23'],
    ['2026-11-22T11:00:00Z', 'Pacific/Auckland', '2026-11-23'],
    ['2026-11-22T10:59:00Z', 'Pacific/Auckland', '2026-11-22'],
    ['2026-11-22T10:00:00Z', 'Pacific/Kiritimati', '2026-11-23'], // +14:00
    ['2026-11-23T10:59:00Z', 'Pacific/Pago_Pago', '2026-11-22'], // -11:00
    ['2026-11-22T23:59:59.999Z', 'UTC', '2026-11-22'],
  ])('when it is %s, then in %s the local date is %s', (instant, zone, localDate) => {
    expect(localDateOf(new Date(instant), zone)).toBe(localDate);
  });

  it('knows the ISO weekday of a date', () => {
    expect(isoWeekdayOf('2026-11-22')).toBe(7); // a Sunday
    expect(isoWeekdayOf('2026-11-23')).toBe(1);
    expect(isoWeekdayOf('2028-02-29')).toBe(2);
  });

  it('adds calendar days across months, years, leap days and DST dates', () => {
    expect(addDays('2026-11-22', 1)).toBe('2026-11-23');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-11-22', 0)).toBe('2026-11-22');
  });

  it.each([
    ['00:00', true],
    ['09:05', true],
    ['23:59', true],
    ['24:00', false],
    ['9:00', false],
    ['09:60', false],
    ['0900', false],
    ['09:00:00', false],
    [' 09:00', false],
    ['', false],
  ])('isValidLocalTime(%j) is %s', (value, valid) => {
    expect(isValidLocalTime(value)).toBe(valid);
  });
});

describe('wording for messages', () => {
  it('describes the chosen days in week order', () => {
    expect(describeSchedule(schedule('Europe/Berlin', '09:00', [5, 1, 3]))).toBe(
      'Mon, Wed and Fri at 09:00 (Europe/Berlin)',
    );
    expect(describeSchedule(schedule('Asia/Tokyo', '00:00', [7]))).toBe(
      'Sun at 00:00 (Asia/Tokyo)',
    );
    expect(describeSchedule(schedule('UTC', '23:59', [4, 1, 4]))).toBe(
      'Mon and Thu at 23:59 (UTC)',
    );
    expect(describeSchedule(schedule('Asia/Kolkata', '08:30', EVERY_DAY))).toBe(
      'Mon, Tue, Wed, Thu, Fri, Sat and Sun at 08:30 (Asia/Kolkata)',
    );
  });
});

describe('programming errors', () => {
  const valid = schedule('Europe/Berlin', '09:00', MON_WED_FRI);
  const after = new Date('2026-11-23T00:00:00Z');

  it.each([
    ['no weekdays', { ...valid, weekdays: [] }, /at least one weekday/],
    ['weekday 0', { ...valid, weekdays: [0] }, /weekday 0/],
    ['weekday 8', { ...valid, weekdays: [1, 8] }, /weekday 8/],
    ['a fractional weekday', { ...valid, weekdays: [1.5] }, /weekday 1.5/],
    ['a bad time', { ...valid, localTime: '25:00' }, /local time "25:00"/],
    ['an unpadded time', { ...valid, localTime: '9:00' }, /local time "9:00"/],
    ['an unknown zone', { ...valid, timeZone: 'Mars/Olympus_Mons' }, /Unknown time zone/],
    ['an empty zone', { ...valid, timeZone: '' }, /Unknown time zone/],
  ])('when a schedule has %s, then every function refuses it', (_problem, invalid, message) => {
    expect(() => nextOccurrence(invalid, after)).toThrow(message);
    expect(() => firstOccurrenceAfterDate(invalid, '2026-11-23')).toThrow(message);
    expect(() => occurrenceOn(invalid, '2026-11-23')).toThrow(message);
    expect(() => describeSchedule(invalid)).toThrow(message);
  });

  it('when a local date is malformed or does not exist, then it is refused', () => {
    for (const bad of ['2026-02-30', '2026-2-3', '2026-11-23T00:00', '', '23/11/2026']) {
      expect(() => isoWeekdayOf(bad)).toThrow(/Invalid local date/);
      expect(() => addDays(bad, 1)).toThrow(/Invalid local date/);
      expect(() => occurrenceOn(valid, bad)).toThrow(/Invalid local date/);
      expect(() => firstOccurrenceAfterDate(valid, bad)).toThrow(/Invalid local date/);
    }
    expect(() => addDays('2026-11-23', 0.5)).toThrow(/whole number of days/);
  });

  it('when an instant or zone is invalid, then it is refused', () => {
    const notADate = new Date(Number.NaN);
    expect(() => nextOccurrence(valid, notADate)).toThrow(/Invalid instant/);
    expect(() => localDateOf(notADate, 'UTC')).toThrow(/Invalid instant/);
    expect(() => localDateOf(after, 'Mars/Olympus_Mons')).toThrow(/Unknown time zone/);
  });
});
