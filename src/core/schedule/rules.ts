/**
 * Pure scheduling maths: when is a manager's next message due?
 *
 * A schedule is a set of ISO weekdays, a wall-clock time and an IANA zone. Every function here
 * takes the instant or local date it reasons from (no clock, no I/O), so the scheduler and its
 * tests decide what "now" is.
 *
 * Daylight-saving rules, in the manager's zone:
 * - A time that does not exist that day (it falls in a spring-forward gap) is due at the next
 *   valid minute, i.e. the instant the clocks jump.
 * - A time that occurs twice (it falls in a fall-back overlap) is due once, at its first
 *   occurrence.
 *
 * Luxon is not relied on to pick either of these: `DateTime.fromObject` moves a nonexistent time
 * forward by the size of the gap (02:30 becomes 03:30, not 03:00), and its choice between the two
 * readings of an ambiguous time is documented as undefined (fromObject picks the later one,
 * `plus({ days: 1 })` may pick the earlier one). See "DST weirdness" in
 * https://moment.github.io/luxon/#/zones?id=dst-weirdness. Instead we ask the zone for its offset
 * at explicit instants and resolve the wall-clock reading ourselves.
 */
import { DateTime, IANAZone } from 'luxon';

/** ISO weekdays, 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** When a manager wants their message: chosen weekdays, at a local time, in their zone. */
export interface Schedule {
  /** ISO weekdays, each 1..7, at least one. */
  weekdays: readonly number[];
  /** 'HH:MM', 24-hour. */
  localTime: string;
  /** IANA, e.g. 'Europe/Berlin'. */
  timeZone: string;
}

