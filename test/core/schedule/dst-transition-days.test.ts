/**
 * The schedule rules on the days the clocks change: a scheduler ticking every minute across both
 * 2026 transition days sends each occurrence once, and a local time that does not exist (the
 * spring gap) or exists twice (the autumn overlap) comes at one agreed instant.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  firstOccurrenceAfterDate,
  nextOccurrence,
  type Occurrence,
  occurrenceOn,
  type Schedule,
} from '../../../src/core/schedule/rules.ts';
import { atLocal, EVERY_DAY, localReading, offsetAt, schedule, summary } from './local-clock.ts';

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
