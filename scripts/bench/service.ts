/**
 * Starts Blindspot (`node src/main.ts`) as a child process on a database of its own, finds where
 * it listens, and stops it again, leaving no database, data folder or process behind.
 *
 * With DATABASE_URL set, a new database is created on that server and dropped afterwards; without
 * it the service runs its embedded PostgreSQL in a temporary EMBEDDED_POSTGRES_DIR, removed
 * afterwards. Either way nothing the bench does touches the databases a developer works with.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';

/** initdb plus migrations plus the catalogue on a slow disk stay well under this. */
const START_TIMEOUT_MS = 120_000;
/** SHUTDOWN_TIMEOUT_MS (10 s) per step, a few steps; past this the child is killed. */
const STOP_TIMEOUT_MS = 45_000;
/** Lines of the child's output kept for the report and for a failed start. */
const KEPT_LINES = 40;

export interface ServiceSettings {
  repoRoot: string;
  slackApiUrl: string;
  slackBotToken: string;
  slackSigningSecret: string;
  apiServiceToken: string;
  /** NODE_OPTIONS for the service, for experiments such as a smaller heap. */
  nodeOptions?: string;
  /** Further settings for the service, such as DB_POOL_MAX, for tuning experiments. */
  env?: Record<string, string>;
}

export interface ServiceMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

export interface RunningService {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pid: number;
  /** A connection string for the service's database, for seeding and the lock scenario. */
  databaseUrl: string;
  /** 'embedded PostgreSQL (…)' or 'database … on DATABASE_URL's server'. */
  databaseDescription: string;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  /** Warning and error lines the child logged, counted by message. */
  logSummary(): { warn: number; error: number; messages: Map<string, number>; last: string[] };
  /** V8 heap and other memory as the service's own /metrics reports them, in bytes. */
  memory(): Promise<ServiceMemory>;
  /** The service's Prometheus metrics, as text. */
  metrics(): Promise<string>;
  /** SIGTERM, wait for exit (SIGKILL after a bound), then drop the database or data folder. */
  stop(): Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Count and sum of a Prometheus histogram, over the series whose labels include `labels` (e.g.
 * `pool="blindspot-api"`). NaN when the service does not export it.
 */
export function histogramTotals(
  text: string,
  name: string,
  labels = '',
): { count: number; sum: number } {
  const totals = { count: Number.NaN, sum: Number.NaN };
  for (const line of text.split('\n')) {
    const match = /^(\S+?)_(sum|count)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name || !(match[3] ?? '').includes(labels)) continue;
    const key = match[2] as 'sum' | 'count';
    totals[key] = (Number.isNaN(totals[key]) ? 0 : totals[key]) + Number(match[4]);
  }
  return totals;
}

/** Peak resident set size (VmHWM) of a process, in bytes. Linux only. */
export async function peakRssOf(pid: number | 'self'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Resident set size now (VmRSS), in bytes; 0 once the process has gone. Linux only. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'blindspot-bench' });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

interface DatabasePlan {
  env: Record<string, string>;
  description: string;
  /** The connection string, known now (DATABASE_URL) or once the child has started (embedded). */
  url(): Promise<string>;
  cleanup(): Promise<void>;
}

