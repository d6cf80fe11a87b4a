/**
 * Reminder rules as pure functions: when a reminder may go out, how silence backs off, and how
 * progress is counted. No I/O, no clock of their own.
 */
import {
  addDays,
  isoWeekdayOf,
  type Occurrence,
  occurrenceOn,
  type Schedule,
} from '../schedule/rules.ts';

/** No Blindspot DM between 20:00 and 08:00 local, unless the workspace set other quiet hours. */
export const QUIET_HOURS = { start: '20:00', end: '08:00' } as const;
/** At most this many Blindspot DMs a manager gets in a day, topic notes included (by default). */
export const MAX_DMS_PER_DAY = 2;
/** Reminders left unanswered before an item lapses. */
export const MAX_UNANSWERED = 3;
/** A slot whose time passed this long ago is not used: the next one is. */
export const PAST_SLOT_GRACE_MS = 5 * 60_000;
/** How far ahead to look for a day a reminder is allowed on. */
const SLOT_SEARCH_DAYS = 28;

/** A workspace's limits on reminders (its settings, migration 0018). */
export interface ReminderPolicy {
  /** 'HH:MM' local; the window may cross midnight. */
  quietStart: string;
  quietEnd: string;
  /** Blindspot DMs a manager may get in a day, topic notes included. */
  dailyDmCap: number;
}

export const DEFAULT_REMINDER_POLICY: Readonly<ReminderPolicy> = Object.freeze({
  quietStart: QUIET_HOURS.start,
  quietEnd: QUIET_HOURS.end,
  dailyDmCap: MAX_DMS_PER_DAY,
});

