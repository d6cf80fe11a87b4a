import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from '../../src/api/app.ts';
import type { components } from '../../src/bot/api-client/schema.ts';
import { syncEnvironmentApiKey } from '../../src/core/admin-accounts/api-keys.ts';
import { loadCatalogue } from '../../src/core/topics/catalogue.ts';
import { seedWorkspace } from '../../src/core/topics/seeding.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { jsonOf } from '../support/http.ts';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';
const TEAM = 'T0ADMIN';

let database: TestDatabase;
let server: HttpServer;
let baseUrl: string;
let topicCount: number;

async function buildServer(adminApiKey: string | undefined, db = database.db): Promise<HttpServer> {
  const app = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'test' }),
    metrics: createMetrics(),
  });
  // As a start does (src/entrypoints/admin-setup.ts): the key becomes an owner API key.
  await syncEnvironmentApiKey(db, adminApiKey, new Date());
  await registerApi(app, {
    db,
    serviceToken: 'test-service-token-0123456789abcdef0123',
    signingSecret: 'test-api-signing-secret-6f1ed002ab5595859014',
    adminApiKey,
    metrics: createMetrics(),
    version: 'test',
  });
  return app;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const workspace = await database.db
    .insertInto('workspaces')
    .values({ slack_team_id: TEAM })
    .returning('id')
    .executeTakeFirstOrThrow();
  const catalogue = await loadCatalogue();
  topicCount = catalogue.topics.length;
  await seedWorkspace(database.db, workspace.id, catalogue, new Date());
  server = await buildServer(ADMIN_KEY);
  baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

let requests = 0;

