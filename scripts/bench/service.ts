/**
 * Starts Blindspot as child processes on a database of its own, deployed in one of two ways, and
 * finds where each process listens:
 *
 *   - all-in-one: what `npm start` runs (`node dist/main.js`, built first), one process with
 *     the API, the bot and the worker;
 *   - split: `node dist/entrypoints/migrate.js` to completion, then the api, worker and bot
 *     services (`node dist/entrypoints/{api,worker,bot}.js`, built first, as the image runs them;
 *     the sources with `--sources`), each a process of its own as each is a container in
 *     production, the bot reaching the api over HTTP (API_URL).
 *
 * With DATABASE_URL set, a new database is created on that server and dropped afterwards; without
 * it, the embedded PostgreSQL in a temporary folder, removed afterwards. The all-in-one service
 * runs the embedded server itself (EMBEDDED_POSTGRES_DIR); the split services need a
 * DATABASE_URL, so for them the bench runs it (src/db/embedded-postgres.ts). Either way nothing
 * the bench does touches the databases a developer works with.
 *
 * Everything started is handed to the caller's `defer` as soon as it starts, so the bench's
 * cleanup stops it (processes first, then the database) on success, failure or a signal, even
 * one that arrives while the services are still starting. Spawning a child and reading its
 * output is node-child.ts's.
 *
 * The fault suite (scripts/faults.ts) kills a process with `kill('SIGKILL')` and starts it again
 * with `restart()`, on the same port; it runs the embedded PostgreSQL itself
 * (`embeddedPostgresOutside`), so that a killed all-in-one service does not take it along.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { planDatabase } from './database.ts';
import {
  type Defer,
  entryOf,
  type LogSummary,
  type NodeChild,
  runToExit,
  type ServiceSettings,
  START_TIMEOUT_MS,
  spawnNode,
} from './node-child.ts';
import { answers, listeningPort, peakRssOf, slackMounted } from './process-probes.ts';

export type { Defer, LogSummary, ServiceSettings } from './node-child.ts';
export { heapFlagsOf, scriptOf } from './node-child.ts';
export { histogramTotals, peakRssOf, rssOf } from './process-probes.ts';

export type Deployment = 'all-in-one' | 'split';

export interface ServiceMemory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
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
 * Starts `node <script>` and resolves with its URL once it is ready (its /readyz answers 200)
 * and, with `slack`, its /slack/events is mounted.
 */
async function untilReady(child: NodeChild, slack: boolean): Promise<string> {
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
    command: `node ${entryOf(settings, script)}`,
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
  /**
   * Split only: how many of each service, as replicas over the one database (issue 19: two of
   * each keep every note to one post). Bot n reaches api n, as a load balancer would spread
   * them; every worker runs the same cron, which graphile-worker schedules once.
   */
  replicas = 1,
): Promise<RunningDeployment> {
  if (replicas !== 1 && deployment !== 'split') {
    throw new Error('replicas are for the split deployment; all-in-one is one process');
  }
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
  const named = (service: string, n: number) => (n === 1 ? service : `${service}-${n}`);
  const apis: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];
  const bots: ServiceProcess[] = [];
  for (let n = 1; n <= replicas; n += 1) {
    const api = await startProcess(
      settings,
      named('api', n),
      'src/entrypoints/api.ts',
      database.env,
      false,
      defer,
    );
    apis.push(api);
    workers.push(
      await startProcess(
        settings,
        named('worker', n),
        'src/entrypoints/worker.ts',
        database.env,
        false,
        defer,
      ),
    );
    bots.push(
      await startProcess(
        settings,
        named('bot', n),
        'src/entrypoints/bot.ts',
        { API_URL: api.url },
        true,
        defer,
      ),
    );
  }
  const [api, bot] = [apis[0], bots[0]];
  if (!api || !bot) throw new Error('replicas must be 1 or more');
  return started(api, bot, [...apis, ...bots, ...workers]);
}

/**
 * One more service process beside a running deployment, e.g. a second bot replica (the fault
 * suite's rate-limit scenario): `settings` as the deployment was started with.
 */
export { startProcess as startServiceProcess };
