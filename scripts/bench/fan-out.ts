/**
 * The fan-out scenario: N managers all due in the same minute, planned by the service's own
 * worker and sent by its own delivery sender through the Slack stand-in; and its baseline, the
 * same N messages posted straight to a stand-in with the sender's concurrency.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { WebClient } from '@slack/web-api';
import type pg from 'pg';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { type CpuUse, measureCpu } from './cpu.ts';
import { log } from './harness.ts';
import { percentile } from './load.ts';

/** src/bot/outbox.ts's defaults: messages in flight at once, and rows per claim. */
export const SENDER_CONCURRENCY = 32;
export const SENDER_BATCH_SIZE = 100;
/** Slack user ids of the seeded managers start with this, so queries can find them. */
const USER_PREFIX = 'U0FAN';

const slackUserId = (index: number) => `${USER_PREFIX}${String(index).padStart(6, '0')}`;

/** About the size of a blind-spot note: a header, a few sections and buttons' worth of text. */
function sampleMessage(index: number) {
  const paragraph =
    'Recency bias: the last few weeks weigh more than the whole review period. '.repeat(4);
  return {
    text: `Your blind spot for today (${index})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Recency bias' } },
      { type: 'section', text: { type: 'mrkdwn', text: paragraph } },
      { type: 'section', text: { type: 'mrkdwn', text: paragraph } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Ask yourself:* ${paragraph}` } },
    ],
  };
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export interface DirectSendResult {
  perSecond: number;
  /** When each message was done, from the start, in ms: the "lateness" of a perfect sender. */
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

/**
 * The floor for the fan-out: `count` chat.postMessage calls straight to a fresh stand-in with the
 * given latency, `concurrency` at a time, through the same WebClient settings as the sender.
 */
export async function directSendBaseline(
  count: number,
  concurrency: number,
  latencyMs: number,
): Promise<DirectSendResult> {
  const standIn = await startSlackStandIn({ latencyMs });
  standIn.setLatency('*', latencyMs);
  try {
    const client = new WebClient('xoxb-bench-baseline', {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    });
    const channels = Array.from({ length: count }, (_, i) =>
      standIn.dmChannelIdFor(`U0BASE${String(i).padStart(6, '0')}`),
    );
    const doneAt: number[] = [];
    let failed = 0;
    const started = performance.now();
    await inParallel(
      channels.map((channel, index) => ({ channel, index })),
      concurrency,
      async ({ channel, index }) => {
        try {
          await client.chat.postMessage({ channel, ...sampleMessage(index) });
          doneAt.push(performance.now() - started);
        } catch {
          failed += 1;
        }
      },
    );
    const elapsed = performance.now() - started;
    doneAt.sort((a, b) => a - b);
    return {
      perSecond: doneAt.length / (elapsed / 1000),
      p50Ms: percentile(doneAt, 50),
      p99Ms: percentile(doneAt, 99),
      failed,
    };
  } finally {
    await standIn.close();
  }
}

/**
 * Seeds `count` managers of the workspace, each with a DM channel the stand-in knows and a
 * paused every-day subscription. Paused, so nothing plans them before {@link activateAll}.
 */
export async function seedManagers(
  client: pg.Client,
  standIn: SlackStandIn,
  slackTeamId: string,
  count: number,
  statusesKnown = true,
): Promise<Set<string>> {
  const users = Array.from({ length: count }, (_, i) => slackUserId(i));
  // Members of the workspace, as in Slack: the outbox reads the status of a manager whose
  // status the API does not know before a note.
  for (const user of users) standIn.addUser({ id: user, teamId: slackTeamId });
  const channels = users.map((user) => standIn.dmChannelIdFor(user));
  await client.query(
    `WITH ws AS (SELECT id FROM workspaces WHERE slack_team_id = $1),
     m AS (
       INSERT INTO managers (workspace_id, slack_user_id, time_zone, locale, dm_channel_id,
                             status_read_at)
       SELECT ws.id, u.user_id, 'UTC', 'en-US', u.channel_id, $4
       FROM ws, unnest($2::text[], $3::text[]) AS u (user_id, channel_id)
       RETURNING id, workspace_id
     )
     INSERT INTO subscriptions (workspace_id, manager_id, weekdays, local_time, time_zone, status)
     SELECT workspace_id, id, '{1,2,3,4,5,6,7}', '00:00', 'UTC', 'paused' FROM m`,
    // Statuses known and not out, as the twice-daily sweep and Slack's status events keep
    // them (src/bot/status-sweep.ts): the steady state, in which no note waits on a Slack read.
    [slackTeamId, users, channels, statusesKnown ? new Date() : null],
  );
  // Swept just now, as far as the service knows: its twice-daily users.list sweep (about 50
  // pages for 10,000 members) does not fall inside the measured minute by chance, and with
  // statuses unknown, each note's status is read before it goes.
  await client.query('UPDATE workspaces SET statuses_swept_at = now() WHERE slack_team_id = $1', [
    slackTeamId,
  ]);
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM subscriptions s JOIN managers m ON m.id = s.manager_id
     WHERE m.slack_user_id LIKE '${USER_PREFIX}%'`,
  );
  if (rows[0]?.n !== count) throw new Error(`seeded ${rows[0]?.n} subscriptions, not ${count}`);
  return new Set(channels);
}

/**
 * Makes every seeded subscription due at the same instant: the next minute boundary plus 60 s
 * (one more minute when the boundary is under 5 s away, so the planner's tick at that boundary
 * surely sees them). The worker's cron plans them at the boundary, with its 5-minute look-ahead.
 */
export async function activateAll(client: pg.Client): Promise<{ dueAt: Date; boundary: Date }> {
  const now = Date.now();
  let boundary = Math.ceil(now / 60_000) * 60_000;
  if (boundary - now < 5_000) boundary += 60_000;
  const dueAt = new Date(boundary + 60_000);
  const localTime = dueAt.toISOString().slice(11, 16);
  await client.query(
    `UPDATE subscriptions s SET status = 'active', next_due_at = $1, local_time = $2::time
     FROM managers m WHERE m.id = s.manager_id AND m.slack_user_id LIKE '${USER_PREFIX}%'`,
    [dueAt, localTime],
  );
  return { dueAt, boundary: new Date(boundary) };
}

export interface FanOutProgress {
  planned: number;
  sent: number;
}

export async function progress(client: pg.Client): Promise<FanOutProgress> {
  const { rows } = await client.query<FanOutProgress>(
    `SELECT count(*)::int AS planned, count(*) FILTER (WHERE d.status = 'sent')::int AS sent
     FROM deliveries d JOIN managers m ON m.id = d.manager_id
     WHERE m.slack_user_id LIKE '${USER_PREFIX}%'`,
  );
  return rows[0] ?? { planned: 0, sent: 0 };
}

/** Polls until every delivery is sent or the deadline passes. */
export async function waitForFanOut(
  client: pg.Client,
  count: number,
  deadline: Date,
  onProgress: (progress: FanOutProgress) => void,
): Promise<FanOutProgress> {
  let last: FanOutProgress = { planned: 0, sent: 0 };
  let reported = 0;
  while (Date.now() < deadline.getTime()) {
    last = await progress(client);
    if (Date.now() - reported > 10_000) {
      onProgress(last);
      reported = Date.now();
    }
    if (last.sent >= count) return last;
    await delay(1_000);
  }
  return last;
}

export interface FanOutOutcome {
  sent: number;
  planned: number;
  /** Seconds from the due time to each send (sent_at - due_at), percentiles. */
  latenessP50Seconds: number;
  latenessP99Seconds: number;
  latenessMaxSeconds: number;
  /** Sent per second, from the due time to the last send. */
  perSecond: number;
  /**
   * When the planner had written the last row, after the tick it ran at: the minute boundary
   * before its first row (usually the boundary the bench aimed at, but an earlier tick sees the
   * rows too when they were activated as it started).
   */
  plannedWithinSeconds: number;
  /** Rows by status, for the report. */
  statuses: Map<string, number>;
}

export async function fanOutOutcome(client: pg.Client): Promise<FanOutOutcome> {
  const { rows } = await client.query<{
    status: string;
    due_ms: number;
    sent_ms: number | null;
    planned_ms: number;
  }>(
    `SELECT d.status, extract(epoch FROM d.due_at) * 1000 AS due_ms,
       extract(epoch FROM d.sent_at) * 1000 AS sent_ms,
       extract(epoch FROM d.created_at) * 1000 AS planned_ms
     FROM deliveries d JOIN managers m ON m.id = d.manager_id
     WHERE m.slack_user_id LIKE '${USER_PREFIX}%'`,
  );
  const statuses = new Map<string, number>();
  const lateness: number[] = [];
  let lastSent = 0;
  let dueAt = 0;
  let lastPlanned = 0;
  let firstPlanned = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    statuses.set(row.status, (statuses.get(row.status) ?? 0) + 1);
    dueAt = Number(row.due_ms);
    lastPlanned = Math.max(lastPlanned, Number(row.planned_ms));
    firstPlanned = Math.min(firstPlanned, Number(row.planned_ms));
    if (row.status === 'sent' && row.sent_ms !== null) {
      lateness.push((Number(row.sent_ms) - Number(row.due_ms)) / 1000);
      lastSent = Math.max(lastSent, Number(row.sent_ms));
    }
  }
  lateness.sort((a, b) => a - b);
  return {
    sent: lateness.length,
    planned: rows.length,
    latenessP50Seconds: percentile(lateness, 50),
    latenessP99Seconds: percentile(lateness, 99),
    latenessMaxSeconds: lateness.at(-1) ?? Number.NaN,
    perSecond: lastSent > dueAt ? lateness.length / ((lastSent - dueAt) / 1000) : Number.NaN,
    plannedWithinSeconds:
      rows.length > 0
        ? (lastPlanned - Math.floor(firstPlanned / 60_000) * 60_000) / 1000
        : Number.NaN,
    statuses,
  };
}

export interface FanOutSettings {
  db: pg.Client;
  standIn: SlackStandIn;
  slackTeamId: string;
  count: number;
  /** The service processes whose CPU is measured from the due time to the last send. */
  processes: ReadonlyArray<{ name: string; pid: number }>;
  slackLatencyMs: number;
  /** How long after the due time the fan-out may take before unsent rows count as lost. */
  deadlineMs: number;
  /** Forgets the stand-in's recorded calls (and sets its latency again). */
  resetStandIn: () => void;
  /**
   * Whether the managers' Slack statuses are kept fresh (the steady state, the default), or
   * unknown, so the sender reads each one before its note (a workspace not yet swept).
   */
  statusesKnown?: boolean;
}

export interface FanOutRun {
  baseline: DirectSendResult;
  outcome: FanOutOutcome;
  cpu: CpuUse;
  /** Posts that reached a manager's DM beyond the first. */
  duplicates: number;
  channelsPosted: number;
  /** Every Web API call the service made while sending, by method. */
  calls: Map<string, number>;
}

/**
 * The scenario, whole: the direct-post baseline, then `count` managers seeded and made due in
 * the same minute, sent by the service, and counted (posts per DM, calls per method) as they
 * reach the stand-in. Used by the whole bench and by `--only fan-out`.
 */
export async function runFanOut(settings: FanOutSettings): Promise<FanOutRun> {
  const { db, standIn, count } = settings;
  log(
    `fan-out baseline: ${count} chat.postMessage straight to a stand-in, ${SENDER_CONCURRENCY} at a time`,
  );
  const baseline = await directSendBaseline(count, SENDER_CONCURRENCY, settings.slackLatencyMs);
  log(`  ${baseline.perSecond.toFixed(0)} messages/s`);
  settings.resetStandIn();
  const known = settings.statusesKnown ?? true;
  log(
    `fan-out: seeding ${count} managers and subscriptions, statuses ${known ? 'known' : 'unknown'}`,
  );
  const channels = await seedManagers(db, standIn, settings.slackTeamId, count, known);
  const posts = new Map<string, number>();
  const calls = new Map<string, number>();
  const unsubscribe = standIn.onCall((call) => {
    calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
    const body = call.response.body;
    if (call.method !== 'chat.postMessage' || typeof body !== 'object' || body.ok !== true) return;
    const channel = String(body.channel);
    if (channels.has(channel)) posts.set(channel, (posts.get(channel) ?? 0) + 1);
  });
  // Keep the stand-in's memory flat: counting is done by the listener above.
  const trimCalls = setInterval(settings.resetStandIn, 5_000);
  const { dueAt, boundary } = await activateAll(db);
  // The service's CPU while it sends: from the due time to the end.
  const sendingCpu = delay(dueAt.getTime() - Date.now()).then(() => measureCpu(settings.processes));
  log(
    `  all due at ${dueAt.toISOString()} (planned at ${boundary.toISOString()}); waiting up to ${settings.deadlineMs / 60_000} min after that`,
  );
  const waited = await waitForFanOut(
    db,
    count,
    new Date(dueAt.getTime() + settings.deadlineMs),
    (p) => log(`  planned ${p.planned}, sent ${p.sent}`),
  );
  // Anything sent twice would arrive within a lease; a late duplicate of the last ones would
  // show within a few seconds of the end.
  await delay(3_000);
  clearInterval(trimCalls);
  unsubscribe();
  const outcome = await fanOutOutcome(db);
  const cpu = await (await sendingCpu)();
  log(`  sent ${waited.sent} of ${count}`);
  let duplicates = 0;
  for (const n of posts.values()) if (n > 1) duplicates += n - 1;
  return { baseline, outcome, cpu, duplicates, channelsPosted: posts.size, calls };
}
