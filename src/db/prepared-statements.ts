/**
 * The hot, fixed-shape queries (compiled-once.ts) as named prepared statements: PostgreSQL
 * parses and plans each once per connection instead of once per run. Planning the API's
 * action-item list took 0.3 ms of the server's CPU a read, six times its execution
 * (docs/performance.md, "Prepared statements for the hot queries"). The same wrapper also calls
 * pg with a callback rather than through pg's own promise (see prepareHotQueriesOn).
 *
 * Only texts registered here are named; every other query goes as before (Kysely's others
 * unnamed; graphile-worker names its own). A statement is prepared on a connection the first
 * time that connection runs it, and lives as long as the connection does. A pooler in
 * transaction mode would break this, as it breaks graphile-worker's: the services connect to
 * PostgreSQL directly (docs/operations/scaling.md).
 */
import type pg from 'pg';

/** Each registered text with its statement's name, unique within the process. */
const names = new Map<string, string>();

/** Registers a query text to run as a prepared statement on pools that use them. */
export function prepareAs(sql: string): void {
  if (!names.has(sql)) names.set(sql, `blindspot_${names.size + 1}`);
}

/** The name a text runs under, if it is registered. */
export function statementNameOf(sql: string): string | undefined {
  return names.get(sql);
}

type Query = (text: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * PostgreSQL refuses a prepared statement whose result's columns changed under it (a migration
 * that adds a column to a table read with `*`), with this message and SQLSTATE 0A000.
 */
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

/** pg's own promise path does this too: the stack of a failed query leads back to its caller. */
function withCallersStack(error: Error): never {
  Error.captureStackTrace(error);
  throw error;
}

/**
 * Makes each new connection of the pool run registered texts as prepared statements. A
 * connection whose statements a migration outdated fails that one query and then goes back to
 * unnamed statements for the rest of its life.
 *
 * Every promise-style call (Kysely's: a text and its values) is handed to pg with a callback,
 * and answered by a promise made here. The result is the same; the garbage is not. When pg made
 * the promise itself, each query's result outlived two young-generation collections and was
 * promoted to the old generation: 10.4 KB for a 20-row read, against 0.03 KB with a callback
 * (the same pool and query, 1,000 a second). In the api that was 17 MB a second of old-space
 * growth at 1,000 reads a second, and a full collection every few seconds, each one stalling
 * every request behind it (docs/performance.md, "Query results kept young").
 */
export function prepareHotQueriesOn(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const mutable = client as unknown as { query: Query };
    const original = mutable.query;
    // A flag, not a restored query(): a checkout may have wrapped query() over this one and
    // would put it back on release (pool.ts, holdToDeadline).
    let outdated = false;
    mutable.query = function (this: pg.Client, text, values, callback) {
      if (typeof text !== 'string' || callback !== undefined || typeof values === 'function') {
        return original.call(this, text, values, callback);
      }
      const name = outdated ? undefined : names.get(text);
      const config = name === undefined ? { text, values } : { name, text, values };
      return new Promise<unknown>((resolve, reject) => {
        original.call(
          this,
          config,
          (error: (Error & { code?: string }) | null, result: unknown) => {
            if (error === null || error === undefined) {
              resolve(result);
              return;
            }
            if (
              name !== undefined &&
              error.code === '0A000' &&
              error.message === RESULT_TYPE_CHANGED
            ) {
              outdated = true;
            }
            reject(error);
          },
        );
      }).catch(withCallersStack);
    };
  });
}
