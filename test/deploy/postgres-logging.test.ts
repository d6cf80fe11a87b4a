/**
 * PostgreSQL's own log must not undo the app's redaction. compose.yaml logs slow statements, and
 * PostgreSQL logs every error; by default both carry what managers wrote: the bind values of a
 * slow statement (`DETAIL: parameters: $1 = '...'`) and the row of a constraint error
 * (`DETAIL: Failing row contains (...)`), which Docker keeps and Alloy ships to Loki. This starts
 * a throwaway PostgreSQL with compose's `-c` flags, writes a marker text both ways, and reads
 * the server's log.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../support/ports.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const MARKER = 'manager-wrote-7f3a9c-private-words';
/** Debian's layout; CI installs postgresql-15 (.github/workflows). */
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const DEADLINE_MS = 20_000;

/** The `-c name=value` settings compose.yaml passes to the postgres service. */
function composeSettings(): string[] {
  const compose = parseYaml(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), {
    merge: true,
  }) as { services: { postgres: { command: string[] } } };
  const command = compose.services.postgres.command;
  return command.flatMap((word, i) => (command[i - 1] === '-c' ? [word] : []));
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

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const available = await access(path.join(BIN, 'initdb')).then(
  () => true,
  () => false,
);

describe.skipIf(!available && !process.env.CI)('PostgreSQL with compose.yaml’s flags', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let log = '';
  let url: string;

  beforeAll(async () => {
    const user = await serverUser();
    dir = await mkdtemp(path.join(tmpdir(), 'blindspot-pg-logging-'));
    await chmod(dir, 0o755);
    const dataDir = path.join(dir, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    if (user) await chown(dataDir, user.uid, user.gid);
    await run(
      path.join(BIN, 'initdb'),
      [`--pgdata=${dataDir}`, '--username=postgres', '--auth=trust', '--locale=C'],
      { ...user, env: { ...process.env, LC_ALL: 'C' } },
    );
    const port = await freePort();
    const settings = [
      ...composeSettings(),
      // Every statement counts as slow here, so the test needs no slow query. Later flags win.
      'log_min_duration_statement=0',
      'listen_addresses=127.0.0.1',
      'unix_socket_directories=',
      'fsync=off',
    ];
    server = spawn(
      path.join(BIN, 'postgres'),
      ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // The postgres image logs to stderr, which Docker collects: the same stream as here.
    server.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
    });
    url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await until(async () => {
      if (server?.exitCode !== null) throw new Error(`PostgreSQL exited: ${log}`);
      const client = new pg.Client({ connectionString: url });
      return client.connect().then(
        () => client.end().then(() => true),
        () => false,
      );
    }, 'PostgreSQL to accept connections');
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGINT');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * Runs a logged slow statement and a constraint error, both with the marker as a bind value,
   * and returns what the server logged meanwhile.
   */
  async function writeMarker(client: pg.Client, table: string): Promise<string> {
    const from = log.length;
    await client.query(`CREATE TABLE ${table} (body text CHECK (length(body) < 5))`);
    await client.query(`SELECT $1::text AS ${table}_slow`, [MARKER]);
    await expect(client.query(`INSERT INTO ${table} (body) VALUES ($1)`, [MARKER])).rejects.toThrow(
      /violates check constraint/,
    );
    // The log arrives through a pipe: wait for both statements' lines before reading it.
    await until(
      () => log.includes(`${table}_slow`) && log.includes(`INSERT INTO ${table}`),
      `${table}'s statements in the log`,
    );
    return log.slice(from);
  }

  it('logs the slow statement and the constraint error, but never the values written', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let logged: string;
    try {
      logged = await writeMarker(client, 'hardened');
    } finally {
      await client.end();
    }
    expect(logged).toMatch(/duration: [\d.]+ ms .*SELECT \$1::text AS hardened_slow/);
    expect(logged).toMatch(/ERROR: {2}new row for relation "hardened" violates check constraint/);
    expect(logged).not.toContain(MARKER);
    expect(logged).not.toContain('Failing row contains');
  });

  it('would catch a leak: with PostgreSQL’s defaults the same statements log the marker', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let logged: string;
    try {
      // PostgreSQL's built-in values (SET ... TO DEFAULT would give compose's), for this
      // session only; on_error is 0 by default, so it is lifted too, as an operator might.
      await client.query('SET log_parameter_max_length = -1');
      await client.query('SET log_parameter_max_length_on_error = -1');
      await client.query("SET log_error_verbosity = 'default'");
      logged = await writeMarker(client, 'defaults');
    } finally {
      await client.end();
    }
    expect(logged).toContain(`$1 = '${MARKER}'`);
    expect(logged).toContain(`Failing row contains (${MARKER})`);
  });
});
