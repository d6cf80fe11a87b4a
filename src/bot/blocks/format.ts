/** Dates, times and schedules as a manager reads them, in their own time zone. */
import { DateTime } from 'luxon';
import { englishVoice, type MessageKey, type Voice } from '../i18n/index.ts';

/**
 * What a format takes: the manager's Voice, or (for text not yet in the catalogues) their Slack
 * locale, which writes English words in their region's order and clock.
 */
export type Speech = Voice | string | null | undefined;

function voiceOf(speech: Speech): Voice {
  return typeof speech === 'object' && speech !== null ? speech : englishVoice(speech);
}

/**
 * Intl's formatters cost far more to make than to use, and a Home tab writes dozens of dates and
 * times (the profile of a click had formatTimeOfDay alone at 3% of the process's busy time): one
 * formatter per locale and style, kept. Locales are few; the bound only guards against a flood.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.ListFormat>();
const MAX_FORMATTERS = 1_000;
function kept<F extends Intl.DateTimeFormat | Intl.ListFormat>(key: string, make: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (formatter === undefined) {
    formatter = make();
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}
const dateFormat = (tag: string, style: string, options: Intl.DateTimeFormatOptions) =>
  kept(`${style} ${tag}`, () => new Intl.DateTimeFormat(tag, options));

// 2001-01-01 was a Monday: ISO weekday n is that date plus n - 1 days.
const weekdayDate = (isoWeekday: number) => Date.UTC(2001, 0, isoWeekday);

/** A weekday's name in the manager's language: 'Monday', or 'Mon' when short. */
export function dayName(isoWeekday: number, short = false, speech?: Speech): string {
  const weekday = short ? 'short' : 'long';
  return dateFormat(voiceOf(speech).locale, `weekday-${weekday}`, {
    weekday,
    timeZone: 'UTC',
  }).format(weekdayDate(isoWeekday));
}

/** 'Mon, Wed and Fri', 'every weekday', 'every day', 'Mondays', in the manager's language. */
export function describeDays(weekdays: readonly number[], speech?: Speech): string {
  const voice = voiceOf(speech);
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  if (days.length === 7) return voice.t('common.schedule.everyDay');
  if (days.join() === '1,2,3,4,5') return voice.t('common.schedule.everyWeekday');
  if (days.length === 1) return voice.t(`common.schedule.weekly.${days[0] ?? 1}` as MessageKey);
  const names = days.map((day) => dayName(day, true, voice));
  // Our English has no serial comma, wherever the reader is ('Mon, Wed and Fri').
  const listLocale = voice.language === 'en' ? 'en-GB' : voice.locale;
  return kept(
    `list ${listLocale}`,
    () => new Intl.ListFormat(listLocale, { type: 'conjunction' }),
  ).format(names);
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
export function formatTimeOfDay(localTime: string, speech?: Speech): string {
  const [hours, minutes] = localTime.split(':').map(Number);
  const tag = voiceOf(speech).locale;
  // A 24-hour clock writes '09:00', a 12-hour one '9:00 AM'.
  return kept(`time ${tag}`, () => {
    const { hourCycle } = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions();
    return new Intl.DateTimeFormat(tag, {
      hour: hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
    });
  }).format(Date.UTC(2000, 0, 1, hours ?? 0, minutes ?? 0));
}

/**
 * A local date ('2026-11-26') as the manager's locale writes it, with its weekday:
 * 'Thursday 26 November' (en-GB), 'Thursday, November 26' (en-US), 'Donnerstag, 26. November'.
 */
export function formatLocalDate(localDate: string, speech?: Speech): string {
  const [year, month, day] = localDate.split('-').map(Number);
  return dateFormat(voiceOf(speech).locale, 'date', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

/** 'Mon, Wed and Fri at 09:00 (Europe/Berlin)', in the manager's language and clock. */
export function describeSchedule(
  schedule: { weekdays: readonly number[]; localTime: string; timeZone: string },
  speech?: Speech,
) {
  const voice = voiceOf(speech);
  return voice.t('common.schedule.at', {
    days: describeDays(schedule.weekdays, voice),
    time: formatTimeOfDay(schedule.localTime, voice),
    zone: zoneName(schedule.timeZone),
  });
}

/** 'Monday 23 November at 09:00 (Europe/Berlin)': an instant, in the given zone and locale. */
export function formatInstant(iso: string, timeZone: string, speech?: Speech): string {
  const voice = voiceOf(speech);
  const local = DateTime.fromISO(iso, { zone: timeZone });
  return voice.t('common.instant', {
    date: formatLocalDate(local.toISODate() ?? '', voice),
    time: formatTimeOfDay(local.toFormat('HH:mm'), voice),
    zone: zoneName(timeZone),
  });
}

/**
 * '1 blind spot', '3 blind spots': English plurals made with an s. Text in the catalogues uses
 * their plural forms instead.
 */
export function counted(count: number, singular: string): string {
  return `${count} ${singular}${count === 1 ? '' : 's'}`;
}

/** A family's name as a heading: 'judging-people-fairly' → 'Judging people fairly'. */
export function categoryLabel(category: string, speech?: Speech): string {
  const voice = voiceOf(speech);
  const key = `common.families.${category}` as MessageKey;
  const named = voice.t(key);
  if (named !== key) return named;
  // A family an admin added: its slug's words.
  const words = category.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** 'Europe/Berlin (UTC+01:00)': the zone with its offset now. */
export function timeZoneLabel(zone: string, now: Date): string {
  const offset = DateTime.fromJSDate(now, { zone }).toFormat('ZZ');
  return `${zoneName(zone)} (UTC${offset})`;
}
