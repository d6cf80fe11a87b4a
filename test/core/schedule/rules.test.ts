import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  describeSchedule,
  firstOccurrenceAfterDate,
  isoWeekdayOf,
  isValidLocalTime,
  localDateOf,
  nextOccurrence,
  type Occurrence,
  occurrenceOn,
  type Schedule,
} from '../../../src/core/schedule/rules.ts';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7] as const;
const MON_WED_FRI = [1, 3, 5] as const;
/** Every 2026 transition in the matrix below falls on a Sunday; this schedule includes it. */
const TUE_THU_SUN = [2, 4, 7] as const;

function schedule(timeZone: string, localTime: string, weekdays: readonly number[]): Schedule {
  return { weekdays, localTime, timeZone };
}

/** An unambiguous local time in `zone` ('yyyy-MM-ddTHH:mm') as a Date. */
function atLocal(zone: string, localDateTime: string): Date {
  const local = DateTime.fromISO(localDateTime, { zone });
  expect(local.isValid).toBe(true);
  return local.toJSDate();
}

/** How the clocks in `zone` read at `instant`, e.g. '2026-03-29 03:00'. */
function localReading(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

function offsetAt(instant: Date, zone: string): number {
  return DateTime.fromJSDate(instant, { zone }).offset;
}

/** The zone's UTC offset in minutes at local noon, well clear of any 2026 transition hour. */
function offsetAtNoon(zone: string, localDate: string): number {
  return offsetAt(atLocal(zone, `${localDate}T12:00`), zone);
}

function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) dates.push(date);
  return dates;
}

