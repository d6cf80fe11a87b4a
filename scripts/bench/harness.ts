/**
 * What the bench's sections share: calling the API as the bot does, the same-run baseline
 * server, steady-rate runs measured with the processes' CPU and the service's database use,
 * and the clean-up that runs however the bench ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { signRequest } from '../../src/http/service-signature.ts';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import { type CpuUse, measureCpu, waitUntilIdle } from './cpu.ts';
import { type LoadOptions, type LoadSummary, runLoad, summarise } from './load.ts';
import { histogramTotals, type ServiceProcess } from './service.ts';

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Things to undo, newest first, on success, failure, a signal or the hard limit. */
export function cleanupsOnExit(hardLimitMs: number) {
  const steps: Array<{ name: string; run: () => Promise<unknown> }> = [];
  let cleaning: Promise<void> | undefined;
  function cleanUp(): Promise<void> {
    cleaning ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          log(`cleanup "${step.name}" failed: ${(error as Error).message}`);
        }
      }
    })();
    return cleaning;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  const hardLimit = setTimeout(() => {
    log(`still running after ${hardLimitMs / 60_000} minutes: giving up`);
    void cleanUp().finally(() => process.exit(2));
  }, hardLimitMs);
  hardLimit.unref();
  return { steps, cleanUp };
}

/**
 * The headers of a `GET /api/v1/action-items` as the bot sends it, signed afresh on each call
 * (a signature is good for five minutes).
 */
export function signedActionItemsRead(
  serviceToken: string,
  signingSecret: string,
  slackTeamId: string,
  slackUserId: string,
): () => Record<string, string> {
  return () => ({
    authorization: `Bearer ${serviceToken}`,
    'x-slack-team-id': slackTeamId,
    'x-slack-user-id': slackUserId,
    ...signRequest(
      signingSecret,
      { method: 'GET', pathAndQuery: '/api/v1/action-items', slackTeamId, slackUserId },
      new Date(),
    ),
  });
}

/** The reader the bench seeds its action items for, through the API. */
export async function seedReader(
  api: ReturnType<typeof apiCaller>,
  items: number,
): Promise<string> {
  const reader = 'U0BENCHREADER';
  await api('PUT', '/me', reader, { timeZone: 'UTC', locale: 'en-US' });
  for (let i = 1; i <= items; i++) {
    await api('POST', '/action-items', reader, { text: `Benchmark action ${i}`, source: 'api' });
  }
  return reader;
}

