/**
 * The delivery planner around each of 2026's daylight-saving changes, over a simulated clock
 * (planner-harness.ts): in eight zones, schedules at the gap or overlap time, at 09:00, and on
 * some weekdays only each get one message per chosen local date, at the chosen local minute.
 */
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { PLAN_LOOKAHEAD_MS } from '../../../src/core/deliveries/service.ts';
import { EVERY_DAY, type TestSubscriber } from '../../support/factories.ts';
import {
  addDays,
  HOUR_MS,
  isoWeekdayOfDate,
  MINUTE_MS,
  setUpPlannerHarness,
} from './planner-harness.ts';

const LOCAL_MINUTE = 'yyyy-MM-dd HH:mm';

const harness = setUpPlannerHarness();
const { subscriber, runClockThrough, ledgerOf } = harness;

/** An unambiguous local time ('yyyy-MM-ddTHH:mm') in `zone`, as a Date. */
function atLocal(zone: string, localDateTime: string): Date {
  const local = DateTime.fromISO(localDateTime, { zone });
  if (!local.isValid) throw new Error(`${localDateTime} in ${zone}: ${local.invalidExplanation}`);
  return local.toJSDate();
}

/**
 * When a local time happens on a local date, read off the zone's clock with Luxon (not with the
 * code under test): a time the clocks pass twice (fall-back) counts at its first occurrence; a
 * time they skip (spring-forward) is due at the jump, the first minute that reads later.
 */
function expectedDueAt(zone: string, localDate: string, localTime: string): Date {
  const wanted = `${localDate} ${localTime}`;
  const guess = DateTime.fromISO(`${localDate}T${localTime}`, { zone });
  if (guess.toFormat(LOCAL_MINUTE) === wanted) {
    const readings = guess.getPossibleOffsets().map((reading) => reading.toMillis());
    return new Date(Math.min(...readings));
  }
  // Luxon moves a skipped time forward by the size of the gap; walk back to the jump.
  let due = guess;
  while (due.minus({ minutes: 1 }).toFormat(LOCAL_MINUTE) >= wanted) {
    due = due.minus({ minutes: 1 });
  }
  return due.toJSDate();
}

/** The instants in [from, until] at which `zone`'s offset from UTC changes, to the minute. */
function offsetChangesIn(zone: string, from: Date, until: Date): number[] {
  const offsets = IANAZone.create(zone);
  const changes: number[] = [];
  for (let t = from.getTime() + MINUTE_MS; t <= until.getTime(); t += MINUTE_MS) {
    if (offsets.offset(t) !== offsets.offset(t - MINUTE_MS)) changes.push(t);
  }
  return changes;
}