/** Calls the admin API as an admin, with a request id of its own to find the audit event by. */
async function admin(method: string, path: string, body?: unknown) {
  requests += 1;
  const requestId = `admin-test-${requests}`;
  const response = await fetch(`${baseUrl}/api/v1/admin/workspaces/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      'x-request-id': requestId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { response, status: response.status, body: await jsonOf(response), requestId };
}

type Topic = components['schemas']['Topic'];
type TopicRevision = components['schemas']['TopicRevision'];
type WeekdayTheme = components['schemas']['WeekdayTheme'];

const auditOf = (requestId: string) =>
  database.db.selectFrom('audit_events').where('request_id', '=', requestId).selectAll().execute();

async function countRows() {
  const count = async (table: 'topics' | 'topic_revisions' | 'weekday_themes' | 'audit_events') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    topics: await count('topics'),
    revisions: await count('topic_revisions'),
    themes: await count('weekday_themes'),
    audit: await count('audit_events'),
  };
}

const newTopic = (overrides: Record<string, unknown> = {}) => ({
  title: 'Meeting-free Fridays, only on paper',
  category: 'team-climate-and-growth',
  summary: 'You declared Fridays free of meetings, then booked three of your own.',
  whyItMatters: 'People copy what you do, not what you announce.',
  example: 'Priya keeps her Friday 1:1s "because they are quick".',
  reflectionQuestion: 'Which of your own rules did you break last week?',
  actions: ['Move your Friday meetings.', 'Ask one person what they noticed.', 'Say it aloud.'],
  reference: 'Schein, E. H. (2010). Organizational Culture and Leadership.',
  ...overrides,
});

async function firstTopicId(category = 'judging-people-fairly'): Promise<string> {
  const { body } = await admin('GET', `${TEAM}/topics?category=${category}`);
  const [topic] = body.topics as Topic[];
  if (!topic) throw new Error(`no topic in ${category}`);
  return topic.id;
}

describe('admin authentication', () => {
  it('revokes the imported key at a start without ADMIN_API_KEY, for good', async () => {
    const own = await createTestDatabase();
    const servers: HttpServer[] = [];
    const topics = async (adminApiKey: string | undefined) => {
      const server = await buildServer(adminApiKey, own.db);
      servers.push(server);
      return server.inject({
        method: 'GET',
        url: `/api/v1/admin/workspaces/${TEAM}/topics`,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-request-id': 'r-disabled' },
      });
    };
    try {
      // Imported: the key works (404: this database has no workspace).
      expect((await topics(ADMIN_KEY)).statusCode).toBe(404);
      const unset = await topics(undefined);
      expect(unset.statusCode).toBe(401);
      expect(unset.json()).toEqual({
        code: 'unauthorized',
        message: 'A valid admin API key is required.',
        requestId: 'r-disabled',
      });
      // Setting the same value again does not bring a revoked key back.
      expect((await topics(ADMIN_KEY)).statusCode).toBe(401);
      expect(await syncEnvironmentApiKey(own.db, ADMIN_KEY, new Date())).toBe('refused_revoked');
    } finally {
      for (const server of servers) await server.close();
      await own.drop();
    }
  });

  it('answers 401 without the key, with a wrong key, or with the service token', async () => {
    const url = `${baseUrl}/api/v1/admin/workspaces/${TEAM}/topics`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await jsonOf(anonymous)).toMatchObject({ code: 'unauthenticated' });
    for (const authorization of [
      'Bearer not-the-admin-key',
      `Basic ${ADMIN_KEY}`,
      'Bearer test-service-token-0123456789abcdef0123',
    ]) {
      const response = await fetch(url, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(await jsonOf(response)).toMatchObject({
        code: 'unauthorized',
        requestId: expect.any(String),
      });
    }
  });

  it('refuses a wrong key before looking at the body, and writes nothing', async () => {
    const before = await countRows();
    const response = await fetch(`${baseUrl}/api/v1/admin/workspaces/${TEAM}/topics`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: JSON.stringify({ nonsense: true }),
    });
    expect(response.status).toBe(401);
    expect(await countRows()).toEqual(before);
  });
});

describe('listing and reading topics', () => {
  it('lists the active topics by category and slug, and records the call', async () => {
    const { status, body, requestId } = await admin('GET', `${TEAM}/topics`);
    expect(status).toBe(200);
    const topics = body.topics as Topic[];
    expect(topics).toHaveLength(topicCount);
    const keys = topics.map((t) => `${t.category}/${t.slug}`);
    expect(keys).toEqual([...keys].sort());
    expect(topics[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      slug: expect.any(String),
      category: 'clarity-and-direction',
      title: expect.any(String),
      summary: expect.any(String),
      whyItMatters: expect.any(String),
      example: expect.any(String),
      reflectionQuestion: expect.any(String),
      actions: [expect.any(String), expect.any(String), expect.any(String)],
      reference: expect.any(String),
      revision: 1,
      revisionSource: 'seed',
      retiredAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.stringMatching(/Z$/),
      // Never sent yet, so nothing to hide (test/api/admin-topics-list.test.ts has the rest).
      timesSent: { value: 0, suppressed: false },
      meanUsefulness: { value: null, suppressed: false },
      // Whatever data/topics/translations ships for this topic; the rest is missing.
      translations: expect.any(Array),
      missingTranslations: expect.any(Array),
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topics.listed',
        subject_type: 'workspace',
      },
    ]);
  });

  it('filters by category', async () => {
    const { body } = await admin('GET', `${TEAM}/topics?category=listening-and-communication`);
    const topics = body.topics as Topic[];
    expect(topics.length).toBeGreaterThan(0);
    expect(new Set(topics.map((t) => t.category))).toEqual(
      new Set(['listening-and-communication']),
    );
  });

  it('reads one topic, and answers 404 topic_not_found for an id it does not have', async () => {
    const id = await firstTopicId();
    const one = await admin('GET', `${TEAM}/topics/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, category: 'judging-people-fairly' });
    expect(await auditOf(one.requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.viewed',
        subject_type: 'topic',
        subject_id: id,
      },
    ]);

    const missing = await admin('GET', `${TEAM}/topics/987654321`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      code: 'topic_not_found',
      message: 'No such topic.',
      requestId: missing.requestId,
    });
    expect(await auditOf(missing.requestId)).toEqual([]);
  });

  it('answers 404 workspace_not_found for a team Blindspot does not know', async () => {
    const { status, body } = await admin('GET', 'T0NOBODY/topics');
    expect(status).toBe(404);
    expect(body.code).toBe('workspace_not_found');
  });

  it('answers 400 for a topic id that cannot be one', async () => {
    const { status, body } = await admin('GET', `${TEAM}/topics/abc`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'validation_failed', requestId: expect.any(String) });
  });
});

