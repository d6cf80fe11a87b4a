/** Dates, times and schedules as a manager reads them, in their own time zone. */
import { DateTime } from 'luxon';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function dayName(isoWeekday: number, short = false): string {
  const name = DAY_NAMES[isoWeekday - 1] ?? '?';
  return short ? name.slice(0, 3) : name;
}

/** 'Mon, Wed and Fri', 'every weekday', 'every day'. */
export function describeDays(weekdays: readonly number[]): string {
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  if (days.length === 7) return 'every day';
  if (days.join() === '1,2,3,4,5') return 'every weekday';
  const names = days.map((day) => dayName(day, true));
  return names.length === 1
    ? `${DAY_NAMES[(days[0] ?? 1) - 1]}s`
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** 'Mon, Wed and Fri at 09:00 (Europe/Berlin)'. */
export function describeSchedule(schedule: {
  weekdays: readonly number[];
  localTime: string;
  timeZone: string;
}) {
  return `${describeDays(schedule.weekdays)} at ${schedule.localTime} (${schedule.timeZone})`;
}

/**
 * English locales tried in turn for a zone's abbreviation. ICU gives a zone a letter
 * abbreviation only in locales where it is in common use (en-US knows EST but says GMT+1 for
 * Berlin, en-GB knows CET and BST, en-AU knows AEST, en-IN knows IST).
 */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN'] as const;
/** ICU's fallback when a locale has no abbreviation: 'GMT+1', 'GMT-5', 'GMT+5:45'. */
const NUMERIC_ZONE_NAME = /^(GMT|UTC)[+\-\u2212]/;

function zoneAbbreviation(local: DateTime): string {
  let numeric: string | undefined;
  for (const locale of ABBREVIATION_LOCALES) {
    const name = local.setLocale(locale).offsetNameShort;
    if (!name) continue;
    if (!NUMERIC_ZONE_NAME.test(name)) return name;
    numeric ??= name;
  }
  return numeric ?? `UTC${local.toFormat('ZZ')}`;
}

/** 'Monday 23 November at 09:00 CET', in the given zone. */
export function formatInstant(iso: string, timeZone: string): string {
  const local = DateTime.fromISO(iso, { zone: timeZone }).setLocale('en-GB');
  return `${local.toFormat("cccc d LLLL 'at' HH:mm")} ${zoneAbbreviation(local)}`;
}

/** Families whose name is not their slug's words (the family table in docs/content.md). */
const CATEGORY_NAMES: Readonly<Record<string, string>> = {
  'energy-and-attention': 'Your energy and attention',
};

/** A category slug as a heading: 'judging-people-fairly' → 'Judging people fairly'. */
export function categoryLabel(category: string): string {
  const named = CATEGORY_NAMES[category];
  if (named) return named;
  const words = category.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** 'Europe/Berlin (UTC+01:00)': the zone with its offset now. */
export function timeZoneLabel(zone: string, now: Date): string {
  const offset = DateTime.fromJSDate(now, { zone }).toFormat('ZZ');
  return `${zone.replace(/_/g, ' ')} (UTC${offset})`;
}
