/**
 * Slack down for 10 minutes (× scale), in three phases of a third each as real outages go: the
 * stand-in answers 503, then accepts calls and never answers (the sender's 10 s timeout ends
 * each), then refuses connections. Notes are waiting throughout, seeded as the outage begins:
 *
 *   - some due 3 hours ago: past the 2-hour window already, recorded missed, never sent;
 *   - some due (2 hours − half the outage) ago: in the window when Slack went, past it by the
 *     time Slack is back, so recorded missed too;
 *   - some due 30 minutes ago: sent once Slack is back, recorded late.
 *
 * Promised: the senders back off instead of hammering Slack (each row's retries double from 5 s
 * to 5 min, decision 0008), the backlog drains once Slack is back, and the ledger says exactly
 * which notes went late and which were missed, none sent twice.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { seedManagers } from '../bench/fan-out.ts';
import type { ServiceProcess } from '../bench/service.ts';
import { count, seconds, waitFor } from './figures.ts';
import type { FaultScenario } from './scenario.ts';
import { countPosts, startWorld } from './world.ts';

const OUTAGE_MS_AT_SCALE_1 = 10 * 60_000;
const ROWS_PER_GROUP_AT_SCALE_1 = 1_000;
/** The ledger's first retry comes after 5 s, each later one after twice the last. */
const FIRST_RETRY_S = 5;
/** The ledger's longest back-off. */
const MAX_RETRY_MS = 5 * 60_000;
/** Slack calls a row may cost during the outage beyond its doubling retries (the first try, a lookup). */
const SPARE_CALLS_PER_ROW = 2;

/** Sum of a Prometheus counter over all its series. */
function counterTotal(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^(\S+?)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) total += Number(match[3]);
  }
  return total;
}

/** The bot's own count of Web API requests each second: it sees refused connections too. */
function sampleBotCalls(bot: ServiceProcess) {
  const perSecond: Array<{ at: number; calls: number }> = [];
  let last: number | undefined;
  const timer = setInterval(() => {
    void bot
      .metrics()
      .then((text) => {
        const total = counterTotal(text, 'blindspot_slack_api_calls_total');
        if (last !== undefined) perSecond.push({ at: Date.now(), calls: total - last });
        last = total;
      })
      .catch(() => {});
  }, 1_000);
  return { perSecond, stop: () => clearInterval(timer) };
}

/**
 * Seeds deliveries straight into the ledger, due at `dueAts` (past or future), one for each
 * manager seedManagers made, in the order of their user ids: their subscriptions active but not
 * due again for a day (so the planner adds nothing), each with the workspace's first topic.
 */
export async function seedDeliveries(db: pg.Client, dueAts: readonly Date[]): Promise<void> {
  await db.query(
    `UPDATE subscriptions s SET status = 'active', next_due_at = now() + interval '1 day'
     FROM managers m WHERE m.id = s.manager_id AND m.slack_user_id LIKE 'U0FAN%'`,
  );
  await db.query(
    `WITH subs AS (
       SELECT s.id, s.workspace_id, s.manager_id,
         (row_number() OVER (ORDER BY m.slack_user_id))::int AS n
       FROM subscriptions s JOIN managers m ON m.id = s.manager_id
       WHERE m.slack_user_id LIKE 'U0FAN%'
     )
     INSERT INTO deliveries (workspace_id, subscription_id, manager_id, local_date, topic_id, due_at)
     SELECT subs.workspace_id, subs.id, subs.manager_id, (d.due AT TIME ZONE 'UTC')::date,
       (SELECT t.id FROM topics t WHERE t.workspace_id = subs.workspace_id ORDER BY t.id LIMIT 1),
       d.due
     FROM subs JOIN unnest($1::timestamptz[]) WITH ORDINALITY AS d (due, n) ON d.n = subs.n`,
    [dueAts],
  );
}

interface Outcome {
  missed: number;
  sentLate: number;
  sentOnTime: number;
  unsent: number;
  lastSentAt: number;
}

async function outcome(db: pg.Client): Promise<Outcome> {
  const { rows } = await db.query<Outcome>(
    `SELECT count(*) FILTER (WHERE d.status = 'missed')::int AS missed,
       count(*) FILTER (WHERE d.status = 'sent' AND d.late)::int AS "sentLate",
       count(*) FILTER (WHERE d.status = 'sent' AND NOT d.late)::int AS "sentOnTime",
       count(*) FILTER (WHERE d.status NOT IN ('sent', 'missed'))::int AS unsent,
       coalesce(extract(epoch FROM max(d.sent_at)) * 1000, 0)::float8 AS "lastSentAt"
     FROM deliveries d JOIN managers m ON m.id = d.manager_id
     WHERE m.slack_user_id LIKE 'U0FAN%'`,
  );
  return rows[0] as Outcome;
}

