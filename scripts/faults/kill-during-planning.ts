/**
 * kill -9 of the worker with the planner's transaction open. The planner
 * (src/core/deliveries/service.ts) plans due subscriptions in transactions of 200: it locks
 * them, inserts their ledger rows and moves each on to its next occurrence. A worker killed
 * inside one loses its connection, PostgreSQL rolls that transaction back, and graphile-worker's
 * next tick (every minute) plans what is left. Promised: every manager planned exactly once and
 * sent exactly once.
 *
 * The kill lands inside a transaction by watching for it: the worker's connection
 * (application_name blindspot-worker) holding a row-exclusive lock on `deliveries`, which
 * PostgreSQL keeps until the transaction ends, and once 30% of the managers are planned.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { activateAll, seedManagers } from '../bench/fan-out.ts';
import { count, seconds, waitFor } from './figures.ts';
import { FAN_OUT_AT_SCALE_1 } from './kill-fan-out.ts';
import type { FaultScenario } from './scenario.ts';
import { countPosts, startWorld } from './world.ts';

const KILL_AFTER_SHARE = 0.3;
const RESTART_AFTER_MS = 5_000;

/** The pid of a worker connection inside a transaction that has written to `deliveries`. */
async function openPlanningTransaction(db: pg.Client): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.relation = 'deliveries'::regclass AND l.mode = 'RowExclusiveLock' AND l.granted
       AND a.application_name = 'blindspot-worker' AND a.datname = current_database()
       AND a.xact_start IS NOT NULL
     LIMIT 1`,
  );
  return rows[0]?.pid;
}

async function planned(db: pg.Client, channels: ReadonlySet<string>) {
  const { rows } = await db.query<{ planned: number; managers: number; sent: number }>(
    `SELECT count(*)::int AS planned, count(DISTINCT d.manager_id)::int AS managers,
       count(*) FILTER (WHERE d.status = 'sent')::int AS sent
     FROM deliveries d JOIN managers m ON m.id = d.manager_id
     WHERE m.dm_channel_id = ANY($1::text[])`,
    [[...channels]],
  );
  return rows[0] ?? { planned: 0, managers: 0, sent: 0 };
}

export const killDuringPlanning: FaultScenario = {
  id: 'kill-during-planning',
  title:
    "kill -9 of the worker (split deployment) inside the planner's transaction, restarted after 5 s",
  passCondition: 'every manager planned exactly once and sent exactly once, 0 duplicates',
  async run(context) {
    const total = Math.max(1_000, Math.round(FAN_OUT_AT_SCALE_1 * context.scale));
    const world = await startWorld(context, 'split');
    const worker = world.deployment.processes.find((p) => p.name === 'worker');
    if (!worker) throw new Error('no worker process');
    context.log(`seeding ${count(total)} managers`);
    const channels = await seedManagers(world.db, world.standIn, world.team, total);
    const posts = countPosts(world.standIn, channels);
    context.defer('post counter', async () => posts.stop());
    world.trimStandInCalls();
    const { dueAt, boundary } = await activateAll(world.db);
    context.log(`all due at ${dueAt.toISOString()}, planned from ${boundary.toISOString()}`);

    // Polled as fast as the database answers: a transaction of 200 takes well under a second.
    let plannedAtKill = 0;
    const caught = await waitFor(
      async () => {
        const pid = await openPlanningTransaction(world.db);
        if (pid === undefined) return false;
        plannedAtKill = (await planned(world.db, channels)).planned;
        if (plannedAtKill < total * KILL_AFTER_SHARE) return false;
        // Still open now? Then the kill lands inside it, or within the few ms of its commit.
        if ((await openPlanningTransaction(world.db)) !== pid) return false;
        await worker.kill('SIGKILL');
        return true;
      },
      dueAt.getTime() + 60_000 - Date.now(),
      5,
    );
    if (!caught) {
      return {
        pass: false,
        figures: `${count((await planned(world.db, channels)).planned)} of ${count(total)} planned`,
        failure: `no planning transaction seen with ≥ ${KILL_AFTER_SHARE * 100}% planned: the planner was too quick to catch at this scale`,
      };
    }
    // What the cut transaction had written is gone with it: PostgreSQL rolled it back.
    const afterKill = await planned(world.db, channels);
    context.log(
      `SIGKILLed the worker with a planning transaction open; ${count(afterKill.planned)} planned and committed`,
    );
    await delay(RESTART_AFTER_MS);
    await worker.restart();
    context.log(`worker restarted (pid ${worker.pid})`);

    const allSent = await waitFor(
      async () => (await planned(world.db, channels)).sent >= total,
      5 * 60_000,
      500,
    );
    // A second planning of a manager would be a second row (if the unique key failed) or a
    // second note; give a late one time to show.
    await delay(3_000);
    posts.stop();
    const end = await planned(world.db, channels);
    const duplicates = posts.duplicates();
    const { rows } = await world.db.query<{ late_max: number | null }>(
      `SELECT extract(epoch FROM max(d.sent_at - d.due_at)) AS late_max
       FROM deliveries d JOIN managers m ON m.id = d.manager_id
       WHERE m.dm_channel_id = ANY($1::text[])`,
      [[...channels]],
    );
    const latestSeconds = Number(rows[0]?.late_max ?? Number.NaN);
    const figures = [
      `${count(end.planned)} rows for ${count(end.managers)} of ${count(total)} managers`,
      `${count(end.sent)} sent`,
      `${count(duplicates)} duplicates`,
      `killed inside a planning transaction with ${count(afterKill.planned)} planned and committed`,
      `last note ${seconds(latestSeconds)} after its due time`,
    ].join(', ');
    const failures: string[] = [];
    if (end.planned !== total || end.managers !== total) {
      failures.push(`${count(end.planned)} rows for ${count(end.managers)} managers`);
    }
    if (!allSent || end.sent !== total) failures.push(`${count(total - end.sent)} not sent`);
    if (posts.channelsPosted() !== total) {
      failures.push(`${count(total - posts.channelsPosted())} managers got no note`);
    }
    if (duplicates > 0) failures.push(`${count(duplicates)} notes posted twice`);
    return {
      pass: failures.length === 0,
      figures,
      ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
    };
  },
};
