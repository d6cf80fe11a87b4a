/**
 * What `npm start` does for the admin app: the one-time setup link in the log while no account
 * exists (one at each start of each replica, any of them good until the owner exists), and the
 * security headers of the admin paths, which leave /api/docs and the rest of the API alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function setupLinkIn(app: TestApp): string | undefined {
  const line = app.logs.lines.find((l) => String(l.msg).startsWith('No admin account yet.'));
  return line ? /https?:\/\/\S+/.exec(String(line.msg))?.[0] : undefined;
}

async function setUp(app: TestApp, link: string) {
  const token = new URL(link).searchParams.get('token');
  return fetch(`${app.url}/api/v1/admin/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token,
      email: 'owner@example.com',
      displayName: 'Owner',
      password: 'correct horse battery staple',
    }),
  });
}

describe('the setup link', () => {
  it('is printed at each start until used; any printed link works, until the owner exists', async () => {
    const env = { PUBLIC_URL: 'https://blindspot.example.org' };
    // Two replicas, each printing a link of its own; the second started after the first.
    const first = await startTestApp({ databaseUrl: database.url, env });
    const second = await startTestApp({ databaseUrl: database.url, env });
    try {
      const firstLink = String(setupLinkIn(first));
      const secondLink = String(setupLinkIn(second));
      expect(firstLink).toMatch(/^https:\/\/blindspot\.example\.org\/admin\/setup\?token=/);
      expect(secondLink).not.toBe(firstLink);
      // The operator found the first replica's link: it works, though another was printed since.
      expect((await setUp(second, firstLink)).status).toBe(201);
      // And the other link died with it.
      const late = await setUp(first, secondLink);
      expect(late.status).toBe(409);
      const unused = await database.db
        .selectFrom('admin_tokens')
        .select('id')
        .where('kind', '=', 'setup')
        .where('used_at', 'is', null)
        .execute();
      expect(unused).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
    const third = await startTestApp({ databaseUrl: database.url, env });
    await third.close();
    expect(setupLinkIn(third)).toBeUndefined();
  });
});

describe('security headers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('puts a strict CSP and no-store on the admin API', async () => {
    const response = await fetch(`${app.url}/api/v1/admin/auth/setup`);
    const csp = String(response.headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('leaves /api/docs (swagger-ui runs inline script) and the manager routes as they were', async () => {
    const docs = await fetch(`${app.url}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy') ?? '').not.toContain("script-src 'self';");
    const health = await fetch(`${app.url}/healthz`);
    expect(health.headers.get('content-security-policy')).toBeNull();
  });
});
