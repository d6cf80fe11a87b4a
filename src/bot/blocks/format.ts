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

/**
 * The locale dates and times are written in when the manager's is not known: day before month,
 * 24-hour clock, as the bot wrote them before it knew managers' locales.
 */
export const DEFAULT_LOCALE = 'en-GB';

/**
 * The locale to write a date or time in. Slack's locales are like 'en-US' or 'de-DE'; the
 * messages are in English, so a German manager reads English words in their region's order
 * and clock ('en-DE': 'Thursday 26 November', '17:30'), not German words inside an English
 * sentence. Anything Intl refuses falls back to the default rather than failing the message.
 */
function usable(locale: string | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    const parsed = new Intl.Locale(locale);
    const region = parsed.maximize().region;
    const english = parsed.language === 'en' ? locale : region ? `en-${region}` : DEFAULT_LOCALE;
    return Intl.DateTimeFormat.supportedLocalesOf([english])[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/**
 * A time zone as every message names it: its IANA name, as the sign-up modal lists it
 * ('Europe/Berlin', 'America/New York'). One style everywhere, and unlike an abbreviation
 * (EST, IST) it is never ambiguous and holds all year for a recurring time.
 */
export function zoneName(zone: string): string {
  return zone.replace(/_/g, ' ');
}

/** 'HH:MM' as the manager's locale writes a time of day: '09:00' (en-GB), '9:00 AM' (en-US). */
export function formatTimeOfDay(localTime: string, locale?: string): string {
  const [hours, minutes] = localTime.split(':').map(Number);
  const tag = usable(locale);
  // A 24-hour clock writes '09:00', a 12-hour one '9:00 AM'.
  const { hourCycle } = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions();
  return new Intl.DateTimeFormat(tag, {
    hour: hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(Date.UTC(2000, 0, 1, hours ?? 0, minutes ?? 0));
}

/**
 * A local date ('2026-11-26') as the manager's locale writes it, with its weekday:
 * 'Thursday 26 November' (en-GB), 'Thursday, November 26' (en-US).
 */
export function formatLocalDate(localDate: string, locale?: string): string {
  const [year, month, day] = localDate.split('-').map(Number);
  return new Intl.DateTimeFormat(usable(locale), {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

/** 'Mon, Wed and Fri at 09:00 (Europe/Berlin)', the time as the manager's locale writes it. */
export function describeSchedule(
  schedule: { weekdays: readonly number[]; localTime: string; timeZone: string },
  locale?: string,
) {
  return `${describeDays(schedule.weekdays)} at ${formatTimeOfDay(schedule.localTime, locale)} (${zoneName(schedule.timeZone)})`;
}

/** 'Monday 23 November at 09:00 (Europe/Berlin)': an instant, in the given zone and locale. */
export function formatInstant(iso: string, timeZone: string, locale?: string): string {
  const local = DateTime.fromISO(iso, { zone: timeZone });
  return `${formatLocalDate(local.toISODate() ?? '', locale)} at ${formatTimeOfDay(local.toFormat('HH:mm'), locale)} (${zoneName(timeZone)})`;
}

/** '1 blind spot', '3 blind spots': English plurals made with an s, which ours all are. */
export function counted(count: number, singular: string): string {
  return `${count} ${singular}${count === 1 ? '' : 's'}`;
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
  return `${zoneName(zone)} (UTC${offset})`;
}
