/** Action items as pure rules: what counts as valid text, and when to check back. */
import { addDays } from '../schedule/rules.ts';

export const MAX_TEXT_LENGTH = 500;
export const MAX_NOTE_LENGTH = 1000;
/** The furthest ahead a manager can ask to be asked. */
const MAX_CHECK_BACK_DAYS = 366;

/**
 * How long a deleted item can be put back with "Undo": Slack shows the button for this long, and
 * the kept copy is purged after it (src/worker/tasks/purge-deleted-actions.ts).
 */
export const UNDO_WINDOW_MS = 60_000;

/** Whether an item deleted at `deletedAt` can still be put back at `now`. */
export function canUndoDeletion(deletedAt: Date, now: Date): boolean {
  return now.getTime() - deletedAt.getTime() <= UNDO_WINDOW_MS;
}

/**
 * How long an answer to "did you do it?" can be changed ("Change answer" under it): long enough
 * to put right a slip or an answer given too soon, short enough that the week's numbers settle.
 * A later answer about the same item closes it sooner: then that one is the answer to change.
 */
export const ANSWER_CHANGE_MS = 7 * 24 * 3_600_000;

export function canChangeAnswer(answeredAt: Date, now: Date): boolean {
  return now.getTime() - answeredAt.getTime() <= ANSWER_CHANGE_MS;
}

/** '3d' is what the modal offers; '2d' stays for the buttons on messages already sent. */
export const CHECK_BACK_PRESETS = { '2d': 2, '3d': 3, '1w': 7, '2w': 14 } as const;
export type CheckBackPreset = keyof typeof CHECK_BACK_PRESETS;
export type CheckBack = { in: CheckBackPreset } | { on: string };

/** Characters as a person counts them (and as PostgreSQL's char_length does): emoji count once. */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Why the text cannot be an action item, in words for the manager; undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Write what you will do: it cannot be empty.';
  const length = characterCount(text.trim());
  if (length > MAX_TEXT_LENGTH) {
    return `That is ${length} characters; an action fits in ${MAX_TEXT_LENGTH}. Try the first step only.`;
  }
  return undefined;
}

export function noteProblem(note: string): string | undefined {
  const length = characterCount(note);
  return length > MAX_NOTE_LENGTH
    ? `The note is ${length} characters; keep it under ${MAX_NOTE_LENGTH}.`
    : undefined;
}

/**
 * The local date to check back on, from a preset or a chosen date, counted from the manager's
 * local today.
 */
export function checkBackDate(
  choice: CheckBack,
  today: string,
): { date: string } | { problem: string } {
  if ('in' in choice) return { date: addDays(today, CHECK_BACK_PRESETS[choice.in]) };
  // Date.parse rolls 31 April over to 1 May; a real calendar date reads back unchanged.
  const parsed = Date.parse(`${choice.on}T00:00:00Z`);
  const onTheCalendar =
    /^\d{4}-\d{2}-\d{2}$/.test(choice.on) &&
    !Number.isNaN(parsed) &&
    new Date(parsed).toISOString().slice(0, 10) === choice.on;
  if (!onTheCalendar) {
    return { problem: 'Pick a date from the calendar.' };
  }
  if (choice.on <= today) return { problem: 'Pick a date after today.' };
  if (choice.on > addDays(today, MAX_CHECK_BACK_DAYS))
    return { problem: 'Pick a date within a year.' };
  return { date: choice.on };
}

/**
 * Slack escapes three characters in message text (https://api.slack.com/reference/surfaces/formatting#escaping).
 * Undo it so an item holds what the manager typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Days from `today` to `date` (both local dates): the interval "not yet" waits again. */
export function daysBetween(today: string, date: string): number {
  return Math.round(
    (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
}
