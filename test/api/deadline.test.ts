/**
 * The postmortem, in small: slow queries hold the database while requests keep coming. An API
 * request must then be answered 503 within API_DEADLINE_MS (plus a little), however long the
 * pool's own connection and statement timeouts are, and the query it started must be ended by
 * PostgreSQL rather than left holding a connection.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config.ts';
import { runWithDeadline } from '../../src/db/deadline.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { createDatabase, createPool, DEADLINE_SLACK_MS } from '../../src/db/pool.ts';
import { databaseServer, type OpenDatabase, openDatabase } from '../../src/entrypoints/wiring.ts';
import type { HttpServer } from '../../src/http/server.ts';
import { signRequest } from '../../src/http/service-signature.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { TEST_SERVICE_TOKEN } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createManager, createWorkspace } from '../support/factories.ts';
import { TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';

const logger = createLogger({ level: 'silent', service: 'test' });
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** An API whose pool would wait 10 s for a connection and 10 s for a query, but whose deadline is short. */
async function startApi(deadlineMs: number): Promise<{ server: HttpServer; opened: OpenDatabase }> {
  const metrics = createMetrics();
  const config = loadConfig(
    {
      DB_POOL_MAX: '1',
      DB_CONNECTION_TIMEOUT_MS: '10000',
      DB_STATEMENT_TIMEOUT_MS: '10000',
      API_DEADLINE_MS: String(deadlineMs),
    },
    'all-in-one',
  );
  const opened = openDatabase(database.url, config, 'api', logger, metrics);
  const server = await databaseServer(opened, logger, metrics, await readMigrations());
  await registerApi(server, {
    db: opened.db,
    serviceToken: TEST_SERVICE_TOKEN,
    signingSecret: TEST_API_SIGNING_SECRET,
    version: 'test',
    metrics,
    deadlineMs: config.API_DEADLINE_MS,
  });
  return { server, opened };
}

async function pollUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('an API request held up by the database', () => {
  it('is answered 503 at its deadline while a lock blocks its query, and the query is cancelled', async () => {
    const { server, opened } = await startApi(400);
    const setup = createDatabase(createPool(poolSettings(10_000), logger));
    const workspace = await createWorkspace(setup);
    const manager = await createManager(setup, workspace);
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE managers IN ACCESS EXCLUSIVE MODE');
      const started = performance.now();
      const response = await server.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: asUser(manager.who.slackTeamId, manager.who.slackUserId),
      });
      const elapsedMs = performance.now() - started;
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(response.json()).toMatchObject({ code: 'service_unavailable' });
      // Far below the pool's 10 s limits: the deadline answered, not a timeout.
      expect(elapsedMs).toBeLessThan(5_000);
      // PostgreSQL ended the query: nothing of the api's is left waiting on the lock.
      await pollUntil(async () => (await apiBackendsWaitingOnLocks(locker)) === 0, 'cancel');
      await locker.query('ROLLBACK');
      const after = await server.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: asUser(manager.who.slackTeamId, manager.who.slackUserId),
      });
      expect(after.statusCode).toBe(200);
    } finally {
      await locker.end();
      await setup.destroy();
      await server.close();
      await opened.pool.end();
    }
  });

  it('is answered 503 at its deadline when no connection comes free, not after the pool timeout', async () => {
    const { server, opened } = await startApi(300);
    const held = await opened.pool.connect();
    try {
      const started = performance.now();
      const response = await server.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: asUser('T0DEADLINE', 'U0DEADLINE'),
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      held.release();
    }
    try {
      // The connection the abandoned wait was promised went back to the pool.
      await pollUntil(async () => opened.pool.waitingCount === 0, 'the abandoned wait');
      expect(opened.pool.idleCount).toBe(1);
      const response = await server.inject('/readyz');
      expect(response.statusCode).toBe(200);
    } finally {
      await server.close();
      await opened.pool.end();
    }
  });
});

describe('the pool under a deadline', () => {
  it('lowers statement_timeout to what is left, and restores it when the connection goes back', async () => {
    const pool = createPool(poolSettings(10_000), logger);
    const db = createDatabase(pool);
    try {
      const failure = await runWithDeadline(200, () =>
        sql`select pg_sleep(5)`.execute(db).then(
          () => undefined,
          (error: { code?: string }) => error,
        ),
      );
      expect(failure?.code).toBe('57014');
      const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db);
      expect(shown.rows[0]?.statement_timeout).toBe('10s');
    } finally {
      await db.destroy();
    }
  });

  it('keeps the pool statement_timeout when the deadline leaves about as much time', async () => {
    const pool = createPool(poolSettings(1_000), logger);
    const db = createDatabase(pool);
    try {
      const shown = await runWithDeadline(1_000 + DEADLINE_SLACK_MS, () =>
        sql<{ statement_timeout: string }>`show statement_timeout`.execute(db),
      );
      expect(shown.rows[0]?.statement_timeout).toBe('1s');
      const lowered = await runWithDeadline(1_000 - DEADLINE_SLACK_MS * 2, () =>
        sql<{ statement_timeout: string }>`show statement_timeout`.execute(db),
      );
      expect(lowered.rows[0]?.statement_timeout).toMatch(/^\d+ms$/);
    } finally {
      await db.destroy();
    }
  });

  it('refuses work whose deadline has already passed, without touching the database', async () => {
    const pool = createPool(poolSettings(10_000), logger);
    const db = createDatabase(pool);
    try {
      await expect(runWithDeadline(-1, () => sql`select 1`.execute(db))).rejects.toThrow(
        'the database is busy or unreachable',
      );
      expect(pool.totalCount).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});

function poolSettings(statementTimeoutMs: number) {
  return {
    connectionString: database.url,
    applicationName: 'blindspot-deadline-test',
    max: 1,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 10_000,
    statementTimeoutMs,
    idleInTransactionTimeoutMs: 10_000,
  };
}

/** The headers of the bot's GET /api/v1/me for this user, signed as the bot signs it. */
function asUser(team: string, user: string) {
  const request = {
    method: 'GET',
    pathAndQuery: '/api/v1/me',
    slackTeamId: team,
    slackUserId: user,
  };
  return {
    authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
    'x-slack-team-id': team,
    'x-slack-user-id': user,
    ...signRequest(TEST_API_SIGNING_SECRET, request, new Date()),
  };
}

async function apiBackendsWaitingOnLocks(client: pg.Client): Promise<number> {
  const result = await client.query<{ waiting: string }>(
    `select count(*) as waiting from pg_stat_activity
      where application_name = 'blindspot-api' and wait_event_type = 'Lock'
        and datname = current_database()`,
  );
  return Number(result.rows[0]?.waiting);
}
