/**
 * The host's clock stepping by an hour in the middle of a fan-out, as a wrong NTP server, a
 * virtual machine resumed from a snapshot, or an operator's `date -s` would step it.
 *
 * How the clock is stepped: libfaketime (Debian's `faketime` package) preloaded into the service
 * process (LD_PRELOAD), reading its offset from a file on every call (FAKETIME_TIMESTAMP_FILE,
 * FAKETIME_NO_CACHE), so the scenario steps the running process's wall clock by rewriting the
 * file. Monotonic time is left alone (FAKETIME_DONT_FAKE_MONOTONIC), as a real step leaves it:
 * timers still fire on time. PostgreSQL keeps the real time; Blindspot's ledger reads the
 * application's clock throughout (the `now` every core function takes), so what is tested is
 * the application's own reading of time. Slack's own clock (the stand-in's) stays real.
 *
 * What is due: the fan-out (10,000 × scale notes, planned and due before the step) and a later
 * group (a quarter of the managers) due 3 minutes after it, which the planner plans under the
 * stepped clock. Promised: no note twice, none skipped for good.
 *
 *   - clock-forward: +1 hour once 30% of the fan-out reached Slack, and it stays. Leases the
 *     sender holds look expired at once and the later group is due at once: sent early
 *     (reported), never twice.
 *   - clock-back: −1 hour once 30% reached Slack; nothing due is due any more until the clock
 *     is put right 2 minutes × scale later (at least 1, as NTP or an operator would), then the
 *     rest is sent late (reported), never twice and never recorded missed.
 */
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { activateAll, seedManagers } from '../bench/fan-out.ts';
import { count, seconds, waitFor } from './figures.ts';
import { FAN_OUT_AT_SCALE_1 } from './kill-fan-out.ts';
import type { FaultContext, FaultResult, FaultScenario } from './scenario.ts';
import { countPosts, startWorld } from './world.ts';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const STEP_SECONDS = 3_600;
const STEP_AFTER_SHARE = 0.3;
const LATER_GROUP_AFTER_MS = 3 * 60_000;
/** Rows over 2 hours late are recorded missed (decision 0008); none of these should be. */
const CLOSED_STATUSES = ['missed', 'failed', 'cancelled'];