describe('creating a topic', () => {
  it('creates it at revision 1, with a slug made from the title, and records it', async () => {
    const { status, body, requestId } = await admin('POST', `${TEAM}/topics`, newTopic());
    expect(status).toBe(201);
    expect(body).toMatchObject({
      ...newTopic(),
      slug: 'meeting-free-fridays-only-on-paper',
      revision: 1,
      revisionSource: 'admin',
      retiredAt: null,
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.created',
        subject_type: 'topic',
        subject_id: body.id,
        details: { slug: 'meeting-free-fridays-only-on-paper', revision: 1 },
      },
    ]);
    const revisions = await admin('GET', `${TEAM}/topics/${body.id}/revisions`);
    expect(revisions.body.revisions).toEqual([
      {
        revision: 1,
        source: 'admin',
        content: {
          category: 'team-climate-and-growth',
          title: newTopic().title,
          summary: newTopic().summary,
          whyItMatters: newTopic().whyItMatters,
          example: newTopic().example,
          reflectionQuestion: newTopic().reflectionQuestion,
          actions: newTopic().actions,
          reference: newTopic().reference,
        },
        createdAt: expect.any(String),
      },
    ]);
  });

  it('takes a slug when given, and refuses one the workspace already has with 409', async () => {
    const created = await admin('POST', `${TEAM}/topics`, newTopic({ slug: 'fridays-again' }));
    expect(created.body.slug).toBe('fridays-again');
    const before = await countRows();
    const again = await admin('POST', `${TEAM}/topics`, newTopic({ slug: 'fridays-again' }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'topic_slug_taken', requestId: again.requestId });
    expect(await countRows()).toEqual(before);
  });

  it('accepts a category of its own', async () => {
    const { status, body } = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'Hybrid meetings', category: 'remote-work' }),
    );
    expect(status).toBe(201);
    expect(body.category).toBe('remote-work');
  });

  it.each([
    ['a summary over 280 characters', { summary: 'x'.repeat(281) }, /summary/],
    ['two actions', { actions: ['One.', 'Two.'] }, /actions/],
    ['a category that is not a slug', { category: 'Team Climate' }, /category/],
    ['an unknown field', { colour: 'blue' }, /colour|additional/],
    ['a missing field', { reference: undefined }, /reference/],
  ])(
    'refuses %s with 400, naming the field, and saves nothing',
    async (_case, overrides, mentions) => {
      const before = await countRows();
      const { status, body, requestId } = await admin(
        'POST',
        `${TEAM}/topics`,
        newTopic({ title: 'Refused topic', ...overrides }),
      );
      expect(status).toBe(400);
      expect(body).toEqual({
        code: 'invalid_topic',
        message: expect.any(String),
        requestId,
        fields: expect.any(Object),
      });
      expect(body.message).toMatch(mentions);
      expect(Object.keys(body.fields as object).join(' ')).toMatch(mentions);
      expect(await countRows()).toEqual(before);
    },
  );

  it('refuses text that is only spaces with invalid_topic, naming the field', async () => {
    const before = await countRows();
    const { status, body } = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'Blank example', example: '   ' }),
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'invalid_topic', message: 'example must not be empty.' });
    expect(await countRows()).toEqual(before);
  });
});

