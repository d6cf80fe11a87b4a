import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { registerApi } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { databaseServer, openDatabase } from '../../src/entrypoints/wiring.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { LogCapture, setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { createTestDatabase } from '../support/database.ts';
import { jsonOf } from '../support/http.ts';
import { serviceFetch, signedInject, TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';

// As the bot's client does, every call with an Authorization header is signed.
const fetch = serviceFetch();

const testApp = setUpTestApp();

const asUser = (team: string, user: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
  'x-slack-team-id': team,
  'x-slack-user-id': user,
  ...extra,
});

async function putMe(headers: Record<string, string>, body: unknown) {
  return fetch(`${testApp.url}/api/v1/me`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('health', () => {
  it('answers /healthz and /readyz with 200 once migrated', async () => {
    const health = await fetch(`${testApp.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await jsonOf(health)).toEqual({ status: 'ok' });
    const ready = await fetch(`${testApp.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await jsonOf(ready)).toEqual({
      status: 'ready',
      deliveries: { status: 'ok', oldestUnsentDueSeconds: 0 },
    });
  });

  it('answers /readyz with 503 and the reason while migrations are pending', async () => {
    const empty = await createTestDatabase({ migrated: false });
    const logger = createLogger({ level: 'silent', service: 'test' });
    const metrics = createMetrics();
    const config = loadConfig({}, 'all-in-one');
    const opened = openDatabase(empty.url, config, 'api', logger, metrics, 2);
    const server = await databaseServer(opened, logger, metrics, await readMigrations());
    try {
      const response = await server.inject('/readyz');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: 'not_ready',
        reason: expect.stringMatching(
          /^migrations pending: 0001_create_workspaces_and_managers\.sql/,
        ),
      });
    } finally {
      await server.close();
      await opened.pool.end();
      await empty.drop();
    }
  });

  it('answers /readyz with 503 when the database is unreachable', async () => {
    const logger = createLogger({ level: 'silent', service: 'test' });
    const metrics = createMetrics();
    const config = loadConfig({ DB_CONNECTION_TIMEOUT_MS: '500' }, 'all-in-one');
    // Port 1 on loopback: nothing listens there, so connecting fails at once.
    const opened = openDatabase(
      'postgres://nobody@127.0.0.1:1/none',
      config,
      'api',
      logger,
      metrics,
      1,
    );
    const server = await databaseServer(opened, logger, metrics, []);
    try {
      const response = await server.inject('/readyz');
      expect(response.statusCode).toBe(503);
      expect(response.json().reason).toMatch(/^database unreachable/);
    } finally {
      await server.close();
      await opened.pool.end();
    }
  });
});

describe('request ids', () => {
  it('keeps an incoming X-Request-Id, echoes it, and puts it on every log line of the request', async () => {
    const response = await fetch(`${testApp.url}/api/openapi.json`, {
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    const lines = testApp.logs.lines.filter((line) => line.requestId === 'trace-abc-123');
    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
  });

  it('generates an id when none is sent, or when the one sent is unsafe to log', async () => {
    const generated = await fetch(`${testApp.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await fetch(`${testApp.url}/healthz`, { headers: { 'x-request-id': 'a b"c' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('answers an unknown route with a JSON 404 carrying the request id', async () => {
    const response = await fetch(`${testApp.url}/api/v1/nothing-here`, {
      headers: { 'x-request-id': 'r-404' },
    });
    expect(response.status).toBe(404);
    expect(await jsonOf(response)).toEqual({
      code: 'route_not_found',
      message: 'No route GET /api/v1/nothing-here.',
      requestId: 'r-404',
    });
  });

  it('refuses the API without the service token', async () => {
    const none = await fetch(`${testApp.url}/api/v1/me`, {
      headers: { 'x-slack-team-id': 'T1', 'x-slack-user-id': 'U1' },
    });
    expect(none.status).toBe(401);
    expect((await jsonOf(none)).code).toBe('unauthorized');
    const wrong = await fetch(`${testApp.url}/api/v1/me`, {
      headers: { ...asUser('T1', 'U1'), authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
  });

  it('answers malformed input with 400 and a clear message', async () => {
    const missingHeader = await fetch(`${testApp.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${TEST_SERVICE_TOKEN}`, 'x-slack-team-id': 'T1' },
    });
    expect(missingHeader.status).toBe(400);
    const body = await jsonOf(missingHeader);
    expect(body.code).toBe('validation_failed');
    expect(body.message).toMatch(/x-slack-user-id/);

    const badJson = await fetch(`${testApp.url}/api/v1/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...asUser('T1', 'U1') },
      body: '{"timeZone":',
    });
    expect(badJson.status).toBe(400);
    expect((await jsonOf(badJson)).code).toBe('invalid_body');
  });
});

describe('/api/v1/me', () => {
  it('registers a manager, their workspace and an audit event, then returns them', async () => {
    const created = await putMe(asUser('T0ACME', 'U0ALICE', { 'x-request-id': 'req-register' }), {
      timeZone: 'Asia/Kathmandu',
      locale: 'en-GB',
    });
    expect(created.status).toBe(200);
    const manager = await jsonOf(created);
    expect(manager).toMatchObject({
      slackTeamId: 'T0ACME',
      slackUserId: 'U0ALICE',
      timeZone: 'Asia/Kathmandu',
      locale: 'en-GB',
    });

    const fetched = await fetch(`${testApp.url}/api/v1/me`, {
      headers: asUser('T0ACME', 'U0ALICE'),
    });
    expect(await jsonOf(fetched)).toEqual(manager);

    const audit = await testApp.database.db.selectFrom('audit_events').selectAll().execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'manager.registered',
      actor: 'slack:U0ALICE',
      subject_id: manager.id,
      request_id: 'req-register',
    });
  });

  it('updates the time zone of a known manager without a second audit event', async () => {
    await putMe(asUser('T0ACME', 'U0BOB'), { timeZone: 'Europe/Berlin', locale: 'de-DE' });
    const again = await putMe(asUser('T0ACME', 'U0BOB'), {
      timeZone: 'America/Sao_Paulo',
      locale: 'pt-BR',
    });
    expect((await jsonOf(again)).timeZone).toBe('America/Sao_Paulo');
    const rows = await testApp.database.db
      .selectFrom('audit_events')
      .where('actor', '=', 'slack:U0BOB')
      .selectAll()
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('rejects an unknown time zone and saves nothing', async () => {
    const response = await putMe(asUser('T0NEWTEAM', 'U0CAROL'), {
      timeZone: 'Mars/Olympus',
      locale: 'en-US',
    });
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toMatchObject({
      code: 'invalid_time_zone',
      message: '"Mars/Olympus" is not an IANA time zone.',
    });
    const workspaces = await testApp.database.db
      .selectFrom('workspaces')
      .where('slack_team_id', '=', 'T0NEWTEAM')
      .selectAll()
      .execute();
    expect(workspaces).toEqual([]);
  });

  it('keeps managers of different workspaces apart', async () => {
    await putMe(asUser('T0ONE', 'U0SAME'), { timeZone: 'Asia/Kolkata', locale: 'en-IN' });
    await putMe(asUser('T0TWO', 'U0SAME'), { timeZone: 'Australia/Sydney', locale: 'en-AU' });
    const one = await jsonOf(
      await fetch(`${testApp.url}/api/v1/me`, { headers: asUser('T0ONE', 'U0SAME') }),
    );
    const two = await jsonOf(
      await fetch(`${testApp.url}/api/v1/me`, { headers: asUser('T0TWO', 'U0SAME') }),
    );
    expect(one.timeZone).toBe('Asia/Kolkata');
    expect(two.timeZone).toBe('Australia/Sydney');
    const unknown = await fetch(`${testApp.url}/api/v1/me`, {
      headers: asUser('T0THREE', 'U0SAME'),
    });
    expect(unknown.status).toBe(404);
    expect((await jsonOf(unknown)).code).toBe('manager_not_found');
  });
});

describe('when every database connection is busy', () => {
  it('answers 503 with Retry-After instead of hanging, and logs it as shed', async () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: 'info', service: 'test', destination: logs });
    const metrics = createMetrics();
    const config = loadConfig({ DB_POOL_MAX: '1', DB_CONNECTION_TIMEOUT_MS: '300' }, 'all-in-one');
    const opened = openDatabase(testApp.database.url, config, 'api', logger, metrics);
    const server = await databaseServer(opened, logger, metrics, await readMigrations());
    await registerApi(server, {
      db: opened.db,
      serviceToken: TEST_SERVICE_TOKEN,
      signingSecret: TEST_API_SIGNING_SECRET,
      version: 'test',
      metrics,
    });
    const held = await opened.pool.connect();
    try {
      const response = await server.inject(
        signedInject({ method: 'GET', url: '/api/v1/me', headers: asUser('T0ACME', 'U0ALICE') }),
      );
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(response.json()).toMatchObject({ code: 'service_unavailable' });
      const exposition = await metrics.registry.metrics();
      expect(exposition).toMatch(
        /blindspot_db_pool_acquire_seconds_count\{pool="blindspot-api"\} 1/,
      );
      const shed = logs.lines.filter((line) => line.msg === 'request shed');
      expect(shed).toHaveLength(1);
      expect(shed[0]).toMatchObject({ level: 'warn', code: 'service_unavailable' });
      expect(String(shed[0]?.reason)).toMatch(/busy or unreachable/);
      expect(shed[0]).not.toHaveProperty('err');
      expect(logs.lines.some((line) => line.msg === 'request failed')).toBe(false);
    } finally {
      held.release();
      await server.close();
      await opened.pool.end();
    }
  });
});

describe('/metrics', () => {
  it('exposes process metrics, HTTP durations by route and status, and pool gauges', async () => {
    await fetch(`${testApp.url}/healthz`);
    const text = await (await fetch(`${testApp.url}/metrics`)).text();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(
      /^blindspot_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+/m,
    );
    expect(text).toMatch(/^blindspot_db_pool_connections\{pool="blindspot-api"\} \d+/m);
    expect(text).toMatch(/^blindspot_db_pool_connections_idle\{pool="blindspot-worker"\} \d+/m);
    expect(text).toMatch(/^blindspot_db_pool_clients_waiting\{pool="blindspot-api"\} 0/m);
  });
});

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and matches the committed docs/api/openapi.json', async () => {
    const response = await fetch(`${testApp.url}/api/openapi.json`);
    const served = await jsonOf(response);
    expect(served.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(served);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    const committed = JSON.parse(
      await readFile(new URL('../../docs/api/openapi.json', import.meta.url), 'utf8'),
    );
    // If this fails, run `npm run api:generate` and commit the result.
    expect(served).toEqual(committed);
  });

  it('has a docs UI at /api/docs', async () => {
    const response = await fetch(`${testApp.url}/api/docs/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });
});
