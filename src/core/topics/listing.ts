/**
 * The admin's topic list: the catalogue filtered by family, status and words, with how often
 * each topic was sent and how useful managers found it, and sorted or filtered by those.
 *
 * The two numbers are the analytics' own (src/core/analytics, GET /admin/analytics/topics over
 * its longest range, two years), with the same suppression: a number behind fewer than k
 * managers is hidden. Sorting and filtering use shown numbers only (a hidden one sorts last and
 * never passes a minimum), or the order of the list would leak what the number hides. They are
 * as fresh as the worker's last analytics refresh.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { addDays, type Cell, isoDate, MAX_RANGE_DAYS } from '../analytics/rules.ts';
import { topics as topicAnalytics } from '../analytics/service.ts';
import { TRANSLATION_LANGUAGES, type TranslationLanguage } from '../languages/rules.ts';
import type { RequestContext } from '../request-context.ts';
import { selectTranslatedLanguages } from './repositories/translations.ts';
import type { TopicFilter, TopicRow } from './repository.ts';
import { listTopics } from './service.ts';

export const TOPIC_SORTS = ['category', 'title', 'updated', 'timesSent', 'usefulness'] as const;
export type TopicSort = (typeof TOPIC_SORTS)[number];

export interface TopicListQuery extends TopicFilter {
  sort?: TopicSort;
  /** Only topics whose shown mean usefulness (1–5) is at least this. */
  minUsefulness?: number;
  /** Only topics shown as sent at least this many times. */
  minTimesSent?: number;
  /** Only topics without a translation into this language. */
  missing?: TranslationLanguage;
}

export interface TopicStats {
  timesSent: Cell;
  meanUsefulness: Cell;
}

/** The languages a topic is translated into, and those it lacks (English is the topic itself). */
export interface TopicLanguages {
  translations: TranslationLanguage[];
  missingTranslations: TranslationLanguage[];
}

export type ListedTopic = TopicRow & TopicStats & TopicLanguages;

const NO_DATA: TopicStats = {
  timesSent: { value: 0, suppressed: false },
  meanUsefulness: { value: null, suppressed: false },
};

/** A shown number, or undefined when it is hidden or there is none. */
const shown = (cell: Cell) => (cell.suppressed || cell.value === null ? undefined : cell.value);

/** Descending by a shown number, hidden and empty ones last, then by category and slug. */
function byNumber(pick: (topic: ListedTopic) => Cell) {
  return (a: ListedTopic, b: ListedTopic) => {
    const x = shown(pick(a));
    const y = shown(pick(b));
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    return y - x;
  };
}

const byCatalogueOrder = (a: ListedTopic, b: ListedTopic) =>
  a.category.localeCompare(b.category) || a.slug.localeCompare(b.slug);

const SORTS: Record<TopicSort, (a: ListedTopic, b: ListedTopic) => number> = {
  category: () => 0,
  title: (a, b) => a.title.localeCompare(b.title),
  updated: (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime(),
  timesSent: byNumber((topic) => topic.timesSent),
  usefulness: byNumber((topic) => topic.meanUsefulness),
};

/** Filters by the shown numbers and sorts, pure; ties keep the catalogue order. */
export function arrangeTopics(
  topics: readonly ListedTopic[],
  query: Pick<TopicListQuery, 'sort' | 'minUsefulness' | 'minTimesSent'>,
): ListedTopic[] {
  const atLeast = (cell: Cell, minimum: number | undefined) => {
    if (minimum === undefined) return true;
    const value = shown(cell);
    return value !== undefined && value >= minimum;
  };
  const sort = SORTS[query.sort ?? 'category'];
  return topics
    .filter((topic) => atLeast(topic.meanUsefulness, query.minUsefulness))
    .filter((topic) => atLeast(topic.timesSent, query.minTimesSent))
    .sort((a, b) => sort(a, b) || byCatalogueOrder(a, b));
}

/**
 * The workspace's topics as the list shows them (audited as `topics.listed` by listTopics).
 * @param minGroup k, ANALYTICS_MIN_GROUP: the fewest managers a shown number may be behind.
 */
export async function listTopicsWithStats(
  db: Kysely<Database>,
  slackTeamId: string,
  query: TopicListQuery,
  today: Date,
  minGroup: number,
  context: RequestContext = {},
): Promise<ListedTopic[]> {
  const { sort, minUsefulness, minTimesSent, missing, ...filter } = query;
  const rows = await listTopics(db, slackTeamId, filter, context);
  if (rows.length === 0) return [];
  const translated = await selectTranslatedLanguages(db, rows[0]?.workspaceId as string);
  const from = isoDate(addDays(today, 1 - MAX_RANGE_DAYS));
  const analytics = await topicAnalytics(db, { from, to: isoDate(today) }, today, minGroup);
  const stats = new Map<string, TopicStats>(
    analytics.topics.map((topic) => [
      topic.topicId,
      { timesSent: topic.sent, meanUsefulness: topic.meanUsefulness },
    ]),
  );
  const listed = rows
    .map((row) => {
      const translations = translated.get(row.id) ?? [];
      const missingTranslations = TRANSLATION_LANGUAGES.filter((l) => !translations.includes(l));
      return { ...row, ...(stats.get(row.id) ?? NO_DATA), translations, missingTranslations };
    })
    .filter((row) => missing === undefined || row.missingTranslations.includes(missing));
  return arrangeTopics(listed, { sort, minUsefulness, minTimesSent });
}
