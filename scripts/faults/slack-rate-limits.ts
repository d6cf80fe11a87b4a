/**
 * Slack's posting limits, enforced by the stand-in as Slack documents them: about one message a
 * second per channel with short bursts, and a workspace-wide ceiling, each answered with 429 and
 * a Retry-After (https://docs.slack.dev/apis/web-api/rate-limits). Two bot replicas (split
 * deployment, two bot processes) send a fan-out into that.
 *
 * Promised: a 429 for a workspace holds every replica, not only the one that got it, within a
 * stated bound: the replica that got it stops at once; the other learns of it when it next reads
 * the holds (every holdPollMs, src/bot/outbox-holds.ts), so a post it had under way, or sent on
 * a view of the holds up to holdPollMs old, may still reach the workspace that long after the
 * 429. No post may reach it later than that inside the Retry-After (counted at the stand-in),
 * and every note is still delivered, once.
 */

import { DEFAULT_HOLD_POLL_MS } from '../../src/bot/outbox-holds.ts';
import { activateAll, progress, seedManagers } from '../bench/fan-out.ts';
import { startServiceProcess } from '../bench/service.ts';
import { count, waitFor } from './figures.ts';
import type { FaultScenario } from './scenario.ts';
import { countPosts, SLACK_LATENCY_MS, startWorld } from './world.ts';

const FAN_OUT_AT_SCALE_1 = 2_000;
/**
 * Slack publishes no figure for the workspace-wide ceiling; 20 a second with bursts of 40 is
 * well under what two replicas can post (32 in flight each), so the limit is met at once.
 */
const WORKSPACE_LIMIT = { perSecond: 20, burst: 40 };
const CHANNEL_LIMIT = { perSecond: 1, burst: 3 };
/**
 * How long after a 429 (its arrival at the stand-in) a post may still reach the workspace: the
 * 429 reaches its sender after the stand-in's latency, the sender reports it (the API records
 * the hold), and the other replica reads the holds at most holdPollMs later; 50 ms for those
 * API calls and for a post already on its way. The bots run with the default holdPollMs.
 */
const PROPAGATION_BOUND_MS = DEFAULT_HOLD_POLL_MS + SLACK_LATENCY_MS + 50;

export const slackRateLimits: FaultScenario = {
  id: 'slack-rate-limits',
  title:
    "Slack's posting limits (1/s per channel with bursts, a workspace ceiling) with 2 bot replicas",
  passCondition: `no post inside a workspace's Retry-After later than ${PROPAGATION_BOUND_MS} ms (holdPollMs ${DEFAULT_HOLD_POLL_MS} + Slack ${SLACK_LATENCY_MS} + 50 ms) after its 429, from either replica; all delivered, 0 duplicates`,
  async run(context) {
    const world = await startWorld(context, 'split');
    const secondBot = await startServiceProcess(
      world.settings,
      'bot-2',
      'src/entrypoints/bot.ts',
      { API_URL: world.deployment.api.url },
      true,
      context.defer,
    );
    context.log(`  bot-2: pid ${secondBot.pid} at ${secondBot.url}`);

    const total = Math.max(200, Math.round(FAN_OUT_AT_SCALE_1 * context.scale));
    const channels = await seedManagers(world.db, world.standIn, world.team, total);
    const posts = countPosts(world.standIn, channels);
    context.defer('post counter', async () => posts.stop());
    // Which replica posted: each process's own count of Slack's answers.
    world.standIn.enforceRateLimits({ perChannel: CHANNEL_LIMIT, workspace: WORKSPACE_LIMIT });
    context.defer('rate limits', async () => world.standIn.enforceRateLimits(undefined));
    world.trimStandInCalls();
    const { dueAt } = await activateAll(world.db);
    context.log(
      `fan-out of ${count(total)} due at ${dueAt.toISOString()}; workspace limit ${WORKSPACE_LIMIT.perSecond}/s`,
    );

    // The floor: the limit itself, plus Retry-After pauses and back-off.
    const deadline = dueAt.getTime() + 60_000 + (total / WORKSPACE_LIMIT.perSecond) * 5_000;
    await waitFor(() => posts.posts() >= total, deadline - Date.now(), 500);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const { sent } = await progress(world.db);
    const drainSeconds = (posts.lastPostAt() - dueAt.getTime()) / 1000;
    const { limited, violations } = world.standIn.rateLimitViolations();
    const beyond = violations.filter((v) => v.sinceRateLimitMs > PROPAGATION_BOUND_MS);
    const within = violations.length - beyond.length;
    const latestWithinMs = Math.max(
      0,
      ...violations
        .filter((v) => v.sinceRateLimitMs <= PROPAGATION_BOUND_MS)
        .map((v) => v.sinceRateLimitMs),
    );
    const worstBeyondMs = Math.max(0, ...beyond.map((v) => v.sinceRateLimitMs));
    const bots = [world.deployment.processes.find((p) => p.name === 'bot'), secondBot];
    const postsByBot = await Promise.all(
      bots.map(async (bot) => {
        const text = await bot?.metrics().catch(() => '');
        const match =
          /^blindspot_slack_api_calls_total\{[^}]*method="chat\.postMessage"[^}]*result="ok"[^}]*\} (\S+)$/m.exec(
            text ?? '',
          );
        return match ? Number(match[1]) : Number.NaN;
      }),
    );

    const failures: string[] = [];
    if (beyond.length > 0) {
      failures.push(
        `${beyond.length} posts inside a Retry-After beyond the ${PROPAGATION_BOUND_MS} ms bound (up to ${Math.round(worstBeyondMs)} ms after the 429)`,
      );
    }
    if (sent !== total || posts.posts() < total) failures.push(`${sent} of ${total} sent`);
    if (posts.duplicates() > 0) failures.push(`${posts.duplicates()} duplicates`);
    return {
      pass: failures.length === 0,
      figures:
        `${count(sent)} of ${count(total)} sent in ${drainSeconds.toFixed(1)} s (${postsByBot.map((n) => count(n)).join(' + ')} by the two replicas); ` +
        `429s: ${limited.workspace} workspace, ${limited.channel} channel; ` +
        `posts inside a Retry-After: ${within} within ${PROPAGATION_BOUND_MS} ms of the 429 (latest ${Math.round(latestWithinMs)} ms), ${beyond.length} beyond it` +
        (beyond.length > 0 ? ` (latest ${Math.round(worstBeyondMs)} ms); ` : '; ') +
        `${posts.duplicates()} duplicates`,
      ...(failures.length > 0 && { failure: failures.join('; ') }),
    };
  },
};
