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
 *
 * The fault suite (scripts/faults.ts) kills a process with `kill('SIGKILL')` and starts it again
 * with `restart()`, on the same port; it runs the embedded PostgreSQL itself
 * (`embeddedPostgresOutside`), so that a killed all-in-one service does not take it along.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { planDatabase } from './database.ts';
import { answers, listeningPort, peakRssOf, slackMounted } from './process-probes.ts';

export { histogramTotals, peakRssOf, rssOf } from './process-probes.ts';

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
  /** API_SIGNING_SECRET: the bot signs its API calls with it, and so must a script calling as the bot. */
  apiSigningSecret: string;
  /** NODE_OPTIONS for every service process, for experiments such as a smaller heap. */
  nodeOptions?: string;
  /**
   * Run the compiled JavaScript (`npm run build`: dist/main.js, dist/entrypoints/*.js) instead
   * of the TypeScript sources, to compare their memory (docs/decisions/0014).
   */
  compiled?: boolean;
  /** Further settings for every service process, such as DB_POOL_MAX, for tuning experiments. */
  env?: Record<string, string>;
  /**
   * The PostgreSQL server to create the fresh database on; by default DATABASE_URL, and without
   * either an embedded one in a temporary folder.
   */
  databaseServerUrl?: string;
  /**
   * Run that embedded PostgreSQL here even for the all-in-one service (which otherwise runs it
   * itself), so that the service can be killed and restarted without taking its database along.
   */
  embeddedPostgresOutside?: boolean;
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
  /** The current process's id; a new one after {@link ServiceProcess.restart}. */
  readonly pid: number;
  /** Whether the current process is alive (started and not yet exited). */
  running(): boolean;
  /**
   * Sends `signal` (SIGKILL by default) to the process, not its children, and resolves once it
   * has exited. Does nothing when it already has.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Starts the same script again, with the same settings and on the same port (so the bot's
   * API_URL and callers' URLs still hold), plus `env`, and resolves once it is ready as at
   * first start. The process must have exited (see {@link ServiceProcess.kill}).
   */
  restart(options?: { env?: Record<string, string> }): Promise<void>;
  /** How many times the process has been started: 1, then 2 after a restart, and so on. */
  starts(): number;
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
 * The V8 heap flags in a `node …` command line, e.g. package.json's `start` script:
 * `--max-semi-space-size=4` and the like, in order.
 */
export function heapFlagsOf(command: string): string[] {
  return command.split(/\s+/).filter((word) => /^--max-[a-z-]+-size=\d+$/.test(word));
}

/**
 * The heap flags `npm start` runs the all-in-one process with (docs/decisions/0014), so that
 * the bench measures what `npm start` runs. They go first in NODE_OPTIONS: a flag from the
 * bench's --node-options comes later and wins.
 */
function allInOneHeapFlags(repoRoot: string): string[] {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  return heapFlagsOf(manifest.scripts?.start ?? '');
}

/** src/main.ts -> dist/main.js: where `npm run build` (tsconfig.build.json) puts a source. */
function compiledScript(script: string): string {
  return script.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}

function nodeOptions(settings: ServiceSettings, script: string): { NODE_OPTIONS?: string } {
  const flags = [
    ...(script === 'src/main.ts' ? allInOneHeapFlags(settings.repoRoot) : []),
    ...(settings.nodeOptions ? [settings.nodeOptions] : []),
  ];
  return flags.length > 0 ? { NODE_OPTIONS: flags.join(' ') } : {};
}

/**
 * A child `node <script>`, its output counted (into `summary`, which a restarted process
 * shares with the one before), its stop deferred. `overrides` come last, over the settings' env.
 */
function spawnNode(
  settings: ServiceSettings,
  script: string,
  env: Record<string, string>,
  defer: Defer,
  summary: LogSummary = { warn: 0, error: 0, messages: new Map(), last: [] },
  overrides: Record<string, string> = {},
) {
  const child: ChildProcess = spawn(
    path.join(settings.repoRoot, 'node_modules', '.bin', 'node'),
    [settings.compiled ? compiledScript(script) : script],
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
        API_SIGNING_SECRET: settings.apiSigningSecret,
        // The bench reads as one manager, hundreds of times a second: a rate no person makes.
        API_RATE_LIMIT_PER_USER_PER_MINUTE: '0',
        ...env,
        ...nodeOptions(settings, script),
        ...settings.env,
        ...overrides,
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
 * Starts `node <script>` and resolves with its URL once it is ready (its /readyz answers 200)
 * and, with `slack`, its /slack/events is mounted.
 */
async function untilReady(child: ReturnType<typeof spawnNode>, slack: boolean): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
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
      // The bot's delivery sender starts right after the server listens; give it that moment.
      if (slack && !child.announcedUrl()) await delay(1_000);
      return candidate;
    }
    await delay(200);
  }
}

/** Starts `node <script>` as a {@link ServiceProcess}, resolving once it is ready. */
async function startProcess(
  settings: ServiceSettings,
  name: string,
  script: string,
  env: Record<string, string>,
  slack: boolean,
  defer: Defer,
): Promise<ServiceProcess> {
  const summary: LogSummary = { warn: 0, error: 0, messages: new Map(), last: [] };
  let child = spawnNode(settings, script, env, defer, summary);
  const url = await untilReady(child, slack);
  let starts = 1;
  const metrics = async () => (await fetch(`${url}/metrics`)).text();
  return {
    name,
    command: `node ${settings.compiled ? compiledScript(script) : script}`,
    url,
    get pid() {
      return child.pid;
    },
    running: () => !child.hasExited(),
    async kill(signal = 'SIGKILL') {
      if (child.hasExited()) return;
      // The process alone, not its group: as a container's main process dies, its children
      // (none in the split services) are the runtime's to reap.
      process.kill(child.pid, signal);
      await child.exited;
    },
    async restart(options = {}) {
      if (!child.hasExited()) throw new Error(`${name} is still running (pid ${child.pid})`);
      // The same port: a killed process's listening socket is gone at once, and Node binds
      // with SO_REUSEADDR, so connections still in TIME_WAIT do not block it.
      const port = new URL(url).port;
      child = spawnNode(settings, script, env, defer, summary, {
        PORT: port,
        ...options.env,
      });
      starts += 1;
      const restartedAt = await untilReady(child, slack);
      if (restartedAt !== url) throw child.failed(`restarted at ${restartedAt}, not ${url}`);
    },
    starts: () => starts,
    peakRssBytes: () => peakRssOf(child.pid),
    logSummary: () => summary,
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
  const database = await planDatabase(
    deployment === 'split' || settings.embeddedPostgresOutside === true,
    defer,
    settings.databaseServerUrl,
  );
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

/**
 * One more service process beside a running deployment, e.g. a second bot replica (the fault
 * suite's rate-limit scenario): `settings` as the deployment was started with.
 */
export { startProcess as startServiceProcess };
