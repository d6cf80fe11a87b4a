import { randomBytes } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { signRequest } from '../src/http/service-signature.ts';
import { type SlackStandIn, startSlackStandIn } from '../src/slack-emulator/index.ts';
import { type CpuUse, measureCpu } from './bench/cpu.ts';
import {
  type DirectSendResult,
  type FanOutOutcome,
  runFanOut,
  SENDER_BATCH_SIZE,
  SENDER_CONCURRENCY,
} from './bench/fan-out.ts';
import {
  apiCaller,
  cleanupsOnExit,
  cpuText,
  log,
  type Measured,
  seedClickers,
  startBaselineServer,
  steadyRuns,
} from './bench/harness.ts';
import { type LoadSummary, runLoad, summarise } from './bench/load.ts';
import { type Row, renderTable } from './bench/report.ts';
import {
  type Deployment,
  peakRssOf,
  type RunningDeployment,
  rssOf,
  type ServiceMemory,
  startDeployment,
} from './bench/service.ts';
import {
  homeButtonClick,
  type SlackPayloadSettings,
  slashCommand,
} from './bench/slack-payloads.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const SLACK_LATENCY_MS = 20;
const SLACK_RATE = 200;
const API_RATE = 500;
const USAGE = `Usage: npm run bench [-- --deployment all-in-one|split] [--seconds 15] [--fan-out 10000] [--node-options="…"] [--env K=V …]

  --deployment     all-in-one: one process, node src/main.ts (the default); split: the api, bot
                   and worker services, each a process of its own, as deployed
  --seconds        length of each steady run (default 15)
  --fan-out        deliveries due in the same minute (default 10000)
  --node-options   NODE_OPTIONS for each service process, written with "=" because the value
                   starts with a dash: --node-options="--max-old-space-size=256"
  --env            a setting for each service process, e.g. --env DB_POOL_MAX=20 (repeatable)
  --compiled       run the compiled services (npm run build first: dist/main.js, dist/entrypoints/)
                   instead of the TypeScript sources
  --only planner   only the planner section (scripts/bench/planner.ts): planning ticks at 10k,
                   100k and 1M subscriptions, and a Monday digest tick
  --planner-scale  shrinks the planner section's sizes, e.g. 0.01 for a quick check
  --only analytics only the analytics section (scripts/bench/analytics.ts): 100,000 managers × a
                   year, the refresh timed, then every analytics endpoint read for --seconds
  --analytics-scale  shrinks the analytics section's managers, e.g. 0.01 for a quick check
  --analytics-database  reads data written earlier by scripts/bench/analytics-data.ts there,
                   instead of writing a year of it (a quarter of an hour at full size)
  --only clicks    only Home-tab clicks (scripts/bench/clicks.ts), all-in-one, at each rate of
                   --click-rates (default 200,500,1000), each beside bare Fastify at that rate
  --only fan-out   only the fan-out of --fan-out deliveries (scripts/bench/fan-out-only.ts), on a
                   fresh service with nothing run before it: about two minutes`;