describe('planning around the 2026 daylight-saving changes', () => {
  const ZONES = [
    'Australia/Sydney',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Tokyo',
    'America/New_York',
    'Europe/Berlin',
    'Europe/London',
    'Pacific/Auckland',
  ];

  interface Edge {
    /** A local time in the zone's gap (spring-forward) or overlap (fall-back). */
    localTime: string;
    /** When it must be due, written out by hand. */
    dueAt: string;
  }

  interface DstWindow {
    name: string;
    /** The local date of the change in every zone listed; all 2026 changes fall on a Sunday. */
    date: string;
    edges: Record<string, Edge>;
  }

  const WINDOWS: DstWindow[] = [
    {
      name: 'the US spring-forward',
      date: '2026-03-08',
      edges: { 'America/New_York': { localTime: '02:30', dueAt: '2026-03-08T03:00:00-04:00' } },
    },
    {
      name: 'the EU spring-forward',
      date: '2026-03-29',
      edges: {
        'Europe/Berlin': { localTime: '02:30', dueAt: '2026-03-29T03:00:00+02:00' },
        // London jumps from 01:00 to 02:00.
        'Europe/London': { localTime: '01:30', dueAt: '2026-03-29T02:00:00+01:00' },
      },
    },
    {
      name: 'the AU and NZ fall-back',
      date: '2026-04-05',
      edges: {
        'Australia/Sydney': { localTime: '02:30', dueAt: '2026-04-05T02:30:00+11:00' },
        'Pacific/Auckland': { localTime: '02:30', dueAt: '2026-04-05T02:30:00+13:00' },
      },
    },
    {
      name: 'the NZ spring-forward',
      date: '2026-09-27',
      edges: { 'Pacific/Auckland': { localTime: '02:30', dueAt: '2026-09-27T03:00:00+13:00' } },
    },
    {
      name: 'the AU spring-forward',
      date: '2026-10-04',
      edges: { 'Australia/Sydney': { localTime: '02:30', dueAt: '2026-10-04T03:00:00+11:00' } },
    },
    {
      name: 'the EU fall-back',
      date: '2026-10-25',
      edges: {
        'Europe/Berlin': { localTime: '02:30', dueAt: '2026-10-25T02:30:00+02:00' },
        'Europe/London': { localTime: '01:30', dueAt: '2026-10-25T01:30:00+01:00' },
      },
    },
    {
      name: 'the US fall-back',
      date: '2026-11-01',
      // 01:00 to 02:00 happens twice: first in EDT (-04:00), then in EST (-05:00).
      edges: { 'America/New_York': { localTime: '01:30', dueAt: '2026-11-01T01:30:00-04:00' } },
    },
  ];

  /**
   * Four schedules in every zone: daily at the changing zone's gap or overlap time; daily at
   * 09:00; at 00:30 on every day but Sunday; at 23:45 on Sundays only. The window runs from
   * 08:00 the day before the change to 10:00 the day after, in each changing zone: 09:00 comes
   * before, on and after the change, and both weekday-limited schedules meet an unchosen day.
   */
  function schedulesFor(window: DstWindow, zone: string) {
    const sunday = isoWeekdayOfDate(window.date);
    return [
      { weekdays: EVERY_DAY, localTime: window.edges[zone]?.localTime ?? '02:30', timeZone: zone },
      { weekdays: EVERY_DAY, localTime: '09:00', timeZone: zone },
      { weekdays: EVERY_DAY.filter((day) => day !== sunday), localTime: '00:30', timeZone: zone },
      { weekdays: [sunday], localTime: '23:45', timeZone: zone },
    ];
  }

  it.each(WINDOWS)(
    'around $name ($date), then every manager gets exactly one message per chosen local date, at the chosen local minute',
    async (window) => {
      const changing = Object.keys(window.edges);
      const from = new Date(
        Math.min(
          ...changing.map((zone) => atLocal(zone, `${addDays(window.date, -1)}T08:00`).getTime()),
        ),
      );
      const until = new Date(
        Math.max(
          ...changing.map((zone) => atLocal(zone, `${addDays(window.date, 1)}T10:00`).getTime()),
        ),
      );
      // Signed up a minute before the clock starts, so its first step finds every one waiting.
      const subscribedAt = new Date(from.getTime() - MINUTE_MS);
      const matrix: TestSubscriber[] = [];
      for (const zone of ZONES) {
        for (const schedule of schedulesFor(window, zone)) {
          matrix.push(await subscriber(schedule, subscribedAt));
        }
      }
      const occurrences = matrix.flatMap(({ subscription }) =>
        [-2, -1, 0, 1, 2]
          .map((offset) => addDays(window.date, offset))
          .filter((localDate) => subscription.weekdays.includes(isoWeekdayOfDate(localDate)))
          .map((localDate) => ({
            subscriptionId: subscription.id,
            localDate,
            dueAt: expectedDueAt(subscription.timeZone, localDate, subscription.localTime),
          })),
      );

      // The clock stops where something is expected to happen (read off the oracle above, not
      // off the planner): a look-ahead before each due instant (planned) and at it (sent), and
      // around each change of offset; and every 3 hours between, so a row planned or sent when
      // nothing is expected is met too. Stepping every 5 minutes (~600 ticks a window, not
      // ~100) saw nothing more: every row's instant, status and send time are checked below.
      const steps = [from.getTime(), until.getTime()];
      for (let t = from.getTime(); t < until.getTime(); t += 3 * HOUR_MS) steps.push(t);
      for (const { dueAt } of occurrences) {
        steps.push(dueAt.getTime() - PLAN_LOOKAHEAD_MS, dueAt.getTime());
      }
      for (const zone of changing) {
        const changes = offsetChangesIn(zone, from, until);
        expect(changes, zone).toHaveLength(1);
        for (const change of changes) {
          steps.push(change - PLAN_LOOKAHEAD_MS, change, change + PLAN_LOOKAHEAD_MS);
        }
      }
      const lastStep = await runClockThrough(
        steps.filter((t) => t >= from.getTime() && t <= until.getTime()),
      );

      const ledger = await ledgerOf(matrix.map((s) => s.subscription.id));
      const scheduleOf = new Map(matrix.map((s) => [s.subscription.id, s.subscription]));
      const key = (subscriptionId: string, localDate: string) => `${subscriptionId} ${localDate}`;

      // What should have gone out: every chosen local date whose due instant the clock passed.
      const expected = occurrences
        .filter(({ dueAt }) => dueAt >= from && dueAt <= lastStep)
        .map(({ subscriptionId, localDate }) => key(subscriptionId, localDate));
      const done = ledger.filter((row) => row.dueAt <= lastStep);
      // The window is wide enough that every schedule of a changing zone comes round.
      const delivered = new Set(done.map((row) => row.subscriptionId));
      for (const { subscription } of matrix.filter((s) =>
        changing.includes(s.subscription.timeZone),
      )) {
        expect(delivered.has(subscription.id), subscription.timeZone).toBe(true);
      }
      expect(done.map((row) => key(row.subscriptionId, row.localDate)).sort()).toEqual(
        expected.sort(),
      );
      // Planned ahead of the last step, not yet due: waiting, and within the look-ahead.
      for (const row of ledger.filter((row) => row.dueAt > lastStep)) {
        expect(row.status).toBe('pending');
        expect(row.dueAt.getTime()).toBeLessThanOrEqual(lastStep.getTime() + PLAN_LOOKAHEAD_MS);
      }

      for (const row of done) {
        const subscription = scheduleOf.get(row.subscriptionId);
        if (!subscription) throw new Error(`delivery ${row.id} of an unknown subscription`);
        const reading = DateTime.fromJSDate(row.dueAt, { zone: subscription.timeZone });
        const edge = window.edges[subscription.timeZone];
        const where = `${subscription.localTime} in ${subscription.timeZone} on ${row.localDate}`;
        expect(reading.toISODate(), where).toBe(row.localDate);
        expect(subscription.weekdays, where).toContain(isoWeekdayOfDate(row.localDate));
        if (edge && row.localDate === window.date && subscription.localTime === edge.localTime) {
          expect(row.dueAt.toISOString(), where).toBe(new Date(edge.dueAt).toISOString());
        } else {
          expect(reading.toFormat('HH:mm'), where).toBe(subscription.localTime);
        }
        expect(row.status, where).toBe('sent');
        expect(row.sentAt?.getTime(), where).toBeGreaterThanOrEqual(row.dueAt.getTime());
        expect(row.attempts, where).toBe(1);
        expect(row.late, where).toBe(false);
        expect(row.topicId, where).not.toBeNull();
      }
      // Each changing zone's gap or overlap time was delivered on the day of the change.
      for (const [zone, edge] of Object.entries(window.edges)) {
        const edgeSubscription = matrix.find(
          (s) => s.subscription.timeZone === zone && s.subscription.localTime === edge.localTime,
        );
        const onTheDay = done.filter(
          (row) =>
            row.subscriptionId === edgeSubscription?.subscription.id &&
            row.localDate === window.date,
        );
        expect(
          onTheDay.map((row) => row.dueAt.toISOString()),
          zone,
        ).toEqual([new Date(edge.dueAt).toISOString()]);
      }
    },
  );
});
