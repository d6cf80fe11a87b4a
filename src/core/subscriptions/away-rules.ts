/**
 * Away until a date (issue 18, item 3; issue 17, item 4): which return dates a manager may give,
 * and when the subscription comes back. Pure: callers pass today's date in the manager's zone.
 */
import { DateTime } from 'luxon';
import { addDays } from '../schedule/rules.ts';

/** The furthest a return date may be: a year from today. Longer than that is unsubscribing. */
export const MAX_AWAY_DAYS = 365;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written 'YYYY-MM-DD', or undefined. */
export function parseReturnDate(text: string): string | undefined {
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed)) return undefined;
  return DateTime.fromISO(trimmed, { zone: 'UTC' }).isValid ? trimmed : undefined;
}

/**
 * What is wrong with a return date, in words a manager reads, or undefined when it is fine:
 * the first day back must be after today and at most MAX_AWAY_DAYS ahead.
 */
export function returnDateProblem(text: string, today: string): string | undefined {
  const date = parseReturnDate(text);
  if (date === undefined) {
    return `I couldn't read "${text.trim().slice(0, 40)}" as a date. Write the day you are back as year-month-day, such as ${addDays(today, 14)}.`;
  }
  if (date <= today) {
    return `${date} is not after today (${today}). Give the first day you are back.`;
  }
  if (date > addDays(today, MAX_AWAY_DAYS)) {
    return `${date} is more than a year away. Pick a day within a year, or unsubscribe instead.`;
  }
  return undefined;
}

/** The instant a manager back on `returnDate` is back: the start of that day in their zone. */
export function returnInstant(returnDate: string, timeZone: string): Date {
  return DateTime.fromISO(returnDate, { zone: timeZone }).startOf('day').toJSDate();
}
