/**
 * SQL for topics and their revisions (the weekday themes are in ./repositories/weekday-themes.ts).
 * Every query is scoped to one workspace, and every function takes an Executor, so a service
 * can run several in one transaction.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { normalizeContent, type TopicContent } from './rules.ts';

export type RevisionSource = 'seed' | 'admin';

export interface TopicRow extends TopicContent {
  id: string;
  workspaceId: string;
  slug: string;
  revision: number;
  /** Where the current revision came from; re-seeding updates only 'seed' topics. */
  revisionSource: RevisionSource;
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TopicRevisionRow {
  topicId: string;
  revision: number;
  source: RevisionSource;
  content: TopicContent;
  createdAt: Date;
}

export interface NewTopicRevision {
  topicId: string;
  workspaceId: string;
  revision: number;
  content: TopicContent;
  source: RevisionSource;
}

function columnsOf(content: TopicContent) {
  return {
    category: content.category,
    title: content.title,
    summary: content.summary,
    why_it_matters: content.whyItMatters,
    example: content.example,
    reflection_question: content.reflectionQuestion,
    actions: content.actions,
    reference: content.reference,
  };
}

/** The source of a topic's current revision, read by a correlated subquery. */
function currentRevisionSource(eb: ExpressionBuilder<Database, 'topics'>) {
  return eb
    .selectFrom('topic_revisions')
    .select('topic_revisions.source')
    .whereRef('topic_revisions.topic_id', '=', 'topics.id')
    .whereRef('topic_revisions.revision', '=', 'topics.revision')
    .as('revisionSource');
}

function selectTopicRows(db: Executor, workspaceId: string) {
  return db
    .selectFrom('topics')
    .where('topics.workspace_id', '=', workspaceId)
    .select((eb) => [
      'topics.id',
      'topics.workspace_id as workspaceId',
      'topics.slug',
      'topics.category',
      'topics.title',
      'topics.summary',
      'topics.why_it_matters as whyItMatters',
      'topics.example',
      'topics.reflection_question as reflectionQuestion',
      'topics.actions',
      'topics.reference',
      'topics.revision',
      currentRevisionSource(eb),
      'topics.retired_at as retiredAt',
      'topics.created_at as createdAt',
      'topics.updated_at as updatedAt',
    ]);
}

type SelectedTopic = Omit<TopicRow, 'revisionSource'> & { revisionSource: RevisionSource | null };

function toTopicRow(row: SelectedTopic): TopicRow {
  // A topic with no revision row predates revision history (rows written by hand); nothing
  // says an admin shaped it, so it counts as the catalogue's.
  return { ...row, revisionSource: row.revisionSource ?? 'seed' };
}

/**
 * Inserts the topics whose slug the workspace does not have yet, at revision 1, and returns
 * those it inserted. ON CONFLICT DO NOTHING makes a concurrent seeder wait for the other's
 * rows and then skip them, instead of failing on the unique key.
 */
export async function insertTopicsIfAbsent(
  db: Executor,
  workspaceId: string,
  topics: readonly { slug: string; content: TopicContent }[],
): Promise<{ id: string; slug: string }[]> {
  if (topics.length === 0) return [];
  return db
    .insertInto('topics')
    .values(
      topics.map((topic) => ({
        workspace_id: workspaceId,
        slug: topic.slug,
        ...columnsOf(topic.content),
      })),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'slug']).doNothing())
    .returning(['id', 'slug'])
    .execute();
}

/**
 * Row-locks the workspace's topics with these slugs, in slug order so two seeders lock in the
 * same order and cannot deadlock. Read the rows after this, in a new statement: under READ
 * COMMITTED that statement sees whatever the previous lock holder committed, revision rows
 * included.
 */
export async function lockTopicsBySlug(
  db: Executor,
  workspaceId: string,
  slugs: readonly string[],
): Promise<void> {
  if (slugs.length === 0) return;
  await db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .where('slug', 'in', slugs)
    .select('id')
    .orderBy('slug')
    .forUpdate()
    .execute();
}

export async function findTopicsBySlug(
  db: Executor,
  workspaceId: string,
  slugs: readonly string[],
): Promise<TopicRow[]> {
  if (slugs.length === 0) return [];
  const rows = await selectTopicRows(db, workspaceId)
    .where('topics.slug', 'in', slugs)
    .orderBy('topics.slug')
    .execute();
  return rows.map(toTopicRow);
}