/** Calls the API as the bot does: the service token, signed, on behalf of one Slack user. */
export function apiCaller(
  apiUrl: string,
  serviceToken: string,
  signingSecret: string,
  slackTeamId: string,
) {
  return async (method: string, route: string, slackUserId: string, body?: unknown) => {
    const sent = body === undefined ? undefined : JSON.stringify(body);
    const signed = {
      method,
      pathAndQuery: `/api/v1${route}`,
      slackTeamId,
      slackUserId,
      body: sent,
    };
    const response = await fetch(`${apiUrl}/api/v1${route}`, {
      method,
      headers: {
        authorization: `Bearer ${serviceToken}`,
        'x-slack-team-id': slackTeamId,
        'x-slack-user-id': slackUserId,
        ...signRequest(signingSecret, signed, new Date()),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: sent,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
}

/**
 * Signed-up managers to click with, `count` of them named `${prefix}000`…, delivered at a time
 * of day far from now so that no note goes out during the run. Known to the stand-in, so a DM
 * to them (the bot's "try again" note) reaches them.
 */
export async function seedClickers(
  api: ReturnType<typeof apiCaller>,
  standIn: SlackStandIn,
  prefix: string,
  count: number,
): Promise<string[]> {
  const farHour = String((new Date().getUTCHours() + 12) % 24).padStart(2, '0');
  const clickers = Array.from(
    { length: count },
    (_, i) => `${prefix}${String(i).padStart(3, '0')}`,
  );
  for (const clicker of clickers) {
    standIn.addUser({ id: clicker, tz: 'UTC' });
    await api('PUT', '/me', clicker, { timeZone: 'UTC', locale: 'en-US' });
    await api('PUT', '/subscriptions/me', clicker, {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      localTime: `${farHour}:00`,
      timeZone: 'UTC',
    });
  }
  return clickers;
}

/** A bare Fastify and `SELECT 1` server in a child of its own: the same-run baselines. */
export async function startBaselineServer(repoRoot: string, databaseUrl: string) {
  const child: ChildProcess = spawn(
    path.join(repoRoot, 'node_modules', '.bin', 'node'),
    ['scripts/bench/baseline-server.ts'],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH ?? '', BENCH_DATABASE_URL: databaseUrl },
    },
  );
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('the baseline server did not start')), 30_000);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the baseline server exited with ${code}`));
    });
  });
  let stopped: Promise<unknown> | undefined;
  return {
    url,
    pid: child.pid ?? 0,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}

/** The service's own view of its database use during a run: from its /metrics histograms. */
export interface DbUse {
  acquisitions: number;
  meanPoolWaitMs: number;
  queries: number;
  meanQueryMs: number;
}

/** The api's view: in the split deployment the worker's queries are another process's. */
export async function dbTotals(api: ServiceProcess) {
  const text = await api.metrics();
  return {
    acquire: histogramTotals(text, 'blindspot_db_pool_acquire_seconds', 'pool="blindspot-api"'),
    query: histogramTotals(text, 'blindspot_db_query_duration_seconds'),
  };
}

export type Measured = LoadSummary & { cpu: CpuUse; db?: DbUse };

/** "0.59 (0.96) cores", the processes' (the machine's), and each process's when there are several. */
export function cpuText(cpu: CpuUse): string {
  const each = [...cpu.byProcess].map(([name, cores]) => `${name} ${cores.toFixed(2)}`);
  return `${cpu.process.toFixed(2)} (${cpu.machine.toFixed(2)}) cores${each.length > 1 ? `: ${each.join(', ')}` : ''}`;
}

export interface SteadySettings {
  /** Length of each measured run. */
  runSeconds: number;
  /** The unmeasured run before it: the first requests down a path pay for V8 compiling it. */
  warmUpSeconds: number;
  /** Connections the load generator keeps open, the same for every run and its baseline. */
  connections: number;
  /** Pause before waiting for the machine to go quiet. */
  settleMs: number;
}

/**
 * Steady-rate runs, each after the machine has gone quiet. `idleWaits`: how long the bench
 * waited for it before each scenario, in ms, for the report.
 */
export function steadyRuns(settings: SteadySettings) {
  const idleWaits: number[] = [];
  async function settle() {
    await delay(settings.settleMs);
    const waited = await waitUntilIdle();
    idleWaits.push(waited);
    if (waited > 5_000)
      log(`  (waited ${(waited / 1000).toFixed(0)} s for the machine to go quiet)`);
  }

  /** One steady run against a server: a warm-up, then the measured run, with `processes`' CPU. */
  async function steady(
    name: string,
    processes: ReadonlyArray<{ name: string; pid: number }>,
    options: Omit<LoadOptions, 'durationSeconds' | 'connections'>,
    /** When the target is the service: read its database figures from the api before and after. */
    api?: ServiceProcess,
  ): Promise<Measured> {
    await settle();
    // Unmeasured: the first requests down a path pay for V8 compiling it.
    await runLoad({
      ...options,
      durationSeconds: settings.warmUpSeconds,
      connections: settings.connections,
    });
    await settle();
    log(`${name}: ${options.rate} req/s for ${settings.runSeconds} s`);
    const cpu = await measureCpu(processes);
    const dbBefore = api ? await dbTotals(api) : undefined;
    const result = await runLoad({
      ...options,
      durationSeconds: settings.runSeconds,
      connections: settings.connections,
    });
    const summary: Measured = { ...summarise(result), cpu: await cpu() };
    if (api && dbBefore) {
      const after = await dbTotals(api);
      const acquisitions = after.acquire.count - dbBefore.acquire.count;
      const queries = after.query.count - dbBefore.query.count;
      summary.db = {
        acquisitions,
        meanPoolWaitMs: ((after.acquire.sum - dbBefore.acquire.sum) / acquisitions) * 1000,
        queries,
        meanQueryMs: ((after.query.sum - dbBefore.query.sum) / queries) * 1000,
      };
    }
    log(
      `  ${summary.throughput.toFixed(1)} answers/s, p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms, non-2xx ${summary.non2xx}, no answer ${summary.unanswered}; CPU ${cpuText(summary.cpu)}`,
    );
    return summary;
  }

  return { settle, steady, idleWaits };
}
