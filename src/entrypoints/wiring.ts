/**
 * The pieces every entry point with a database assembles: the pool, and the HTTP server whose
 * readiness checks it. Each entry point (and src/main.ts) picks the ones its service needs.
 */
import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config.ts';
import { checkReadiness } from '../core/health/readiness.ts';
import { type Migration, readMigrations } from '../db/migrate.ts';
import { createDatabase, createPool } from '../db/pool.ts';
import type { Database } from '../db/schema.ts';
import { createHttpServer, type HttpServer } from '../http/server.ts';
import type { ShutdownStep } from '../lifecycle.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

// The pieces without a database live in boot.ts, which the bot imports instead of this file.

export interface OpenDatabase {
  pool: pg.Pool;
  db: Kysely<Database>;
}

/** A pool with the configured limits, named after the component that uses it. */
export function openDatabase(
  url: string,
  config: Config,
  component: string,
  logger: Logger,
  metrics: Metrics,
  max = config.DB_POOL_MAX,
): OpenDatabase {
  const applicationName = `blindspot-${component}`;
  const pool = createPool(
    {
      connectionString: url,
      applicationName,
      max,
      connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
      idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
      // The API's queries serve requests that answer within API_DEADLINE_MS, so none may run
      // longer; the worker's planners get the full DB_STATEMENT_TIMEOUT_MS.
      statementTimeoutMs:
        component === 'api'
          ? Math.min(config.DB_STATEMENT_TIMEOUT_MS, config.API_DEADLINE_MS)
          : config.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    logger,
    metrics,
  );
  const db = createDatabase(pool, {
    metrics,
    applicationName,
    logger,
    slowQueryMs: config.DB_SLOW_QUERY_MS,
  });
  return { pool, db };
}

export async function databaseServer(
  database: OpenDatabase,
  logger: Logger,
  metrics: Metrics,
  migrations?: Migration[],
  now?: () => Date,
): Promise<HttpServer> {
  const expected = migrations ?? (await readMigrations());
  return createHttpServer({
    logger,
    metrics,
    readiness: () =>
      checkReadiness(database.db, database.pool, expected, now ?? (() => new Date())),
  });
}

export function closeDatabase(database: OpenDatabase, name: string): ShutdownStep {
  // End the pg pool itself: Kysely's destroy() skips a pool it never queried through.
  return { name: `${name} pool`, run: () => database.pool.end() };
}