describe('updating a topic', () => {
  it('changes only the fields given, at the next revision from an admin, and records which', async () => {
    const id = await firstTopicId('recognition-and-feedback');
    const before = await admin('GET', `${TEAM}/topics/${id}`);
    const { status, body, requestId } = await admin('PATCH', `${TEAM}/topics/${id}`, {
      summary: 'Our team reads this differently.',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ...before.body,
      summary: 'Our team reads this differently.',
      revision: 2,
      revisionSource: 'admin',
      updatedAt: expect.any(String),
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.updated',
        subject_id: id,
        details: { revision: 2, fields: ['summary'], changed: true },
      },
    ]);
    // Topics are admins' text, not managers' words: the log keeps both sides of the change.
    const [event] = await auditOf(requestId);
    expect(event?.details).toMatchObject({
      before: { summary: before.body.summary },
      after: { summary: 'Our team reads this differently.' },
    });

    const revisions = await admin('GET', `${TEAM}/topics/${id}/revisions`);
    const history = revisions.body.revisions as TopicRevision[];
    expect(history.map((r) => [r.revision, r.source])).toEqual([
      [1, 'seed'],
      [2, 'admin'],
    ]);
    expect(await auditOf(revisions.requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic_revisions.listed',
        subject_id: id,
      },
    ]);
  });

  it('keeps the revision when nothing actually changes', async () => {
    const id = await firstTopicId('recognition-and-feedback');
    const current = await admin('GET', `${TEAM}/topics/${id}`);
    const same = await admin('PATCH', `${TEAM}/topics/${id}`, { title: current.body.title });
    expect(same.body.revision).toBe(current.body.revision);
    expect(await auditOf(same.requestId)).toMatchObject([{ details: { changed: false } }]);
  });

  it('refuses an empty change, a summary over 280, two actions or an unknown id, saving nothing', async () => {
    const id = await firstTopicId();
    const before = await countRows();
    const empty = await admin('PATCH', `${TEAM}/topics/${id}`, {});
    expect(empty.status).toBe(400);
    const long = await admin('PATCH', `${TEAM}/topics/${id}`, { summary: 'y'.repeat(281) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({
      code: 'invalid_topic',
      requestId: long.requestId,
      fields: { summary: 'summary must be at most 280 characters (it has 281).' },
    });
    const two = await admin('PATCH', `${TEAM}/topics/${id}`, { actions: ['One.', 'Two.'] });
    expect(two.status).toBe(400);
    const slug = await admin('PATCH', `${TEAM}/topics/${id}`, { slug: 'renamed' });
    expect(slug.status).toBe(400);
    const missing = await admin('PATCH', `${TEAM}/topics/987654321`, { title: 'Nobody' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('topic_not_found');
    expect(await countRows()).toEqual(before);
  });
});

describe('retiring a topic', () => {
  it('sets retiredAt once, hides the topic from the default list, and records each call', async () => {
    const created = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'To be retired', category: 'to-retire' }),
    );
    const id = created.body.id as string;
    const first = await admin('POST', `${TEAM}/topics/${id}/retire`);
    expect(first.status).toBe(200);
    expect(first.body.retiredAt).toEqual(expect.stringMatching(/Z$/));
    expect(first.body.revision).toBe(1);
    expect(await auditOf(first.requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'topic.retired',
        subject_id: id,
        details: { changed: true },
      },
    ]);

    const second = await admin('POST', `${TEAM}/topics/${id}/retire`);
    expect(second.status).toBe(200);
    expect(second.body.retiredAt).toBe(first.body.retiredAt);
    expect(await auditOf(second.requestId)).toMatchObject([{ details: { changed: false } }]);

    const active = await admin('GET', `${TEAM}/topics?category=to-retire`);
    expect(active.body.topics).toEqual([]);
    const all = await admin('GET', `${TEAM}/topics?category=to-retire&includeRetired=true`);
    expect((all.body.topics as Topic[]).map((t) => t.id)).toEqual([id]);

    const missing = await admin('POST', `${TEAM}/topics/987654321/retire`);
    expect(missing.status).toBe(404);
  });
});

