/**
 * kill -9 in the middle of a fan-out, the shape of four scenarios: 10,000 deliveries (× scale)
 * due in the same minute, planned by the service's worker and sent by its outbox through the
 * Slack stand-in; once about 30% have reached Slack, one process is SIGKILLed and started again
 * 5 s later. Promised (issue 12, decisions 0008 and 0011): every delivery sent, none twice, and
 * all sent within 15 s of the restart, because a dead sender's short leases run out within
 * seconds and a re-claimed row first looks for its note in the DM instead of posting again.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { activateAll, seedManagers } from '../bench/fan-out.ts';
import type { Deployment } from '../bench/service.ts';
import { count, seconds, waitFor } from './figures.ts';
import type { FaultScenario } from './scenario.ts';
import { countPosts, startWorld, type World } from './world.ts';

export const FAN_OUT_AT_SCALE_1 = 10_000;
/** Of the fan-out, what has reached Slack when the process is killed. */
const KILL_AFTER_SHARE = 0.3;
const RESTART_AFTER_MS = 5_000;
export const DRAIN_LIMIT_SECONDS = 15;
/** After the last row is sent: long enough for a straggling duplicate to reach the stand-in. */
const DUPLICATE_GRACE_MS = 3_000;

export interface KillFanOutOptions {
  id: string;
  title: string;
  deployment: Deployment;
  /** The process killed: 'service' (all-in-one), 'api', 'bot' or 'worker'. */
  victim: string;
  /** What is sent: topic notes (the default) or reminders. */
  ledger?: Ledger;
  /** Whether "all sent within 15 s of the restart" is part of the pass condition (default yes). */
  drainLimit?: boolean;
}

type Ledger = 'deliveries' | 'reminders';

/**
 * Makes the seeded managers' rows due at once. Notes: every subscription due at the next
 * minute boundary plus 60 s, planned by the worker's cron at the boundary (as the bench does).
 * Reminders: a reminder row due now for each, asking about one open action item, as the
 * reminder planner writes them (the planner's slot rules, quiet hours and daily cap are not
 * what this scenario is about; its subscriptions are active but next due in two days, so no
 * note is planned beside them).
 */
async function makeDue(world: World, ledger: Ledger, channels: ReadonlySet<string>) {
  if (ledger === 'deliveries') return (await activateAll(world.db)).dueAt;
  const dueAt = new Date();
  await world.db.query(
    `WITH m AS (
       UPDATE subscriptions s SET status = 'active', next_due_at = now() + interval '2 days'
       FROM managers m WHERE m.id = s.manager_id AND m.dm_channel_id = ANY($1::text[])
       RETURNING m.id, m.workspace_id
     ), items AS (
       INSERT INTO action_items (workspace_id, manager_id, text, source, check_back_on)
       SELECT workspace_id, id, 'Ask the team what the last retro missed', 'api', current_date
       FROM m RETURNING id, workspace_id, manager_id
     ), r AS (
       INSERT INTO reminders (workspace_id, manager_id, local_date, kind, due_at, wanted_at)
       SELECT workspace_id, manager_id, current_date, 'reminder', $2, $2 FROM items
       RETURNING id, manager_id
     )
     INSERT INTO reminder_items (reminder_id, action_item_id, workspace_id)
     SELECT r.id, items.id, items.workspace_id FROM r JOIN items USING (manager_id)`,
    [[...channels], dueAt],
  );
  return dueAt;
}

interface LedgerFigures {
  sent: number;
  reclaimed: number;
  last_sent_ms: number | null;
}

/** The ledger's view of the seeded managers' rows. `ledger` is one of two literals. */
async function ledgerFigures(db: pg.Client, ledger: Ledger, channels: ReadonlySet<string>) {
  const { rows } = await db.query<LedgerFigures>(
    `SELECT count(*) FILTER (WHERE r.status = 'sent')::int AS sent,
       count(*) FILTER (WHERE r.attempts > 1)::int AS reclaimed,
       extract(epoch FROM max(r.sent_at)) * 1000 AS last_sent_ms
     FROM ${ledger} r JOIN managers m ON m.id = r.manager_id
     WHERE m.dm_channel_id = ANY($1::text[])`,
    [[...channels]],
  );
  return rows[0] ?? { sent: 0, reclaimed: 0, last_sent_ms: null };
}

