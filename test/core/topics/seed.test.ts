import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.ts';
import {
  type Catalogue,
  DEFAULT_WEEKDAY_THEMES,
  loadCatalogue,
} from '../../../src/core/topics/catalogue.ts';
import { retireTopic } from '../../../src/core/topics/history.ts';
import { formatReference } from '../../../src/core/topics/references.ts';
import { seedAllWorkspaces, seedWorkspace } from '../../../src/core/topics/seeding.ts';
import { setWeekdayTheme, updateTopic } from '../../../src/core/topics/service.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

let database: TestDatabase;
let catalogue: Catalogue;
let teams = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  catalogue = await loadCatalogue();
});

afterAll(async () => {
  await database?.drop();
});

/** A workspace of its own for each test, so tests do not see each other's topics. */
async function newWorkspace(status: 'active' | 'inactive' = 'active') {
  teams += 1;
  const slackTeamId = `T0SEED${teams}`;
  const row = await database.db
    .insertInto('workspaces')
    .values({ slack_team_id: slackTeamId, status })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slackTeamId };
}

/** The catalogue with one topic's summary rewritten, as a new catalogue version would. */
function withSummary(slug: string, summary: string): Catalogue {
  const changed = structuredClone(catalogue);
  changed.version += 1;
  const topic = changed.topics.find((t) => t.slug === slug);
  if (!topic) throw new Error(`no topic ${slug}`);
  topic.summary = summary;
  return changed;
}

const topicsOf = (workspaceId: string) =>
  database.db.selectFrom('topics').where('workspace_id', '=', workspaceId).selectAll().execute();

const revisionsOf = (workspaceId: string) =>
  database.db
    .selectFrom('topic_revisions')
    .where('workspace_id', '=', workspaceId)
    .selectAll()
    .orderBy('topic_id')
    .orderBy('revision')
    .execute();

async function topicBySlug(workspaceId: string, slug: string) {
  return database.db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .where('slug', '=', slug)
    .selectAll()
    .executeTakeFirstOrThrow();
}

async function themesOf(workspaceId: string) {
  const rows = await database.db
    .selectFrom('weekday_themes')
    .where('workspace_id', '=', workspaceId)
    .select(['iso_weekday', 'category'])
    .orderBy('iso_weekday')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.iso_weekday, row.category]));
}

const FIRST = () => catalogue.topics[0]?.slug as string;