describe('weekday themes', () => {
  it('lists the seeded defaults, Monday first', async () => {
    const { status, body, requestId } = await admin('GET', `${TEAM}/weekday-themes`);
    expect(status).toBe(200);
    expect((body.weekdayThemes as WeekdayTheme[]).map((t) => [t.isoWeekday, t.category])).toEqual([
      [1, 'clarity-and-direction'],
      [2, 'judging-people-fairly'],
      [3, 'listening-and-communication'],
      [4, 'recognition-and-feedback'],
      [5, 'team-climate-and-growth'],
      [6, 'recognition-and-feedback'],
      [7, 'clarity-and-direction'],
    ]);
    expect(await auditOf(requestId)).toMatchObject([
      { actor: expect.stringMatching(/^apikey:\d+$/), action: 'weekday_themes.listed' },
    ]);
  });

  it("sets a weekday's theme and records the change", async () => {
    const { status, body, requestId } = await admin('PUT', `${TEAM}/weekday-themes/6`, {
      category: 'team-climate-and-growth',
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      isoWeekday: 6,
      category: 'team-climate-and-growth',
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect(await auditOf(requestId)).toMatchObject([
      {
        actor: expect.stringMatching(/^apikey:\d+$/),
        action: 'weekday_theme.updated',
        subject_type: 'weekday_theme',
        subject_id: '6',
        details: {
          isoWeekday: 6,
          category: 'team-climate-and-growth',
          previousCategory: 'recognition-and-feedback',
          changed: true,
        },
      },
    ]);
    const themes = await admin('GET', `${TEAM}/weekday-themes`);
    expect(themes.body.weekdayThemes).toContainEqual(
      expect.objectContaining({ isoWeekday: 6, category: 'team-climate-and-growth' }),
    );
  });

  it('refuses a category with no active topic with 400 unknown_category, and saves nothing', async () => {
    const unknownBefore = await countRows();
    const unknown = await admin('PUT', `${TEAM}/weekday-themes/2`, { category: 'astrology' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({
      code: 'unknown_category',
      message: expect.stringContaining(
        'No active topic in this workspace has category "astrology"',
      ),
      requestId: unknown.requestId,
    });
    expect(unknown.body.message).toContain('clarity-and-direction');
    expect(await countRows()).toEqual(unknownBefore);
    // Only retired topics in it: as good as unknown.
    const lone = await admin(
      'POST',
      `${TEAM}/topics`,
      newTopic({ title: 'Alone in its category', category: 'soon-empty' }),
    );
    await admin('POST', `${TEAM}/topics/${lone.body.id}/retire`);
    const before = await countRows();
    const retired = await admin('PUT', `${TEAM}/weekday-themes/2`, { category: 'soon-empty' });
    expect(retired.status).toBe(400);
    expect(retired.body.code).toBe('unknown_category');
    expect(await countRows()).toEqual(before);
    const themes = await admin('GET', `${TEAM}/weekday-themes`);
    expect(themes.body.weekdayThemes).toContainEqual(
      expect.objectContaining({ isoWeekday: 2, category: 'judging-people-fairly' }),
    );
  });

  it('refuses a weekday outside 1 to 7 and a body with extra fields', async () => {
    const eight = await admin('PUT', `${TEAM}/weekday-themes/8`, {
      category: 'clarity-and-direction',
    });
    expect(eight.status).toBe(400);
    expect(eight.body.code).toBe('validation_failed');
    const extra = await admin('PUT', `${TEAM}/weekday-themes/1`, {
      category: 'clarity-and-direction',
      colour: 'red',
    });
    expect(extra.status).toBe(400);
  });
});

describe('the admin API in the OpenAPI document', () => {
  it('documents every admin operation with its tag, security, and error responses', async () => {
    const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components: { securitySchemes: Record<string, unknown> };
      tags: { name: string }[];
    };
    expect(document.components.securitySchemes.adminApiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.tags.map((t) => t.name)).toContain('admin');
    // The workspace routes (topics, themes, people, settings); accounts, keys and audit have files of
    // their own (admin-*.test.ts).
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/admin/workspaces/'))
      .flatMap(([, methods]) => Object.values(methods));
    expect(operations.map((o) => o.operationId).sort()).toEqual([
      'chooseAnalyticsTeams',
      'createTopic',
      'deleteTopicTranslation',
      'erasePerson',
      'eraseWorkspace',
      'exportTopics',
      'getAnalyticsTeamChoices',
      'getTopic',
      'getWorkspaceSettings',
      'importTopics',
      'listPeople',
      'listTopicRevisions',
      'listTopicTranslations',
      'listTopics',
      'listWeekdayThemes',
      'pausePerson',
      'putTopicTranslation',
      'restoreTopicRevision',
      'retireTopic',
      'setWeekdayTheme',
      'unretireTopic',
      'unsubscribePerson',
      'updateTopic',
      'updateWorkspaceSettings',
    ]);
    for (const operation of operations) {
      expect(operation.tags).toEqual(['admin']);
      expect(operation.security).toEqual([{ adminSession: [] }, { adminApiKey: [] }]);
      expect(operation['x-blindspot-role']).toEqual(
        // Owner only to erase a whole workspace (admin-data-rights.ts).
        expect.stringMatching(/^(viewer|editor|admin|owner)$/),
      );
      expect(operation.summary).toEqual(expect.any(String));
      expect(Object.keys(operation.responses as object)).toEqual(
        expect.arrayContaining(['400', '401', '403', '404']),
      );
    }
  });
});
