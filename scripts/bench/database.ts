/**
 * The bench's and the fault suite's databases: a fresh one per run, on DATABASE_URL's server or
 * on an embedded PostgreSQL in a temporary folder, removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { Defer } from './node-child.ts';

export async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'blindspot-bench' });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export interface DatabasePlan {
  /** DATABASE_URL, or EMBEDDED_POSTGRES_DIR for an all-in-one service that runs its own. */
  env: Record<string, string>;
  description: string;
  /** The connection string, known now or once the all-in-one service has started its own. */
  url(): Promise<string>;
}

/**
 * A fresh database for one run, its removal deferred. `serverUrl` (by default DATABASE_URL): the
 * server to create it on; without one, an embedded PostgreSQL in a temporary folder.
 * `runEmbedded`: start that embedded PostgreSQL here rather than leave it to the service (the
 * split services need a DATABASE_URL, and a service that is killed and restarted must not own
 * the server its database lives on).
 */
export async function planDatabase(
  runEmbedded: boolean,
  defer: Defer,
  serverUrl = process.env.DATABASE_URL?.trim(),
): Promise<DatabasePlan> {
  if (serverUrl) {
    const name = `blindspot_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    defer('database', () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      description: `new database ${name} on DATABASE_URL's server`,
      url: async () => url.toString(),
    };
  }
  const parent = await mkdtemp(path.join(tmpdir(), 'blindspot-bench-'));
  defer('database folder', () => rm(parent, { recursive: true, force: true }));
  // As root the embedded server runs as the `postgres` user, which must reach the data folder.
  await chmod(parent, 0o755);
  const dataDir = path.join(parent, 'postgres');
  const description = `embedded PostgreSQL in a temporary ${parent}`;
  if (runEmbedded) {
    const logger = createLogger({ level: 'warn', service: 'bench', destination: process.stderr });
    const server = await startEmbeddedPostgres({ dataDir, logger });
    defer('embedded PostgreSQL', () => server.stop());
    return {
      env: { DATABASE_URL: server.url },
      description: `${description}, run by the bench`,
      url: async () => server.url,
    };
  }
  return {
    env: { EMBEDDED_POSTGRES_DIR: dataDir },
    description,
    async url() {
      // src/db/embedded-postgres.ts keeps the password beside the data folder; the port is
      // line 4 of postmaster.pid.
      const password = (await readFile(`${dataDir}.password`, 'utf8')).trim();
      const port = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[3];
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port?.trim()}/blindspot`;
    },
  };
}
