/**
 * One child `node <script>` of the bench (scripts/bench/service.ts starts the services with it):
 * the settings every service process gets, its warnings and errors counted, its stop handed to
 * the caller's `defer`. Every service runs compiled, built first: the all-in-one process what
 * `npm start` runs (dist/main.js), the others dist/entrypoints/*.js as the container image does;
 * with `sources`, those others run the TypeScript sources instead.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** initdb plus migrations plus the catalogue on a slow disk stay well under this. */
export const START_TIMEOUT_MS = 120_000;
/** SHUTDOWN_TIMEOUT_MS (10 s) per step, a few steps; past this the child is killed. */
const STOP_TIMEOUT_MS = 45_000;
/** Lines of the child's output kept for the report and for a failed start. */
const KEPT_LINES = 40;

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
  /**
   * Node flags for every service process, for experiments such as a smaller heap: given on its
   * command line, as `npm start` gives its own, since NODE_OPTIONS refuses some V8 flags
   * (`--optimize-for-size`).
   */
  nodeOptions?: string;
  /**
   * Run the split services' TypeScript sources (src/entrypoints/*.ts) instead of their build,
   * which the container image runs (docs/decisions/0018): to compare the two.
   */
  sources?: boolean;
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

export interface LogSummary {
  warn: number;
  error: number;
  messages: Map<string, number>;
  last: string[];
}

/**
 * The V8 heap flags in a `node …` command line, e.g. package.json's `start` script:
 * `--max-semi-space-size=4` and the like, in order.
 */
export function heapFlagsOf(command: string): string[] {
  return command.split(/\s+/).filter((word) => /^--max-[a-z-]+-size=\d+$/.test(word));
}

/** The script a `node …` command line runs: its last word, e.g. `dist/main.js`. */
export function scriptOf(command: string): string {
  return command.trim().split(/\s+/).at(-1) ?? '';
}

function startCommand(repoRoot: string): string {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  return manifest.scripts?.start ?? '';
}

/**
 * The heap flags `npm start` runs the all-in-one process with (docs/decisions/0014), so that
 * the bench measures what `npm start` runs. They go first on the command line: a flag from the
 * bench's --node-options comes later and wins.
 */
function allInOneHeapFlags(repoRoot: string): string[] {
  return heapFlagsOf(startCommand(repoRoot));
}

/** src/main.ts -> dist/main.js: where `npm run build` (tsconfig.build.json) puts a source. */
export function compiledScript(script: string): string {
  return script.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
}

let built = false;
/** `npm run build` (incremental: seconds when nothing changed), once per bench run. */
function buildOnce(repoRoot: string): void {
  if (built) return;
  const result = spawnSync(
    path.join(repoRoot, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(`tsc -p tsconfig.build.json failed:\n${result.stdout}${result.stderr}`);
  }
  built = true;
}

/**
 * The file a service's node runs: for the all-in-one process (src/main.ts) what `npm start`
 * runs; for the others their build, or with `sources` the source. A build is brought up to
 * date first.
 */
export function entryOf(settings: ServiceSettings, script: string): string {
  const entry =
    script === 'src/main.ts'
      ? scriptOf(startCommand(settings.repoRoot))
      : settings.sources
        ? script
        : compiledScript(script);
  if (entry.startsWith('dist/')) buildOnce(settings.repoRoot);
  return entry;
}

function nodeFlags(settings: ServiceSettings, script: string): string[] {
  return [
    ...(script === 'src/main.ts' ? allInOneHeapFlags(settings.repoRoot) : []),
    ...(settings.nodeOptions?.split(/\s+/).filter((flag) => flag !== '') ?? []),
  ];
}

/**
 * A child `node <script>`, its output counted (into `summary`, which a restarted process
 * shares with the one before), its stop deferred. `overrides` come last, over the settings' env.
 */
export function spawnNode(
  settings: ServiceSettings,
  script: string,
  env: Record<string, string>,
  defer: Defer,
  summary: LogSummary = { warn: 0, error: 0, messages: new Map(), last: [] },
  overrides: Record<string, string> = {},
) {
  const child: ChildProcess = spawn(
    path.join(settings.repoRoot, 'node_modules', '.bin', 'node'),
    [...nodeFlags(settings, script), entryOf(settings, script)],
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
export async function runToExit(
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

/** A child as spawnNode hands it back. */
export type NodeChild = ReturnType<typeof spawnNode>;
