/**
 * The PostgreSQL connection pool. Every value is explicit because the brief's postmortem was a
 * pool exhausted by slow queries; docs/architecture.md ("Database connections") explains each.
 */
import { performance } from 'node:perf_hooks';
import { Kysely, type LogEvent, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { queryName } from './query-name.ts';
import type { Database } from './schema.ts';
import './types.ts';

export interface PoolSettings {
  connectionString: string;
  /** Shows in pg_stat_activity, so a DBA can tell the api's connections from the worker's. */
  applicationName: string;
  max: number;
  connectionTimeoutMillis: number;
  idleTimeoutMillis: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** Raised when no connection is free within connectionTimeoutMillis. The API answers 503. */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the database is busy or unreachable', { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

export function createPool(settings: PoolSettings, logger: Logger, metrics?: Metrics): pg.Pool {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    application_name: settings.applicationName,
    max: settings.max,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
    idleTimeoutMillis: settings.idleTimeoutMillis,
    // Both are enforced by the server, so a runaway query or a forgotten transaction is ended
    // even when this process is stuck.
    statement_timeout: settings.statementTimeoutMs,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
  });
  // An idle client can lose its server (restart, network). Without a listener pg would crash
  // the process; the pool discards the client by itself.
  pool.on('error', (error) => {
    logger.warn({ err: error, pool: settings.applicationName }, 'idle database connection failed');
  });
  // A checked-out client can fail too (graphile-worker holds one for LISTEN); log, don't crash.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger.warn({ err: error, pool: settings.applicationName }, 'database connection failed');
    });
  });
  metrics?.observePool(settings.applicationName, pool, settings.max);
  return pool;
}

export interface DatabaseOptions {
  metrics?: Metrics;
  /** The pool's label in metrics (its application_name). */
  applicationName?: string;
  /** Where `slow query` lines go; without it none are written. */
  logger?: Logger;
  /** Queries slower than this are logged by name (DB_SLOW_QUERY_MS). */
  slowQueryMs?: number;
}

/**
 * Measures each query by name (see query-name.ts) and logs the slow ones. Only the name and the
 * duration leave here: never the SQL's parameters, which can hold a manager's words.
 */
function queryLog(options: DatabaseOptions): ((event: LogEvent) => void) | undefined {
  const { metrics, logger, slowQueryMs = Number.POSITIVE_INFINITY } = options;
  if (!metrics && !logger) return undefined;
  // The same few statements run over and over; name each text once. Texts vary only with the
  // length of IN lists and the like, so the cache is bounded rather than cleared by time.
  const names = new Map<string, string>();
  return (event) => {
    let query = names.get(event.query.sql);
    if (query === undefined) {
      query = queryName(event.query.sql);
      if (names.size >= 1_000) names.clear();
      names.set(event.query.sql, query);
    }
    const durationMs = event.queryDurationMillis;
    metrics?.dbQueryDuration.observe({ query }, durationMs / 1000);
    if (durationMs > slowQueryMs) {
      logger?.warn({ query, durationMs: Math.round(durationMs) }, 'slow query');
    }
  };
}

/**
 * Kysely over the pool, measuring how long each request waits for a connection and how long
 * each query takes, and turning a connection timeout into a DatabaseUnavailableError.
 */
export function createDatabase(pool: pg.Pool, options: DatabaseOptions = {}): Kysely<Database> {
  const { metrics, applicationName = 'blindspot' } = options;
  const timedPool: PostgresPool = {
    async connect() {
      const started = performance.now();
      try {
        return await pool.connect();
      } catch (error) {
        throw new DatabaseUnavailableError(error);
      } finally {
        metrics?.poolAcquireSeconds.observe(
          { pool: applicationName },
          (performance.now() - started) / 1000,
        );
      }
    },
    end: () => pool.end(),
  };
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: timedPool }),
    log: queryLog(options),
  });
}
