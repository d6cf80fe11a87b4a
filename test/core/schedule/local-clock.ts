/**
 * Schedules and readings of local clocks, shared by the schedule rules' tests in this folder:
 * what a zone's clocks read at an instant, and which instant a local time is.
 */
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { addDays, type Occurrence, type Schedule } from '../../../src/core/schedule/rules.ts';

export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7] as const;
export const MON_WED_FRI = [1, 3, 5] as const;

/** A schedule of `weekdays` at `localTime` in `timeZone`. */
export function schedule(
  timeZone: string,
  localTime: string,
  weekdays: readonly number[],
): Schedule {
  return { weekdays, localTime, timeZone };
}

/** An unambiguous local time in `zone` ('yyyy-MM-ddTHH:mm') as a Date. */
export function atLocal(zone: string, localDateTime: string): Date {
  const local = DateTime.fromISO(localDateTime, { zone });
  expect(local.isValid).toBe(true);
  return local.toJSDate();
}

/** How the clocks in `zone` read at `instant`, e.g. '2026-03-29 03:00'. */
export function localReading(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

/** The zone's UTC offset in minutes at `instant`. */
export function offsetAt(instant: Date, zone: string): number {
  return DateTime.fromJSDate(instant, { zone }).offset;
}

/** Every local date from `first` to `last`, both included. */
export function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** An occurrence as '<local date> <due instant>', to compare lists of them at a glance. */
export function summary(occurrence: Occurrence): string {
  return `${occurrence.localDate} ${occurrence.dueAt.toISOString()}`;
}
