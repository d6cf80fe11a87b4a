/**
 * Times as the sandbox person reads them: on the sandbox's clock (which the time machine moves
 * ahead of real time) and in the person's time zone, not the browser's. British English forms,
 * as Slack shows them: "Mon 7 Dec, 08:59".
 */
import { useEffect, useState } from 'react';
import type { Clock } from './api/client.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let cached = formats.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', ...options });
    formats.set(key, cached);
  }
  return cached;
}

/** "08:59" */
export function timeOfDay(date: Date, timeZone: string): string {
  return format(timeZone, { hour: '2-digit', minute: '2-digit' }).format(date);
}

/** "Mon 7 Dec" */
export function dayOf(date: Date, timeZone: string): string {
  const parts = format(timeZone, { weekday: 'short', day: 'numeric', month: 'short' })
    .formatToParts(date)
    .filter((part) => part.type !== 'literal');
  const value = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${value('weekday')} ${value('day')} ${value('month')}`;
}

/** "Mon 7 Dec, 08:59" */
export function dayAndTime(date: Date, timeZone: string): string {
  return `${dayOf(date, timeZone)}, ${timeOfDay(date, timeZone)}`;
}

/** A message's time: the time alone when it is from the same day as `now`, else with the day. */
export function messageTime(date: Date, now: Date, timeZone: string): string {
  return dayOf(date, timeZone) === dayOf(now, timeZone)
    ? timeOfDay(date, timeZone)
    : dayAndTime(date, timeZone);
}

/** A Slack message ts ("1733561940.000100": seconds since the epoch) as a Date. */
export function dateOfTs(ts: string): Date {
  return new Date(Math.round(Number.parseFloat(ts) * 1000));
}

/**
 * The sandbox's "now", ticking with real time between the server's answers: real time plus the
 * offset the time machine gave it. Re-renders every 15 s, enough for a minute display.
 */
export function useSandboxNow(clock: Clock | undefined): Date {
  const offsetMs = clock?.offsetMs ?? 0;
  const [now, setNow] = useState(() => new Date(Date.now() + offsetMs));
  useEffect(() => {
    setNow(new Date(Date.now() + offsetMs));
    const timer = setInterval(() => setNow(new Date(Date.now() + offsetMs)), 15_000);
    return () => clearInterval(timer);
  }, [offsetMs]);
  return now;
}
