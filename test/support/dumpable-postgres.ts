/**
 * A PostgreSQL server that this machine's pg_dump can back up. pg_dump refuses a server of a
 * newer major version than its own, so the suite's server will not always do: CI's second run
 * uses the embedded PostgreSQL 18, and Debian 12's pg_dump is 15. Then this starts a throwaway
 * cluster from pg_dump's own installation (Debian: /usr/lib/postgresql/<major>/bin), migrated
 * like the suite's template, and stops it afterwards.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, chmod, chown, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.ts';
import { createDatabase } from '../../src/db/pool.ts';
import { createLogger } from '../../src/observability/logger.ts';
import {
  adminUrl,
  createTestDatabase,
  dropDatabaseOnceIdle,
  type TestDatabase,
} from './database.ts';
import { freePort } from './ports.ts';

const run = promisify(execFile);
const START_TIMEOUT_MS = 30_000;

export interface DumpableServer {
  /** A superuser connection to the server's `postgres` database. */
  adminUrl: string;
  /** Why this server: the suite's, or a throwaway one, with both versions. */
  description: string;
  /** A new database on this server: migrated (the default) or empty. */
  createDatabase(options?: { migrated?: boolean }): Promise<TestDatabase>;
  stop(): Promise<void>;
}

async function majorOfPgDump(): Promise<number> {
  const { stdout } = await run('pg_dump', ['--version']);
  const match = /\(PostgreSQL\) (\d+)/.exec(stdout);
  if (!match) throw new Error(`unexpected pg_dump --version: ${stdout}`);
  return Number(match[1]);
}

async function majorOfServer(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(
      "SELECT current_setting('server_version_num') AS v",
    );
    const major = Math.floor(Number(rows[0]?.v) / 10_000);
    if (!Number.isInteger(major) || major <= 0)
      throw new Error(`unexpected server version ${rows[0]?.v}`);
    return major;
  } finally {
    await client.end();
  }
}

async function executable(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** initdb and postgres of pg_dump's own version: beside the real pg_dump, or Debian's layout. */
async function serverBinaries(major: number): Promise<string> {
  const candidates = [`/usr/lib/postgresql/${major}/bin`];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const pgDump = path.join(dir, 'pg_dump');
    if (await executable(pgDump)) candidates.unshift(path.dirname(await realpath(pgDump)));
  }
  for (const dir of candidates) {
    if (
      (await executable(path.join(dir, 'initdb'))) &&
      (await executable(path.join(dir, 'postgres')))
    )
      return dir;
  }
  throw new Error(
    `pg_dump ${major} cannot back up the test server, and no PostgreSQL ${major} server ` +
      `(initdb) was found to start one: install postgresql-${major}, or a pg_dump as new as the server`,
  );
}

/** PostgreSQL refuses to run as root; as root, run it as the `postgres` system user. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function waitForConnection(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited at start: ${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function databaseOn(serverUrl: string, name: string, onDrop: () => Promise<void>): TestDatabase {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 4,
    application_name: 'blindspot-test',
  });
  return {
    name,
    url: url.toString(),
    pool,
    db: createDatabase(pool),
    async drop() {
      await pool.end();
      await onDrop();
    },
  };
}

async function startThrowawayCluster(major: number, suiteMajor: number): Promise<DumpableServer> {
  const bin = await serverBinaries(major);
  const user = await serverUser();
  const dir = await mkdtemp(path.join(tmpdir(), 'blindspot-dump-test-'));
  // The server's user must be able to enter the folder.
  await chmod(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir, { mode: 0o700 });
  if (user) await chown(dataDir, user.uid, user.gid);
  await run(
    path.join(bin, 'initdb'),
    [`--pgdata=${dataDir}`, '--username=postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
    { ...user, env: { ...process.env, LC_ALL: 'C' } },
  );
  const port = await freePort();
  let output = '';
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // Throwaway data: durability only costs time.
      '-c',
      'fsync=off',
    ],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  const serverUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  try {
    await waitForConnection(serverUrl, child, () => output);
    const template = 'blindspot_template';
    await admin((client) => client.query(`CREATE DATABASE ${template}`));
    const pool = new pg.Pool({
      connectionString: serverUrl.replace(/\/postgres$/, `/${template}`),
    });
    await migrate(pool, createLogger({ level: 'silent', service: 'test-dump-server' }));
    await pool.end();

    return {
      adminUrl: serverUrl,
      description: `a throwaway PostgreSQL ${major} (pg_dump ${major} cannot dump the suite's ${suiteMajor})`,
      async createDatabase(options = {}) {
        const name = `blindspot_dump_${randomBytes(4).toString('hex')}`;
        const from = options.migrated === false ? 'template0' : template;
        await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${from}`));
        return databaseOn(serverUrl, name, () =>
          admin((client) => dropDatabaseOnceIdle(client, name)),
        );
      },
      async stop() {
        process.removeListener('exit', stopOnExit);
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGINT');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill('SIGINT');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The suite's server when pg_dump can back it up; otherwise a throwaway one of pg_dump's version. */
export async function startDumpableServer(): Promise<DumpableServer> {
  const [major, suiteMajor] = await Promise.all([majorOfPgDump(), majorOfServer(adminUrl())]);
  if (major < suiteMajor) return startThrowawayCluster(major, suiteMajor);
  return {
    adminUrl: adminUrl(),
    description: `the suite's PostgreSQL ${suiteMajor}, with pg_dump ${major}`,
    createDatabase: createTestDatabase,
    async stop() {},
  };
}
