/**
 * SQL for topic translations (migration 0029): one row per topic and language, English being
 * the topic row itself. Every query is scoped to one workspace.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { TranslationLanguage } from '../../languages/rules.ts';
import type { RevisionSource } from '../repository.ts';
import type { TranslationContent } from '../translation-rules.ts';

export interface TranslationRow extends TranslationContent {
  topicId: string;
  language: TranslationLanguage;
  source: RevisionSource;
  createdAt: Date;
  updatedAt: Date;
}

function columnsOf(content: TranslationContent) {
  return {
    title: content.title,
    summary: content.summary,
    why_it_matters: content.whyItMatters,
    example: content.example,
    reflection_question: content.reflectionQuestion,
    actions: content.actions,
  };
}

function selectTranslationRows(db: Executor, workspaceId: string) {
  return db
    .selectFrom('topic_translations')
    .where('workspace_id', '=', workspaceId)
    .select([
      'topic_id as topicId',
      'language',
      'title',
      'summary',
      'why_it_matters as whyItMatters',
      'example',
      'reflection_question as reflectionQuestion',
      'actions',
      'source',
      'created_at as createdAt',
      'updated_at as updatedAt',
    ]);
}

/**
 * The translations of these topics into `language`, by topic id. By topic id alone: the
 * callers got the ids from their own workspace's rows (a delivery, an action item), and a
 * batch of claimed notes spans workspaces.
 */
export async function selectTranslationsOf(
  db: Executor,
  topicIds: readonly string[],
  language: TranslationLanguage,
): Promise<Map<string, TranslationContent>> {
  if (topicIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('topic_translations')
    .where('topic_id', 'in', [...new Set(topicIds)])
    .where('language', '=', language)
    .select([
      'topic_id as topicId',
      'title',
      'summary',
      'why_it_matters as whyItMatters',
      'example',
      'reflection_question as reflectionQuestion',
      'actions',
    ])
    .execute();
  return new Map(rows.map(({ topicId, ...content }) => [topicId, content]));
}

/** Every translation of one topic, in language order. */
export async function selectTranslationsOfTopic(
  db: Executor,
  workspaceId: string,
  topicId: string,
): Promise<TranslationRow[]> {
  return selectTranslationRows(db, workspaceId)
    .where('topic_id', '=', topicId)
    .orderBy('language')
    .execute();
}

/** Which languages each topic of the workspace has, by topic id (topics with none are absent). */
export async function selectTranslatedLanguages(
  db: Executor,
  workspaceId: string,
): Promise<Map<string, TranslationLanguage[]>> {
  const rows = await db
    .selectFrom('topic_translations')
    .where('workspace_id', '=', workspaceId)
    .select(['topic_id as topicId', 'language'])
    .orderBy('topic_id')
    .orderBy('language')
    .execute();
  const languages = new Map<string, TranslationLanguage[]>();
  for (const row of rows) {
    const list = languages.get(row.topicId) ?? [];
    list.push(row.language);
    languages.set(row.topicId, list);
  }
  return languages;
}

/** Writes a topic's translation as an admin wrote it, created or replaced. */
export async function upsertTranslation(
  db: Executor,
  values: {
    workspaceId: string;
    topicId: string;
    language: TranslationLanguage;
    content: TranslationContent;
    now: Date;
  },
): Promise<void> {
  const columns = columnsOf(values.content);
  await db
    .insertInto('topic_translations')
    .values({
      topic_id: values.topicId,
      language: values.language,
      workspace_id: values.workspaceId,
      ...columns,
      source: 'admin',
      created_at: values.now,
      updated_at: values.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['topic_id', 'language'])
        .doUpdateSet({ ...columns, source: 'admin', updated_at: values.now }),
    )
    .execute();
}

/**
 * Writes the shipped translations of a workspace's topics in one statement: a missing row is
 * created, a seeded row whose text changed is replaced, and a row an admin wrote is left as it
 * is. Unchanged seeded rows are not rewritten, so updated_at keeps saying when the text last
 * changed. Returns how many rows were written.
 */
export async function seedTranslationRows(
  db: Executor,
  workspaceId: string,
  rows: readonly { topicId: string; language: TranslationLanguage; content: TranslationContent }[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const written = await db
    .insertInto('topic_translations')
    .values(
      rows.map((row) => ({
        topic_id: row.topicId,
        language: row.language,
        workspace_id: workspaceId,
        ...columnsOf(row.content),
        source: 'seed' as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['topic_id', 'language'])
        .doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          summary: eb.ref('excluded.summary'),
          why_it_matters: eb.ref('excluded.why_it_matters'),
          example: eb.ref('excluded.example'),
          reflection_question: eb.ref('excluded.reflection_question'),
          actions: eb.ref('excluded.actions'),
          updated_at: now,
        }))
        .where(
          sql<boolean>`topic_translations.source = 'seed' AND (topic_translations.title,
            topic_translations.summary, topic_translations.why_it_matters,
            topic_translations.example, topic_translations.reflection_question,
            topic_translations.actions) IS DISTINCT FROM (excluded.title, excluded.summary,
            excluded.why_it_matters, excluded.example, excluded.reflection_question,
            excluded.actions)`,
        ),
    )
    .returning('topic_id')
    .execute();
  return written.length;
}

/** Deletes a topic's translation; the deleted row, or undefined when there was none. */
export async function deleteTranslation(
  db: Executor,
  workspaceId: string,
  topicId: string,
  language: TranslationLanguage,
): Promise<TranslationRow | undefined> {
  return db
    .deleteFrom('topic_translations')
    .where('workspace_id', '=', workspaceId)
    .where('topic_id', '=', topicId)
    .where('language', '=', language)
    .returning([
      'topic_id as topicId',
      'language',
      'title',
      'summary',
      'why_it_matters as whyItMatters',
      'example',
      'reflection_question as reflectionQuestion',
      'actions',
      'source',
      'created_at as createdAt',
      'updated_at as updatedAt',
    ])
    .executeTakeFirst();
}