async function clockStep(context: FaultContext, direction: 1 | -1): Promise<FaultResult> {
  await access(LIBFAKETIME).catch(() => {
    throw new Error(
      `no ${LIBFAKETIME}: install Debian's faketime package (apt-get install faketime)`,
    );
  });
  const folder = await mkdtemp(path.join(tmpdir(), 'blindspot-faketime-'));
  context.defer('faketime folder', () => rm(folder, { recursive: true, force: true }));
  const offsetFile = path.join(folder, 'offset');
  const setOffset = (offsetSeconds: number) =>
    writeFile(offsetFile, `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}\n`);
  await setOffset(0);

  const total = Math.max(400, Math.round(FAN_OUT_AT_SCALE_1 * context.scale));
  const world = await startWorld(context, 'all-in-one', {
    env: {
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: offsetFile,
      FAKETIME_NO_CACHE: '1',
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    },
  });
  const service = world.deployment.api;
  const maps = await readFile(`/proc/${service.pid}/maps`, 'utf8');
  if (!maps.includes('libfaketime')) throw new Error(`${LIBFAKETIME} is not loaded in the service`);
  /** The service's clock minus the real one, in s, from the Date header Node sets from it. */
  const serviceOffset = async () => {
    const response = await fetch(`${service.url}/healthz`);
    await response.arrayBuffer();
    return (Date.parse(response.headers.get('date') ?? '') - Date.now()) / 1000;
  };
  const stepTookEffect = (expected: number) =>
    waitFor(async () => Math.abs((await serviceOffset()) - expected) < 5, 10_000, 100);

  context.log(`seeding ${count(total)} managers`);
  const channels = await seedManagers(world.db, world.standIn, world.team, total);
  const posts = countPosts(world.standIn, channels);
  context.defer('post counter', async () => posts.stop());
  world.trimStandInCalls();
  const { dueAt } = await activateAll(world.db);
  // Every fourth manager is due 3 minutes later: planned under the stepped clock.
  const laterAt = new Date(dueAt.getTime() + LATER_GROUP_AFTER_MS);
  const later = await world.db.query<{ channel: string }>(
    `UPDATE subscriptions s SET next_due_at = $1, local_time = $2::time
     FROM managers m WHERE m.id = s.manager_id AND m.dm_channel_id = ANY($3::text[])
       AND m.id % 4 = 0
     RETURNING m.dm_channel_id AS channel`,
    [laterAt, laterAt.toISOString().slice(11, 16), [...channels]],
  );
  const laterChannels = new Set(later.rows.map((r) => r.channel));
  const laterCount = laterChannels.size;
  // Notes of the later group that reached Slack before their due time, by the real clock.
  let sentEarly = 0;
  const stopEarly = world.standIn.onCall((call) => {
    const body = call.response.body;
    if (call.method !== 'chat.postMessage' || typeof body !== 'object' || body.ok !== true) return;
    if (laterChannels.has(String(body.channel)) && call.at < laterAt) sentEarly += 1;
  });
  context.defer('early counter', async () => stopEarly());
  context.log(
    `${count(total - laterCount)} due at ${dueAt.toISOString()}, ${count(laterCount)} at ${laterAt.toISOString()}`,
  );

  const stepAt = Math.round((total - laterCount) * STEP_AFTER_SHARE);
  const reached = await waitFor(
    () => posts.posts() >= stepAt,
    dueAt.getTime() + 5 * 60_000 - Date.now(),
    20,
  );
  if (!reached) {
    return {
      pass: false,
      figures: `${count(posts.posts())} sent before the step was due`,
      failure: `the fan-out did not reach ${count(stepAt)} posts within 5 minutes`,
    };
  }
  await setOffset(direction * STEP_SECONDS);
  const steppedAt = Date.now();
  if (!(await stepTookEffect(direction * STEP_SECONDS))) {
    throw new Error(`the service's clock did not step: ${await serviceOffset()} s off`);
  }
  const postsAtStep = posts.posts();
  context.log(`clock stepped ${direction > 0 ? '+' : '−'}1 h after ${count(postsAtStep)} posts`);
  let correctedAt: number | undefined;
  let postsAtCorrection = 0;
  if (direction < 0) {
    const holdMs = Math.max(60_000, 2 * 60_000 * context.scale);
    // Past the later group's due time too, so that it is due (by the real clock) while the
    // service's clock says it is not.
    await delay(Math.max(holdMs, laterAt.getTime() + 10_000 - Date.now()));
    postsAtCorrection = posts.posts();
    await setOffset(0);
    correctedAt = Date.now();
    if (!(await stepTookEffect(0))) throw new Error("the service's clock was not put right");
    context.log(`clock put right after ${count(postsAtCorrection)} posts`);
  }

  const sentOrClosed = async () => {
    const { rows } = await world.db.query<{ status: string; n: number }>(
      `SELECT d.status, count(*)::int AS n FROM deliveries d JOIN managers m ON m.id = d.manager_id
       WHERE m.dm_channel_id = ANY($1::text[]) GROUP BY d.status`,
      [[...channels]],
    );
    return new Map(rows.map((r) => [r.status, r.n]));
  };
  const settled = await waitFor(
    async () => {
      const statuses = await sentOrClosed();
      const done = ['sent', ...CLOSED_STATUSES].reduce((n, s) => n + (statuses.get(s) ?? 0), 0);
      return done >= total;
    },
    laterAt.getTime() + 5 * 60_000 - Date.now(),
    500,
  );
  await delay(3_000);
  posts.stop();
  const statuses = await sentOrClosed();
  const sent = statuses.get('sent') ?? 0;
  const closed = CLOSED_STATUSES.reduce((n, s) => n + (statuses.get(s) ?? 0), 0);
  stopEarly();
  const duplicates = posts.duplicates();
  const figures = [
    `${count(sent)} of ${count(total)} sent`,
    `${count(duplicates)} duplicates`,
    `${count(closed)} missed or failed`,
    `stepped after ${count(postsAtStep)}`,
    direction > 0
      ? `${count(sentEarly)} of the ${count(laterCount)} due 3 min later sent before their due time`
      : `${count((correctedAt ? postsAtCorrection : posts.posts()) - postsAtStep)} sent while the clock was behind, the rest after it was put right (last ${seconds((posts.lastPostAt() - (correctedAt ?? steppedAt)) / 1000)} after)`,
  ].join(', ');
  const failures: string[] = [];
  if (!settled || sent !== total) failures.push(`${count(total - sent)} not sent`);
  if (closed > 0) {
    failures.push(
      `${[...statuses]
        .filter(([s]) => s !== 'sent')
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}`,
    );
  }
  if (posts.channelsPosted() !== total) {
    failures.push(`${count(total - posts.channelsPosted())} managers got no note`);
  }
  if (duplicates > 0) failures.push(`${count(duplicates)} notes posted twice`);
  return {
    pass: failures.length === 0,
    figures,
    ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
  };
}

export const clockForward: FaultScenario = {
  id: 'clock-forward',
  title: "the service's clock stepped forward 1 hour mid fan-out (libfaketime), and left there",
  passCondition: 'every note sent, none twice, none recorded missed',
  run: (context) => clockStep(context, 1),
};

export const clockBack: FaultScenario = {
  id: 'clock-back',
  title:
    "the service's clock stepped back 1 hour mid fan-out (libfaketime), put right 2 min × scale later",
  passCondition: 'every note sent, none twice, none recorded missed',
  run: (context) => clockStep(context, -1),
};
