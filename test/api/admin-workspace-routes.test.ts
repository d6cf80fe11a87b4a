/**
 * What guards the admin API's workspace routes, and how they are documented, over real HTTP
 * (test/support/admin-workspace-api.ts): the admin API key a start imports, and revokes for good
 * at a start without it; 401 for any other caller before the body is read; and every workspace
 * operation in the OpenAPI document with its tag, security, role and error responses.
 */
import { describe, expect, it } from 'vitest';
import { syncEnvironmentApiKey } from '../../src/core/admin-accounts/api-keys.ts';
import type { HttpServer } from '../../src/http/server.ts';
import {
  ADMIN_KEY,
  buildServer,
  setUpAdminWorkspaceApi,
  TEAM,
} from '../support/admin-workspace-api.ts';
import { createTestDatabase } from '../support/database.ts';
import { jsonOf } from '../support/http.ts';

const api = setUpAdminWorkspaceApi();
const { countRows } = api;

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
    const url = `${api.baseUrl}/api/v1/admin/workspaces/${TEAM}/topics`;
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
    const response = await fetch(`${api.baseUrl}/api/v1/admin/workspaces/${TEAM}/topics`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: JSON.stringify({ nonsense: true }),
    });
    expect(response.status).toBe(401);
    expect(await countRows()).toEqual(before);
  });
});

describe('the admin API in the OpenAPI document', () => {
  it('documents every admin operation with its tag, security, and error responses', async () => {
    const document = (await (await fetch(`${api.baseUrl}/api/openapi.json`)).json()) as {
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
