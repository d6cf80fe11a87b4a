/** Topic translations from data/topics/translations: loaded, checked, and seeded per workspace. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATALOGUE_PATH,
  type Catalogue,
  CatalogueError,
  loadCatalogue,
} from '../../../src/core/topics/catalogue.ts';
import { upsertTranslation } from '../../../src/core/topics/repositories/translations.ts';
import { seedWorkspace } from '../../../src/core/topics/seeding.ts';
import { updateTopic } from '../../../src/core/topics/service.ts';
import type { TranslationContent } from '../../../src/core/topics/translation-rules.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let folder: string;
let english: Catalogue;
let teams = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'blindspot-translations-'));
  english = await loadCatalogue();
});

afterAll(async () => {
  await database?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

const german = (title: string): TranslationContent => ({
  title,
  summary: 'Die jüngsten Eindrücke verdrängen das ganze Jahr.',
  whyItMatters: 'Wer nur die letzten Wochen sieht, bewertet ungerecht.',
  example: 'Eine Führungskraft bewertet nur den letzten Monat.',
  reflectionQuestion: 'Was weißt du über das ganze Jahr?',
  actions: ['Notizen führen.', 'Das Jahr durchgehen.', 'Beispiele sammeln.'],
});

/** A catalogue folder of its own: the shipped catalogue, with these translation files. */
async function catalogueWith(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(folder, 'c-'));
  await writeFile(join(dir, 'catalogue.json'), await readFile(CATALOGUE_PATH, 'utf8'));
  for (const [name, data] of Object.entries(files)) {
    await mkdir(join(dir, 'translations', name.split('/')[0] as string), { recursive: true });
    await writeFile(join(dir, 'translations', name), JSON.stringify(data));
  }
  return join(dir, 'catalogue.json');
}

const first = () => english.topics[0] as Catalogue['topics'][number];

async function newWorkspace() {
  teams += 1;
  const slackTeamId = `T0TRSEED${teams}`;
  const row = await database.db
    .insertInto('workspaces')
    .values({ slack_team_id: slackTeamId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slackTeamId };
}

const translationsOf = (workspaceId: string) =>
  database.db
    .selectFrom('topic_translations as tt')
    .innerJoin('topics as t', 't.id', 'tt.topic_id')
    .where('tt.workspace_id', '=', workspaceId)
    .select(['t.slug', 'tt.language', 'tt.title', 'tt.source', 'tt.topic_id'])
    .orderBy('t.slug')
    .execute();

describe('loading the translation files with the catalogue', () => {
  it('reads each language folder and keeps the translations by slug', async () => {
    const topic = first();
    const path = await catalogueWith({
      [`de/${topic.category}.json`]: { language: 'de', topics: { [topic.slug]: german('Titel') } },
    });
    const catalogue = await loadCatalogue(path);
    expect(catalogue.translations?.de?.[topic.slug]?.title).toBe('Titel');
    expect(catalogue.translations?.fr).toBeUndefined();
  });

  it('fails naming the file, the topic and the field, as for the English catalogue', async () => {
    const topic = first();
    const path = await catalogueWith({
      [`fr/${topic.category}.json`]: {
        language: 'fr',
        topics: {
          [topic.slug]: { ...german('x'.repeat(200)), actions: ['un', 'deux'] },
          'no-such-topic': german('Titre'),
        },
      },
    });
    const error = await loadCatalogue(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogueError);
    const problems = (error as CatalogueError).problems.join('\n');
    expect(problems).toContain(
      `fr/${topic.category}.json: ${topic.slug} title: title must be at most 80`,
    );
    expect(problems).toContain(`${topic.slug} actions: actions must hold exactly 3 items`);
    expect(problems).toContain('no-such-topic is not a topic of the catalogue');
  });

  it('refuses a topic filed under another family, and a file that claims another language', async () => {
    const topic = first();
    const other = english.topics.find((t) => t.category !== topic.category);
    const path = await catalogueWith({
      [`de/${other?.category}.json`]: { language: 'fr', topics: { [topic.slug]: german('T') } },
    });
    const problems = ((await loadCatalogue(path).catch((e: unknown) => e)) as CatalogueError)
      .problems;
    expect(problems).toContain(`de/${other?.category}.json: "language" must be "de".`);
    expect(problems).toContain(
      `de/${other?.category}.json: ${topic.slug} belongs in ${topic.category}.json.`,
    );
  });
});

describe('seeding translations', () => {
  const withGerman = (title: string, slug = first().slug): Catalogue => ({
    ...english,
    translations: { de: { [slug]: german(title) } },
  });

  it('creates the shipped translations of a new workspace as seeded rows', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, withGerman('Rezenzfehler'), new Date());
    expect(await translationsOf(workspace.id)).toMatchObject([
      { slug: first().slug, language: 'de', title: 'Rezenzfehler', source: 'seed' },
    ]);
  });

  it('replaces a seeded translation the files changed, and keeps one an admin wrote', async () => {
    const workspace = await newWorkspace();
    const second = english.topics[1]?.slug as string;
    const both = (title: string): Catalogue => ({
      ...english,
      translations: { de: { [first().slug]: german(title), [second]: german(title) } },
    });
    await seedWorkspace(database.db, workspace.id, both('Erste Fassung'), new Date());
    const [row] = await translationsOf(workspace.id);
    await upsertTranslation(database.db, {
      workspaceId: workspace.id,
      topicId: row?.topic_id as string,
      language: 'de',
      content: german('Von der Admin'),
      now: new Date(),
    });

    await seedWorkspace(database.db, workspace.id, both('Zweite Fassung'), new Date());
    const rows = await translationsOf(workspace.id);
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
    expect(bySlug[row?.slug as string]).toMatchObject({ title: 'Von der Admin', source: 'admin' });
    const other = rows.find((r) => r.slug !== row?.slug);
    expect(other).toMatchObject({ title: 'Zweite Fassung', source: 'seed' });
  });

  it('leaves the translations of a topic an admin edited in English alone', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, { ...english, translations: {} }, new Date());
    const topic = await database.db
      .selectFrom('topics')
      .where('workspace_id', '=', workspace.id)
      .where('slug', '=', first().slug)
      .select('id')
      .executeTakeFirstOrThrow();
    await updateTopic(
      database.db,
      workspace.slackTeamId,
      topic.id,
      { summary: 'Our own English summary.' },
      new Date(),
    );
    await seedWorkspace(database.db, workspace.id, withGerman('Nicht passend'), new Date());
    expect(await translationsOf(workspace.id)).toEqual([]);
  });

  it('deletes a topic’s translations with the topic', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, withGerman('Weg damit'), new Date());
    await database.db.deleteFrom('topics').where('workspace_id', '=', workspace.id).execute();
    expect(await translationsOf(workspace.id)).toEqual([]);
  });
});
