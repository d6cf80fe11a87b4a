/**
 * The daily and hourly analytics (issue 15): delivery health per local date, and managers'
 * answers by local weekday and hour. Released under ./rules.ts, and ./team-filter.ts for a team.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  type AnalyticsMeta,
  type AnalyticsQuery,
  cacheKey,
  checkFamily,
  checkTeam,
  meta,
  read,
} from './query.ts';
import { cachedRead } from './read-cache.ts';
import {
  type ActivityCellRow,
  type DeliveryDayRow,
  selectActivityCells,
  selectDeliveryDays,
} from './repositories/reads.ts';
import {
  selectAtomActivityCells,
  selectAtomDeliveryDays,
  selectTeamDeliveryDays,
} from './repositories/team-reads.ts';
import {
  Accumulator,
  addDays,
  type Cell,
  type DateRange,
  EMPTY,
  enoughManagers,
  entry,
  isoDate,
  partitionReleased,
  requestedRange,
  SUPPRESSED,
  weekOf,
} from './rules.ts';
import { teamActivitySums, teamHealthWeeks } from './team-filter.ts';

export interface HealthDay {
  day: string;
  due: Cell;
  onTime: Cell;
  late: Cell;
  missed: Cell;
  failed: Cell;
  slackErrors: Cell;
  rateLimited: Cell;
  latenessP50Ms: Cell;
  latenessP99Ms: Cell;
}

const HEALTH_COUNTS = [
  'due',
  'onTime',
  'late',
  'missed',
  'failed',
  'slackErrors',
  'rateLimited',
] as const;

/** The range's days, each released with its week (everyone's, or a team's: ./team-filter.ts). */
async function healthDays(
  trx: Kysely<Database>,
  range: DateRange,
  team: string | undefined,
  k: number,
): Promise<HealthDay[]> {
  const [from, to] = [isoDate(weekOf(range.from)), isoDate(addDays(weekOf(range.to), 6))];
  const rows = await selectDeliveryDays(trx, from, to);
  const weekOfDay = (day: string) => isoDate(weekOf(new Date(`${day}T00:00:00Z`)));
  let weekReleased = new Map<string, boolean>();
  for (const row of rows) {
    const week = weekOfDay(row.day);
    weekReleased.set(week, (weekReleased.get(week) ?? true) && enoughManagers(row.managers, k));
  }
  let shown = rows;
  if (team !== undefined) {
    const atoms = await selectAtomDeliveryDays(trx, from, to, k);
    weekReleased = teamHealthWeeks(rows, atoms, weekOfDay, k);
    shown = await selectTeamDeliveryDays(trx, team, from, to);
  }
  const byDay = new Map(shown.map((row) => [row.day, row]));
  const days: HealthDay[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    const key = isoDate(day);
    const row: DeliveryDayRow | undefined = byDay.get(key);
    const released = weekReleased.get(isoDate(weekOf(day))) ?? true;
    const cell = (value: number | null): Cell =>
      !row
        ? value === null
          ? EMPTY
          : { value: 0, suppressed: false }
        : released
          ? { value, suppressed: false }
          : SUPPRESSED;
    const health = { day: key } as HealthDay;
    for (const name of HEALTH_COUNTS) health[name] = cell(row ? row[name] : 0);
    health.latenessP50Ms = cell(row ? row.latenessP50Ms : null);
    health.latenessP99Ms = cell(row ? row.latenessP99Ms : null);
    days.push(health);
  }
  return days;
}

/**
 * Delivery health per local date. The days of an ISO week split the week's notes, which the
 * engagement answer totals, so a day is released only with all the other days of its week.
 */
export async function deliveryHealth(
  db: Kysely<Database>,
  query: Omit<AnalyticsQuery, 'family'>,
  today: Date,
  k: number,
): Promise<AnalyticsMeta & { days: HealthDay[] }> {
  const range = requestedRange(query, today, false);
  return read(db, async (trx) => {
    await checkTeam(trx, query.team, k);
    const days = await cachedRead(db, trx, cacheKey('health', range, { team: query.team }, k), () =>
      healthDays(trx, range, query.team, k),
    );
    return { ...meta(range, { team: query.team }, k), days };
  });
}

export interface ActivityCell {
  isoWeekday: number;
  hour: number;
  answers: Cell;
}

/**
 * Answers by local weekday and hour over the range (whole weeks). A family's cell of a week is
 * released only with every other family's cell of the same weekday and hour.
 */
export async function activity(
  db: Kysely<Database>,
  query: AnalyticsQuery,
  today: Date,
  k: number,
): Promise<AnalyticsMeta & { cells: ActivityCell[] }> {
  const range = requestedRange(query, today, true);
  return read(db, async (trx) => {
    await checkFamily(trx, query.family);
    await checkTeam(trx, query.team, k);
    const cells = await cachedRead(db, trx, cacheKey('activity', range, query, k), () =>
      activityCells(trx, range, query, k),
    );
    return { ...meta(range, query, k), cells };
  });
}

/** Answers per weekday and hour over the range (everyone's, or a team's: ./team-filter.ts). */
async function activityCells(
  trx: Kysely<Database>,
  range: DateRange,
  query: AnalyticsQuery,
  k: number,
): Promise<ActivityCell[]> {
  const [from, to] = [isoDate(range.from), isoDate(range.to)];
  const levels = query.family === undefined ? [0] : [0, 1];
  const rows = await selectActivityCells(trx, from, to, levels);
  const sums =
    query.team === undefined
      ? activitySums(rows, query.family, k)
      : teamActivitySums(
          rows,
          await selectAtomActivityCells(trx, from, to, k, levels),
          query.team,
          query.family,
          k,
        );
  const cells: ActivityCell[] = [];
  for (let isoWeekday = 1; isoWeekday <= 7; isoWeekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const sum = sums.get(`${isoWeekday}/${hour}`);
      cells.push({
        isoWeekday,
        hour,
        answers: sum ? sum.count() : { value: 0, suppressed: false },
      });
    }
  }
  return cells;
}

/** Everyone's answers per weekday and hour, each week's slot released as ./rules.ts says. */
function activitySums(rows: readonly ActivityCellRow[], family: string | undefined, k: number) {
  const slot = (row: ActivityCellRow) => `${row.week}/${row.isoWeekday}/${row.hour}`;
  const totals = new Map<string, ActivityCellRow>();
  const families = new Map<string, ActivityCellRow[]>();
  for (const row of rows) {
    if (row.level === 0) totals.set(slot(row), row);
    else families.set(slot(row), [...(families.get(slot(row)) ?? []), row]);
  }
  const sums = new Map<string, Accumulator>();
  const consider = (row: ActivityCellRow, released: boolean) => {
    const key = `${row.isoWeekday}/${row.hour}`;
    entry(sums, key, () => new Accumulator()).add(released, row.managers, row.answers);
  };
  for (const [key, total] of totals) {
    const totalReleased = enoughManagers(total.managers, k);
    if (family === undefined) {
      consider(total, totalReleased);
      continue;
    }
    const parts = families.get(key) ?? [];
    const released = partitionReleased(
      totalReleased,
      parts.map((row) => row.managers),
      k,
    );
    for (const row of parts) if (row.family === family) consider(row, released);
  }
  return sums;
}
