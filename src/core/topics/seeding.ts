/**
 * Seeding: each workspace's topics and weekday themes brought in line with the catalogue this
 * build ships (data/topics/catalogue.json).
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { TRANSLATION_LANGUAGES } from '../languages/rules.ts';
import { listActiveWorkspaceIds, workspaceExists } from '../workspaces/repository.ts';
import { type Catalogue, type CatalogueTopic, DEFAULT_WEEKDAY_THEMES } from './catalogue.ts';
import { formatReference } from './references.ts';
import { seedTranslationRows } from './repositories/translations.ts';
import { insertWeekdayThemesIfAbsent } from './repositories/weekday-themes.ts';
import {
  findTopicsBySlug,
  insertTopicRevisions,
  insertTopicsIfAbsent,
  lockTopicsBySlug,
  updateTopicContent,
} from './repository.ts';
import { changedFields, ID_PATTERN, type TopicContent } from './rules.ts';
import type { CatalogueTranslations } from './translation-files.ts';

/** What one seeding did to one workspace's topics. */
export interface SeedResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** The content a catalogue topic gives a workspace's topic: one citation text for the source. */
export function contentOfCatalogueTopic(topic: CatalogueTopic): TopicContent {
  return {
    category: topic.category,
    title: topic.title,
    summary: topic.summary,
    whyItMatters: topic.whyItMatters,
    example: topic.example,
    reflectionQuestion: topic.reflectionQuestion,
    actions: [...topic.actions],
    reference: formatReference(topic.reference),
  };
}

/**
 * Brings one workspace's topics in line with the catalogue, and gives it the default weekday
 * themes it lacks. Idempotent, and safe when several processes seed the same workspace at
 * once. Runs in its own transaction unless `db` already is one.
 *
 * - A slug the workspace lacks is created at revision 1.
 * - A topic whose current revision came from a seed and whose content differs is updated in
 *   place at the next revision.
 * - A topic an admin edited last, or retired, is left as it is: the admin's decision wins.
 * - Topics the catalogue no longer lists are left alone.
 * - Translations follow their topic, and an admin's translation is kept (seedTranslations).
 */
export async function seedWorkspace(
  db: Executor,
  workspaceId: string,
  catalogue: Catalogue,
  now: Date,
): Promise<SeedResult> {
  if (!db.isTransaction) {
    return db.transaction().execute((trx) => seedWorkspace(trx, workspaceId, catalogue, now));
  }
  if (!ID_PATTERN.test(workspaceId) || !(await workspaceExists(db, workspaceId))) {
    throw notFound('workspace');
  }
  // Slug order everywhere: concurrent seeders then wait on each other's rows in the same
  // order, which cannot deadlock.
  const wanted = catalogue.topics
    .map((topic) => ({ slug: topic.slug, content: contentOfCatalogueTopic(topic) }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const contentBySlug = new Map(wanted.map((topic) => [topic.slug, topic.content]));

  const inserted = await insertTopicsIfAbsent(db, workspaceId, wanted);
  await insertTopicRevisions(
    db,
    inserted.map((row) => ({
      topicId: row.id,
      workspaceId,
      revision: 1,
      content: contentBySlug.get(row.slug) as TopicContent,
      source: 'seed',
    })),
  );

  const insertedSlugs = new Set(inserted.map((row) => row.slug));
  const existingSlugs = wanted.map((topic) => topic.slug).filter((s) => !insertedSlugs.has(s));
  await lockTopicsBySlug(db, workspaceId, existingSlugs);
  // A new statement after the locks: it sees what a concurrent seeder or admin committed.
  const existing = await findTopicsBySlug(db, workspaceId, existingSlugs);

  let updated = 0;
  // The topics whose text the catalogue still owns: its translations may be seeded too.
  const seededIds = new Map(inserted.map((row) => [row.slug, row.id]));
  for (const topic of existing) {
    const content = contentBySlug.get(topic.slug) as TopicContent;
    if (topic.retiredAt !== null || topic.revisionSource === 'admin') continue;
    seededIds.set(topic.slug, topic.id);
    if (changedFields(topic, content).length === 0) continue;
    const revision = await updateTopicContent(db, workspaceId, topic.id, content, now);
    await insertTopicRevisions(db, [
      { topicId: topic.id, workspaceId, revision, content, source: 'seed' },
    ]);
    updated += 1;
  }

  await seedTranslations(db, workspaceId, catalogue.translations ?? {}, seededIds, now);
  await insertWeekdayThemesIfAbsent(db, workspaceId, DEFAULT_WEEKDAY_THEMES);
  return {
    created: inserted.length,
    updated,
    unchanged: wanted.length - inserted.length - updated,
  };
}

/**
 * Brings the translations of the catalogue's own topics (`topicIds`, by slug) in line with the
 * shipped files: a missing one is created, a seeded one that changed is replaced. A translation
 * an admin wrote is kept, and so are all translations of a topic an admin edited or retired
 * (the caller leaves those out): the shipped text was written for the English it replaced.
 * A translation the files no longer have is left alone, as topics are.
 */
async function seedTranslations(
  db: Executor,
  workspaceId: string,
  translations: CatalogueTranslations,
  topicIds: ReadonlyMap<string, string>,
  now: Date,
): Promise<void> {
  const rows = [];
  for (const language of TRANSLATION_LANGUAGES) {
    const bySlug = translations[language] ?? {};
    // Slug order, as for the topics: concurrent seeders meet the rows in the same order.
    for (const slug of Object.keys(bySlug).sort()) {
      const topicId = topicIds.get(slug);
      const content = bySlug[slug];
      if (topicId !== undefined && content !== undefined) rows.push({ topicId, language, content });
    }
  }
  await seedTranslationRows(db, workspaceId, rows, now);
}

/**
 * Seeds every active workspace, each in its own transaction, so one workspace's failure
 * leaves the others seeded.
 * @throws AggregateError listing the workspaces that failed, after trying them all.
 */
export async function seedAllWorkspaces(
  db: Kysely<Database>,
  catalogue: Catalogue,
  now: Date,
): Promise<void> {
  const failures: Error[] = [];
  for (const workspaceId of await listActiveWorkspaceIds(db)) {
    try {
      await db.transaction().execute((trx) => seedWorkspace(trx, workspaceId, catalogue, now));
    } catch (error) {
      failures.push(new Error(`seeding workspace ${workspaceId} failed`, { cause: error }));
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `seeding failed for ${failures.length} workspace(s)`);
  }
}
