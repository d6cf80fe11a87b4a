/**
 * The database roles of the compose deployment (config/postgres/init/10-blindspot-roles.sh),
 * on a real PostgreSQL: the script runs as the postgres image would run it, then migrate, api
 * and worker run as their own roles and each can do its job and no more. Roles belong to the
 * whole server, so this file gives them a prefix of its own and drops them afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, createTestDatabase, type TestDatabase } from '../support/database.ts';
import { runToExit, type ServiceProcess, startService, waitForStatus } from './service-process.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const INIT_SCRIPT = path.join(ROOT, 'config/postgres/init/10-blindspot-roles.sh');
const hasPsql = (process.env.PATH ?? '')
  .split(path.delimiter)
  .some((dir) => dir && existsSync(path.join(dir, 'psql')));

const prefix = `bs_roles_${randomBytes(4).toString('hex')}`;
const role = {
  owner: `${prefix}_owner`,
  app: `${prefix}_app`,
  worker: `${prefix}_worker`,
  monitor: `${prefix}_monitor`,
};
const password = {
  owner: randomBytes(12).toString('hex'),
  app: randomBytes(12).toString('hex'),
  worker: randomBytes(12).toString('hex'),
  monitor: randomBytes(12).toString('hex'),
};

describe.skipIf(!hasPsql && !process.env.CI)('database roles for the compose deployment', () => {
  let database: TestDatabase;
  const services: ServiceProcess[] = [];
  const urlAs = (name: keyof typeof role) => {
    const url = new URL(database.url);
    url.username = role[name];
    url.password = password[name];
    return url.toString();
  };
  async function as<T>(name: keyof typeof role, work: (client: pg.Client) => Promise<T>) {
    const client = new pg.Client({ connectionString: urlAs(name) });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
  async function errorCodeOf(name: keyof typeof role, sql: string): Promise<string | undefined> {
    return as(name, (client) =>
      client.query(sql).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      ),
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    const admin = new URL(adminUrl());
    // As the postgres image runs it: the superuser, against POSTGRES_DB.
    await run('bash', [INIT_SCRIPT], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PGHOST: admin.hostname,
        PGPORT: admin.port || '5432',
        PGPASSWORD: decodeURIComponent(admin.password),
        POSTGRES_USER: decodeURIComponent(admin.username),
        POSTGRES_DB: database.name,
        BLINDSPOT_DB_ROLE_PREFIX: prefix,
        BLINDSPOT_OWNER_DB_PASSWORD: password.owner,
        BLINDSPOT_APP_DB_PASSWORD: password.app,
        BLINDSPOT_WORKER_DB_PASSWORD: password.worker,
        BLINDSPOT_MONITOR_DB_PASSWORD: password.monitor,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await database?.drop();
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      for (const name of Object.values(role)) await client.query(`DROP ROLE IF EXISTS ${name}`);
    } finally {
      await client.end();
    }
  });

  it('migrates as the owner, then serves the api and runs the worker as their own roles', async () => {
    const migrate = await runToExit('src/entrypoints/migrate.ts', {
      cwd: ROOT,
      env: { DATABASE_URL: urlAs('owner') },
    });
    expect(migrate.code, migrate.output).toBe(0);

    const api = await startService('src/entrypoints/api.ts', {
      cwd: ROOT,
      env: {
        DATABASE_URL: urlAs('app'),
        API_SERVICE_TOKEN: randomBytes(24).toString('hex'),
        API_SIGNING_SECRET: randomBytes(24).toString('hex'),
      },
    });
    services.push(api);
    const worker = await startService('src/entrypoints/worker.ts', {
      cwd: ROOT,
      env: { DATABASE_URL: urlAs('worker') },
    });
    services.push(worker);
    await waitForStatus(api, '/readyz', 200, 60_000);
    await waitForStatus(worker, '/readyz', 200, 60_000);

    // graphile-worker installed its schema as the worker's role, which therefore owns it.
    const { rows } = await database.pool.query<{ owner: string }>(
      "SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'graphile_worker'",
    );
    expect(rows[0]?.owner).toBe(role.worker);

    // A job runs to completion under the worker's role: it reads and locks Blindspot's tables.
    const added = await as('worker', (client) =>
      client.query<{ id: string }>(
        "SELECT id FROM graphile_worker.add_job('plan_deliveries', '{}'::json)",
      ),
    );
    const jobId = added.rows[0]?.id;
    const deadline = Date.now() + 30_000;
    let job: { last_error: string | null } | undefined;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      // graphile-worker deletes a job that succeeded, and records the error of one that failed.
      job = (
        await as('worker', (client) =>
          client.query('SELECT last_error FROM graphile_worker.jobs WHERE id = $1', [jobId]),
        )
      ).rows[0];
    } while (job && job.last_error === null && Date.now() < deadline);
    expect(job, worker.output()).toBeUndefined();
  }, 120_000);

  it('lets only the owner change the schema', async () => {
    const { rows } = await database.pool.query<{ tableowner: string }>(
      "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
    );
    expect(rows.map((row) => row.tableowner)).toEqual([role.owner]);
    // 42501: insufficient privilege.
    for (const name of ['app', 'worker'] as const) {
      expect(await errorCodeOf(name, 'CREATE TABLE intruder (id int)'), name).toBe('42501');
      expect(await errorCodeOf(name, 'DROP TABLE deliveries'), name).toBe('42501');
      expect(await errorCodeOf(name, 'ALTER TABLE managers ADD COLUMN x int'), name).toBe('42501');
    }
  });

  it('lets the api and the worker read and write every Blindspot table but the audit trail', async () => {
    const { rows } = await database.pool.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit_events'",
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const name of ['app', 'worker'] as const) {
      for (const { tablename } of rows) {
        for (const sql of [
          `SELECT count(*) FROM ${tablename}`,
          `UPDATE ${tablename} SET ${await updatableColumn(tablename)} = ${await updatableColumn(tablename)} WHERE false`,
          `DELETE FROM ${tablename} WHERE false`,
        ]) {
          expect(await errorCodeOf(name, sql), `${name}: ${sql}`).toBeUndefined();
        }
      }
    }
  });

  it('lets the api and the worker only read and add audit events, by privilege and not just by trigger', async () => {
    // With no row to fire on, `WHERE false` passes the row triggers: only a privilege refuses it.
    for (const name of ['app', 'worker'] as const) {
      for (const sql of [
        'UPDATE audit_events SET action = action WHERE false',
        'DELETE FROM audit_events WHERE false',
        'TRUNCATE audit_events',
      ]) {
        expect(await errorCodeOf(name, sql), `${name}: ${sql}`).toBe('42501');
      }
      const added = await as(name, (client) =>
        client.query(
          `INSERT INTO audit_events (actor, action, subject_type, details)
           VALUES ('system', 'roles.test', 'test', '{}') RETURNING id`,
        ),
      );
      expect(added.rowCount, name).toBe(1);
      expect(await errorCodeOf(name, 'SELECT count(*) FROM audit_events'), name).toBeUndefined();
    }
  });

  it('keeps the api out of the job queue, and the monitoring role out of every table', async () => {
    expect(await errorCodeOf('app', 'SELECT count(*) FROM graphile_worker.jobs')).toBe('42501');
    expect(await errorCodeOf('monitor', 'SELECT count(*) FROM managers')).toBe('42501');
    const activity = await as('monitor', (client) =>
      client.query<{ visible: boolean }>(
        // pg_monitor shows every session's query, which a plain role sees only for its own.
        "SELECT bool_and(query <> '<insufficient privilege>') AS visible FROM pg_stat_activity WHERE datname = current_database()",
      ),
    );
    expect(activity.rows[0]?.visible).toBe(true);
  });

  async function updatableColumn(table: string): Promise<string> {
    const { rows } = await database.pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1
         AND is_identity = 'NO' AND is_generated = 'NEVER'
       ORDER BY ordinal_position LIMIT 1`,
      [table],
    );
    return rows[0]?.column_name ?? 'id';
  }
});
