/**
 * A whole 2026 of scheduling in ten zones (northern and southern daylight saving, a 30-minute
 * shift, zones without it): each chosen local date once, at the chosen local minute, whether the
 * plan advances by date or is re-planned from the last send.
 */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  firstOccurrenceAfterDate,
  isoWeekdayOf,
  localDateOf,
  nextOccurrence,
  type Occurrence,
  type Schedule,
} from '../../../src/core/schedule/rules.ts';
import {
  atLocal,
  datesFrom,
  EVERY_DAY,
  localReading,
  MON_WED_FRI,
  offsetAt,
  schedule,
  summary,
} from './local-clock.ts';

/** Every 2026 transition in the matrix below falls on a Sunday; this schedule includes it. */
const TUE_THU_SUN = [2, 4, 7] as const;

/** The zone's UTC offset in minutes at local noon, well clear of any 2026 transition hour. */
function offsetAtNoon(zone: string, localDate: string): number {
  return offsetAt(atLocal(zone, `${localDate}T12:00`), zone);
}

interface ZoneCase {
  zone: string;
  /** The local dates in 2026 on which the zone's offset changes, in order. */
  transitions: readonly string[];
}

const ZONE_MATRIX: readonly ZoneCase[] = [
  { zone: 'America/New_York', transitions: ['2026-03-08', '2026-11-01'] },
  { zone: 'Europe/Berlin', transitions: ['2026-03-29', '2026-10-25'] },
  { zone: 'Europe/London', transitions: ['2026-03-29', '2026-10-25'] },
  // Southern hemisphere: clocks go back in April and forward in spring (September/October).
  { zone: 'Australia/Sydney', transitions: ['2026-04-05', '2026-10-04'] },
  { zone: 'Pacific/Auckland', transitions: ['2026-04-05', '2026-09-27'] },
  // Lord Howe Island shifts by 30 minutes, not an hour.
  { zone: 'Australia/Lord_Howe', transitions: ['2026-04-05', '2026-10-04'] },
  { zone: 'Asia/Kolkata', transitions: [] },
  { zone: 'Asia/Kathmandu', transitions: [] },
  { zone: 'Asia/Tokyo', transitions: [] },
  // Brazil abolished DST in 2019.
  { zone: 'America/Sao_Paulo', transitions: [] },
];

const YEAR_2026 = datesFrom('2026-01-01', '2026-12-31');

/** Plans a whole local year the way the scheduler does, from the instant before it starts. */
function planYear(rules: Schedule): { byInstant: Occurrence[]; byDate: Occurrence[] } {
  const yearStart = atLocal(rules.timeZone, '2026-01-01T00:00');
  const first = nextOccurrence(rules, new Date(yearStart.getTime() - 1));

  // Re-planning from the instant of the last send (as after a restart)...
  const byInstant = [first];
  // ...and advancing by local date after planning one (the scheduler's normal path).
  const byDate = [first];
  for (;;) {
    const lastByInstant = byInstant.at(-1) as Occurrence;
    const lastByDate = byDate.at(-1) as Occurrence;
    if (lastByInstant.localDate > '2026-12-31' && lastByDate.localDate > '2026-12-31') break;
    // A planner that stops advancing must fail the test, not hang it.
    if (byDate.length > YEAR_2026.length + 7) throw new Error('The plan stopped advancing');
    byInstant.push(nextOccurrence(rules, lastByInstant.dueAt));
    byDate.push(firstOccurrenceAfterDate(rules, lastByDate.localDate));
  }
  const inYear = (occurrence: Occurrence) => occurrence.localDate <= '2026-12-31';
  return { byInstant: byInstant.filter(inYear), byDate: byDate.filter(inYear) };
}

describe('the 2026 DST transitions the matrix relies on', () => {
  it.each(ZONE_MATRIX)(
    'in $zone, the offset changes on exactly $transitions',
    ({ zone, transitions }) => {
      // A wrong transition date in the matrix would make the DST tests below vacuous; fail here.
      const offsetChanges = YEAR_2026.filter(
        (date) => offsetAtNoon(zone, date) !== offsetAtNoon(zone, addDays(date, -1)),
      );
      expect(offsetChanges).toEqual(transitions);
      for (const transition of transitions) expect(isoWeekdayOf(transition)).toBe(7);
    },
  );
});

