/**
 * API keys over HTTP: made by owners, shown once, hashed at rest, scoped by role, their last
 * use recorded with its address, revocable; and the bot's service token is never one.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminApi, AdminBrowser, startAdminApi, TestClock } from '../support/admin-harness.ts';
import { signedIn } from '../support/admin-sessions.ts';
import { TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch } from '../support/service-calls.ts';

let api: AdminApi;

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(new Date('2026-12-07T09:00:00Z')) });
});

afterAll(async () => {
  await api?.close();
});

const script = (secret: string, address = '192.0.2.200') =>
  new AdminBrowser(api.url, { authorization: `Bearer ${secret}`, 'x-forwarded-for': address });

describe('API keys', () => {
  it('are made by an owner, shown once, and stored only as a digest', async () => {
    const { browser: owner } = await signedIn(api, 'owner');
    const created = await owner.post('/api-keys', { name: 'nightly export', role: 'viewer' });
    expect(created.status).toBe(201);
    const secret = String(created.body.secret);
    expect(secret).toMatch(/^bsk_[A-Za-z0-9_-]{43}$/);
    expect(created.body.apiKey).toMatchObject({
      name: 'nightly export',
      role: 'viewer',
      prefix: secret.slice(0, 8),
      lastUsedAt: null,
    });
    const listed = await owner.get('/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const row = await api.db
      .selectFrom('admin_api_keys')
      .select('secret_hash')
      .where('name', '=', 'nightly export')
      .executeTakeFirstOrThrow();
    expect(row.secret_hash.equals(createHash('sha256').update(secret).digest())).toBe(true);
  });

  it('are for owners only', async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    expect((await admin.get('/api-keys')).status).toBe(403);
    expect((await admin.post('/api-keys', { name: 'mine', role: 'viewer' })).status).toBe(403);
  });

  it('act with their role, record their last use and address, and stop when revoked', async () => {
    const { browser: owner } = await signedIn(api, 'owner');
    const created = await owner.post('/api-keys', { name: 'reader', role: 'viewer' });
    const key = script(String(created.body.secret), '192.0.2.201');
    // A viewer reads (404: no such workspace, past the door) but cannot write.
    expect((await key.get('/workspaces/T0NOWHERE/topics')).body.code).toBe('workspace_not_found');
    const write = await key.post('/workspaces/T0NOWHERE/topics', {});
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('forbidden');
    // And no CSRF token is asked of a key: a browser never sends one on its own.
    const listed = await owner.get('/api-keys');
    const used = (
      listed.body.apiKeys as { id: string; lastUsedAt: string; lastUsedAddress: string }[]
    ).find((k) => k.id === (created.body.apiKey as { id: string }).id);
    expect(used).toMatchObject({
      lastUsedAt: '2026-12-07T09:00:00.000Z',
      lastUsedAddress: '192.0.2.201',
    });

    const id = (created.body.apiKey as { id: string }).id;
    expect((await owner.request('DELETE', `/api-keys/${id}`)).status).toBe(204);
    const after = await key.get('/workspaces/T0NOWHERE/topics');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
    expect((await owner.request('DELETE', `/api-keys/${id}`)).status).toBe(404);
  });

  it('cannot be named like the imported ADMIN_API_KEY', async () => {
    const { browser: owner } = await signedIn(api, 'owner');
    const answer = await owner.post('/api-keys', { name: 'ADMIN_API_KEY', role: 'owner' });
    expect(answer.status).toBe(400);
  });
});

describe('the bot’s service token', () => {
  it('never reaches an admin route, whatever it claims, even with a valid signature', async () => {
    // As the bot's client sends its calls: signed over the API's clock.
    const botFetch = serviceFetch(api.clock.now);
    const asBot = async (path: string) => {
      const response = await botFetch(`${api.url}/api/v1${path}`, {
        headers: {
          authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
          'x-slack-team-id': 'T0ANY',
          'x-slack-user-id': 'U0ANY',
        },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    // The signature is good: a route of the bot's own answers it.
    expect((await asBot('/topic-categories')).status).toBe(200);
    for (const path of [
      '/admin/accounts',
      '/admin/api-keys',
      '/admin/audit',
      '/admin/workspaces/T0ANY/topics',
      '/admin/auth/session',
    ]) {
      const answer = await asBot(path);
      expect(answer.status, path).toBe(401);
      // The admin guard's refusal, not the signature check's.
      expect(answer.body, path).toMatchObject({
        code: 'unauthorized',
        message: 'A valid admin API key is required.',
      });
    }
  });
});