function summary(occurrence: Occurrence): string {
  return `${occurrence.localDate} ${occurrence.dueAt.toISOString()}`;
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

describe('a minute-by-minute scheduler across both transition days', () => {
  interface TickCase {
    zone: string;
    transition: string;
    localTime: string;
    /** The UTC instant of the one send on the transition day. */
    sentAt: string;
    /** How the manager's clock reads at that send. */
    reading: string;
  }

  const tickCases: TickCase[] = [
    // Europe/Berlin springs forward 02:00 CET -> 03:00 CEST (01:00Z) on 2026-03-29.
    {
      zone: 'Europe/Berlin',
      transition: '2026-03-29',
      localTime: '09:00',
      sentAt: '2026-03-29T07:00:00.000Z',
      reading: '09:00',
    },
    {
      zone: 'Europe/Berlin',
      transition: '2026-03-29',
      localTime: '02:30',
      sentAt: '2026-03-29T01:00:00.000Z',
      reading: '03:00',
    },
    {
      zone: 'Europe/Berlin',
      transition: '2026-03-29',
      localTime: '01:30',
      sentAt: '2026-03-29T00:30:00.000Z',
      reading: '01:30',
    },
    // Europe/Berlin falls back 03:00 CEST -> 02:00 CET (01:00Z) on 2026-10-25: 02:00-02:59 twice.
    {
      zone: 'Europe/Berlin',
      transition: '2026-10-25',
      localTime: '09:00',
      sentAt: '2026-10-25T08:00:00.000Z',
      reading: '09:00',
    },
    {
      zone: 'Europe/Berlin',
      transition: '2026-10-25',
      localTime: '02:30',
      sentAt: '2026-10-25T00:30:00.000Z',
      reading: '02:30',
    },
    {
      zone: 'Europe/Berlin',
      transition: '2026-10-25',
      localTime: '01:30',
      sentAt: '2026-10-24T23:30:00.000Z',
      reading: '01:30',
    },
    // America/New_York springs forward 02:00 EST -> 03:00 EDT (07:00Z) on 2026-03-08.
    {
      zone: 'America/New_York',
      transition: '2026-03-08',
      localTime: '09:00',
      sentAt: '2026-03-08T13:00:00.000Z',
      reading: '09:00',
    },
    {
      zone: 'America/New_York',
      transition: '2026-03-08',
      localTime: '02:30',
      sentAt: '2026-03-08T07:00:00.000Z',
      reading: '03:00',
    },
    {
      zone: 'America/New_York',
      transition: '2026-03-08',
      localTime: '01:30',
      sentAt: '2026-03-08T06:30:00.000Z',
      reading: '01:30',
    },
    // America/New_York falls back 02:00 EDT -> 01:00 EST (06:00Z) on 2026-11-01: 01:00-01:59 twice.
    {
      zone: 'America/New_York',
      transition: '2026-11-01',
      localTime: '09:00',
      sentAt: '2026-11-01T14:00:00.000Z',
      reading: '09:00',
    },
    {
      zone: 'America/New_York',
      transition: '2026-11-01',
      localTime: '02:30',
      sentAt: '2026-11-01T07:30:00.000Z',
      reading: '02:30',
    },
    {
      zone: 'America/New_York',
      transition: '2026-11-01',
      localTime: '01:30',
      sentAt: '2026-11-01T05:30:00.000Z',
      reading: '01:30',
    },
  ];

  /** Ticks once a minute from the local start of the day before to the end of the day after. */
  function simulateTicks(rules: Schedule, transition: string): Occurrence[] {
    const firstTick = atLocal(rules.timeZone, `${addDays(transition, -1)}T00:00`).getTime();
    const lastTick = atLocal(rules.timeZone, `${addDays(transition, 2)}T00:00`).getTime() - 60_000;
    const sent: Occurrence[] = [];
    let planned = nextOccurrence(rules, new Date(firstTick - 1));
    for (let tick = firstTick; tick <= lastTick; tick += 60_000) {
      while (tick >= planned.dueAt.getTime()) {
        // Sent on the first tick at or after its due instant, which ticks on whole minutes hit.
        expect(tick).toBe(planned.dueAt.getTime());
        sent.push(planned);
        const next = firstOccurrenceAfterDate(rules, planned.localDate);
        // Throws (rather than looping forever) if planning ever stops moving forward.
        expect(next.localDate > planned.localDate).toBe(true);
        planned = next;
      }
    }
    return sent;
  }

  it.each(tickCases)(
    'when a $localTime manager in $zone is served through $transition, then they get one message a day, on that day at $reading local',
    ({ zone, transition, localTime, sentAt, reading }) => {
      const sent = simulateTicks(schedule(zone, localTime, EVERY_DAY), transition);

      expect(sent.map((occurrence) => occurrence.localDate)).toEqual([
        addDays(transition, -1),
        transition,
        addDays(transition, 1),
      ]);
      const [dayBefore, onTransitionDay, dayAfter] = sent as [Occurrence, Occurrence, Occurrence];
      expect(onTransitionDay.dueAt.toISOString()).toBe(sentAt);
      expect(localReading(onTransitionDay.dueAt, zone)).toBe(`${transition} ${reading}`);
      expect(localReading(dayBefore.dueAt, zone)).toBe(`${dayBefore.localDate} ${localTime}`);
      expect(localReading(dayAfter.dueAt, zone)).toBe(`${dayAfter.localDate} ${localTime}`);
    },
  );

  it('when a 01:30 manager in America/New_York reaches the fall-back night, then the message goes at 01:30 EDT and not again at 01:30 EST', () => {
    const sent = simulateTicks(schedule('America/New_York', '01:30', EVERY_DAY), '2026-11-01');
    const onTheNight = sent.filter((occurrence) => occurrence.localDate === '2026-11-01');
    expect(onTheNight).toHaveLength(1);
    const [only] = onTheNight as [Occurrence];
    expect(offsetAt(only.dueAt, 'America/New_York')).toBe(-4 * 60);
    expect(sent.map(summary)).not.toContain('2026-11-01 2026-11-01T06:30:00.000Z');
  });
});

describe('times that do not exist or exist twice', () => {
  it.each([
    // zone, date, local time, due at (UTC), local reading at due
    ['Europe/Berlin', '2026-03-29', '02:00', '2026-03-29T01:00:00.000Z', '03:00'],
    ['Europe/Berlin', '2026-03-29', '02:59', '2026-03-29T01:00:00.000Z', '03:00'],
    ['Europe/Berlin', '2026-03-29', '03:00', '2026-03-29T01:00:00.000Z', '03:00'],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:00:00.000Z', '03:00'],
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:00:00.000Z', '03:00'],
    ['Pacific/Auckland', '2026-09-27', '02:30', '2026-09-26T14:00:00.000Z', '03:00'],
    // Lord Howe jumps 02:00 -> 02:30: the gap is 30 minutes, so due at 02:30, not 02:45 or 03:00.
    ['Australia/Lord_Howe', '2026-10-04', '02:00', '2026-10-03T15:30:00.000Z', '02:30'],
    ['Australia/Lord_Howe', '2026-10-04', '02:15', '2026-10-03T15:30:00.000Z', '02:30'],
    ['Australia/Lord_Howe', '2026-10-04', '02:29', '2026-10-03T15:30:00.000Z', '02:30'],
    ['Australia/Lord_Howe', '2026-10-04', '02:30', '2026-10-03T15:30:00.000Z', '02:30'],
  ])(
    'when %s skips %s %s, then it is due at the jump (%s, %s local)',
    (zone, date, localTime, dueAt, reading) => {
      const occurrence = occurrenceOn(schedule(zone, localTime, EVERY_DAY), date);
      expect(occurrence?.dueAt.toISOString()).toBe(dueAt);
      expect(occurrence?.localDate).toBe(date);
      if (occurrence) expect(localReading(occurrence.dueAt, zone)).toBe(`${date} ${reading}`);
    },
  );

  it.each([
    // zone, date, local time, due at (UTC) = its first occurrence, offset then (minutes)
    ['America/New_York', '2026-11-01', '01:00', '2026-11-01T05:00:00.000Z', -4 * 60],
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z', -4 * 60],
    ['America/New_York', '2026-11-01', '01:59', '2026-11-01T05:59:00.000Z', -4 * 60],
    ['Europe/Berlin', '2026-10-25', '02:30', '2026-10-25T00:30:00.000Z', 2 * 60],
    ['Europe/London', '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z', 60],
    ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z', 11 * 60],
    ['Pacific/Auckland', '2026-04-05', '02:30', '2026-04-04T13:30:00.000Z', 13 * 60],
    // Lord Howe goes back 02:00 -> 01:30: only 01:30-01:59 happen twice.
    ['Australia/Lord_Howe', '2026-04-05', '01:45', '2026-04-04T14:45:00.000Z', 11 * 60],
  ])(
    'when %s has %s %s twice, then it is due once, at the first (%s)',
    (zone, date, localTime, dueAt, offset) => {
      const occurrence = occurrenceOn(schedule(zone, localTime, EVERY_DAY), date);
      expect(occurrence?.dueAt.toISOString()).toBe(dueAt);
      if (occurrence) expect(offsetAt(occurrence.dueAt, zone)).toBe(offset);
    },
  );

  it('when the time right after a fall-back overlap is chosen, then it is due once, in the new offset', () => {
    const occurrence = occurrenceOn(schedule('America/New_York', '02:00', EVERY_DAY), '2026-11-01');
    expect(occurrence?.dueAt.toISOString()).toBe('2026-11-01T07:00:00.000Z');
  });

  it('when a whole local date was skipped (Samoa, 2011-12-30), then it is due at the start of the next day and the scheduler moves on', () => {
    const rules = schedule('Pacific/Apia', '09:00', EVERY_DAY);
    const skippedDay = occurrenceOn(rules, '2011-12-30');
    expect(skippedDay?.dueAt.toISOString()).toBe('2011-12-30T10:00:00.000Z');
    if (skippedDay) expect(localReading(skippedDay.dueAt, 'Pacific/Apia')).toBe('2011-12-31 00:00');
    expect(summary(firstOccurrenceAfterDate(rules, '2011-12-30'))).toBe(
      '2011-12-31 2011-12-30T19:00:00.000Z',
    );
  });

  // Documents the library behaviour that rules.ts deliberately does not rely on (see its header).
  // If Luxon changes it, update that comment; rules.ts itself resolves times without it.
  it('Luxon on its own moves a nonexistent time forward by the gap, and picks either reading of an ambiguous one', () => {
    const skipped = DateTime.fromObject(
      { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
      { zone: 'Europe/Berlin' },
    );
    expect(skipped.toISO()).toBe('2026-03-29T03:30:00.000+02:00');

    const ambiguous = { year: 2026, month: 11, day: 1, hour: 1, minute: 30 };
    const fromObject = DateTime.fromObject(ambiguous, { zone: 'America/New_York' });
    const viaPlus = DateTime.fromObject(
      { ...ambiguous, day: 31, month: 10 },
      {
        zone: 'America/New_York',
      },
    ).plus({ days: 1 });
    expect(fromObject.toISO()).toBe('2026-11-01T01:30:00.000-05:00');
    expect(viaPlus.toISO()).toBe('2026-11-01T01:30:00.000-04:00');
  });
});

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
