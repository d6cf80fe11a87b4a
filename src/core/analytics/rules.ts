/**
 * The rules of the analytics (issue 15), pure: date ranges, ISO weeks, and which numbers may be
 * shown without exposing anyone. docs/api/analytics.md explains the rule for readers.
 *
 * The suppression rule. Every number the API serves is a sum of *cells*: one measure over one
 * ISO week (or one local day, for delivery health) at one level of a hierarchy, everything →
 * family → topic. Each cell knows its population, the exact number of distinct managers it was
 * computed from. A cell is *released* when
 *   (a) its population is at least k (or zero: an empty cell says nothing about anyone),
 *   (b) its parent cell is released, and
 *   (c) every sibling in its partition (the other families of that week, the other topics of
 *       that family, the other days of that week) has a population of zero or at least k.
 * A number over a range of weeks is shown only when every non-empty cell it sums is released.
 *
 * Why (c) and the range rule: the filters (dates, family) select unions of cells, and the
 * totals are served too, so two answers can be subtracted. With (c), a released parent is only
 * ever split into parts that are all released, so parent minus shown parts leaves nothing
 * hidden; with the range rule, two ranges that differ by a week differ by released cells only.
 * So any difference of two served numbers is itself a sum of cells of at least k managers. The
 * price is coarseness: in a small team a rarely sent topic stays "fewer than k" for weeks.
 */
import { invalid } from '../errors.ts';

export const DAY_MS = 86_400_000;
/** The longest range one request may ask for: two years, leap day included. */
export const MAX_RANGE_DAYS = 731;
/** The default range: the last twelve weeks. */
export const DEFAULT_RANGE_DAYS = 12 * 7;

/** A date as 'YYYY-MM-DD', always a UTC midnight when turned into a Date. */
export type IsoDate = string;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseIsoDate(text: string, name: string): Date {
  const date = new Date(`${text}T00:00:00Z`);
  if (!DATE.test(text) || Number.isNaN(date.getTime()) || isoDate(date) !== text) {
    throw invalid('invalid_date_range', `${name} must be a date, YYYY-MM-DD.`, { [name]: text });
  }
  return date;
}

