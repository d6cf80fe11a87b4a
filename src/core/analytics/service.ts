/**
 * The analytics the admin API serves (issue 15): engagement per week, topics and families over a
 * range (here), delivery health per day and answers by weekday and hour (./daily.ts). Each reads
 * the summary tables (./repositories/) under a statement timeout, and releases a number only
 * under the rule in ./rules.ts (and ./team-filter.ts for a team): never a number behind fewer
 * than k managers, nor one two answers could subtract down to such a number. No free text is
 * ever read.
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
import { selectTopicLabels, selectWeekCells } from './repositories/reads.ts';
import { selectAtomWeekCells } from './repositories/team-reads.ts';
import {
  Accumulator,
  type Cell,
  countCell,
  type DateRange,
  EMPTY,
  entry,
  isoDate,
  type Measure,
  population,
  type Released,
  ratioCell,
  release,
  requestedRange,
  SUPPRESSED,
  treesOf,
  type WeekCellRow,
  type WeekTree,
  weeksOf,
} from './rules.ts';
import { teamWeekViews, type WeekView } from './team-filter.ts';

export { type ActivityCell, activity, deliveryHealth, type HealthDay } from './daily.ts';
export {
  ANALYTICS_STATEMENT_TIMEOUT_MS,
  type AnalyticsMeta,
  type AnalyticsQuery,
} from './query.ts';

const EMPTY_TREE = (): WeekTree => ({ families: new Map(), topics: new Map() });

/**
 * Each week's cells and what of them may be shown: everyone's (./rules.ts), or one team's
 * (./team-filter.ts).
 */
async function weekViews(
  trx: Kysely<Database>,
  range: DateRange,
  levels: readonly number[],
  team: string | undefined,
  k: number,
): Promise<Map<string, WeekView>> {
  const [from, to] = [isoDate(range.from), isoDate(range.to)];
  const trees = treesOf(await selectWeekCells(trx, from, to, levels));
  if (team === undefined) {
    return new Map([...trees].map(([week, tree]) => [week, { tree, released: release(tree, k) }]));
  }
  return teamWeekViews(trees, await selectAtomWeekCells(trx, from, to, k, levels), team, levels, k);
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
    await checkTeam(trx, query.team, k);
    const weeks = await cachedRead(db, trx, cacheKey('engagement', range, query, k), async () => {
      const views = await weekViews(trx, range, [0, 1], query.team, k);
      return weeksOf(range).map((week) => {
        const tree = views.get(week)?.tree ?? EMPTY_TREE();
        const released = views.get(week)?.released ?? release(tree, k);
        return query.family === undefined
          ? engagementOf(week, tree.total, released.total, false)
          : engagementOf(week, tree.families.get(query.family), released.families, true);
      });
    });
    return { ...meta(range, query, k), weeks };
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

/** Each family's and each topic's measures over the range, by family name and topic id. */
async function topicMeasures(
  trx: Kysely<Database>,
  range: DateRange,
  team: string | undefined,
  k: number,
): Promise<{ familySums: Map<string, TopicMeasures>; topicSums: Map<string, TopicMeasures> }> {
  const views = await weekViews(trx, range, [0, 1, 2], team, k);
  const familySums = new Map<string, TopicSums>();
  const topicSums = new Map<string, TopicSums>();
  const sumsOf = (map: Map<string, TopicSums>, key: string) =>
    entry(map, key, () => new TopicSums());
  for (const { tree, released } of views.values()) {
    for (const [family, row] of tree.families) {
      if (family !== '') sumsOf(familySums, family).add(row, released.families);
    }
    for (const [family, topicRows] of tree.topics) {
      const topicReleased = released.topics.get(family);
      if (family === '' || !topicReleased) continue;
      for (const row of topicRows) sumsOf(topicSums, row.topicId).add(row, topicReleased);
    }
  }
  const measured = (sums: Map<string, TopicSums>) =>
    new Map([...sums].map(([key, value]) => [key, value.measures()]));
  return { familySums: measured(familySums), topicSums: measured(topicSums) };
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
    await checkTeam(trx, query.team, k);
    // Families and topics are summed for every family: the family filter picks from them.
    const { familySums, topicSums } = await cachedRead(
      db,
      trx,
      cacheKey('topics', range, { team: query.team }, k),
      () => topicMeasures(trx, range, query.team, k),
    );
    const labels = await selectTopicLabels(trx, [...topicSums.keys()]);
    const wanted = (family: string) => query.family === undefined || query.family === family;
    return {
      ...meta(range, query, k),
      families: [...familySums]
        .filter(([family]) => wanted(family))
        .map(([family, measures]) => ({ family, ...measures }))
        .sort((a, b) => a.family.localeCompare(b.family)),
      topics: labels
        .filter((label) => wanted(label.family))
        .map((label) => ({
          topicId: label.id,
          teamId: label.teamId,
          slug: label.slug,
          title: label.title,
          family: label.family,
          ...(topicSums.get(label.id) ?? new TopicSums().measures()),
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