/** Whether the workspace has this topic (retired or not), by primary key. */
export async function topicInWorkspace(
  db: Executor,
  workspaceId: string,
  topicId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('topics')
    .where('id', '=', topicId)
    .where('workspace_id', '=', workspaceId)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** One topic of the workspace; `lock` row-locks it until the transaction ends. */
export async function findTopic(
  db: Executor,
  workspaceId: string,
  topicId: string,
  options: { lock?: boolean } = {},
): Promise<TopicRow | undefined> {
  if (options.lock) {
    const locked = await db
      .selectFrom('topics')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', topicId)
      .select('id')
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return undefined;
  }
  const row = await selectTopicRows(db, workspaceId)
    .where('topics.id', '=', topicId)
    .executeTakeFirst();
  return row && toTopicRow(row);
}

export interface TopicFilter {
  category?: string;
  includeRetired?: boolean;
  /** Overrides includeRetired: only active, only retired, or every topic. */
  status?: 'active' | 'retired' | 'all';
  /** Words each found (case-insensitively) in the slug, title, summary or reference. */
  search?: string;
}

export async function selectTopics(
  db: Executor,
  workspaceId: string,
  filter: TopicFilter = {},
): Promise<TopicRow[]> {
  let query = selectTopicRows(db, workspaceId);
  if (filter.category !== undefined) query = query.where('topics.category', '=', filter.category);
  const status = filter.status ?? (filter.includeRetired ? 'all' : 'active');
  if (status === 'active') query = query.where('topics.retired_at', 'is', null);
  if (status === 'retired') query = query.where('topics.retired_at', 'is not', null);
  for (const word of filter.search?.split(/\s+/).filter(Boolean) ?? []) {
    // ILIKE's wildcards in the words are matched literally.
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or(
        ['topics.slug', 'topics.title', 'topics.summary', 'topics.reference'].map((column) =>
          eb(sql.ref(column), 'ilike', pattern),
        ),
      ),
    );
  }
  const rows = await query.orderBy('topics.category').orderBy('topics.slug').execute();
  return rows.map(toTopicRow);
}

/** Inserts a topic at revision 1; undefined when the workspace already has the slug. */
export async function insertTopic(
  db: Executor,
  workspaceId: string,
  slug: string,
  content: TopicContent,
): Promise<string | undefined> {
  const [row] = await insertTopicsIfAbsent(db, workspaceId, [{ slug, content }]);
  return row?.id;
}

/** Replaces a topic's content and moves it to the next revision, which it returns. */
export async function updateTopicContent(
  db: Executor,
  workspaceId: string,
  topicId: string,
  content: TopicContent,
  now: Date,
): Promise<number> {
  const row = await db
    .updateTable('topics')
    .set({
      ...columnsOf(content),
      revision: sql<number>`revision + 1`,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', topicId)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return row.revision;
}

export async function insertTopicRevisions(
  db: Executor,
  revisions: readonly NewTopicRevision[],
): Promise<void> {
  if (revisions.length === 0) return;
  await db
    .insertInto('topic_revisions')
    .values(
      revisions.map((revision) => ({
        topic_id: revision.topicId,
        revision: revision.revision,
        workspace_id: revision.workspaceId,
        // pg would send a JavaScript array inside the object as a PostgreSQL array literal;
        // JSON text is what jsonb wants.
        content: JSON.stringify(normalizeContent(revision.content)),
        source: revision.source,
      })),
    )
    .execute();
}

export async function selectTopicRevisions(
  db: Executor,
  workspaceId: string,
  topicId: string,
): Promise<TopicRevisionRow[]> {
  const rows = await db
    .selectFrom('topic_revisions')
    .where('workspace_id', '=', workspaceId)
    .where('topic_id', '=', topicId)
    .select(['topic_id as topicId', 'revision', 'source', 'content', 'created_at as createdAt'])
    .orderBy('revision')
    .execute();
  return rows.map((row) => ({ ...row, content: row.content as TopicContent }));
}

/** Sets retired_at unless it is set already; true when this call retired the topic. */
export async function markTopicRetired(
  db: Executor,
  workspaceId: string,
  topicId: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('topics')
    .set({ retired_at: now, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', topicId)
    .where('retired_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether the workspace has an active topic in the category. `lock` takes a share lock on one
 * such topic, so a concurrent retirement waits until the caller's transaction ends.
 */
export async function hasActiveTopicInCategory(
  db: Executor,
  workspaceId: string,
  category: string,
  options: { lock?: boolean } = {},
): Promise<boolean> {
  let query = db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .where('category', '=', category)
    .where('retired_at', 'is', null)
    .select('id')
    .limit(1);
  if (options.lock) query = query.forShare();
  return (await query.executeTakeFirst()) !== undefined;
}

/** The categories that have at least one active topic, alphabetically. */
export async function selectActiveCategories(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .where('retired_at', 'is', null)
    .select('category')
    .distinct()
    .orderBy('category')
    .execute();
  return rows.map((row) => row.category);
}
