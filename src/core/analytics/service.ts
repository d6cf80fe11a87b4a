/**
 * The analytics the admin API serves (issue 15): engagement per week, topics and families over a
 * range, delivery health per day and answers by weekday and hour. Each reads the summary tables
 * (./repository.ts) under a statement timeout, and releases a number only under the rule in
 * ./rules.ts: never a number behind fewer than k managers, nor one two answers could subtract
 * down to such a number. No free text is ever read.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError, invalid } from '../errors.ts';
import {
  type ActivityCellRow,
  type DeliveryDayRow,
  selectActivityCells,
  selectDeliveryDays,
  selectFamilies,
  selectTopicLabels,
  selectWeekCells,
} from './repositories/reads.ts';
import { limitStatementTime } from './repositories/statement-time.ts';
import {
  Accumulator,
  addDays,
  type Cell,
  countCell,
  type DateRange,
  EMPTY,
  enoughManagers,
  entry,
  isoDate,
  type Measure,
  partitionReleased,
  population,
  type Released,
  ratioCell,
  release,
  requestedRange,
  SUPPRESSED,
  treesOf,
  type WeekCellRow,
  type WeekTree,
  weekOf,
  weeksOf,
} from './rules.ts';

/**
 * Every analytics query runs under this statement_timeout (or the request's deadline, if
 * sooner): reading summary tables takes milliseconds, so a query still running after a second
 * is refused with a clear message rather than allowed to hold a connection.
 */
export const ANALYTICS_STATEMENT_TIMEOUT_MS = 1_000;
/** PostgreSQL's query_canceled. */
const QUERY_CANCELED = '57014';

export interface AnalyticsQuery {
  from?: string;
  to?: string;
  family?: string;
}

/** What every answer says about itself: the range served (whole weeks where weekly) and k. */
export interface AnalyticsMeta {
  from: string;
  to: string;
  family: string | null;
  minGroup: number;
}

async function read<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>) {
  try {
    return await db.transaction().execute(async (trx) => {
      await limitStatementTime(trx, ANALYTICS_STATEMENT_TIMEOUT_MS);
      return work(trx);
    });
  } catch (error) {
    if ((error as { code?: string }).code === QUERY_CANCELED) {
      throw new AppError(
        'analytics_too_slow',
        'This analytics query took too long and was stopped. Try a shorter date range.',
        503,
        { cause: error, retryAfterSeconds: 5 },
      );
    }
    throw error;
  }
}

async function checkFamily(db: Kysely<Database>, family: string | undefined) {
  if (family === undefined) return;
  if (!(await selectFamilies(db)).includes(family)) {
    throw invalid('unknown_category', `No topic has the family "${family}".`, { family });
  }
}

function meta(range: DateRange, family: string | undefined, k: number): AnalyticsMeta {
  return { from: isoDate(range.from), to: isoDate(range.to), family: family ?? null, minGroup: k };
}

export interface EngagementWeek {
  week: string;
  managersSubscribed: Cell;
  notesDelivered: Cell;
  actionShare: Cell;
  completionRate: Cell;
  reminderAnswerRate: Cell;
  lapseRate: Cell;
  unsubscribes: Cell;
}

function engagementOf(
  week: string,
  row: WeekCellRow | undefined,
  released: Released,
  family: boolean,
): EngagementWeek {
  const count = (measure: Measure, value: number) =>
    row && population(row, measure) === 0 && value > 0
      ? SUPPRESSED
      : countCell(released[measure], value);
  const rate = (measure: Measure, numerator: number, denominator: number) => {
    if (!row || (population(row, measure) === 0 && denominator === 0)) return EMPTY;
    return released[measure] && population(row, measure) > 0
      ? ratioCell(numerator, denominator)
      : SUPPRESSED;
  };
  return {
    week,
    managersSubscribed: countCell(released.planned, row?.plannedManagers ?? 0),
    notesDelivered: count('sent', row?.sent ?? 0),
    actionShare: rate('sent', row?.sentWithAction ?? 0, row?.sent ?? 0),
    completionRate: rate('items', row?.itemsDone ?? 0, row?.items ?? 0),
    reminderAnswerRate: rate('reminded', row?.remindersAnswered ?? 0, row?.remindersAsked ?? 0),
    lapseRate: rate('items', row?.itemsLapsed ?? 0, row?.items ?? 0),
    // An unsubscribe is about the manager, not a family: not counted per family.
    unsubscribes: family ? EMPTY : count('unsubscribed', row?.unsubscribed ?? 0),
  };
}

/** Engagement per ISO week, for everything or one family. */
export async function engagement(
  db: Kysely<Database>,
  query: AnalyticsQuery,
  today: Date,
  k: number,
): Promise<AnalyticsMeta & { weeks: EngagementWeek[] }> {
  const range = requestedRange(query, today, true);
  return read(db, async (trx) => {
    await checkFamily(trx, query.family);
    const trees = treesOf(
      await selectWeekCells(trx, isoDate(range.from), isoDate(range.to), [0, 1]),
    );
    const weeks = weeksOf(range).map((week) => {
      const tree: WeekTree = trees.get(week) ?? { families: new Map(), topics: new Map() };
      const released = release(tree, k);
      return query.family === undefined
        ? engagementOf(week, tree.total, released.total, false)
        : engagementOf(week, tree.families.get(query.family), released.families, true);
    });
    return { ...meta(range, query.family, k), weeks };
  });
}