export function isoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: Date): number {
  return ((date.getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the ISO week holding `date`. */
export function weekOf(date: Date): Date {
  return addDays(date, 1 - isoWeekday(date));
}

export interface DateRange {
  from: Date;
  to: Date;
}

/**
 * The range a request asks for, inclusive: by default the twelve weeks up to today (UTC).
 * Backwards, or longer than two years: refused. With `wholeWeeks`, widened to whole ISO weeks,
 * the unit the weekly measures are released in (a partial week would split a cell).
 */
export function requestedRange(
  query: { from?: string; to?: string },
  today: Date,
  wholeWeeks: boolean,
): DateRange {
  const todayDate = parseIsoDate(isoDate(today), 'today');
  const to = query.to === undefined ? todayDate : parseIsoDate(query.to, 'to');
  const from =
    query.from === undefined
      ? addDays(to, 1 - DEFAULT_RANGE_DAYS)
      : parseIsoDate(query.from, 'from');
  if (from > to) {
    throw invalid('invalid_date_range', '`from` is after `to`: the range is backwards.', {
      from: isoDate(from),
      to: isoDate(to),
    });
  }
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) {
    throw invalid(
      'invalid_date_range',
      `The range is ${days} days long; at most ${MAX_RANGE_DAYS} (two years) may be asked for.`,
      { from: isoDate(from), to: isoDate(to) },
    );
  }
  if (!wholeWeeks) return { from, to };
  return { from: weekOf(from), to: addDays(weekOf(to), 6) };
}

/** The Mondays from the week of `from` to the week of `to`. */
export function weeksOf(range: DateRange): IsoDate[] {
  const weeks: IsoDate[] = [];
  for (let week = weekOf(range.from); week <= range.to; week = addDays(week, 7)) {
    weeks.push(isoDate(week));
  }
  return weeks;
}

/** A served number: null with `suppressed` when fewer than k managers are behind it. */
export interface Cell {
  value: number | null;
  suppressed: boolean;
}

export const EMPTY: Cell = { value: null, suppressed: false };
export const SUPPRESSED: Cell = { value: null, suppressed: true };

/** (a): zero, or at least k. */
export const enoughManagers = (population: number, k: number) =>
  population === 0 || population >= k;

/**
 * (c) for one partition: the parts (their populations) of a released parent are released only
 * all together. Returns whether the parts may be shown.
 */
export function partitionReleased(parentReleased: boolean, parts: Iterable<number>, k: number) {
  if (!parentReleased) return false;
  for (const population of parts) if (!enoughManagers(population, k)) return false;
  return true;
}

/**
 * A measure summed over some cells, each with its population and whether it is released:
 * shown only when every non-empty cell is released (the range rule).
 */
export class Accumulator {
  numerator = 0;
  denominator = 0;
  populated = false;
  hidden = false;

  add(released: boolean, population: number, numerator: number, denominator = 0): void {
    if (population === 0 && numerator === 0 && denominator === 0) return;
    this.populated = true;
    // Something counted with nobody known behind it is hidden rather than trusted.
    if (!released || population === 0) this.hidden = true;
    this.numerator += numerator;
    this.denominator += denominator;
  }

  /** The sum. */
  count(): Cell {
    if (this.hidden) return SUPPRESSED;
    return { value: this.numerator, suppressed: false };
  }

  /** numerator / denominator (see ratioCell). */
  ratio(): Cell {
    return this.hidden ? SUPPRESSED : ratioCell(this.numerator, this.denominator);
  }
}

/** numerator / denominator, rounded to 4 places; no value when nothing was counted. */
export function ratioCell(numerator: number, denominator: number): Cell {
  if (denominator === 0) return EMPTY;
  return { value: Math.round((numerator / denominator) * 10_000) / 10_000, suppressed: false };
}

/** A count shown on its own (one cell, no range): zero if nobody, suppressed below k. */
export function countCell(released: boolean, value: number): Cell {
  return released ? { value, suppressed: false } : SUPPRESSED;
}

/**
 * One CSV cell (RFC 4180). A suppressed number is written "<k", so a spreadsheet shows "fewer
 * than k" as the app does; a number with no data is empty. Text a spreadsheet would run as a
 * formula (=, +, -, @) is prefixed with a quote; only admin-written topic titles can hold it.
 */
export function csvValue(value: Cell | string | number | null, k: number): string {
  let text: string;
  if (value === null) text = '';
  else if (typeof value === 'object') {
    text = value.suppressed ? `<${k}` : value.value === null ? '' : String(value.value);
  } else text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(
  columns: readonly string[],
  rows: readonly (readonly (Cell | string | number | null)[])[],
  k: number,
): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(row.map((value) => csvValue(value, k)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** One week cell of ./repositories/reads.ts: sums, and the population of each measure. */
export interface WeekCellRow {
  week: string;
  level: number;
  family: string;
  topicId: string;
  planned: number;
  sent: number;
  sentWithAction: number;
  items: number;
  itemsDone: number;
  itemsLapsed: number;
  remindersAsked: number;
  remindersAnswered: number;
  usefulnessSum: number;
  usefulnessCount: number;
  notRelevant: number;
  unsubscribed: number;
  plannedManagers: number;
  sentManagers: number;
  itemManagers: number;
  remindedManagers: number;
  raterManagers: number;
  unsubscribedManagers: number;
}

/** The measures of a week cell, each with the field holding its population. */
const MEASURES = {
  planned: 'plannedManagers',
  sent: 'sentManagers',
  items: 'itemManagers',
  reminded: 'remindedManagers',
  rated: 'raterManagers',
  unsubscribed: 'unsubscribedManagers',
} as const satisfies Record<string, keyof WeekCellRow>;
export type Measure = keyof typeof MEASURES;
const MEASURE_NAMES = Object.keys(MEASURES) as Measure[];
export type Released = Record<Measure, boolean>;

/** The map's value for `key`, made and stored first if there is none. */
export function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  const found = map.get(key);
  if (found !== undefined) return found;
  const made = make();
  map.set(key, made);
  return made;
}

export const population = (row: WeekCellRow | undefined, measure: Measure) =>
  row ? row[MEASURES[measure]] : 0;

/** One week's cells, as a tree: the total, its families, and each family's topics. */
export interface WeekTree {
  total?: WeekCellRow;
  families: Map<string, WeekCellRow>;
  topics: Map<string, WeekCellRow[]>;
}

export function treesOf(rows: readonly WeekCellRow[]): Map<string, WeekTree> {
  const weeks = new Map<string, WeekTree>();
  for (const row of rows) {
    const tree = entry(
      weeks,
      row.week,
      (): WeekTree => ({ families: new Map(), topics: new Map() }),
    );
    if (row.level === 0) tree.total = row;
    else if (row.level === 1) tree.families.set(row.family, row);
    else entry(tree.topics, row.family, () => []).push(row);
  }
  return weeks;
}

/** Which measures of the total, of each family and of each topic are released, per ./rules.ts. */
export function release(tree: WeekTree, k: number) {
  const total = {} as Released;
  const families = {} as Released;
  for (const measure of MEASURE_NAMES) {
    total[measure] = enoughManagers(population(tree.total, measure), k);
    const parts = [...tree.families.values()].map((row) => population(row, measure));
    families[measure] = partitionReleased(total[measure], parts, k);
  }
  const topics = new Map<string, Released>();
  for (const [family, rows] of tree.topics) {
    const released = {} as Released;
    for (const measure of MEASURE_NAMES) {
      const parts = rows.map((row) => population(row, measure));
      released[measure] = partitionReleased(families[measure], parts, k);
    }
    topics.set(family, released);
  }
  return { total, families, topics };
}
