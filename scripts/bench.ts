import { randomBytes } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type SlackStandIn, startSlackStandIn } from '../src/slack-emulator/index.ts';
import { runExhaustion } from './bench/exhaustion.ts';
import { runFanOut, SENDER_BATCH_SIZE, SENDER_CONCURRENCY } from './bench/fan-out.ts';
import { positiveInteger, readBenchFlags } from './bench/flags.ts';
import {
  apiCaller,
  cleanupsOnExit,
  log,
  seedClickers,
  seedReader,
  signedActionItemsRead,
  startBaselineServer,
  steadyRuns,
} from './bench/harness.ts';
import { renderTable } from './bench/report.ts';
import {
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
import {
  API_RATE,
  CLICKERS,
  FAN_OUT_DEADLINE_MS,
  type Results,
  rows,
  SEEDED_ITEMS,
  SLACK_LATENCY_MS,
  SLACK_RATE,
} from './bench/whole-results.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const {
  flags,
  serviceEnv,
  deployment: DEPLOYMENT,
  runSeconds: RUN_SECONDS,
  fanOut: FAN_OUT,
  replicas,
  statusesKnown,
} = readBenchFlags();
// The planner section needs no service process: it runs the planners here (scripts/bench/planner.ts).
if (flags.only === 'planner') {
  const { plannerBenchMain } = await import('./bench/planner.ts');
  await plannerBenchMain(flags['planner-scale']);
  process.exit(0);
}
// So does the analytics section: it writes its own year of data and starts its own api.
if (flags.only === 'analytics') {
  const { analyticsBenchMain } = await import('./bench/analytics.ts');
  await analyticsBenchMain(flags, RUN_SECONDS);
  process.exit(0);
}
/** Keep-alive connections of every steady-rate run and its baseline (scripts/bench/load.ts). */
const CONNECTIONS = 10;
/** The whole bench stops, cleaning up, after this long whatever happens. */
const HARD_LIMIT_MS = 25 * 60_000;
const SETTLE_MS = 2_000;
const WARM_UP_SECONDS = 3;

/** The rates of a single-scenario section: its flag's list, or the section's own. */
function ratesOf(flag: 'click-rates' | 'read-rates', fallback: readonly number[]) {
  const listed = flags[flag];
  return listed ? listed.split(',').map((rate) => positiveInteger(flag, rate, 0)) : fallback;
}
const sectionOptions = {
  repoRoot: REPO_ROOT,
  seconds: RUN_SECONDS,
  nodeOptions: flags['node-options'],
  env: serviceEnv,
};

if (flags.only === 'clicks') {
  const { clickBenchMain, DEFAULT_CLICK_RATES } = await import('./bench/clicks.ts');
  await clickBenchMain({ ...sectionOptions, rates: ratesOf('click-rates', DEFAULT_CLICK_RATES) });
  process.exit(0);
}

if (flags.only === 'reads') {
  const { readBenchMain, DEFAULT_READ_RATES } = await import('./bench/reads.ts');
  await readBenchMain({ ...sectionOptions, rates: ratesOf('read-rates', DEFAULT_READ_RATES) });
  process.exit(0);
}

if (flags.only === 'exhaustion') {
  const { exhaustionBenchMain } = await import('./bench/exhaustion-only.ts');
  await exhaustionBenchMain(sectionOptions);
  process.exit(0);
}

if (flags.only === 'fan-out') {
  const { fanOutBenchMain } = await import('./bench/fan-out-only.ts');
  await fanOutBenchMain({
    repoRoot: REPO_ROOT,
    deployment: DEPLOYMENT,
    replicas,
    count: FAN_OUT,
    nodeOptions: flags['node-options'],
    env: serviceEnv,
    statusesKnown,
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
// The run

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
      sources: flags.sources === true,
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
  const reader = await seedReader(api, SEEDED_ITEMS);
  // Signed-up managers for the clicks.
  const clickers = await seedClickers(api, standIn, 'U0BENCHC', CLICKERS);
  let turn = 0;
  const nextClicker = () => clickers[turn++ % clickers.length] as string;
  const slack: SlackPayloadSettings = { signingSecret, standIn };
  const readHeaders = signedActionItemsRead(serviceToken, apiSigningSecret, team, reader);
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
  const exhaustion = await runExhaustion({
    databaseUrl: deployment.databaseUrl,
    processes,
    apiUrl: apiProcess.url,
    slackUrl: slackProcess.url,
    connections: CONNECTIONS,
    slack,
    nextClicker,
    readHeaders,
    signedRead,
    cleanups,
  });

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
    statusesKnown,
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
      (flags['node-options'] ? `service node flags ${flags['node-options']}; ` : '') +
      Object.entries(serviceEnv)
        .map(([key, value]) => `${key}=${value}; `)
        .join('') +
      `${Math.round((Date.now() - started) / 1000)} s\n\n`,
  );
  process.stdout.write(`${renderTable(rows(results, FAN_OUT))}\n`);
  process.stdout.write(
    `\nRatios: measured ÷ baseline from the same run (lower is better for latencies; a second ratio, where shown, is against the second baseline named). ` +
      `Steady runs: evenly spaced requests, latency from when each was due, over ${CONNECTIONS} keep-alive connections, ${RUN_SECONDS} s. ` +
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
