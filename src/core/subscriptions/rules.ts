import { isLanguage, LANGUAGES } from '../languages/rules.ts';
import { isValidTimeZone } from '../managers/rules.ts';
import { isValidLocalTime } from '../schedule/rules.ts';

export interface SubscriptionInput {
  weekdays: number[];
  localTime: string;
  timeZone: string;
  skippedCategories: string[];
  /**
   * The language the manager chose in the sign-up modal; null follows Slack and the workspace,
   * and leaving it out keeps what they had.
   */
  language?: string | null;
}

/**
 * What is wrong with a sign-up, by field, in words a manager reads beside the field. Empty
 * when the input is fine.
 */
export function subscriptionProblems(
  input: SubscriptionInput,
  categories: readonly string[],
): Record<string, string> {
  const problems: Record<string, string> = {};
  const days = new Set(input.weekdays);
  if (days.size === 0) {
    problems.weekdays = 'Pick at least one day.';
  } else if ([...days].some((day) => !Number.isInteger(day) || day < 1 || day > 7)) {
    problems.weekdays = 'Days are numbered 1 (Monday) to 7 (Sunday).';
  }
  if (!isValidLocalTime(input.localTime)) {
    problems.localTime = 'Pick a time of day, such as 09:00.';
  }
  if (!isValidTimeZone(input.timeZone)) {
    problems.timeZone = `"${input.timeZone}" is not a time zone we know. Pick one from the list.`;
  }
  const unknown = input.skippedCategories.filter((category) => !categories.includes(category));
  if (unknown.length > 0) {
    problems.skippedCategories = `Unknown themes: ${unknown.join(', ')}.`;
  } else if (
    categories.length > 0 &&
    categories.every((c) => input.skippedCategories.includes(c))
  ) {
    problems.skippedCategories = 'Leave at least one theme, or there is nothing to send you.';
  }
  if (input.language !== undefined && input.language !== null && !isLanguage(input.language)) {
    problems.language = `"${input.language}" is not a language Blindspot speaks; pick one of ${LANGUAGES.join(', ')}.`;
  }
  return problems;
}

/** Weekdays sorted and without repeats, as stored. */
export function normaliseWeekdays(weekdays: readonly number[]): number[] {
  return [...new Set(weekdays)].sort((a, b) => a - b);
}