const MINUTES_PER_DAY = 24 * 60;
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const timeOf = (minutes: number) => {
  const m = (minutes + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** Minutes from start to end of a quiet window, across midnight when end is the earlier time. */
function quietMinutes(window: { start: string; end: string }): number {
  return (minutesOf(window.end) - minutesOf(window.start) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
}

/**
 * A window an admin may set: it has a length, lasts at most 16 hours, and so leaves at least
 * 8 hours a day in which a reminder can go out.
 */
export function isQuietWindowSensible(window: { start: string; end: string }): boolean {
  const length = quietMinutes(window);
  return length > 0 && length <= 16 * 60;
}

/**
 * The manager's delivery time, moved out of quiet hours: a time in the window's first part goes
 * back to the minute before it starts (the evening, for the default 20:00 → 19:59), one in its
 * second part forward to its end (the morning: 07:00 → 08:00). A time outside stays.
 */
export function reminderLocalTime(
  deliveryTime: string,
  policy: Pick<ReminderPolicy, 'quietStart' | 'quietEnd'> = DEFAULT_REMINDER_POLICY,
): string {
  const window = { start: policy.quietStart, end: policy.quietEnd };
  const into =
    (minutesOf(deliveryTime) - minutesOf(window.start) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const length = quietMinutes(window);
  if (into >= length) return deliveryTime;
  // Before midnight in a window that crosses it: the evening before is nearer than the morning.
  const beforeMidnight = minutesOf(deliveryTime) >= minutesOf(window.start);
  const crossesMidnight = minutesOf(window.end) < minutesOf(window.start);
  return crossesMidnight && beforeMidnight ? timeOf(minutesOf(window.start) - 1) : window.end;
}

/**
 * The first slot for a reminder on or after `fromDate`: a day the manager receives messages,
 * at their delivery time outside quiet hours, on a day with room under the daily cap.
 */
export function reminderSlot(
  schedule: Schedule,
  fromDate: string,
  dmsOn: (localDate: string) => number,
  notBefore?: Date,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): Occurrence | undefined {
  const at = { ...schedule, localTime: reminderLocalTime(schedule.localTime, policy) };
  for (let day = 0; day < SLOT_SEARCH_DAYS; day++) {
    const date = addDays(fromDate, day);
    const slot = occurrenceOn(at, date);
    if (!slot || (notBefore && slot.dueAt < notBefore)) continue;
    if (dmsOn(date) < policy.dailyDmCap) return slot;
  }
  return undefined;
}

/**
 * The weekly digest's slot on a Monday: the manager's delivery time moved out of quiet hours,
 * whether or not Monday is one of their note days.
 */
export function digestSlotOn(
  schedule: Schedule,
  monday: string,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): Occurrence {
  const slot = occurrenceOn(
    { ...schedule, weekdays: [1], localTime: reminderLocalTime(schedule.localTime, policy) },
    monday,
  );
  if (!slot) throw new Error(`${monday} is not a Monday`);
  return slot;
}

/** The Monday whose digest a manager is due, on their local `today`: today if it is one. */
export function digestMondayOf(today: string): string {
  return isoWeekdayOf(today) === 1 ? today : addDays(weekOf(today), 7);
}

/** A digest to plan, if one is due by `until`, and when the planner must look at it next. */
export interface DigestDecision {
  plan: Occurrence | undefined;
  nextLookAt: Date;
}

/**
 * The weekly digest for `monday` (every Monday at the delivery time, outside quiet hours, whether
 * or not Monday is a note day). `nextLookAt` is the earliest moment another digest could be
 * planned, so the planner reads only the subscriptions whose time has come (migration 0017).
 */
export function digestDecision(
  subscription: Schedule & ReminderPolicy,
  monday: string,
  alreadyPlanned: boolean,
  notBefore: Date,
  until: Date,
): DigestDecision {
  const nextWeek = () => ({
    plan: undefined,
    nextLookAt: digestSlotOn(subscription, addDays(monday, 7), subscription).dueAt,
  });
  if (alreadyPlanned) return nextWeek();
  const slot = reminderSlot(
    { ...subscription, weekdays: [1] },
    monday,
    () => 0,
    notBefore,
    subscription,
  );
  // This Monday's time has passed (beyond the grace): the digest waits for next week's.
  if (!slot || slot.localDate !== monday) return nextWeek();
  if (slot.dueAt > until) return { plan: undefined, nextLookAt: slot.dueAt };
  return { plan: slot, nextLookAt: nextWeek().nextLookAt };
}

/**
 * After a reminder goes unanswered, the next one waits longer: the item's interval, doubled for
 * each reminder already unanswered (1 → 2×, 2 → 4×).
 */
export function nextCheckBackAfterSilence(
  sentDate: string,
  intervalDays: number,
  unanswered: number,
): string {
  return addDays(sentDate, intervalDays * 2 ** Math.max(0, unanswered));
}

/** Monday of the ISO week of a local date. */
export function weekOf(localDate: string): string {
  return addDays(localDate, 1 - isoWeekdayOf(localDate));
}

export interface ProgressItem {
  status: 'open' | 'done' | 'partly' | 'dropped' | 'lapsed';
  /** Local date the item was completed (done or partly), if it was. */
  completedOn: string | null;
  /** Local date it was created. */
  createdOn: string;
}

/**
 * Completion over the last `weeks` weeks: of the items planned in that window, the share done.
 * Open items still count: an action not yet done is not done.
 */
export function completionRate(
  items: readonly ProgressItem[],
  today: string,
  weeks = 8,
): { planned: number; done: number; rate: number | null } {
  const since = addDays(today, -7 * weeks);
  const window = items.filter((item) => item.createdOn > since);
  const done = window.filter((item) => item.status === 'done').length;
  return { planned: window.length, done, rate: window.length === 0 ? null : done / window.length };
}

/**
 * Consecutive ISO weeks, up to this one, with at least one action done. A week in progress
 * without one yet does not break the streak: it counts from last week then.
 */
export function streakWeeks(completedOn: readonly string[], today: string): number {
  const weeks = new Set(completedOn.map(weekOf));
  let week = weekOf(today);
  if (!weeks.has(week)) week = addDays(week, -7);
  let streak = 0;
  while (weeks.has(week)) {
    streak += 1;
    week = addDays(week, -7);
  }
  return streak;
}
