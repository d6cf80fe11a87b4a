/**
 * The admin API's workspace routes over real HTTP, called with the ADMIN_API_KEY a start
 * imports: the API alone on the test file's own database, with one workspace seeded with the
 * shipped catalogue. Shared by admin-topics, admin-weekday-themes and admin-workspace-routes
 * in test/api/.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { registerApi } from '../../src/api/app.ts';
import type { components } from '../../src/bot/api-client/schema.ts';
import { syncEnvironmentApiKey } from '../../src/core/admin-accounts/api-keys.ts';
import { loadCatalogue } from '../../src/core/topics/catalogue.ts';
import { seedWorkspace } from '../../src/core/topics/seeding.ts';
import type { Database } from '../../src/db/schema.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { jsonOf } from './http.ts';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123456789';
export const TEAM = 'T0ADMIN';

export type Topic = components['schemas']['Topic'];
export type TopicRevision = components['schemas']['TopicRevision'];
export type WeekdayTheme = components['schemas']['WeekdayTheme'];

/** The API on `db`, started as a start with ADMIN_API_KEY set to `adminApiKey` (or unset). */
export async function buildServer(
  adminApiKey: string | undefined,
  db: Kysely<Database>,
): Promise<HttpServer> {
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

/** A new topic's fields, every one valid, with `overrides`. */
export const newTopic = (overrides: Record<string, unknown> = {}) => ({
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

/**
 * Gives the calling test file its database, the seeded workspace and the API on them (made in
 * its beforeAll, gone in its afterAll), and hands back the calls its tests make. Call it once,
 * at the top of the file; read `baseUrl` and `topicCount` in tests.
 */
export function setUpAdminWorkspaceApi() {
  let database: TestDatabase;
  let server: HttpServer;
  let baseUrl: string;
  let topicCount: number;

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
    server = await buildServer(ADMIN_KEY, database.db);
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

  const auditOf = (requestId: string) =>
    database.db
      .selectFrom('audit_events')
      .where('request_id', '=', requestId)
      .selectAll()
      .execute();

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

  async function firstTopicId(category = 'judging-people-fairly'): Promise<string> {
    const { body } = await admin('GET', `${TEAM}/topics?category=${category}`);
    const [topic] = body.topics as Topic[];
    if (!topic) throw new Error(`no topic in ${category}`);
    return topic.id;
  }

  return {
    /** The API's base URL; there once the file's beforeAll has run. */
    get baseUrl() {
      return baseUrl;
    },
    /** How many topics the shipped catalogue seeded; there once the file's beforeAll has run. */
    get topicCount() {
      return topicCount;
    },
    admin,
    auditOf,
    countRows,
    firstTopicId,
  };
}
