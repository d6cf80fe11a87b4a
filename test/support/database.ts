/**
 * A database of its own for each test file, cloned from the migrated template that
 * global-setup.ts prepared.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase } from '../../src/db/pool.ts';

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  db: ReturnType<typeof createDatabase>;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('adminDatabaseUrl');
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The template's pid prefix lets global teardown drop whatever a crashed file left behind. */
function uniqueName(): string {
  const template = inject('templateDatabase');
  const pid = template.slice(template.lastIndexOf('_') + 1);
  return `blindspot_test_${pid}_${randomBytes(4).toString('hex')}`;
}

/** A fresh, migrated database. */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const name = uniqueName();
  const template = options.migrated === false ? 'template0' : inject('templateDatabase');
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = urlFor(name);
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'blindspot-test' });
  return {
    name,
    url,
    pool,
    db: createDatabase(pool),
    async drop() {
      await pool.end();
      await admin(async (client) => {
        // pool.end() resolves before every server session has gone; FORCE would kill a closing
        // connection whose client no longer has an error listener.
        for (let i = 0; i < 50; i++) {
          const { rows } = await client.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}
