/**
 * Forward-only SQL migrations from db/migrations, applied in name order. Each file runs in its
 * own transaction, all under one session-level advisory lock, so replicas that start together
 * migrate once and the rest wait and find nothing to do (the pattern of graphile-worker's
 * src/migrate.ts).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from '../observability/logger.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../db/migrations/', import.meta.url));

/** An arbitrary, fixed key: "blindspot" in ASCII, read as an integer. */
const MIGRATION_LOCK_KEY = 0x626c696e6473;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_LEDGER = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies every pending migration. Safe to call from several processes at once.
 * @returns the names of the migrations this call applied.
 */
export async function migrate(
  pool: pg.Pool,
  logger: Logger,
  migrations?: Migration[],
): Promise<string[]> {
  const files = migrations ?? (await readMigrations());
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    // Migrations may build indexes on big tables; the pool's statement_timeout is for requests.
    await client.query('SET statement_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_LEDGER);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    for (const migration of files) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.name} was changed after it was applied; ` +
              'migrations are forward-only: add a new file instead',
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(migration.name);
      logger.info({ migration: migration.name }, 'applied migration');
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.query('RESET statement_timeout').catch(() => {});
    client.release();
  }
  return applied;
}

/** Names of migration files that the database has not applied yet. */
export async function pendingMigrations(
  pool: pg.Pool,
  migrations: readonly Migration[],
): Promise<string[]> {
  const { rows } = await pool
    .query<{ name: string }>(`SELECT name FROM schema_migrations`)
    .catch((error: { code?: string }) => {
      // 42P01: undefined_table, i.e. nothing has been migrated yet.
      if (error.code === '42P01') return { rows: [] };
      throw error;
    });
  const done = new Set(rows.map((row) => row.name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