function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(1);
}
function parseFlags() {
  try {
    return parseArgs({
      options: {
        deployment: { type: 'string' },
        seconds: { type: 'string' },
        'fan-out': { type: 'string' },
        'node-options': { type: 'string' },
        env: { type: 'string', multiple: true },
        compiled: { type: 'boolean' },
        only: { type: 'string' },
        'planner-scale': { type: 'string' },
        'analytics-scale': { type: 'string' },
        'analytics-database': { type: 'string' },
        'click-rates': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    usageError((error as Error).message);
  }
}
const flags = parseFlags();
if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
// The planner section needs no service process: it runs the planners here (scripts/bench/planner.ts).
if (flags.only === 'planner') {
  const { plannerBenchMain } = await import('./bench/planner.ts');
  await plannerBenchMain(flags['planner-scale']);
  process.exit(0);
}
// So does the analytics section: it writes its own year of data and starts its own api.
if (flags.only === 'analytics') {
  const { analyticsBenchMain } = await import('./bench/analytics.ts');
  await analyticsBenchMain(
    flags['analytics-scale'],
    flags.seconds ? Number(flags.seconds) : 15,
    flags['analytics-database'],
  );
  process.exit(0);
}
if (flags.only !== undefined && flags.only !== 'clicks' && flags.only !== 'fan-out') {
  usageError(`--only takes planner, analytics, clicks or fan-out, got "${flags.only}"`);
}
function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    usageError(`--${name} must be a whole number above 0`);
  return parsed;
}
/** Settings for the service, overriding the bench's own (src/config.ts checks them). */
const serviceEnv: Record<string, string> = {};
for (const setting of flags.env ?? []) {
  const [key = '', ...value] = setting.split('=');
  if (!/^[A-Z][A-Z0-9_]*$/.test(key) || value.length === 0) {
    usageError(`--env takes KEY=VALUE, got "${setting}"`);
  }
  serviceEnv[key] = value.join('=');
}
function deploymentFlag(value = 'all-in-one'): Deployment {
  if (value === 'all-in-one' || value === 'split') return value;
  usageError(`--deployment takes all-in-one or split, got "${value}"`);
}
const DEPLOYMENT = deploymentFlag(flags.deployment);
const RUN_SECONDS = positiveInteger('seconds', flags.seconds, 15);
/** autocannon's default; the same for every steady-rate run and its baseline. */
const CONNECTIONS = 10;
/** Enough blocked connections to keep requests arriving while each waits seconds. */
const EXHAUSTION_API_CONNECTIONS = 100;
const EXHAUSTION_LOCK_SECONDS = 10;
const EXHAUSTION_TAIL_SECONDS = 5;
const FAN_OUT = positiveInteger('fan-out', flags['fan-out'], 10_000);
/** How long after the due time the fan-out may take before unsent rows count as lost. */
const FAN_OUT_DEADLINE_MS = 5 * 60_000;
const SEEDED_ITEMS = 20;
const CLICKERS = 50;
/** The whole bench stops, cleaning up, after this long whatever happens. */
const HARD_LIMIT_MS = 25 * 60_000;
const SETTLE_MS = 2_000;
const WARM_UP_SECONDS = 3;

if (flags.only === 'clicks') {
  const { clickBenchMain, DEFAULT_CLICK_RATES } = await import('./bench/clicks.ts');
  const rates = flags['click-rates']
    ? flags['click-rates'].split(',').map((rate) => positiveInteger('click-rates', rate, 0))
    : DEFAULT_CLICK_RATES;
  await clickBenchMain({
    repoRoot: REPO_ROOT,
    seconds: RUN_SECONDS,
    rates,
    nodeOptions: flags['node-options'],
    env: serviceEnv,
  });
  process.exit(0);
}

if (flags.only === 'fan-out') {
  const { fanOutBenchMain } = await import('./bench/fan-out-only.ts');
  await fanOutBenchMain({
    repoRoot: REPO_ROOT,
    deployment: DEPLOYMENT,
    count: FAN_OUT,
    nodeOptions: flags['node-options'],
    env: serviceEnv,
  });
  process.exit(0);
}

const { steps: cleanups, cleanUp } = cleanupsOnExit(HARD_LIMIT_MS);
const { settle, steady, idleWaits } = steadyRuns({
  runSeconds: RUN_SECONDS,
  warmUpSeconds: WARM_UP_SECONDS,
  connections: CONNECTIONS,
  settleMs: SETTLE_MS,
});

// ---------------------------------------------------------------------------------------------
// Helpers

/** Polls a read every 100 ms from `from` until one answers 200; ms from `from` to that answer. */
async function firstSuccessAfter(request: () => Promise<number>, from: number, limitMs: number) {
  while (performance.now() - from < limitMs) {
    const status = await request().catch(() => 0);
    if (status === 200) return performance.now() - from;
    await delay(100);
  }
  return Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// The run

interface Results {
  baseline: Record<'bare200' | 'bare500' | 'select200' | 'select500', Measured>;
  slash: Measured;
  click: Measured;
  reads: Measured;
  exhaustion: {
    api: LoadSummary;
    api503: LoadSummary;
    slack: LoadSummary;
    withinTwoSeconds: number;
    recoveryMs: number;
    lastFailureAfterReleaseMs: number;
    failuresSentAfterRelease: number;
    cpu: CpuUse;
  };
  fanOut: FanOutOutcome & {
    duplicates: number;
    channelsPosted: number;
    baseline: DirectSendResult;
    cpu: CpuUse;
  };
  rss: {
    /** Each service process: its peak, and the highest VmRSS sampled and its heap in each phase. */
    services: Array<{
      name: string;
      command: string;
      peak: number;
      byPhase: Map<string, number>;
      heapByPhase: Map<string, ServiceMemory>;
    }>;
    bench: number;
    baseline: number;
  };
}

async function run(): Promise<{ results: Results; deployment: RunningDeployment }> {
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const serviceToken = randomBytes(32).toString('base64url');
  const apiSigningSecret = randomBytes(32).toString('base64url');

  const standIn: SlackStandIn = await startSlackStandIn({ latencyMs: SLACK_LATENCY_MS });
  cleanups.push({ name: 'Slack stand-in', run: () => standIn.close() });
  const slackLatency = () => standIn.setLatency('*', SLACK_LATENCY_MS);
  slackLatency();
  // The stand-in keeps every call; forget them between scenarios so the bench's memory stays flat.
  const resetStandIn = () => {
    standIn.reset();
    slackLatency();
  };
  const team = standIn.identity.teamId;

  log(`starting the service (${DEPLOYMENT})…`);
  const deployment = await startDeployment(
    DEPLOYMENT,
    {
      repoRoot: REPO_ROOT,
      slackApiUrl: standIn.url,
      slackBotToken: botToken,
      slackSigningSecret: signingSecret,
      apiServiceToken: serviceToken,
      apiSigningSecret,
      nodeOptions: flags['node-options'],
      compiled: flags.compiled === true,
      env: serviceEnv,
    },
    (name, run) => cleanups.push({ name, run }),
  );
  const { api: apiProcess, slack: slackProcess, processes } = deployment;
  for (const p of processes) log(`${p.name}: ${p.command}, pid ${p.pid} at ${p.url}`);
  log(deployment.databaseDescription);
  // Which scenario drives each process's memory: the highest VmRSS sampled in each phase.
  let phase = 'seeding';
  const samples = processes.map((service) => ({
    service,
    byPhase: new Map<string, number>(),
    heapByPhase: new Map<string, ServiceMemory>(),
  }));
  /** Ends the current phase with each process's own memory figures, and starts the next. */
  const enterPhase = async (next: string) => {
    for (const s of samples) s.heapByPhase.set(phase, await s.service.memory());
    phase = next;
  };
  const sampleRss = setInterval(() => {
    const current = phase;
    for (const { service, byPhase } of samples) {
      void rssOf(service.pid).then((bytes) =>
        byPhase.set(current, Math.max(byPhase.get(current) ?? 0, bytes)),
      );
    }
  }, 250);
  cleanups.push({ name: 'RSS sampler', run: async () => clearInterval(sampleRss) });

  const db = new pg.Client({ connectionString: deployment.databaseUrl, application_name: 'bench' });
  await db.connect();
  cleanups.push({ name: 'bench database client', run: () => db.end() });

  // Seed through the API: the first call creates the workspace with the shipped catalogue.
  const api = apiCaller(apiProcess.url, serviceToken, apiSigningSecret, team);
  const reader = 'U0BENCHREADER';
  await api('PUT', '/me', reader, { timeZone: 'UTC', locale: 'en-US' });
  for (let i = 1; i <= SEEDED_ITEMS; i++) {
    await api('POST', '/action-items', reader, { text: `Benchmark action ${i}`, source: 'api' });
  }
  // Signed-up managers for the clicks.
  const clickers = await seedClickers(api, standIn, 'U0BENCHC', CLICKERS);
  let turn = 0;
  const nextClicker = () => clickers[turn++ % clickers.length] as string;
  const slack: SlackPayloadSettings = { signingSecret, standIn };
  // Signed afresh for each request, as the bot signs its calls.
  const readHeaders = () => ({
    authorization: `Bearer ${serviceToken}`,
    'x-slack-team-id': team,
    'x-slack-user-id': reader,
    ...signRequest(
      apiSigningSecret,
      {
        method: 'GET',
        pathAndQuery: '/api/v1/action-items',
        slackTeamId: team,
        slackUserId: reader,
      },
      new Date(),
    ),
  });
  const signedRead = () => ({ headers: readHeaders(), body: '' });

  // 0. Baselines.
  await enterPhase('baselines (service idle)');
  const baselineServer = await startBaselineServer(REPO_ROOT, deployment.databaseUrl);
  cleanups.push({ name: 'baseline server', run: () => baselineServer.stop() });
  const at = (rate: number, route: string) =>
    steady(`baseline ${route}`, [{ name: 'baseline', pid: baselineServer.pid }], {
      url: baselineServer.url,
      path: route,
      rate,
    });
  const baseline = {
    bare200: await at(SLACK_RATE, '/bare'),
    bare500: await at(API_RATE, '/bare'),
    select200: await at(SLACK_RATE, '/select-1'),
    select500: await at(API_RATE, '/select-1'),
  };
  const baselineRss = await peakRssOf(baselineServer.pid);
  await baselineServer.stop();

  // 1. Slack.
  resetStandIn();
  await enterPhase('1a slash');
  const slash = await steady(
    'slash command /blindspot help',
    processes,
    {
      url: slackProcess.url,
      method: 'POST',
      path: '/slack/events',
      rate: SLACK_RATE,
      prepare: () => slashCommand(slack, nextClicker(), 'help'),
    },
    apiProcess,
  );
  resetStandIn();
  await enterPhase('1b click');
  const click = await steady(
    'block_actions home_resume',
    processes,
    {
      url: slackProcess.url,
      method: 'POST',
      path: '/slack/events',
      rate: SLACK_RATE,
      prepare: () => homeButtonClick(slack, nextClicker(), 'home_resume'),
    },
    apiProcess,
  );

  // 2. API reads.
  resetStandIn();
  await enterPhase('2 reads');
  const reads = await steady(
    'GET /api/v1/action-items',
    processes,
    {
      url: apiProcess.url,
      path: '/api/v1/action-items',
      prepare: signedRead,
      rate: API_RATE,
    },
    apiProcess,
  );

  // 3. Pool exhaustion.
  resetStandIn();
  await enterPhase('3 exhaustion');
  await settle();
  log(
    `pool exhaustion: action_items locked for ${EXHAUSTION_LOCK_SECONDS} s under API reads and /blindspot actions`,
  );
  const locker = new pg.Client({
    connectionString: deployment.databaseUrl,
    application_name: 'bench-locker',
  });
  await locker.connect();
  cleanups.push({ name: 'lock holder', run: () => locker.end() });
  await locker.query("SET lock_timeout = '5s'");
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE action_items IN ACCESS EXCLUSIVE MODE');
  const lockedAt = performance.now();
  const exhaustionCpu = await measureCpu(processes);
  const loadSeconds = EXHAUSTION_LOCK_SECONDS + EXHAUSTION_TAIL_SECONDS;
  const apiLoad = runLoad({
    url: apiProcess.url,
    path: '/api/v1/action-items',
    prepare: signedRead,
    rate: API_RATE,
    durationSeconds: loadSeconds,
    connections: EXHAUSTION_API_CONNECTIONS,
  });
  const slackLoad = runLoad({
    url: slackProcess.url,
    method: 'POST',
    path: '/slack/events',
    rate: SLACK_RATE,
    durationSeconds: loadSeconds,
    connections: CONNECTIONS,
    prepare: () => slashCommand(slack, nextClicker(), 'actions'),
  });
  await delay(EXHAUSTION_LOCK_SECONDS * 1000);
  await locker.query('COMMIT');
  const releasedAt = performance.now();
  const recoveryMs = await firstSuccessAfter(
    async () => {
      const response = await fetch(`${apiProcess.url}/api/v1/action-items`, {
        headers: readHeaders(),
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    },
    releasedAt,
    30_000,
  );
  const [apiResult, slackResult] = await Promise.all([apiLoad, slackLoad]);
  const exhaustionCpuUse = await exhaustionCpu();
  const sentWhileLocked = (r: { at: number; latencyMs: number }) =>
    r.at - r.latencyMs >= lockedAt && r.at - r.latencyMs < releasedAt;
  const failedAfterRelease = apiResult.responses.filter(
    (r) => r.status !== 200 && r.at - r.latencyMs >= releasedAt,
  );
  const lastFailure = apiResult.responses
    .filter((r) => r.status !== 200)
    .reduce((latest, r) => Math.max(latest, r.at), releasedAt);
  const exhaustion = {
    api: summarise(apiResult, sentWhileLocked),
    api503: summarise(apiResult, (r) => sentWhileLocked(r) && r.status === 503),
    slack: summarise(slackResult, sentWhileLocked),
    // The pool's own wait is exactly 2,000 ms; allow the few ms it takes to write the answer.
    withinTwoSeconds: apiResult.responses.filter((r) => sentWhileLocked(r) && r.latencyMs <= 2_100)
      .length,
    recoveryMs,
    lastFailureAfterReleaseMs: lastFailure - releasedAt,
    failuresSentAfterRelease: failedAfterRelease.length,
    cpu: exhaustionCpuUse,
  };
  log(
    `  API while locked: ${[...exhaustion.api.statuses].map(([s, n]) => `${n}×${s}`).join(', ')}; recovery ${recoveryMs.toFixed(0)} ms`,
  );

  // 4. Fan-out.
  resetStandIn();
  await enterPhase('4 fan-out');
  await settle();
  const fanOut = await runFanOut({
    db,
    standIn,
    slackTeamId: team,
    count: FAN_OUT,
    processes,
    slackLatencyMs: SLACK_LATENCY_MS,
    deadlineMs: FAN_OUT_DEADLINE_MS,
    resetStandIn,
  });

  // 5. Memory.
  await enterPhase('end');
  const rss = {
    services: await Promise.all(
      samples.map(async ({ service, byPhase, heapByPhase }) => ({
        name: service.name,
        command: service.command,
        peak: await service.peakRssBytes(),
        byPhase,
        heapByPhase,
      })),
    ),
    bench: await peakRssOf('self'),
    baseline: baselineRss,
  };
  return {
    deployment,
    results: {
      baseline,
      slash,
      click,
      reads,
      exhaustion,
      fanOut: {
        ...fanOut.outcome,
        duplicates: fanOut.duplicates,
        channelsPosted: fanOut.channelsPosted,
        baseline: fanOut.baseline,
        cpu: fanOut.cpu,
      },
      rss,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The table

function rows(r: Results): Row[] {
  const b = r.baseline;
  const out: Row[] = [];
  const steadyRows = (
    scenario: string,
    s: Measured,
    base: Measured,
    baseName: string,
    p99Target?: { ms: number; label: string },
    second?: { summary: LoadSummary; name: string },
  ) => {
    out.push(
      {
        scenario,
        figure: 'throughput',
        value: s.throughput,
        unit: 'req/s',
        baseline: base.throughput,
        baselineName: baseName,
      },
      { figure: 'p50', value: s.p50, unit: 'ms', baseline: base.p50, baselineName: baseName },
      { figure: 'p95', value: s.p95, unit: 'ms', baseline: base.p95, baselineName: baseName },
      {
        figure: 'p99',
        value: s.p99,
        unit: 'ms',
        baseline: base.p99,
        baselineName: baseName,
        ...(second && { second: { value: second.summary.p99, name: second.name } }),
        ...(p99Target && { target: p99Target.label, met: s.p99 < p99Target.ms }),
      },
      {
        figure: 'non-2xx / no answer',
        value: s.non2xx,
        unit: 'count',
        extra: s.unanswered,
        baseline: base.non2xx + base.unanswered,
        baselineName: baseName,
        target: '0',
        met: s.non2xx + s.unanswered === 0,
      },
      {
        figure: 'CPU: server process (whole machine)',
        value: s.cpu.process,
        unit: 'cores',
        text: cpuText(s.cpu),
        baseline: base.cpu.process,
        baselineName: baseName,
      },
    );
    if (s.db && s.db.queries > 0) {
      const perRequest = s.db.queries / s.answered;
      out.push({
        figure: 'DB: queries per request; mean query; mean wait for a connection',
        value: s.db.meanQueryMs,
        unit: 'ms',
        text: `${perRequest.toFixed(1)}; ${s.db.meanQueryMs.toFixed(2)} ms; ${s.db.meanPoolWaitMs.toFixed(2)} ms`,
      });
    }
  };
  steadyRows('Baseline: bare Fastify, 200 req/s', b.bare200, b.bare200, 'itself');
  steadyRows('Baseline: bare Fastify, 500 req/s', b.bare500, b.bare500, 'itself');
  steadyRows('Baseline: `SELECT 1` via the pool, 200 req/s', b.select200, b.bare200, 'bare 200');
  steadyRows('Baseline: `SELECT 1` via the pool, 500 req/s', b.select500, b.bare500, 'bare 500');
  steadyRows(
    '1a. Slash command `/blindspot help`, 200 req/s, ack',
    r.slash,
    b.bare200,
    'bare 200',
    { ms: 50, label: 'p99 < 50 ms' },
  );
  steadyRows('1b. Home tab click `home_resume`, 200 req/s, ack', r.click, b.bare200, 'bare 200', {
    ms: 50,
    label: 'p99 < 50 ms',
  });
  steadyRows(
    '2. `GET /api/v1/action-items` (20 items), 500 req/s',
    r.reads,
    b.select500,
    'SELECT 1 500',
    { ms: 20, label: 'p99 < 20 ms' },
    { summary: b.bare500, name: 'bare 500' },
  );

  const e = r.exhaustion;
  const statusMix = [...e.api.statuses]
    .sort(([a], [c]) => a - c)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
  out.push(
    {
      scenario: `3. Pool exhaustion: \`action_items\` locked ${EXHAUSTION_LOCK_SECONDS} s; API reads (${EXHAUSTION_API_CONNECTIONS} connections, ≤ ${API_RATE} req/s) + \`/blindspot actions\` (${SLACK_RATE} req/s)`,
      figure: 'API answers while locked',
      text: `${statusMix || 'none'}; ${e.api.unanswered} unanswered`,
    },
    {
      figure: 'API p50 while locked',
      value: e.api.p50,
      unit: 'ms',
      baseline: b.select500.p50,
      baselineName: 'SELECT 1 500',
    },
    {
      figure: 'API p99 while locked',
      value: e.api.p99,
      unit: 'ms',
      baseline: b.select500.p99,
      baselineName: 'SELECT 1 500',
    },
    {
      figure: '503 latency p50 / p99 / max',
      value: e.api503.p99,
      unit: 'ms',
      text:
        e.api503.answered > 0
          ? `${fmt(e.api503.p50)} / ${fmt(e.api503.p99)} / ${fmt(e.api503.max)} ms`
          : 'no 503s',
      baseline: b.select500.p99,
      baselineName: 'SELECT 1 500 (p99)',
    },
    {
      figure: 'reads answered within 2 s (any status)',
      value: e.withinTwoSeconds,
      unit: 'count',
      text: `${e.withinTwoSeconds.toLocaleString('en-US')} of ${e.api.answered.toLocaleString('en-US')} (slowest ${fmt(e.api.max)} ms)`,
      target: 'all: 503 within 2 s',
      met: e.api.answered > 0 && e.withinTwoSeconds === e.api.answered && e.api.unanswered === 0,
    },
    {
      figure: 'CPU: service (whole machine)',
      value: e.cpu.process,
      unit: 'cores',
      text: cpuText(e.cpu),
    },
    {
      figure: 'Slack ack p99 while locked',
      value: e.slack.p99,
      unit: 'ms',
      baseline: b.bare200.p99,
      baselineName: 'bare 200',
      target: 'p99 < 100 ms',
      met: e.slack.p99 < 100 && e.slack.non2xx + e.slack.unanswered === 0,
    },
    {
      figure: 'Slack acks non-2xx / no answer',
      value: e.slack.non2xx,
      unit: 'count',
      extra: e.slack.unanswered,
      target: '0',
      met: e.slack.non2xx + e.slack.unanswered === 0,
    },
    {
      figure: 'release → first 200 to a new read',
      value: e.recoveryMs,
      unit: 'ms',
      target: '< 10 s',
      met: e.recoveryMs < 10_000,
    },
    {
      figure: 'release → last failed read answered',
      value: e.lastFailureAfterReleaseMs,
      unit: 'ms',
      text:
        e.lastFailureAfterReleaseMs > 0
          ? `${fmt(e.lastFailureAfterReleaseMs)} ms (${e.failuresSentAfterRelease} reads sent after release failed)`
          : 'none answered after release',
      target: '< 10 s',
      met: e.lastFailureAfterReleaseMs < 10_000,
    },
  );

  const f = r.fanOut;
  const fb = f.baseline;
  const lost = FAN_OUT - f.sent;
  out.push(
    {
      scenario: `4. Fan-out: ${FAN_OUT.toLocaleString('en-US')} deliveries due in the same minute, Slack at ${SLACK_LATENCY_MS} ms`,
      figure: 'deliveries/s (due → last sent)',
      value: f.perSecond,
      unit: '/s',
      baseline: fb.perSecond,
      baselineName: `direct postMessage ×${SENDER_CONCURRENCY}`,
    },
    {
      figure: 'lateness p50 (sent_at − due_at)',
      value: f.latenessP50Seconds * 1000,
      unit: 'ms',
      baseline: fb.p50Ms,
      baselineName: `direct postMessage ×${SENDER_CONCURRENCY}`,
    },
    {
      figure: 'lateness p99',
      value: f.latenessP99Seconds * 1000,
      unit: 'ms',
      baseline: fb.p99Ms,
      baselineName: `direct postMessage ×${SENDER_CONCURRENCY}`,
      target: 'p99 < 5 s',
      met: f.sent > 0 && f.latenessP99Seconds < 5,
    },
    {
      figure: 'CPU while sending: service (whole machine)',
      value: f.cpu.process,
      unit: 'cores',
      text: cpuText(f.cpu),
    },
    {
      figure: 'planner done, after its tick',
      value: f.plannedWithinSeconds * 1000,
      unit: 'ms',
    },
    {
      figure: 'sent',
      value: f.sent,
      unit: 'count',
      text: `${f.sent.toLocaleString('en-US')} of ${FAN_OUT.toLocaleString('en-US')}`,
      target: 'all',
      met: f.sent === FAN_OUT,
    },
    {
      figure: 'duplicates',
      value: f.duplicates,
      unit: 'count',
      target: '0',
      met: f.duplicates === 0,
    },
    {
      figure: `lost (not sent ${FAN_OUT_DEADLINE_MS / 60_000} min after due)`,
      value: lost,
      unit: 'count',
      text: `${lost}${lost > 0 ? ` (${[...f.statuses].map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`,
      target: '0',
      met: lost === 0,
    },
  );

  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  for (const [i, service] of r.rss.services.entries()) {
    out.push(
      {
        ...(i === 0 && { scenario: '5. Peak RSS (VmHWM)' }),
        figure: `${service.name} child (\`${service.command}\`)`,
        value: service.peak / 2 ** 20,
        unit: 'MB',
        baseline: r.rss.baseline / 2 ** 20,
        baselineName: 'baseline child',
        target: '< 200 MB',
        met: service.peak < 200 * 2 ** 20,
      },
      {
        figure: `${service.name}: highest VmRSS sampled per phase (V8 heap total at its end)`,
        text: `${[...service.byPhase]
          .map(([name, bytes]) => {
            const heap = service.heapByPhase.get(name)?.heapTotal;
            return `${name} ${mb(bytes)}${heap ? ` (${mb(heap)})` : ''}`;
          })
          .join(', ')} MB`,
      },
    );
  }
  out.push({
    figure: 'bench process (load generator, stand-in)',
    value: r.rss.bench / 2 ** 20,
    unit: 'MB',
    baseline: r.rss.baseline / 2 ** 20,
    baselineName: 'baseline child',
    // The load generator holds the stand-in's record of every message; it is not deployed.
    target: 'n/a: not deployed',
  });
  return out;
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return Math.abs(ms) < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const [major] = process.versions.node.split('.').map(Number);
  if ((major ?? 0) < 24) {
    throw new Error(
      `Node ${process.versions.node}: run with npm run bench (the project's Node 24)`,
    );
  }
  const started = Date.now();
  let outcome: Awaited<ReturnType<typeof run>> | undefined;
  try {
    outcome = await run();
  } finally {
    const serviceStarted = cleanups.some((step) => step.name.startsWith('node '));
    await cleanUp();
    if (serviceStarted) log('service stopped, database removed');
  }
  const { results, deployment } = outcome;
  const machine = `${availableParallelism()} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.versions.node}`;
  const split = deployment.processes.length > 1;
  process.stdout.write(
    `\nBlindspot benchmark, ${new Date(started).toISOString()}: ${machine}; ` +
      `${split ? `split deployment (${deployment.processes.map((p) => p.name).join(', ')}, each a process)` : 'all-in-one'}; ` +
      `${deployment.databaseDescription}; ` +
      (flags['node-options'] ? `service NODE_OPTIONS=${flags['node-options']}; ` : '') +
      Object.entries(serviceEnv)
        .map(([key, value]) => `${key}=${value}; `)
        .join('') +
      `${Math.round((Date.now() - started) / 1000)} s\n\n`,
  );
  process.stdout.write(`${renderTable(rows(results))}\n`);
  process.stdout.write(
    `\nRatios: measured ÷ baseline from the same run (lower is better for latencies; a second ratio, where shown, is against the second baseline named). ` +
      `Steady runs: autocannon, ${CONNECTIONS} connections, ${RUN_SECONDS} s. ` +
      `Sender defaults: ${SENDER_CONCURRENCY} in flight, claims of ${SENDER_BATCH_SIZE}. ` +
      `Before each scenario the bench waited for the machine to go quiet: ${(idleWaits.reduce((a, c) => a + c, 0) / 1000).toFixed(0)} s in all, at most ${(Math.max(0, ...idleWaits) / 1000).toFixed(0)} s.\n`,
  );
  for (const service of deployment.processes) {
    const logs = service.logSummary();
    process.stdout.write(
      `${split ? `${service.name} log` : 'Service log'} at warn: ${logs.warn} warnings, ${logs.error} errors${
        logs.messages.size > 0
          ? `: ${[...logs.messages]
              .sort((a, c) => c[1] - a[1])
              // Every kind, however rare: a single error can be the one that explains a figure.
              .map(([message, n]) => `${n} × ${message}`)
              .join('; ')}`
          : ''
      }\n`,
    );
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  log(`failed: ${(error as Error).stack ?? String(error)}`);
  await cleanUp();
  process.exit(1);
}