async function planDatabase(): Promise<DatabasePlan> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    const name = `blindspot_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      description: `new database ${name} on DATABASE_URL's server`,
      url: async () => url.toString(),
      cleanup: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const parent = await mkdtemp(path.join(tmpdir(), 'blindspot-bench-'));
  // As root the embedded server runs as the `postgres` user, which must reach the data folder.
  await chmod(parent, 0o755);
  const dataDir = path.join(parent, 'postgres');
  return {
    env: { EMBEDDED_POSTGRES_DIR: dataDir },
    description: `embedded PostgreSQL in a temporary ${parent}`,
    async url() {
      // src/db/embedded-postgres.ts keeps the password beside the data folder; the port is
      // line 4 of postmaster.pid.
      const password = (await readFile(`${dataDir}.password`, 'utf8')).trim();
      const port = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[3];
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port?.trim()}/blindspot`;
    },
    cleanup: () => rm(parent, { recursive: true, force: true }),
  };
}

/**
 * The port a process listens on, from the sockets it holds and /proc/net/tcp{,6}. Used when the
 * "Blindspot is running at" line is not logged: it is an info line, and the bench runs the
 * service at LOG_LEVEL=warn so that logging does not cost it time.
 */
async function listeningPort(pid: number): Promise<number | undefined> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  for (const table of ['tcp', 'tcp6']) {
    const lines = (await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '')).split('\n');
    for (const line of lines.slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st 0A is LISTEN; field 9 is the socket's inode.
      if (fields[3] === '0A' && fields[9] && inodes.has(fields[9])) {
        return Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      }
    }
  }
  return undefined;
}

async function answers(url: string, expected: number): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === expected;
  } catch {
    return false;
  }
}

/** Starts the service and resolves once it serves the API and Slack, with its URL. */
export async function startService(settings: ServiceSettings): Promise<RunningService> {
  const database = await planDatabase();
  const nodeBinary = path.join(settings.repoRoot, 'node_modules', '.bin', 'node');
  const child: ChildProcess = spawn(nodeBinary, ['src/main.ts'], {
    cwd: settings.repoRoot,
    // Its own process group: Ctrl-C on the bench reaches the bench, which stops the service once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      SLACK_BOT_TOKEN: settings.slackBotToken,
      SLACK_SIGNING_SECRET: settings.slackSigningSecret,
      SLACK_API_URL: settings.slackApiUrl,
      API_SERVICE_TOKEN: settings.apiServiceToken,
      ...database.env,
      ...(settings.nodeOptions ? { NODE_OPTIONS: settings.nodeOptions } : {}),
      ...settings.env,
    },
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const summary = { warn: 0, error: 0, messages: new Map<string, number>(), last: [] as string[] };
  let announcedUrl: string | undefined;
  const keep = (line: string) => {
    summary.last.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (summary.last.length > KEPT_LINES) summary.last.shift();
  };
  const onLine = (line: string) => {
    if (!line.trim()) return;
    let entry:
      | { level?: string; msg?: string; err?: { message?: string }; query?: string }
      | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      keep(line);
      return;
    }
    const message = String(entry?.msg ?? '');
    const running = /Blindspot is running at (\S+)/.exec(message);
    if (running?.[1]) announcedUrl = running[1];
    if (entry?.level === 'warn' || entry?.level === 'error' || entry?.level === 'fatal') {
      summary[entry.level === 'warn' ? 'warn' : 'error'] += 1;
      const detail = entry.err?.message ?? entry.query;
      const cause = detail ? ` (${detail.slice(0, 80)})` : '';
      const key = `${entry.level}: ${message.slice(0, 100)}${cause}`;
      summary.messages.set(key, (summary.messages.get(key) ?? 0) + 1);
      keep(line);
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }

  const pid = child.pid ?? 0;
  let stopping: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!hasExited) {
        child.kill('SIGTERM');
        const outcome = await Promise.race([exited, delay(STOP_TIMEOUT_MS).then(() => undefined)]);
        if (!outcome) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      const [exitCode, signal] = await exited;
      await database.cleanup();
      return { exitCode, signal };
    })();
    return stopping;
  };

  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let url: string | undefined;
    while (!url) {
      if (hasExited) throw new Error('the service exited during start');
      if (Date.now() > deadline)
        throw new Error(`the service did not start in ${START_TIMEOUT_MS} ms`);
      const port = announcedUrl ? undefined : await listeningPort(pid);
      const candidate = announcedUrl ?? (port ? `http://127.0.0.1:${port}` : undefined);
      // Ready: migrations current and the database reachable, and /slack/events mounted (an
      // unsigned request is refused with 401 before any listener runs).
      if (
        candidate &&
        (await answers(`${candidate}/readyz`, 200)) &&
        (await fetch(`${candidate}/slack/events`, { method: 'POST', body: '' })
          .then(async (response) => {
            await response.arrayBuffer();
            return response.status === 401;
          })
          .catch(() => false))
      ) {
        url = candidate;
      } else {
        await delay(200);
      }
    }
    // The bot's delivery sender starts right after the server listens; give it that moment.
    if (!announcedUrl) await delay(1_000);
    return {
      url,
      pid,
      databaseUrl: await database.url(),
      databaseDescription: database.description,
      peakRssBytes: () => peakRssOf(pid),
      logSummary: () => summary,
      metrics: async () => (await fetch(`${url}/metrics`)).text(),
      memory: async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        const metric = (name: string) =>
          Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
        return {
          rss: metric('process_resident_memory_bytes'),
          heapTotal: metric('nodejs_heap_size_total_bytes'),
          heapUsed: metric('nodejs_heap_size_used_bytes'),
          external: metric('nodejs_external_memory_bytes'),
        };
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw new Error(
      `${(error as Error).message}. Last lines of its output:\n${summary.last.join('\n')}`,
    );
  }
}