/** One planned delivery of a schedule. */
export interface Occurrence {
  /** The UTC instant the message is due. */
  dueAt: Date;
  /** 'YYYY-MM-DD', the calendar date in the schedule's zone (the ledger key). */
  localDate: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEKDAY_ABBREVIATIONS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/**
 * Days to look at before giving up on finding an occurrence. Seven consecutive dates contain every
 * weekday; the margin covers an instant that sits in a fall-back overlap around midnight, where the
 * next day's occurrence can come before it.
 */
const MAX_DATES_TO_SCAN = 16;

/** Whether `value` is a 24-hour 'HH:MM' time between 00:00 and 23:59. */
export function isValidLocalTime(value: string): boolean {
  return typeof value === 'string' && LOCAL_TIME_PATTERN.test(value);
}

/** The calendar date ('YYYY-MM-DD') that `instant` falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  assertValidInstant(instant);
  const zone = assertValidTimeZone(timeZone);
  const at = instant.getTime();
  // The zone's reading of `at`, as epoch ms as if it were UTC (what Luxon's fromJSDate does).
  return isoDateOfEpochMs(at + zoneOffset(zone, at) * MINUTE_MS);
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a 'YYYY-MM-DD' calendar date. */
export function isoWeekdayOf(localDate: string): IsoWeekday {
  return isoWeekdayOfEpochMs(epochMsOfLocalDate(localDate));
}

/**
 * The calendar date `days` days after `localDate` (before it when negative). Pure calendar
 * arithmetic: DST cannot make a day longer or shorter here.
 */
export function addDays(localDate: string, days: number): string {
  if (!Number.isInteger(days)) {
    throw new Error(`Cannot add ${days} days to ${localDate}: expected a whole number of days`);
  }
  return isoDateOf(parseLocalDate(localDate).plus({ days }));
}

/** The occurrence on one local date, or undefined when that weekday is not chosen. */
export function occurrenceOn(schedule: Schedule, localDate: string): Occurrence | undefined {
  return occurrenceOnDate(parseSchedule(schedule), epochMsOfLocalDate(localDate));
}

/**
 * The first occurrence whose dueAt is strictly after `after`. Asking again with the returned
 * dueAt gives the one after it, so a scheduler that re-plans from the instant it last sent never
 * sends twice.
 */
export function nextOccurrence(schedule: Schedule, after: Date): Occurrence {
  const parsed = parseSchedule(schedule);
  assertValidInstant(after);
  // Start a day early: an occurrence planned for yesterday's date can still be ahead of `after`
  // when yesterday's time fell into a gap that pushed it past midnight.
  let date = epochMsOfLocalDate(localDateOf(after, schedule.timeZone)) - DAY_MS;
  for (let scanned = 0; scanned < MAX_DATES_TO_SCAN; scanned += 1) {
    const occurrence = occurrenceOnDate(parsed, date);
    if (occurrence && occurrence.dueAt.getTime() > after.getTime()) return occurrence;
    date += DAY_MS;
  }
  throw new Error(`No occurrence of ${describeSchedule(schedule)} after ${after.toISOString()}`);
}

/**
 * The first occurrence on a local date strictly after `localDate` (to advance after planning one).
 * Always within seven days, as every chosen weekday comes round once a week.
 */
export function firstOccurrenceAfterDate(schedule: Schedule, localDate: string): Occurrence {
  const parsed = parseSchedule(schedule);
  let date = epochMsOfLocalDate(localDate);
  for (let scanned = 0; scanned < 7; scanned += 1) {
    date += DAY_MS;
    const occurrence = occurrenceOnDate(parsed, date);
    if (occurrence) return occurrence;
  }
  // Unreachable: parseSchedule guarantees at least one weekday in 1..7.
  throw new Error(`No occurrence of ${describeSchedule(schedule)} after ${localDate}`);
}

/** Human-readable, for messages: e.g. 'Mon, Wed and Fri at 09:00 (Europe/Berlin)'. */
export function describeSchedule(schedule: Schedule): string {
  parseSchedule(schedule);
  const weekdays = [...new Set(schedule.weekdays)].sort((a, b) => a - b);
  const names = weekdays.map((weekday) => WEEKDAY_ABBREVIATIONS[weekday - 1] ?? String(weekday));
  const last = names.pop();
  const days = names.length > 0 ? `${names.join(', ')} and ${last}` : last;
  return `${days} at ${schedule.localTime} (${schedule.timeZone})`;
}

interface ParsedSchedule {
  weekdays: ReadonlySet<number>;
  hour: number;
  minute: number;
  zone: IANAZone;
}

/**
 * The occurrence on the local date whose midnight, read as UTC, is `date` (epoch ms). Dates are
 * plain numbers here, not Luxon DateTimes: the planner runs this for every row it plans.
 */
function occurrenceOnDate(schedule: ParsedSchedule, date: number): Occurrence | undefined {
  if (!schedule.weekdays.has(isoWeekdayOfEpochMs(date))) return undefined;
  const wallClock = date + schedule.hour * 60 * MINUTE_MS + schedule.minute * MINUTE_MS;
  const dueAt = instantOfWallClock(schedule.zone, wallClock);
  return { dueAt: new Date(dueAt), localDate: isoDateOfEpochMs(date) };
}

/**
 * The UTC instant (epoch ms) at which the zone's clocks read `wallClock`, a local date and time
 * encoded as epoch ms as if it were UTC.
 *
 * Every instant `t` satisfies `t + offset(t) = reading`, so the candidates are `wallClock - o` for
 * the offsets `o` in force around that reading. Looking a day either side finds both offsets of a
 * transition nearby (zones change offset at most a few hours from any reading, and never twice in
 * a day). Two candidates that both read right mean an overlap; none means a gap.
 */
function instantOfWallClock(zone: IANAZone, wallClock: number): number {
  const offsetBefore = zoneOffset(zone, wallClock - DAY_MS);
  const offsetAfter = zoneOffset(zone, wallClock + DAY_MS);

  const readingsOfWallClock = [offsetBefore, offsetAfter]
    .map((offset) => ({ offset, instant: wallClock - offset * MINUTE_MS }))
    .filter(({ offset, instant }) => zoneOffset(zone, instant) === offset)
    .map(({ instant }) => instant);
  // Fall-back overlap: the time happens twice; the first (earlier) one is the one that counts.
  if (readingsOfWallClock.length > 0) return Math.min(...readingsOfWallClock);

  // Spring-forward gap: the clocks jump over this reading. Due at the jump, the first instant
  // whose reading is at or after the requested one. Before the jump the old (smaller) offset
  // applies, after it the new one; these two instants bracket the jump.
  const earliest = wallClock - Math.max(offsetBefore, offsetAfter) * MINUTE_MS;
  const latest = wallClock - Math.min(offsetBefore, offsetAfter) * MINUTE_MS;
  return firstInstantReadingAtLeast(zone, wallClock, earliest, latest);
}

/**
 * Binary search, to the millisecond, for the first instant in (earliest, latest] at which the
 * zone's clocks read `wallClock` or later. Does not assume the jump is an hour: Lord Howe Island
 * moves its clocks by 30 minutes.
 */
function firstInstantReadingAtLeast(
  zone: IANAZone,
  wallClock: number,
  earliest: number,
  latest: number,
): number {
  const readingAt = (instant: number) => instant + zone.offset(instant) * MINUTE_MS;
  if (!(readingAt(earliest) < wallClock && readingAt(latest) >= wallClock)) {
    throw new Error(
      `Cannot resolve ${new Date(wallClock).toISOString().slice(0, 16)} local time in ${zone.name}`,
    );
  }
  let readsBefore = earliest;
  let readsAtOrAfter = latest;
  while (readsAtOrAfter - readsBefore > 1) {
    const middle = Math.floor((readsBefore + readsAtOrAfter) / 2);
    if (readingAt(middle) >= wallClock) readsAtOrAfter = middle;
    else readsBefore = middle;
  }
  return readsAtOrAfter;
}

/** Checks a schedule and returns it ready for calculation. Throws on a programming error. */
function parseSchedule(schedule: Schedule): ParsedSchedule {
  const { weekdays, localTime, timeZone } = schedule;
  if (!Array.isArray(weekdays) || weekdays.length === 0) {
    throw new Error('Invalid schedule: at least one weekday must be chosen');
  }
  for (const weekday of weekdays) {
    if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
      throw new Error(`Invalid schedule: weekday ${weekday} is not an ISO weekday (1..7)`);
    }
  }
  const match = typeof localTime === 'string' ? LOCAL_TIME_PATTERN.exec(localTime) : null;
  if (!match) {
    throw new Error(`Invalid schedule: local time "${localTime}" is not HH:MM (00:00..23:59)`);
  }
  return {
    weekdays: new Set(weekdays),
    hour: Number(match[1]),
    minute: Number(match[2]),
    zone: assertValidTimeZone(timeZone),
  };
}

