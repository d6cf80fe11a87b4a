import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, pendingMigrations, readMigrations } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const logger = createLogger({ level: 'silent', service: 'test' });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false });
  cleanups.push(() => database.drop());
  return database;
}

describe('migrations', () => {
  it('apply every file once, in order, and then find nothing to do', async () => {
    const database = await emptyDatabase();
    const files = await readMigrations();
    expect(files.map((f) => f.name)).toEqual([...files.map((f) => f.name)].sort());
    expect(await pendingMigrations(database.pool, files)).toEqual(files.map((f) => f.name));

    expect(await migrate(database.pool, logger)).toEqual(files.map((f) => f.name));
    expect(await migrate(database.pool, logger)).toEqual([]);
    expect(await pendingMigrations(database.pool, files)).toEqual([]);
  });

  it('are safe when two processes migrate the same database at once', async () => {
    const database = await emptyDatabase();
    const other = new pg.Pool({ connectionString: database.url, max: 1 });
    cleanups.push(() => other.end());
    const [first, second] = await Promise.all([
      migrate(database.pool, logger),
      migrate(other, logger),
    ]);
    const files = (await readMigrations()).map((f) => f.name);
    // The advisory lock serialises them: one applies everything, the other nothing.
    expect([...first, ...second].sort()).toEqual(files);
    const { rows } = await database.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBe(files.length);
  });

  it('refuse a migration that was edited after it was applied', async () => {
    const database = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '0001_first.sql'), 'CREATE TABLE a (id int);');
    await migrate(database.pool, logger, await readMigrations(dir));
    await writeFile(path.join(dir, '0001_first.sql'), 'CREATE TABLE a (id bigint);');
    await expect(migrate(database.pool, logger, await readMigrations(dir))).rejects.toThrow(
      /0001_first.sql was changed after it was applied/,
    );
  });

  it('roll back a failing migration completely, leaving nothing half-written', async () => {
    const database = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '0001_good.sql'), 'CREATE TABLE good (id int);');
    await writeFile(
      path.join(dir, '0002_bad.sql'),
      'CREATE TABLE half (id int); SELECT no_such_function();',
    );
    await expect(migrate(database.pool, logger, await readMigrations(dir))).rejects.toThrow(
      /0002_bad.sql failed/,
    );
    const { rows } = await database.pool.query(
      "SELECT to_regclass('good') AS good, to_regclass('half') AS half",
    );
    expect(rows[0]).toEqual({ good: 'good', half: null });
    expect(await pendingMigrations(database.pool, await readMigrations(dir))).toEqual([
      '0002_bad.sql',
    ]);
  });
});
