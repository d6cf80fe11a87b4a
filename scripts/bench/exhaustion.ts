/**
 * The whole bench's section 3: action_items locked for ten seconds under API reads and Slack
 * commands. The pool must answer 503 within its two-second wait, Slack's acks must not wait on
 * it, and the API must recover at once when the lock goes.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { measureCpu } from './cpu.ts';
import { log } from './harness.ts';
import { runLoad, summarise } from './load.ts';
import type { ServiceProcess } from './service.ts';
import { type SlackPayloadSettings, slashCommand } from './slack-payloads.ts';
import {
  API_RATE,
  EXHAUSTION_API_CONNECTIONS,
  EXHAUSTION_LOCK_SECONDS,
  EXHAUSTION_TAIL_SECONDS,
  type Results,
  SLACK_RATE,
} from './whole-results.ts';

/** Polls a read every 100 ms from `from` until one answers 200; ms from `from` to that answer. */
async function firstSuccessAfter(request: () => Promise<number>, from: number, limitMs: number) {
  while (performance.now() - from < limitMs) {
    const status = await request().catch(() => 0);
    if (status === 200) return performance.now() - from;
    await delay(100);
  }
  return Number.NaN;
}

export interface ExhaustionOptions {
  databaseUrl: string;
  processes: ServiceProcess[];
  apiUrl: string;
  slackUrl: string;
  /** The steady runs' connections, for the Slack commands. */
  connections: number;
  slack: SlackPayloadSettings;
  nextClicker: () => string;
  readHeaders: () => Record<string, string>;
  signedRead: () => { headers: Record<string, string>; body: string };
  cleanups: Array<{ name: string; run: () => Promise<unknown> }>;
}

export async function runExhaustion(options: ExhaustionOptions): Promise<Results['exhaustion']> {
  log(
    `pool exhaustion: action_items locked for ${EXHAUSTION_LOCK_SECONDS} s under API reads and /blindspot actions`,
  );
  const locker = new pg.Client({
    connectionString: options.databaseUrl,
    application_name: 'bench-locker',
  });
  await locker.connect();
  options.cleanups.push({ name: 'lock holder', run: () => locker.end() });
  await locker.query("SET lock_timeout = '5s'");
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE action_items IN ACCESS EXCLUSIVE MODE');
  const lockedAt = performance.now();
  const exhaustionCpu = await measureCpu(options.processes);
  const loadSeconds = EXHAUSTION_LOCK_SECONDS + EXHAUSTION_TAIL_SECONDS;
  const apiLoad = runLoad({
    url: options.apiUrl,
    path: '/api/v1/action-items',
    prepare: options.signedRead,
    rate: API_RATE,
    durationSeconds: loadSeconds,
    connections: EXHAUSTION_API_CONNECTIONS,
  });
  const slackLoad = runLoad({
    url: options.slackUrl,
    method: 'POST',
    path: '/slack/events',
    rate: SLACK_RATE,
    durationSeconds: loadSeconds,
    connections: options.connections,
    prepare: () => slashCommand(options.slack, options.nextClicker(), 'actions'),
  });
  await delay(EXHAUSTION_LOCK_SECONDS * 1000);
  await locker.query('COMMIT');
  const releasedAt = performance.now();
  const recoveryMs = await firstSuccessAfter(
    async () => {
      const response = await fetch(`${options.apiUrl}/api/v1/action-items`, {
        headers: options.readHeaders(),
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
  const exhaustion: Results['exhaustion'] = {
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
  return exhaustion;
}
