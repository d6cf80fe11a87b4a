/**
 * Slack's posting limits, enforced by the stand-in as Slack documents them: about one message a
 * second per channel with short bursts, and a workspace-wide ceiling, each answered with 429 and
 * a Retry-After (https://docs.slack.dev/apis/web-api/rate-limits). Two bot replicas (split
 * deployment, two bot processes) send a fan-out into that.
 *
 * Promised: a 429 for a workspace holds every replica, not only the one that got it: no post
 * reaches the workspace before the Retry-After has run out (counted at the stand-in), and every
 * note is still delivered, once.
 */
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
 * A post that reaches the stand-in this soon after a 429 was already on its way before its
 * sender could have heard of it (the stand-in answers after its latency): not a broken promise.
 */
const IN_FLIGHT_MS = SLACK_LATENCY_MS + 50;

export const slackRateLimits: FaultScenario = {
  id: 'slack-rate-limits',
  title:
    "Slack's posting limits (1/s per channel with bursts, a workspace ceiling) with 2 bot replicas",
  passCondition:
    'no post to a workspace before its Retry-After ran out (posts already in flight aside), from either replica; all delivered, 0 duplicates',
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
    const early = violations.filter((v) => v.sinceRateLimitMs > IN_FLIGHT_MS);
    const inFlight = violations.length - early.length;
    const worstEarlyMs = Math.max(0, ...early.map((v) => v.earlyByMs));
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
    if (early.length > 0) {
      failures.push(
        `${early.length} posts before the Retry-After ran out (up to ${Math.round(worstEarlyMs)} ms early)`,
      );
    }
    if (sent !== total || posts.posts() < total) failures.push(`${sent} of ${total} sent`);
    if (posts.duplicates() > 0) failures.push(`${posts.duplicates()} duplicates`);
    return {
      pass: failures.length === 0,
      figures:
        `${count(sent)} of ${count(total)} sent in ${drainSeconds.toFixed(1)} s (${postsByBot.map((n) => count(n)).join(' + ')} by the two replicas); ` +
        `429s: ${limited.workspace} workspace, ${limited.channel} channel; ` +
        `posts inside a Retry-After: ${early.length} (worst ${Math.round(worstEarlyMs)} ms early) + ${inFlight} already in flight; ` +
        `${posts.duplicates()} duplicates`,
      ...(failures.length > 0 && { failure: failures.join('; ') }),
    };
  },
};
