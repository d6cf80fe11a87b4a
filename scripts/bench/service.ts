/**
 * Starts Blindspot as child processes on a database of its own, deployed in one of two ways, and
 * finds where each process listens:
 *
 *   - all-in-one: `node src/main.ts`, one process with the API, the bot and the worker;
 *   - split: `node src/entrypoints/migrate.ts` to completion, then the api, worker and bot
 *     services (`node src/entrypoints/{api,worker,bot}.ts`), each a process of its own as each is
 *     a container in production, the bot reaching the api over HTTP (API_URL).
 *
 * With DATABASE_URL set, a new database is created on that server and dropped afterwards; without
 * it, the embedded PostgreSQL in a temporary folder, removed afterwards. The all-in-one service
 * runs the embedded server itself (EMBEDDED_POSTGRES_DIR); the split services need a
 * DATABASE_URL, so for them the bench runs it (src/db/embedded-postgres.ts). Either way nothing
 * the bench does touches the databases a developer works with.
 *
 * Everything started is handed to the caller's `defer` as soon as it starts, so the bench's
 * cleanup stops it (processes first, then the database) on success, failure or a signal, even
 * one that arrives while the services are still starting.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chmod, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { createLogger } from '../../src/observability/logger.ts';

/** initdb plus migrations plus the catalogue on a slow disk stay well under this. */
const START_TIMEOUT_MS = 120_000;
/** SHUTDOWN_TIMEOUT_MS (10 s) per step, a few steps; past this the child is killed. */
const STOP_TIMEOUT_MS = 45_000;
/** Lines of the child's output kept for the report and for a failed start. */
const KEPT_LINES = 40;

export type Deployment = 'all-in-one' | 'split';

/** Registers something to undo when the bench ends; the bench undoes them newest first. */
export type Defer = (name: string, run: () => Promise<unknown>) => void;

export interface ServiceSettings {
  repoRoot: string;
  slackApiUrl: string;
  slackBotToken: string;
  slackSigningSecret: string;
  apiServiceToken: string;
  /** NODE_OPTIONS for every service process, for experiments such as a smaller heap. */
  nodeOptions?: string;
  /** Further settings for every service process, such as DB_POOL_MAX, for tuning experiments. */
  env?: Record<string, string>;
}

export interface ServiceMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

export interface LogSummary {
  warn: number;
  error: number;
  messages: Map<string, number>;
  last: string[];
}

/** One running service process. */
export interface ServiceProcess {
  /** 'service' (all-in-one), 'api', 'bot' or 'worker'. */
  name: string;
  /** How it was started, e.g. `node src/entrypoints/api.ts`. */
  command: string;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  pid: number;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  /** Warning and error lines the child logged, counted by message. */
  logSummary(): LogSummary;
  /** V8 heap and other memory as the process's own /metrics reports them, in bytes. */
  memory(): Promise<ServiceMemory>;
  /** The process's Prometheus metrics, as text. */
  metrics(): Promise<string>;
}

export interface RunningDeployment {
  deployment: Deployment;
  /** Where API requests go. */
  api: ServiceProcess;
  /** Where Slack's requests (commands, clicks) go. */
  slack: ServiceProcess;
  /** Every long-running process: [service], or [api, bot, worker]. */
  processes: ServiceProcess[];
  /** A connection string for the services' database, for seeding and the lock scenario. */
  databaseUrl: string;
  /** 'embedded PostgreSQL (…)' or 'database … on DATABASE_URL's server'. */
  databaseDescription: string;
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
  /** DATABASE_URL, or EMBEDDED_POSTGRES_DIR for an all-in-one service that runs its own. */
  env: Record<string, string>;
  description: string;
  /** The connection string, known now or once the all-in-one service has started its own. */
  url(): Promise<string>;
}

/**
 * A fresh database for one run, its removal deferred. `runEmbedded`: without DATABASE_URL, start
 * the embedded PostgreSQL here rather than leave it to the service.
 */
async function planDatabase(runEmbedded: boolean, defer: Defer): Promise<DatabasePlan> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    const name = `blindspot_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    defer('database', () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      env: { DATABASE_URL: url.toString() },
      description: `new database ${name} on DATABASE_URL's server`,
      url: async () => url.toString(),
    };
  }
  const parent = await mkdtemp(path.join(tmpdir(), 'blindspot-bench-'));
  defer('database folder', () => rm(parent, { recursive: true, force: true }));
  // As root the embedded server runs as the `postgres` user, which must reach the data folder.
  await chmod(parent, 0o755);
  const dataDir = path.join(parent, 'postgres');
  const description = `embedded PostgreSQL in a temporary ${parent}`;
  if (runEmbedded) {
    const logger = createLogger({ level: 'warn', service: 'bench', destination: process.stderr });
    const server = await startEmbeddedPostgres({ dataDir, logger });
    defer('embedded PostgreSQL', () => server.stop());
    return {
      env: { DATABASE_URL: server.url },
      description: `${description}, run by the bench`,
      url: async () => server.url,
    };
  }
  return {
    env: { EMBEDDED_POSTGRES_DIR: dataDir },
    description,
    async url() {
      // src/db/embedded-postgres.ts keeps the password beside the data folder; the port is
      // line 4 of postmaster.pid.
      const password = (await readFile(`${dataDir}.password`, 'utf8')).trim();
      const port = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[3];
      return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port?.trim()}/blindspot`;
    },
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

/** Whether an unsigned POST to /slack/events is refused with 401: Bolt's receiver is mounted. */
async function slackMounted(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/slack/events`, { method: 'POST', body: '' });
    await response.arrayBuffer();
    return response.status === 401;
  } catch {
    return false;
  }
}

