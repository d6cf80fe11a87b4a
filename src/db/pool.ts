/**
 * The PostgreSQL connection pool. Every value is explicit because the brief's postmortem was a
 * pool exhausted by slow queries; docs/architecture.md ("Database connections") explains each.
 */
import { performance } from 'node:perf_hooks';
import { Kysely, type LogEvent, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { deadlineRemainingMs } from './deadline.ts';
import { DatabaseUnavailableError } from './errors.ts';
import { prepareHotQueriesOn } from './prepared-statements.ts';
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
  setUpConnections(pool, (error, idle) => {
    logger.warn(
      { err: error, pool: settings.applicationName },
      idle ? 'idle database connection failed' : 'database connection failed',
    );
  });
  metrics?.observePool(settings.applicationName, pool, settings.max);
  return pool;
}

/**
 * What every pool of ours gets besides its settings (the test databases' pools too): a lost
 * connection reported rather than crashing the process, and the hot queries prepared.
 */
export function setUpConnections(
  pool: pg.Pool,
  onConnectionError: (error: Error, idle: boolean) => void,
): void {
  // An idle client can lose its server (restart, network). Without a listener pg would crash
  // the process; the pool discards the client by itself.
  pool.on('error', (error) => onConnectionError(error, true));
  // A checked-out client can fail too (graphile-worker holds one for LISTEN); its query fails.
  pool.on('connect', (client) => {
    client.on('error', (error) => onConnectionError(error, false));
  });
  prepareHotQueriesOn(pool);
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
 * each query takes, turning a connection timeout into a DatabaseUnavailableError, and holding
 * the work of an API request to its deadline (./deadline.ts).
 */
export function createDatabase(pool: pg.Pool, options: DatabaseOptions = {}): Kysely<Database> {
  const { metrics, applicationName = 'blindspot' } = options;
  const timedPool: PostgresPool = {
    async connect() {
      const started = performance.now();
      try {
        return await connectWithinDeadline(pool);
      } catch (error) {
        throw error instanceof DatabaseUnavailableError
          ? error
          : new DatabaseUnavailableError(error);
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

/**
 * A connection, within what is left of the request's deadline if there is one. A request past
 * its deadline gets none; one with less time left than the pool's statement_timeout (which the
 * connection received once, in its startup packet) has its queries held to that time.
 *
 * Lowering the timeout used to cost two round trips per checkout (a SET before, a reset on
 * release): the largest item in issue 19's click profile. Now a checkout that opens a
 * transaction, as nearly every request's does, sends `begin; set local statement_timeout = N`
 * as one simple-protocol message: no extra round trip, and the setting ends with the
 * transaction, so nothing is reset on release. Only a lone statement outside a transaction,
 * under a short deadline, still pays for a SET and its reset.
 */
async function connectWithinDeadline(pool: pg.Pool): Promise<pg.PoolClient> {
  const waitMs = deadlineRemainingMs();
  if (waitMs === undefined) return pool.connect();
  if (waitMs <= 0) throw new DatabaseUnavailableError(new Error('request deadline passed'));
  const client =
    waitMs >= (pool.options.connectionTimeoutMillis ?? Number.POSITIVE_INFINITY)
      ? await pool.connect()
      : await connectWithin(pool, waitMs);
  const statementTimeoutMs = Number(pool.options.statement_timeout ?? 0);
  const leftMs = Math.floor(deadlineRemainingMs() ?? 0);
  // The pool's own statement_timeout will do unless it would overrun the deadline by more than
  // DEADLINE_SLACK_MS: lowering it is not worth a few milliseconds.
  if (statementTimeoutMs > 0 && leftMs + DEADLINE_SLACK_MS >= statementTimeoutMs) return client;
  if (leftMs <= 0) {
    client.release();
    throw new DatabaseUnavailableError(new Error('request deadline passed'));
  }
  holdToDeadline(client, statementTimeoutMs);
  return client;
}

/** How far past its deadline a request's last query may run; see connectWithinDeadline. */
export const DEADLINE_SLACK_MS = 250;
const SET_STATEMENT_TIMEOUT = "select set_config('statement_timeout', $1, false)";
/** Kysely opens a transaction with one of these, sent without parameters (simple protocol). */
const TRANSACTION_START = /^(begin|start transaction)\b/i;

type QueryResult = pg.QueryResult | pg.QueryResult[];
type RawQuery = (text: unknown, values?: unknown) => Promise<QueryResult>;

/**
 * For this checkout only, the first query decides how the deadline reaches PostgreSQL (see
 * connectWithinDeadline). pg-pool gives each checkout a fresh release(), and query() is put
 * back on release, so nothing outlives the checkout.
 */
function holdToDeadline(client: pg.PoolClient, statementTimeoutMs: number): void {
  const original = client.query as unknown as RawQuery;
  const release = client.release.bind(client);
  const mutable = client as unknown as { query: RawQuery };
  let resetOnRelease = false;
  mutable.query = (text, values) => {
    mutable.query = original;
    // Measured again here: the first query can come a little after the checkout.
    const leftMs = Math.max(1, Math.floor(deadlineRemainingMs() ?? 1));
    const noValues = values === undefined || (Array.isArray(values) && values.length === 0);
    if (typeof text === 'string' && noValues && TRANSACTION_START.test(text)) {
      // Several statements in one message are answered as an array; the caller asked for one.
      return original
        .call(client, `${text}; set local statement_timeout = ${leftMs}`)
        .then((results) => (Array.isArray(results) ? (results[0] as pg.QueryResult) : results));
    }
    resetOnRelease = true;
    return original
      .call(client, SET_STATEMENT_TIMEOUT, [String(leftMs)])
      .then(() => original.call(client, text, values));
  };
  client.release = (error?: Error | boolean) => {
    mutable.query = original;
    if (error || !resetOnRelease) return release(error);
    original.call(client, SET_STATEMENT_TIMEOUT, [String(statementTimeoutMs)]).then(
      () => release(),
      (resetError: Error) => release(resetError),
    );
  };
}

/** pool.connect() given up after `ms`; a connection that arrives later goes straight back. */
function connectWithin(pool: pg.Pool, ms: number): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      reject(new DatabaseUnavailableError(new Error('no connection within the request deadline')));
    }, ms);
    pool.connect().then(
      (client) => {
        if (gaveUp) client.release();
        else {
          clearTimeout(timer);
          resolve(client);
        }
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!gaveUp) reject(error);
      },
    );
  });
}