describe('seeding a workspace from the catalogue', () => {
  it('creates every topic at revision 1 with a seed revision, and the default weekday themes', async () => {
    const workspace = await newWorkspace();
    const result = await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    expect(result).toEqual({ created: catalogue.topics.length, updated: 0, unchanged: 0 });

    const topics = await topicsOf(workspace.id);
    expect(topics).toHaveLength(catalogue.topics.length);
    const source = catalogue.topics[0];
    const stored = topics.find((t) => t.slug === source?.slug);
    expect(stored).toMatchObject({
      title: source?.title,
      category: source?.category,
      summary: source?.summary,
      why_it_matters: source?.whyItMatters,
      reflection_question: source?.reflectionQuestion,
      actions: source?.actions,
      reference: source && formatReference(source.reference),
      revision: 1,
      retired_at: null,
    });

    const revisions = await revisionsOf(workspace.id);
    expect(revisions).toHaveLength(catalogue.topics.length);
    expect(new Set(revisions.map((r) => r.source))).toEqual(new Set(['seed']));
    expect(revisions.find((r) => r.topic_id === stored?.id)?.content).toMatchObject({
      summary: source?.summary,
      reference: source && formatReference(source.reference),
    });

    expect(await themesOf(workspace.id)).toEqual(DEFAULT_WEEKDAY_THEMES);
  });

  it('changes nothing when run a second time', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    const before = await topicsOf(workspace.id);
    const again = await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    expect(again).toEqual({ created: 0, updated: 0, unchanged: catalogue.topics.length });
    expect(await topicsOf(workspace.id)).toEqual(before);
    expect(await revisionsOf(workspace.id)).toHaveLength(catalogue.topics.length);
  });

  it('updates a topic the catalogue changed in place, at revision 2, keeping the first version', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    const original = await topicBySlug(workspace.id, FIRST());

    const changed = withSummary(FIRST(), 'A sharper summary from the next catalogue version.');
    const result = await seedWorkspace(database.db, workspace.id, changed, new Date());
    expect(result).toEqual({ created: 0, updated: 1, unchanged: catalogue.topics.length - 1 });

    const topic = await topicBySlug(workspace.id, FIRST());
    expect(topic.id).toBe(original.id);
    expect(topic.revision).toBe(2);
    expect(topic.summary).toBe('A sharper summary from the next catalogue version.');
    const history = (await revisionsOf(workspace.id)).filter((r) => r.topic_id === topic.id);
    expect(history.map((r) => [r.revision, r.source])).toEqual([
      [1, 'seed'],
      [2, 'seed'],
    ]);
    expect(history[0]?.content).toMatchObject({ summary: original.summary });
    expect(history[1]?.content).toMatchObject({ summary: topic.summary });

    expect(await seedWorkspace(database.db, workspace.id, changed, new Date())).toMatchObject({
      updated: 0,
    });
  });

  it('leaves a topic an admin edited last as the admin left it, and counts it unchanged', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    const topic = await topicBySlug(workspace.id, FIRST());
    await updateTopic(
      database.db,
      workspace.slackTeamId,
      topic.id,
      { title: 'Our own words for it' },
      new Date(),
    );

    const result = await seedWorkspace(
      database.db,
      workspace.id,
      withSummary(FIRST(), 'The catalogue moved on.'),
      new Date(),
    );
    expect(result).toEqual({ created: 0, updated: 0, unchanged: catalogue.topics.length });
    const after = await topicBySlug(workspace.id, FIRST());
    expect(after).toMatchObject({
      title: 'Our own words for it',
      summary: topic.summary,
      revision: 2,
    });
    const history = (await revisionsOf(workspace.id)).filter((r) => r.topic_id === topic.id);
    expect(history.map((r) => r.source)).toEqual(['seed', 'admin']);
  });

  it('keeps a retired topic retired and untouched', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    const topic = await topicBySlug(workspace.id, FIRST());
    await retireTopic(database.db, workspace.slackTeamId, topic.id, new Date());

    const result = await seedWorkspace(
      database.db,
      workspace.id,
      withSummary(FIRST(), 'Rewritten while retired.'),
      new Date(),
    );
    expect(result.updated).toBe(0);
    const after = await topicBySlug(workspace.id, FIRST());
    expect(after.retired_at).toBeInstanceOf(Date);
    expect(after.summary).toBe(topic.summary);
    expect(after.revision).toBe(1);
  });

  it('adds a topic new to the catalogue, and leaves alone one the catalogue dropped', async () => {
    const workspace = await newWorkspace();
    const shorter = structuredClone(catalogue);
    const dropped = shorter.topics.pop();
    await seedWorkspace(database.db, workspace.id, shorter, new Date());
    const withoutFirst = structuredClone(catalogue);
    withoutFirst.topics = withoutFirst.topics.filter((t) => t.slug !== FIRST());

    expect(await seedWorkspace(database.db, workspace.id, catalogue, new Date())).toMatchObject({
      created: 1,
    });
    expect(await seedWorkspace(database.db, workspace.id, withoutFirst, new Date())).toMatchObject({
      created: 0,
    });
    const slugs = (await topicsOf(workspace.id)).map((t) => t.slug);
    expect(slugs).toContain(dropped?.slug);
    expect(slugs).toContain(FIRST());
  });

  it("adds default themes only for weekdays without one, so an admin's theme survives", async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    await setWeekdayTheme(
      database.db,
      workspace.slackTeamId,
      6,
      'team-climate-and-growth',
      new Date(),
    );
    await database.db
      .deleteFrom('weekday_themes')
      .where('workspace_id', '=', workspace.id)
      .where('iso_weekday', '=', 7)
      .execute();

    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    expect(await themesOf(workspace.id)).toEqual({
      ...DEFAULT_WEEKDAY_THEMES,
      6: 'team-climate-and-growth',
    });
  });

  it('refuses a workspace that does not exist', async () => {
    const error = await seedWorkspace(database.db, '999999999', catalogue, new Date()).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'workspace_not_found', statusCode: 404 });
  });

  it('joins a transaction it is given, so the caller can roll it back', async () => {
    const workspace = await newWorkspace();
    await database.db
      .transaction()
      .execute(async (trx) => {
        await seedWorkspace(trx, workspace.id, catalogue, new Date());
        expect(
          await trx
            .selectFrom('topics')
            .where('workspace_id', '=', workspace.id)
            .select('id')
            .execute(),
        ).toHaveLength(catalogue.topics.length);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect(await topicsOf(workspace.id)).toEqual([]);
  });
});