/** A child `node <script>`, its output counted, its stop deferred. */
function spawnNode(
  settings: ServiceSettings,
  script: string,
  env: Record<string, string>,
  defer: Defer,
) {
  const child: ChildProcess = spawn(
    path.join(settings.repoRoot, 'node_modules', '.bin', 'node'),
    [script],
    {
      cwd: settings.repoRoot,
      // Its own process group: Ctrl-C on the bench reaches the bench, which stops the child once.
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
        ...env,
        ...(settings.nodeOptions ? { NODE_OPTIONS: settings.nodeOptions } : {}),
        ...settings.env,
      },
    },
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  defer(`node ${script}`, async () => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const outcome = await Promise.race([exited, delay(STOP_TIMEOUT_MS).then(() => undefined)]);
    if (!outcome) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  const summary: LogSummary = { warn: 0, error: 0, messages: new Map(), last: [] };
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
  const failed = (message: string) =>
    new Error(`node ${script}: ${message}. Last lines of its output:\n${summary.last.join('\n')}`);
  return {
    pid: child.pid ?? 0,
    exited,
    hasExited: () => hasExited,
    announcedUrl: () => announcedUrl,
    summary,
    failed,
  };
}

/** Runs `node <script>` to its end, e.g. the migrations; throws unless it exits 0. */
async function runToExit(
  settings: ServiceSettings,
  script: string,
  env: Record<string, string>,
  defer: Defer,
): Promise<void> {
  const child = spawnNode(settings, script, env, defer);
  const outcome = await Promise.race([child.exited, delay(START_TIMEOUT_MS).then(() => undefined)]);
  if (!outcome) throw child.failed(`did not finish in ${START_TIMEOUT_MS} ms`);
  if (outcome[0] !== 0) throw child.failed(`exited with ${outcome[0] ?? outcome[1]}`);
}

/**
 * Starts `node <script>` and resolves once it is ready (its /readyz answers 200) and, with
 * `slack`, its /slack/events is mounted.
 */
async function startProcess(
  settings: ServiceSettings,
  name: string,
  script: string,
  env: Record<string, string>,
  slack: boolean,
  defer: Defer,
): Promise<ServiceProcess> {
  const child = spawnNode(settings, script, env, defer);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let url: string | undefined;
  while (!url) {
    if (child.hasExited()) throw child.failed('exited during start');
    if (Date.now() > deadline) throw child.failed(`did not start in ${START_TIMEOUT_MS} ms`);
    const port = child.announcedUrl() ? undefined : await listeningPort(child.pid);
    const candidate = child.announcedUrl() ?? (port ? `http://127.0.0.1:${port}` : undefined);
    // Ready: migrations current and the database reachable (the bot: the API reachable), and for
    // Slack, /slack/events mounted (an unsigned request is refused before any listener runs).
    if (
      candidate &&
      (await answers(`${candidate}/readyz`, 200)) &&
      (!slack || (await slackMounted(candidate)))
    ) {
      url = candidate;
    } else {
      await delay(200);
    }
  }
  // The bot's delivery sender starts right after the server listens; give it that moment.
  if (slack && !child.announcedUrl()) await delay(1_000);
  const metrics = async () => (await fetch(`${url}/metrics`)).text();
  return {
    name,
    command: `node ${script}`,
    url,
    pid: child.pid,
    peakRssBytes: () => peakRssOf(child.pid),
    logSummary: () => child.summary,
    metrics,
    memory: async () => {
      const text = await metrics();
      const metric = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
      return {
        rss: metric('process_resident_memory_bytes'),
        heapTotal: metric('nodejs_heap_size_total_bytes'),
        heapUsed: metric('nodejs_heap_size_used_bytes'),
        external: metric('nodejs_external_memory_bytes'),
      };
    },
  };
}

/**
 * Starts the deployment on a fresh database and resolves once it serves the API and Slack. Each
 * process and the database are handed to `defer` as they start.
 */
export async function startDeployment(
  deployment: Deployment,
  settings: ServiceSettings,
  defer: Defer,
): Promise<RunningDeployment> {
  const database = await planDatabase(deployment === 'split', defer);
  const started = async (
    api: ServiceProcess,
    slack: ServiceProcess,
    processes: ServiceProcess[],
  ) => ({
    deployment,
    api,
    slack,
    processes,
    databaseUrl: await database.url(),
    databaseDescription: database.description,
  });
  if (deployment === 'all-in-one') {
    const service = await startProcess(
      settings,
      'service',
      'src/main.ts',
      database.env,
      true,
      defer,
    );
    return started(service, service, [service]);
  }
  // As deployed: migrations first, then the services; the bot needs no database, only the API.
  await runToExit(settings, 'src/entrypoints/migrate.ts', database.env, defer);
  const api = await startProcess(
    settings,
    'api',
    'src/entrypoints/api.ts',
    database.env,
    false,
    defer,
  );
  const worker = await startProcess(
    settings,
    'worker',
    'src/entrypoints/worker.ts',
    database.env,
    false,
    defer,
  );
  const bot = await startProcess(
    settings,
    'bot',
    'src/entrypoints/bot.ts',
    { API_URL: api.url },
    true,
    defer,
  );
  return started(api, bot, [api, bot, worker]);
}