function assertValidTimeZone(timeZone: string): IANAZone {
  // IANAZone.create caches one zone per name and checks it once, where IANAZone.isValidZone
  // builds a new Intl.DateTimeFormat on every call; this runs for every schedule on every tick.
  const zone = typeof timeZone === 'string' ? IANAZone.create(timeZone) : undefined;
  if (!zone?.isValid) {
    throw new Error(`Unknown time zone "${timeZone}": expected an IANA zone such as Europe/Berlin`);
  }
  return zone;
}

function assertValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new Error(`Invalid instant: ${String(instant)}`);
  }
}

/**
 * Zone offsets (minutes) at quarter-hour instants, by zone name, for zoneOffset. Bounded: emptied
 * when full, as a long-running worker meets ever new instants.
 */
const quarterHourOffsets = new Map<string, Map<number, number>>();
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const MAX_CACHED_OFFSETS = 200_000;
let cachedOffsets = 0;

/**
 * The zone's offset from UTC in minutes at `instant`, exactly as `zone.offset` gives it, but
 * mostly without its cost: an Intl formatToParts call, which was a third of the planner's CPU
 * per planned row. When the zone has the same offset at both ends of the quarter-hour around
 * `instant`, it has that offset at every instant between (no zone changes its offset twice
 * within fifteen minutes); otherwise a change falls inside, and the zone is asked.
 */
export function zoneOffset(zone: IANAZone, instant: number): number {
  const start = Math.floor(instant / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const atStart = offsetAtQuarterHour(zone, start);
  const atEnd = offsetAtQuarterHour(zone, start + QUARTER_HOUR_MS);
  return atStart === atEnd ? atStart : zone.offset(instant);
}

function offsetAtQuarterHour(zone: IANAZone, instant: number): number {
  let offsets = quarterHourOffsets.get(zone.name);
  if (!offsets) {
    offsets = new Map();
    quarterHourOffsets.set(zone.name, offsets);
  }
  let offset = offsets.get(instant);
  if (offset === undefined) {
    if (cachedOffsets >= MAX_CACHED_OFFSETS) {
      quarterHourOffsets.clear();
      cachedOffsets = 0;
      return offsetAtQuarterHour(zone, instant);
    }
    offset = zone.offset(instant);
    offsets.set(instant, offset);
    cachedOffsets += 1;
  }
  return offset;
}

/** The ISO weekday of the local date whose midnight, read as UTC, is `date` (epoch ms). */
function isoWeekdayOfEpochMs(date: number): IsoWeekday {
  const weekday = new Date(date).getUTCDay();
  return (weekday === 0 ? 7 : weekday) as IsoWeekday;
}

/** 'YYYY-MM-DD' of an epoch ms read as UTC (years 0000–9999, as LOCAL_DATE_PATTERN allows). */
function isoDateOfEpochMs(instant: number): string {
  const date = new Date(instant);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new Error(`Invalid date: ${instant} is outside the years 0000–9999`);
  }
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** A 'YYYY-MM-DD' date as the epoch ms of its midnight UTC; throws as parseLocalDate does. */
function epochMsOfLocalDate(localDate: string): number {
  const match = typeof localDate === 'string' ? LOCAL_DATE_PATTERN.exec(localDate) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
    // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999.
    const date = new Date(0);
    date.setUTCFullYear(year, month, day);
    // A day that does not exist (31 April) rolls over into the next month: refused.
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month) return date.getTime();
  }
  throw new Error(`Invalid local date "${localDate}": expected an existing date as YYYY-MM-DD`);
}

/** A 'YYYY-MM-DD' date as midnight UTC, a carrier for calendar arithmetic free of DST. */
function parseLocalDate(localDate: string): DateTime<true> {
  const match = typeof localDate === 'string' ? LOCAL_DATE_PATTERN.exec(localDate) : null;
  if (match) {
    const date = DateTime.fromObject(
      { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) },
      { zone: 'utc' },
    );
    if (date.isValid) return date;
  }
  throw new Error(`Invalid local date "${localDate}": expected an existing date as YYYY-MM-DD`);
}

function isoDateOf(date: DateTime): string {
  const isoDate = date.toISODate();
  if (isoDate === null) throw new Error(`Invalid date: ${date.invalidExplanation}`);
  return isoDate;
}