describe('when several processes seed one workspace at once', () => {
  it('creates exactly one topic per slug, one first revision each, and seven themes', async () => {
    const workspace = await newWorkspace();
    // The test pool has four connections: four seeders in four transactions, truly concurrent.
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => seedWorkspace(database.db, workspace.id, catalogue, new Date())),
    );
    expect(results.reduce((sum, r) => sum + r.created, 0)).toBe(catalogue.topics.length);
    for (const result of results) {
      expect(result.created + result.updated + result.unchanged).toBe(catalogue.topics.length);
      expect(result.updated).toBe(0);
    }

    const slugs = (await topicsOf(workspace.id)).map((t) => t.slug).sort();
    expect(slugs).toEqual(catalogue.topics.map((t) => t.slug).sort());
    const revisions = await revisionsOf(workspace.id);
    expect(revisions).toHaveLength(catalogue.topics.length);
    expect(revisions.every((r) => r.revision === 1)).toBe(true);
    expect(Object.keys(await themesOf(workspace.id))).toHaveLength(7);
  });

  it('applies a catalogue change once, not once per process', async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    const changed = withSummary(FIRST(), 'Changed under concurrency.');
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => seedWorkspace(database.db, workspace.id, changed, new Date())),
    );
    expect(results.map((r) => r.updated).sort()).toEqual([0, 0, 0, 1]);
    const topic = await topicBySlug(workspace.id, FIRST());
    expect(topic.revision).toBe(2);
    expect(await revisionsOf(workspace.id)).toHaveLength(catalogue.topics.length + 1);
  });

  it("does not overwrite an admin's edit made while a seeder waits for the row", async () => {
    const workspace = await newWorkspace();
    await seedWorkspace(database.db, workspace.id, catalogue, new Date());
    const topic = await topicBySlug(workspace.id, FIRST());
    const changed = withSummary(FIRST(), 'The catalogue wants this.');

    // Hold the row as an admin's edit would, start a seeder, then commit the edit.
    let seeding: Promise<unknown> = Promise.resolve();
    await database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('topics').where('id', '=', topic.id).select('id').forUpdate().execute();
      seeding = seedWorkspace(database.db, workspace.id, changed, new Date());
      await waitForLockWaiter();
      await trx
        .updateTable('topics')
        .set({ title: 'Edited by an admin', revision: 2, updated_at: new Date() })
        .where('id', '=', topic.id)
        .execute();
      await trx
        .insertInto('topic_revisions')
        .values({
          topic_id: topic.id,
          revision: 2,
          workspace_id: workspace.id,
          content: JSON.stringify({ title: 'Edited by an admin' }),
          source: 'admin',
        })
        .execute();
    });
    expect(await seeding).toMatchObject({ updated: 0 });
    expect(await topicBySlug(workspace.id, FIRST())).toMatchObject({
      title: 'Edited by an admin',
      summary: topic.summary,
      revision: 2,
    });
  });
});

/** Polls pg_locks (with a deadline) until some session waits for a lock. */
async function waitForLockWaiter(): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows } = await database.pool.query(
      'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
    );
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no session started waiting for a lock');
}

describe('seeding every workspace', () => {
  it('seeds each active workspace and skips inactive ones', async () => {
    const active = await newWorkspace();
    const inactive = await newWorkspace('inactive');
    await seedAllWorkspaces(database.db, catalogue, new Date());
    expect(await topicsOf(active.id)).toHaveLength(catalogue.topics.length);
    expect(await topicsOf(inactive.id)).toEqual([]);
    await seedAllWorkspaces(database.db, catalogue, new Date());
    expect(await revisionsOf(active.id)).toHaveLength(catalogue.topics.length);
  });
});
