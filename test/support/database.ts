/**
 * A database of its own for each test file, cloned from the migrated template that
 * global-setup.ts prepared.
 *
 * A database is kept for debugging when a test of its file failed between its creation and its
 * `drop()`, as pg-boss keeps a failing test's schema (timgit/pg-boss test/hooks.ts): it is marked
 * with a comment, so global teardown leaves it, and named on stderr. The setup file
 * keep-failed-databases.ts tells this module which file is running.
 */
import { randomBytes } from 'node:crypto';
import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { inject, type RunnerTask } from 'vitest';
import { createDatabase, setUpConnections } from '../../src/db/pool.ts';
import type { Database } from '../../src/db/schema.ts';

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  db: ReturnType<typeof createDatabase>;
  drop(): Promise<void>;
}

/** Marks a kept database; global teardown skips databases whose comment starts with it. */
export const KEPT_DATABASE_COMMENT = 'blindspot: kept for failed';

export function adminUrl(): string {
  return inject('adminDatabaseUrl');
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `work` on a client of the server's `postgres` database, and closes it. */
export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
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
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = urlFor(name);
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'blindspot-test' });
  // As the services' pools are (src/db/pool.ts). Uncaught, a lost connection would end the
  // worker process, and with it every file sharing it (vitest.config.ts).
  setUpConnections(pool, (error) =>
    process.emitWarning(`test database connection failed: ${error.message}`),
  );
  // Failures from before the database existed are not its tests' (a per-test database).
  const failedBefore = new Set(failedSoFar());
  const created = { name, url, failedBefore };
  undroppedDatabases.add(created);
  return {
    name,
    url,
    pool,
    db: createDatabase(pool),
    async drop() {
      await pool.end();
      undroppedDatabases.delete(created);
      const failed = failedSoFar().filter((test) => !failedBefore.has(test));
      if (failed.length > 0) await keep(created, failed);
      else await dropDatabase(name);
    },
  };
}

/** Databases of the running file whose `drop()` has not run (yet). */
const undroppedDatabases = new Set<{ name: string; url: string; failedBefore: Set<string> }>();
let runningFile: { readonly tasks: readonly RunnerTask[] } | undefined;

/** Called by the setup file as a test file starts: failures are looked for in its tasks. */
export function watchFailuresOf(file: { readonly tasks: readonly RunnerTask[] }): void {
  runningFile = file;
}

/**
 * Called by the setup file as a test file ends: after a failure, also keeps the databases whose
 * `drop()` never ran (a hook threw first); the others are global teardown's, as before.
 */
export async function keepUndroppedDatabasesOfFailedFile(): Promise<void> {
  const failed = failedSoFar();
  for (const database of undroppedDatabases) {
    const its = failed.filter((test) => !database.failedBefore.has(test));
    if (its.length > 0) await keep(database, its);
  }
  undroppedDatabases.clear();
}

function failedSoFar(): string[] {
  return runningFile ? failedTasks(runningFile.tasks, []) : [];
}

/** "describe > test" names of the failed tests, or of the suites whose hook failed. */
function failedTasks(tasks: readonly RunnerTask[], path: readonly string[]): string[] {
  const failed: string[] = [];
  for (const task of tasks) {
    const name = [...path, task.name];
    const inside = task.type === 'suite' ? failedTasks(task.tasks, name) : [];
    if (inside.length > 0) failed.push(...inside);
    else if (task.result?.state === 'fail') failed.push(name.join(' > '));
  }
  return failed;
}

async function keep(
  database: { name: string; url: string },
  failedTests: readonly string[],
): Promise<void> {
  const names = failedTests.map((test) => `"${test}"`).join(', ');
  const which = `${failedTests.length === 1 ? 'test' : 'tests'} ${names}`;
  await withAdminClient((client) =>
    client.query(
      `COMMENT ON DATABASE ${database.name} IS ${literal(`${KEPT_DATABASE_COMMENT} ${which}`)}`,
    ),
  );
  const gone = inject('embeddedServer')
    ? '; the embedded server goes at the end of the run, so set DATABASE_URL to keep it for real'
    : '';
  console.error(
    `kept database ${database.name} for failed ${which} (DATABASE_URL=${database.url})${gone}`,
  );
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Drops a database once its sessions have gone. pool.end() resolves before every server session
 * has gone; FORCE would kill a closing connection whose client no longer has an error listener,
 * an unhandled error in whichever test file runs then.
 */
export async function dropDatabaseOnceIdle(client: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (rows[0]?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function dropDatabase(name: string): Promise<void> {
  await withAdminClient((client) => dropDatabaseOnceIdle(client, name));
}

/**
 * A Kysely over `pool` that records the SQL of every statement it sends, for tests that count
 * statements (a planner's cost per batch) or explain them (test/db/query-plans/).
 */
/** Each statement's first word, lower case (`select`, `begin`, ...), to count round trips. */
export function firstWords(recorded: readonly CompiledQuery[]): string[] {
  return recorded.map((query) => query.sql.split(/\s/)[0]?.toLowerCase() ?? '');
}

export function recordingDatabase(pool: pg.Pool): {
  db: Kysely<Database>;
  recorded: CompiledQuery[];
} {
  const recorded: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') recorded.push(event.query);
    },
  });
  return { db, recorded };
}