describe('a year of scheduling in each zone of the matrix', () => {
  const schedules: { name: string; weekdays: readonly number[]; localTime: string }[] = [
    { name: 'Mon/Wed/Fri at 09:00', weekdays: MON_WED_FRI, localTime: '09:00' },
    {
      name: 'Tue/Thu/Sun at 09:00 (includes the transition Sundays)',
      weekdays: TUE_THU_SUN,
      localTime: '09:00',
    },
    { name: 'every day at 00:00', weekdays: EVERY_DAY, localTime: '00:00' },
    { name: 'every day at 23:59', weekdays: EVERY_DAY, localTime: '23:59' },
  ];
  const cases = ZONE_MATRIX.flatMap((zoneCase) =>
    schedules.map((scheduleCase) => ({ ...zoneCase, ...scheduleCase })),
  );

  it.each(cases)(
    'when a manager in $zone chooses $name, then each chosen date gets exactly one message at that local minute',
    ({ zone, transitions, weekdays, localTime }) => {
      const rules = schedule(zone, localTime, weekdays);
      const { byInstant, byDate } = planYear(rules);

      // Both ways of advancing agree.
      expect(byInstant.map(summary)).toEqual(byDate.map(summary));

      // Exactly one occurrence per chosen local date, none on the others.
      const chosenDates = YEAR_2026.filter((date) => weekdays.includes(isoWeekdayOf(date)));
      expect(byDate.map((occurrence) => occurrence.localDate)).toEqual(chosenDates);

      for (const [index, occurrence] of byDate.entries()) {
        // At the chosen minute, read back in the manager's zone.
        expect(localReading(occurrence.dueAt, zone)).toBe(`${occurrence.localDate} ${localTime}`);
        expect(localDateOf(occurrence.dueAt, zone)).toBe(occurrence.localDate);
        const previous = byDate[index - 1];
        if (previous) expect(occurrence.dueAt.getTime()).toBeGreaterThan(previous.dueAt.getTime());
      }

      // On a transition day the wall-clock time holds and the UTC instant moves with the offset.
      for (const transition of transitions) {
        const onTransitionDay = byDate.find((occurrence) => occurrence.localDate === transition);
        if (!weekdays.includes(7)) {
          expect(onTransitionDay).toBeUndefined();
          continue;
        }
        expect(onTransitionDay).toBeDefined();
        if (!onTransitionDay) continue;
        const dayBefore = atLocal(zone, `${addDays(transition, -1)}T${localTime}`);
        const offsetChange = offsetAt(onTransitionDay.dueAt, zone) - offsetAt(dayBefore, zone);
        // Midnight comes before the clocks change (all of these change at 02:00-03:00 local).
        if (localTime !== '00:00') expect(offsetChange).not.toBe(0);
        // 24 hours after the previous day's time, less however much the clocks moved.
        expect(onTransitionDay.dueAt.getTime() - dayBefore.getTime()).toBe(
          (24 * 60 - offsetChange) * 60_000,
        );
      }
    },
  );

  it.each(ZONE_MATRIX)(
    'when the scheduler asks at any moment of 2026 in $zone, then it gets the very next occurrence',
    ({ zone, transitions }) => {
      const rules = schedule(zone, '09:00', TUE_THU_SUN);
      const { byDate: plan } = planYear(rules);
      const expectNextAfter = (after: Date) => {
        const expected = plan.find((occurrence) => occurrence.dueAt.getTime() > after.getTime());
        if (expected) expect(summary(nextOccurrence(rules, after))).toBe(summary(expected));
      };

      // Coarse sweep over the year, at an odd step so it lands on every time of day.
      const yearStart = atLocal(zone, '2026-01-01T00:00').getTime();
      const yearEnd = atLocal(zone, '2026-12-31T00:00').getTime();
      for (let at = yearStart; at < yearEnd; at += (7 * 60 + 13) * 60_000)
        expectNextAfter(new Date(at));

      // Fine sweep over each transition weekend, every 5 minutes, including exact due instants.
      for (const transition of transitions) {
        const from = atLocal(zone, `${addDays(transition, -1)}T00:00`).getTime();
        const to = atLocal(zone, `${addDays(transition, 1)}T12:00`).getTime();
        for (let at = from; at <= to; at += 5 * 60_000) expectNextAfter(new Date(at));
      }
    },
  );
});