export function killDuringFanOut(options: KillFanOutOptions): FaultScenario {
  const ledger = options.ledger ?? 'deliveries';
  const what = ledger === 'deliveries' ? 'delivery' : 'reminder';
  const drainLimit = options.drainLimit ?? true;
  return {
    id: options.id,
    title: options.title,
    passCondition: `every ${what} sent once (stand-in and ledger), 0 duplicates${drainLimit ? `, all sent ≤ ${DRAIN_LIMIT_SECONDS} s after the restart` : ''}`,
    async run(context) {
      const total = Math.max(100, Math.round(FAN_OUT_AT_SCALE_1 * context.scale));
      const world = await startWorld(context, options.deployment);
      const victim = world.deployment.processes.find((p) => p.name === options.victim);
      if (!victim) throw new Error(`no ${options.victim} process in ${options.deployment}`);

      context.log(`seeding ${count(total)} managers`);
      const channels = await seedManagers(world.db, world.standIn, world.team, total);
      const posts = countPosts(world.standIn, channels);
      context.defer('post counter', async () => posts.stop());
      world.trimStandInCalls();
      const dueAt = await makeDue(world, ledger, channels);
      context.log(`all due at ${dueAt.toISOString()}`);

      const killAt = Math.round(total * KILL_AFTER_SHARE);
      const reached = await waitFor(
        () => posts.posts() >= killAt,
        dueAt.getTime() + 5 * 60_000 - Date.now(),
        20,
      );
      if (!reached) {
        return {
          pass: false,
          figures: `${count(posts.posts())} of ${count(total)} sent before the kill was due`,
          failure: `the fan-out did not reach ${count(killAt)} posts within 5 minutes of its due time`,
        };
      }
      await victim.kill('SIGKILL');
      const sentAtKill = posts.posts();
      context.log(`SIGKILLed ${victim.name} after ${count(sentAtKill)} posts`);
      await delay(RESTART_AFTER_MS);
      const restartedAt = Date.now();
      await victim.restart();
      const readySeconds = (Date.now() - restartedAt) / 1000;
      context.log(
        `${victim.name} restarted (pid ${victim.pid}), ready in ${seconds(readySeconds)}`,
      );

      const allSent = await waitFor(
        async () => (await ledgerFigures(world.db, ledger, channels)).sent >= total,
        5 * 60_000,
        250,
      );
      await delay(DUPLICATE_GRACE_MS);
      posts.stop();
      const figures = await ledgerFigures(world.db, ledger, channels);
      const drainSeconds =
        figures.last_sent_ms === null
          ? Number.NaN
          : (Number(figures.last_sent_ms) - restartedAt) / 1000;
      const duplicates = posts.duplicates();
      const lost = total - posts.channelsPosted();
      const summary = [
        `${count(figures.sent)} of ${count(total)} sent`,
        `${count(duplicates)} duplicates`,
        `killed after ${count(sentAtKill)}`,
        drainSeconds <= 0
          ? `all sent before the restart (ready in ${seconds(readySeconds)})`
          : `drained ${seconds(drainSeconds)} after the restart (ready in ${seconds(readySeconds)})`,
        `${count(figures.reclaimed)} re-claimed`,
      ].join(', ');
      const failures: string[] = [];
      if (!allSent || figures.sent !== total)
        failures.push(`${count(total - figures.sent)} not sent`);
      if (lost > 0) failures.push(`${count(lost)} managers got no note`);
      if (duplicates > 0) failures.push(`${count(duplicates)} notes posted twice`);
      if (drainLimit && !(drainSeconds <= DRAIN_LIMIT_SECONDS)) {
        failures.push(`drained ${seconds(drainSeconds)} after the restart`);
      }
      return {
        pass: failures.length === 0,
        figures: summary,
        ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
      };
    },
  };
}
