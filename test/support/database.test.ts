/**
 * A failing test keeps its database, as pg-boss keeps a failing test's schema: a child vitest run
 * over the fixture files (test/support/fixtures/) with the suite's global setup and setup file,
 * on this run's PostgreSQL server.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminUrl, urlFor, withAdminClient } from './database.ts';

const root = path.resolve(import.meta.dirname, '../..');
const kept: string[] = [];

/** Runs the fixture files in a child vitest; resolves with its exit code and all it printed. */
function runFixtures(): Promise<{ code: number | null; output: string }> {
  // The child is a vitest of its own: none of this worker's VITEST_* settings may leak into it.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')),
  );
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'test/support/fixtures/vitest.config.ts',
    ],
    // The child's global setup uses DATABASE_URL's server instead of starting an embedded one.
    { cwd: root, env: { ...env, DATABASE_URL: adminUrl(), NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

function createdIn(output: string, fixture: string): string {
  const match = new RegExp(`created database (\\S+) in ${fixture.replaceAll('.', '\\.')}`).exec(
    output,
  );
  if (!match?.[1]) throw new Error(`${fixture} printed no database name:\n${output}`);
  return match[1];
}

async function comment(database: string): Promise<string | null | undefined> {
  const { rows } = await withAdminClient((client) =>
    client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [database],
    ),
  );
  return rows[0] ? rows[0].comment : undefined;
}

afterAll(async () => {
  for (const database of kept) {
    await withAdminClient((client) =>
      client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
    );
  }
});

describe('when a test fails', () => {
  it('keeps a failed test’s database past global teardown and names it; drops those of tests that passed', async () => {
    const { code, output } = await runFixtures();
    const failingTest = createdIn(output, 'failing-test.fixture.ts');
    const failingHook = createdIn(output, 'failing-hook.fixture.ts');
    const passing = createdIn(output, 'passing-test.fixture.ts');
    const ofFailingTest = createdIn(output, 'per-test-databases.fixture.ts for fails first');
    const ofPassingTest = createdIn(output, 'per-test-databases.fixture.ts for passes after');
    kept.push(failingTest, failingHook, ofFailingTest, ofPassingTest);

    expect(code).toBe(1);
    expect(output).toContain(
      `kept database ${failingTest} for failed test "a file with a failing test > fails on purpose" (DATABASE_URL=${urlFor(failingTest)})`,
    );
    expect(output).toContain(
      `kept database ${failingHook} for failed test "a suite whose set-up fails" (DATABASE_URL=${urlFor(failingHook)})`,
    );
    // The child's global teardown has run: it dropped only what no failed test needed.
    expect(await comment(failingTest)).toBe(
      'blindspot: kept for failed test "a file with a failing test > fails on purpose"',
    );
    expect(await comment(failingHook)).toBe(
      'blindspot: kept for failed test "a suite whose set-up fails"',
    );
    expect(await comment(passing)).toBeUndefined();
    // A database made after a failure is kept only for failures of its own.
    expect(await comment(ofFailingTest)).toBe(
      'blindspot: kept for failed test "a database per test > fails first"',
    );
    expect(await comment(ofPassingTest)).toBeUndefined();

    // What was kept is a usable copy of the test's database: migrated, and open for connections.
    const client = new pg.Client({ connectionString: urlFor(failingTest) });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT to_regclass('public.workspaces') AS found`);
      expect(rows).toEqual([{ found: 'workspaces' }]);
    } finally {
      await client.end();
    }
  }, 120_000);
});
