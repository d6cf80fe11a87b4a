/**
 * Workspace defaults as pure rules: what an admin may set on the settings page, and the values a
 * workspace has before anyone does. The defaults are the constants Blindspot used before the
 * settings existed (migration 0018 gives its columns the same ones).
 */
import { isLanguage, LANGUAGES, type Language } from '../languages/rules.ts';
import { isQuietWindowSensible } from '../reminders/rules.ts';

export interface WorkspaceSettings {
  /** ISO weekdays (1 = Monday) the sign-up modal ticks for a new sign-up. */
  defaultWeekdays: number[];
  /** 'HH:MM' the sign-up modal offers for a new sign-up. */
  defaultLocalTime: string;
  /** No reminder or digest from `start` until `end`, local time ('HH:MM'; may cross midnight). */
  quietHours: { start: string; end: string };
  /** Blindspot DMs a manager may get in a day, topic notes included. */
  dailyDmCap: number;
  /** Days until the check-back when a manager plans an action without choosing. */
  checkBackDays: number;
  /** Whether a new sign-up gets the weekly digest. */
  weeklyDigest: boolean;
  /**
   * The language of a manager who chose none and whose Slack locale Blindspot does not speak
   * (see effectiveLanguage in ../languages/rules.ts).
   */
  defaultLanguage: Language;
}

export const DEFAULT_SETTINGS: Readonly<WorkspaceSettings> = Object.freeze({
  defaultWeekdays: [1, 3, 5],
  defaultLocalTime: '09:00',
  quietHours: { start: '20:00', end: '08:00' },
  dailyDmCap: 2,
  checkBackDays: 7,
  weeklyDigest: false,
  defaultLanguage: 'en',
});

/**
 * The cap counts topic notes, and reminders go only on note days (reminders/rules.ts), so a cap
 * of one would leave no room for any reminder: two is the least that lets the loop close.
 */
export const DAILY_DM_CAP_RANGE = { min: 2, max: 10 } as const;
export const CHECK_BACK_DAYS_RANGE = { min: 1, max: 30 } as const;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function inRange(value: number, range: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/**
 * What is wrong with each field of the settings, in words for an admin, keyed by the field's
 * name as the API spells it (quiet hours as `quietHours.start` and `quietHours.end`). Empty when
 * the settings can be saved.
 */
export function settingsProblems(settings: WorkspaceSettings): Record<string, string> {
  const problems: Record<string, string> = {};
  const days = settings.defaultWeekdays;
  if (days.length === 0) problems.defaultWeekdays = 'Pick at least one day.';
  else if (!days.every((day) => Number.isInteger(day) && day >= 1 && day <= 7)) {
    problems.defaultWeekdays = 'Days are 1 (Monday) to 7 (Sunday).';
  }
  if (!HH_MM.test(settings.defaultLocalTime)) {
    problems.defaultLocalTime = 'Use a time such as 09:00.';
  }
  const { start, end } = settings.quietHours;
  if (!HH_MM.test(start)) problems['quietHours.start'] = 'Use a time such as 20:00.';
  if (!HH_MM.test(end)) problems['quietHours.end'] = 'Use a time such as 08:00.';
  if (HH_MM.test(start) && HH_MM.test(end) && !isQuietWindowSensible({ start, end })) {
    problems['quietHours.end'] =
      'Quiet hours must start and end at different times, last at most 16 hours and leave at least 8 hours a day for reminders.';
  }
  if (!inRange(settings.dailyDmCap, DAILY_DM_CAP_RANGE)) {
    problems.dailyDmCap = `Pick a whole number from ${DAILY_DM_CAP_RANGE.min} to ${DAILY_DM_CAP_RANGE.max}.`;
  }
  if (!inRange(settings.checkBackDays, CHECK_BACK_DAYS_RANGE)) {
    problems.checkBackDays = `Pick a whole number of days from ${CHECK_BACK_DAYS_RANGE.min} to ${CHECK_BACK_DAYS_RANGE.max}.`;
  }
  if (!isLanguage(settings.defaultLanguage)) {
    problems.defaultLanguage = `Pick one of the languages Blindspot speaks: ${LANGUAGES.join(', ')}.`;
  }
  return problems;
}

/** The weekdays once each, Monday first. */
export function normalisedWeekdays(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

/** The fields whose value differs, each as from → to, for the audit log. */
export function settingsChanges(
  before: WorkspaceSettings,
  after: WorkspaceSettings,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof WorkspaceSettings>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = { from: before[key], to: after[key] };
    }
  }
  return changes;
}
