/**
 * Runs once per `vitest run`: picks a PostgreSQL server (DATABASE_URL's, or an embedded one
 * in a temporary folder), and migrates a template database that every test file clones.
 * Cloning a template costs milliseconds; migrating per file would cost seconds.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { KEPT_DATABASE_COMMENT } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    /** True when the run has its own embedded server, which goes (kept databases too) at the end. */
    embeddedServer: boolean;
  }
}

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', service: 'test-setup' });

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let tempDir: string | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    tempDir = await mkdtemp(path.join(tmpdir(), 'blindspot-test-'));
    // As root, PostgreSQL runs as the postgres user, which must be able to enter this folder.
    await chmod(tempDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'postgres'), logger });
    adminUrl = withDatabase(embedded.url, 'postgres');
  }

  const template = `blindspot_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const pool = new pg.Pool({ connectionString: withDatabase(adminUrl, template), max: 1 });
  await migrate(pool, logger);
  await pool.end();
  // A template must have no connections when it is cloned.
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('embeddedServer', embedded !== undefined);

  // Drops what crashed files left behind, but not the databases kept for failed tests.
  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database
        WHERE (datname LIKE $1
               AND coalesce(shobj_description(oid, 'pg_database'), '') NOT LIKE $3 || '%')
           OR datname = $2`,
      [`blindspot_test_${process.pid}_%`, template, KEPT_DATABASE_COMMENT],
    );
    for (const { datname } of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
}
