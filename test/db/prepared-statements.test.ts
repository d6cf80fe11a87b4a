/**
 * The hot queries as named prepared statements (src/db/prepared-statements.ts), on a pool made
 * as the services make theirs: a compiled-once query is prepared once per connection and gives
 * the same rows; other queries stay unnamed; a statement a migration outdated fails once and
 * its connection carries on unnamed.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsBySlack } from '../../src/core/action-items/repository.ts';
import { createActionItem } from '../../src/core/action-items/service.ts';
import { createDatabase, createPool } from '../../src/db/pool.ts';
import { prepareAs, statementNameOf } from '../../src/db/prepared-statements.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createSubscriber, createWorkspace } from '../support/factories.ts';

const NOW = new Date('2026-03-10T09:00:00.000Z');
let TEAM: string;
let USER: string;
let database: TestDatabase;
const pools: pg.Pool[] = [];

/** A pool of one connection, so that every query below shares it. */
function servicePool(): pg.Pool {
  const pool = createPool(
    {
      connectionString: database.url,
      applicationName: 'blindspot-api',
      max: 1,
      connectionTimeoutMillis: 2_000,
      idleTimeoutMillis: 10_000,
      statementTimeoutMs: 5_000,
      idleInTransactionTimeoutMs: 10_000,
    },
    createLogger({ level: 'silent', service: 'test' }),
  );
  pools.push(pool);
  return pool;
}

/** The statements prepared on the pool's one connection, by name. */
async function preparedOn(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    'SELECT name FROM pg_prepared_statements ORDER BY name',
  );
  return rows.map((row) => row.name);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { who } = await createSubscriber(database.db, await createWorkspace(database.db), {}, NOW);
  ({ slackTeamId: TEAM, slackUserId: USER } = who);
  await createActionItem(database.db, who, { text: 'Ask Sam', source: 'api' }, NOW);
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await database?.drop();
});

describe('the hot queries as prepared statements', () => {
  it('when a compiled-once query runs twice, then its connection prepared it once, under its name, and it gave the same rows as unprepared', async () => {
    const pool = servicePool();
    const db = createDatabase(pool);
    const first = await itemsBySlack(db, TEAM, USER);
    const second = await itemsBySlack(db, TEAM, USER);
    const name = statementNameOf(itemsBySlack.compile(db, TEAM, USER).sql);
    expect(name).toMatch(/^blindspot_\d+$/);
    expect(await preparedOn(pool)).toEqual([name]);
    expect(first.map((item) => item.text)).toEqual(['Ask Sam']);
    expect(second).toEqual(first);
    const plain = new pg.Pool({ connectionString: database.url, max: 1 });
    pools.push(plain);
    expect(await itemsBySlack(createDatabase(plain), TEAM, USER)).toEqual(first);
    expect((await plain.query('SELECT name FROM pg_prepared_statements')).rows).toEqual([]);
  });

  it('when a query is not registered, then it runs unnamed', async () => {
    const pool = servicePool();
    await createDatabase(pool).selectFrom('workspaces').select('id').execute();
    expect(await preparedOn(pool)).toEqual([]);
  });

  it('when a migration changes what a prepared statement returns, then that query fails once and the connection carries on unprepared', async () => {
    const pool = servicePool();
    const text = 'SELECT * FROM outdated WHERE id = $1';
    // Checked out, and queried without a callback, as Kysely queries it.
    const client = await pool.connect();
    try {
      const prepared = async () =>
        (await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements')).rows;
      await client.query('CREATE TABLE outdated (id int)');
      await client.query('INSERT INTO outdated VALUES (1)');
      prepareAs(text);
      expect((await client.query(text, [1])).rows).toEqual([{ id: 1 }]);
      expect(await prepared()).toEqual([{ name: statementNameOf(text) }]);

      await client.query('ALTER TABLE outdated ADD COLUMN note text');
      await expect(client.query(text, [1])).rejects.toMatchObject({ code: '0A000' });
      expect((await client.query(text, [1])).rows).toEqual([{ id: 1, note: null }]);
      // Still only the statement prepared before: the query ran unnamed.
      expect(await prepared()).toEqual([{ name: statementNameOf(text) }]);
    } finally {
      client.release();
    }
    // The same connection (the pool holds one), checked out again: still unnamed.
    const again = await pool.connect();
    try {
      expect((await again.query(text, [1])).rows).toEqual([{ id: 1, note: null }]);
    } finally {
      again.release();
    }
  });

  it('when Kysely-style calls run on such a connection, then they answer as pg would: rows, one result per statement of a simple query, and errors with their code and their caller', async () => {
    const pool = servicePool();
    const client = await pool.connect();
    try {
      expect((await client.query('SELECT $1::int AS n', [7])).rows).toEqual([{ n: 7 }]);
      // What pool.ts sends to open a transaction under a deadline: two statements, two results.
      const both = (await client.query('BEGIN; SET LOCAL statement_timeout = 900')) as unknown;
      expect(Array.isArray(both) && both.map((result: pg.QueryResult) => result.command)).toEqual([
        'BEGIN',
        'SET',
      ]);
      await client.query('ROLLBACK');
      const failed = await client.query('SELECT * FROM no_such_table', []).catch((e) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(failed).toMatchObject({ code: '42P01' });
      // Not only pg's socket read: the stack names the code that asked.
      expect(String(failed.stack)).toContain('prepared-statements.test.ts');
    } finally {
      client.release();
    }
  });
});
