/**
 * What a checkout under an API deadline costs in round trips (issue 19, item 4): the deadline
 * reaches PostgreSQL inside the transaction's own `begin`, not as SET statements before and
 * after. Counted from the statements each client really sends.
 */
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithDeadline } from '../../src/db/deadline.ts';
import { createDatabase, createPool, DEADLINE_SLACK_MS } from '../../src/db/pool.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const logger = createLogger({ level: 'silent', service: 'test' });
const POOL_TIMEOUT_MS = 10_000;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** A one-connection pool whose every statement is recorded as the client sends it. */
function recordedDatabase() {
  const sent: string[] = [];
  const pool = createPool(
    {
      connectionString: database.url,
      applicationName: 'blindspot-pool-test',
      max: 1,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 10_000,
      statementTimeoutMs: POOL_TIMEOUT_MS,
      idleInTransactionTimeoutMs: 10_000,
    },
    logger,
  );
  pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      sent.push(String(args[0]));
      return query(...args);
    };
  });
  return { sent, db: createDatabase(pool) };
}

const showTimeout = sql<{ statement_timeout: string }>`show statement_timeout`;

describe('a checkout under a deadline shorter than the pool statement_timeout', () => {
  it('sends the lowered timeout with its begin and no SET statement before or after', async () => {
    const { sent, db } = recordedDatabase();
    try {
      // Connect first, so the count below is of the checkout alone.
      await sql`select 1`.execute(db);
      sent.length = 0;
      const inside = await runWithDeadline(500, () =>
        db.transaction().execute(async (trx) => (await showTimeout.execute(trx)).rows[0]),
      );
      expect(inside?.statement_timeout).toMatch(/^\d+ms$/);
      expect(sent).toHaveLength(3);
      expect(sent[0]).toMatch(/^begin; set local statement_timeout = \d+$/);
      expect(sent[1]).toBe('show statement_timeout');
      expect(sent[2]).toBe('commit');
      expect(sent.filter((text) => /set_config|^set /i.test(text))).toEqual([]);
      // SET LOCAL ended with the transaction: the next checkout has the pool's timeout again.
      const after = await showTimeout.execute(db);
      expect(after.rows[0]?.statement_timeout).toBe('10s');
    } finally {
      await db.destroy();
    }
  });

  it('has a slow query in its transaction cancelled by PostgreSQL at the deadline', async () => {
    const { db } = recordedDatabase();
    try {
      const failure = await runWithDeadline(200, () =>
        db
          .transaction()
          .execute((trx) => sql`select pg_sleep(5)`.execute(trx))
          .then(
            () => undefined,
            (error: { code?: string }) => error,
          ),
      );
      expect(failure?.code).toBe('57014');
      const after = await showTimeout.execute(db);
      expect(after.rows[0]?.statement_timeout).toBe('10s');
    } finally {
      await db.destroy();
    }
  });
});

describe('a checkout whose deadline leaves about as much time as the pool timeout', () => {
  it('sends only its own statements', async () => {
    const { sent, db } = recordedDatabase();
    try {
      await sql`select 1`.execute(db);
      sent.length = 0;
      await runWithDeadline(POOL_TIMEOUT_MS + DEADLINE_SLACK_MS, () =>
        db.transaction().execute((trx) => sql`select 1`.execute(trx)),
      );
      expect(sent).toEqual(['begin', 'select 1', 'commit']);
    } finally {
      await db.destroy();
    }
  });
});