export const slackOutage: FaultScenario = {
  id: 'slack-outage',
  title: 'Slack down 10 minutes: 503s, then no answers, then connections refused',
  passCondition:
    'Slack calls during the outage within each row’s doubling back-off; backlog sent ≤ min(outage, 5 min) + 60 s after; notes > 2 h old missed, the rest late, 0 duplicates',
  async run(context) {
    const outageMs = Math.round(OUTAGE_MS_AT_SCALE_1 * context.scale);
    const perGroup = Math.max(30, Math.round(ROWS_PER_GROUP_AT_SCALE_1 * context.scale));
    const world = await startWorld(context, 'all-in-one');
    const bot = world.deployment.slack;
    const total = perGroup * 3;
    const channels = await seedManagers(world.db, world.standIn, world.team, total);
    const posts = countPosts(world.standIn, channels);
    context.defer('post counter', async () => posts.stop());
    const botCalls = sampleBotCalls(bot);
    context.defer('bot call sampler', async () => botCalls.stop());
    world.trimStandInCalls();

    context.log(`Slack down for ${seconds(outageMs / 1000)}: 503 first`);
    const startedAt = Date.now();
    await world.standIn.startOutage('server-error');
    context.defer('Slack outage', () => world.standIn.endOutage());
    const now = Date.now();
    const dueAts = [
      ...Array.from({ length: perGroup }, () => new Date(now - 3 * 3_600_000)),
      ...Array.from({ length: perGroup }, () => new Date(now - 2 * 3_600_000 + outageMs / 2)),
      ...Array.from({ length: perGroup }, () => new Date(now - 30 * 60_000)),
    ];
    await seedDeliveries(world.db, dueAts);
    context.log(
      `seeded ${count(perGroup)} notes due 3 h ago, ${count(perGroup)} due 2 h − ${seconds(outageMs / 2000)} ago, ${count(perGroup)} due 30 min ago`,
    );

    await delay(outageMs / 3);
    context.log('Slack accepts calls and never answers');
    await world.standIn.startOutage('timeout');
    await delay(outageMs / 3);
    context.log('Slack refuses connections');
    await world.standIn.startOutage('refuse');
    await delay(startedAt + outageMs - Date.now());
    await world.standIn.endOutage();
    const endedAt = Date.now();
    const endedPerf = performance.now();
    context.log('Slack is back');

    const drainLimitMs = Math.min(outageMs, MAX_RETRY_MS) + 60_000;
    const drained = await waitFor(
      async () => (await outcome(world.db)).unsent === 0,
      drainLimitMs + 60_000,
      1_000,
    );
    await delay(3_000);
    const result = await outcome(world.db);
    botCalls.stop();
    const drainMs = result.lastSentAt > 0 ? result.lastSentAt - endedAt : Number.NaN;

    // Calls during the outage, as Slack saw them (not while refusing) and as the bot counted them.
    const during = (at: number) => at >= startedAt && at < endedAt;
    const standInRate = world.standIn
      .callRate()
      .filter((s) => during(s.second * 1000))
      .map((s) => s.calls);
    const botRate = botCalls.perSecond.filter((s) => during(s.at)).map((s) => s.calls);
    const peak = Math.max(0, ...standInRate, ...botRate);
    const botTotal = botRate.reduce((a, b) => a + b, 0);
    const standInTotal = standInRate.reduce((a, b) => a + b, 0);
    const callsDuring = Math.max(botTotal, standInTotal);
    const retriesPerRow = Math.ceil(Math.log2(outageMs / 1000 / FIRST_RETRY_S + 1));
    const callBound = perGroup * 2 * (retriesPerRow + SPARE_CALLS_PER_ROW);

    const failures: string[] = [];
    if (callsDuring > callBound) {
      failures.push(
        `${count(callsDuring)} Slack calls during the outage, over ${count(callBound)}`,
      );
    }
    if (!drained || !(drainMs <= drainLimitMs)) {
      failures.push(
        `backlog not sent within ${seconds(drainLimitMs / 1000)} (${result.unsent} unsent)`,
      );
    }
    if (result.missed !== perGroup * 2)
      failures.push(`${result.missed} missed, not ${perGroup * 2}`);
    if (result.sentLate !== perGroup)
      failures.push(`${result.sentLate} sent late, not ${perGroup}`);
    if (result.sentOnTime > 0) failures.push(`${result.sentOnTime} recorded on time`);
    if (posts.duplicates() > 0) failures.push(`${posts.duplicates()} duplicates`);
    return {
      pass: failures.length === 0,
      figures:
        `peak ${peak} Slack calls/s (stand-in ${Math.max(0, ...standInRate)}, bot ${Math.max(0, ...botRate)}); ` +
        `${count(callsDuring)} calls in the outage for ${count(perGroup * 2)} sendable rows (bound ${count(callBound)}); ` +
        `backlog sent ${seconds(drainMs / 1000)} after Slack came back (${seconds((performance.now() - endedPerf) / 1000)} waited); ` +
        `${count(result.missed)} missed, ${count(result.sentLate)} late, ${count(result.sentOnTime)} on time, ${result.unsent} unsent, ${posts.duplicates()} duplicates`,
      ...(failures.length > 0 && { failure: failures.join('; ') }),
    };
  },
};
