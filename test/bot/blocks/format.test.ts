/**
 * How the bot writes days, instants and schedules (src/bot/blocks/format.ts): in the manager's
 * own zone, named as the schedule names it, in the order and clock of their Slack locale.
 */
import { describe, expect, it } from 'vitest';
import {
  describeDays,
  describeSchedule,
  formatInstant,
  formatLocalDate,
} from '../../../src/bot/blocks/format.ts';

describe('describeDays', () => {
  it.each([
    { days: [1, 2, 3, 4, 5], says: 'every weekday' },
    { days: [5, 4, 3, 2, 1, 1], says: 'every weekday' },
    { days: [1, 2, 3, 4, 5, 6, 7], says: 'every day' },
    { days: [1], says: 'Mondays' },
    { days: [7], says: 'Sundays' },
    { days: [1, 3, 5], says: 'Mon, Wed and Fri' },
    { days: [5, 1, 3, 3], says: 'Mon, Wed and Fri' },
    { days: [6, 7], says: 'Sat and Sun' },
    { days: [1, 2, 3, 4, 6], says: 'Mon, Tue, Wed, Thu and Sat' },
  ])('when the days are $days, then they read "$says"', ({ days, says }) => {
    expect(describeDays(days)).toBe(says);
  });
});

describe('formatInstant', () => {
  it.each([
    ['2026-11-23T08:00:00Z', 'Europe/Berlin', 'Monday 23 November at 09:00 (Europe/Berlin)'],
    ['2026-07-06T07:00:00Z', 'Europe/Berlin', 'Monday 6 July at 09:00 (Europe/Berlin)'],
    ['2026-11-23T14:00:00Z', 'America/New_York', 'Monday 23 November at 09:00 (America/New York)'],
    ['2026-11-22T22:00:00Z', 'Australia/Sydney', 'Monday 23 November at 09:00 (Australia/Sydney)'],
    ['2026-11-23T03:15:00Z', 'Asia/Kathmandu', 'Monday 23 November at 09:00 (Asia/Kathmandu)'],
    ['2026-11-23T09:00:00Z', 'UTC', 'Monday 23 November at 09:00 (UTC)'],
  ])(
    'shows %s in %s as "%s": local time, and the zone named as the schedule names it',
    (instant, zone, text) => {
      expect(formatInstant(instant, zone)).toBe(text);
    },
  );

  it.each([
    ['en-US', 'Monday, November 23 at 9:00 AM (Europe/Berlin)'],
    ['en-GB', 'Monday 23 November at 09:00 (Europe/Berlin)'],
    // English words, in the region's order and clock.
    ['de-DE', 'Monday, 23 November at 09:00 (Europe/Berlin)'],
    ['not a locale', 'Monday 23 November at 09:00 (Europe/Berlin)'],
  ])('in the Slack locale %s, writes "%s"', (locale, text) => {
    expect(formatInstant('2026-11-23T08:00:00Z', 'Europe/Berlin', locale)).toBe(text);
  });

  it('writes a schedule and the same zone the same way, on a 12-hour clock for en-US', () => {
    const schedule = { weekdays: [1, 3, 5], localTime: '17:30', timeZone: 'America/New_York' };
    expect(describeSchedule(schedule, 'en-US')).toBe(
      'Mon, Wed and Fri at 5:30 PM (America/New York)',
    );
    expect(describeSchedule(schedule, 'en-GB')).toBe(
      'Mon, Wed and Fri at 17:30 (America/New York)',
    );
    expect(formatLocalDate('2026-11-26', 'en-US')).toBe('Thursday, November 26');
  });
});