export interface TopicMeasures {
  sent: Cell;
  actionRate: Cell;
  completionRate: Cell;
  meanUsefulness: Cell;
  notRelevantRate: Cell;
}

/** The topic measures of a row summed over weeks, each hidden unless every week released it. */
class TopicSums {
  sent = new Accumulator();
  action = new Accumulator();
  completion = new Accumulator();
  usefulness = new Accumulator();
  notRelevant = new Accumulator();

  add(row: WeekCellRow, released: Released): void {
    this.sent.add(released.sent, row.sentManagers, row.sent);
    this.action.add(released.sent, row.sentManagers, row.sentWithAction, row.sent);
    this.completion.add(released.items, row.itemManagers, row.itemsDone, row.items);
    this.usefulness.add(released.rated, row.raterManagers, row.usefulnessSum, row.usefulnessCount);
    this.notRelevant.add(released.sent, row.sentManagers, row.notRelevant, row.sent);
  }

  measures(): TopicMeasures {
    const sent = this.sent.count();
    return {
      sent: this.sent.populated ? sent : { value: 0, suppressed: false },
      actionRate: this.action.ratio(),
      completionRate: this.completion.ratio(),
      meanUsefulness: this.usefulness.ratio(),
      notRelevantRate: this.notRelevant.ratio(),
    };
  }
}

export interface FamilyRow extends TopicMeasures {
  family: string;
}
export interface TopicRow extends TopicMeasures {
  topicId: string;
  teamId: string;
  slug: string;
  title: string;
  family: string;
}

/** Per family and per topic over the range (whole weeks). */
export async function topics(
  db: Kysely<Database>,
  query: AnalyticsQuery,
  today: Date,
  k: number,
): Promise<AnalyticsMeta & { families: FamilyRow[]; topics: TopicRow[] }> {
  const range = requestedRange(query, today, true);
  return read(db, async (trx) => {
    await checkFamily(trx, query.family);
    const rows = await selectWeekCells(trx, isoDate(range.from), isoDate(range.to), [0, 1, 2]);
    const familySums = new Map<string, TopicSums>();
    const topicSums = new Map<string, TopicSums>();
    const sumsOf = (map: Map<string, TopicSums>, key: string) =>
      entry(map, key, () => new TopicSums());
    for (const tree of treesOf(rows).values()) {
      const released = release(tree, k);
      for (const [family, row] of tree.families) {
        if (family !== '') sumsOf(familySums, family).add(row, released.families);
      }
      for (const [family, topicRows] of tree.topics) {
        const topicReleased = released.topics.get(family);
        if (family === '' || !topicReleased) continue;
        for (const row of topicRows) sumsOf(topicSums, row.topicId).add(row, topicReleased);
      }
    }
    const labels = await selectTopicLabels(trx, [...topicSums.keys()]);
    const wanted = (family: string) => query.family === undefined || query.family === family;
    return {
      ...meta(range, query.family, k),
      families: [...familySums]
        .filter(([family]) => wanted(family))
        .map(([family, sums]) => ({ family, ...sums.measures() }))
        .sort((a, b) => a.family.localeCompare(b.family)),
      topics: labels
        .filter((label) => wanted(label.family))
        .map((label) => ({
          topicId: label.id,
          teamId: label.teamId,
          slug: label.slug,
          title: label.title,
          family: label.family,
          ...(topicSums.get(label.id) ?? new TopicSums()).measures(),
        }))
        .sort(
          (a, b) =>
            a.family.localeCompare(b.family) ||
            a.slug.localeCompare(b.slug) ||
            a.teamId.localeCompare(b.teamId),
        ),
    };
  });
}

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
    const firstMonday = weekOf(range.from);
    const lastSunday = addDays(weekOf(range.to), 6);
    const rows = await selectDeliveryDays(trx, isoDate(firstMonday), isoDate(lastSunday));
    const byDay = new Map(rows.map((row) => [row.day, row]));
    const weekReleased = new Map<string, boolean>();
    for (const row of rows) {
      const week = isoDate(weekOf(new Date(`${row.day}T00:00:00Z`)));
      weekReleased.set(week, (weekReleased.get(week) ?? true) && enoughManagers(row.managers, k));
    }
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
    return { ...meta(range, undefined, k), days };
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
    const levels = query.family === undefined ? [0] : [0, 1];
    const rows = await selectActivityCells(trx, isoDate(range.from), isoDate(range.to), levels);
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
      if (query.family === undefined) {
        consider(total, totalReleased);
        continue;
      }
      const parts = families.get(key) ?? [];
      const released = partitionReleased(
        totalReleased,
        parts.map((row) => row.managers),
        k,
      );
      for (const row of parts) if (row.family === query.family) consider(row, released);
    }
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
    return { ...meta(range, query.family, k), cells };
  });
}
