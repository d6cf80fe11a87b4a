/**
 * A 30-minute soak (× scale) of the split deployment at a steady mix: Home tab clicks through
 * Slack, API reads of a manager's action items, and a stream of notes falling due one after
 * another and sent through the stand-in. Each service process's RSS and event-loop lag
 * (prom-client's nodejs_eventloop_lag_*, reset at every scrape, so each sample covers the time
 * since the one before) are sampled each minute (× scale, at least every 10 s).
 *
 * Promised: no upward RSS trend beyond 10% after the warm-up (the first 5 minutes × scale): the
 * least-squares line through the samples after it may rise at most 10% from its start to its end;
 * and 0 errors: every request answered 2xx, every note due sent, no error in any service's log.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { signRequest } from '../../src/http/service-signature.ts';
import { seedManagers } from '../bench/fan-out.ts';
import { runLoad, summarise } from '../bench/load.ts';
import { rssOf } from '../bench/service.ts';
import { homeButtonClick } from '../bench/slack-payloads.ts';
import { count } from './figures.ts';
import type { FaultScenario } from './scenario.ts';
import { seedDeliveries } from './slack-outage.ts';
import { signUpUsers } from './slack-traffic.ts';
import { countPosts, startWorld } from './world.ts';

const SOAK_MS_AT_SCALE_1 = 30 * 60_000;
const WARM_UP_MS_AT_SCALE_1 = 5 * 60_000;
const CLICKS_PER_SECOND = 20;
const READS_PER_SECOND = 50;
const NOTES_PER_SECOND = 2;
const RSS_TREND_LIMIT = 0.1;

interface Sample {
  at: number;
  rss: number;
  /** V8's heap in use: beside RSS, tells a leak in JavaScript from memory the process keeps. */
  heapUsed: number;
  lagP99: number;
  lagMax: number;
}

function gauge(text: string, name: string): number {
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

/** Rise of the least-squares line through the samples, from the first to the last, as a share. */
export function risingShare(samples: readonly { at: number; value: number }[]): number {
  if (samples.length < 2) return Number.NaN;
  const n = samples.length;
  const meanX = samples.reduce((s, p) => s + p.at, 0) / n;
  const meanY = samples.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.at - meanX) * (p.value - meanY);
    den += (p.at - meanX) ** 2;
  }
  const slope = den > 0 ? num / den : 0;
  const first = samples[0] as { at: number };
  const last = samples[n - 1] as { at: number };
  const start = meanY + slope * (first.at - meanX);
  return (slope * (last.at - first.at)) / start;
}

export const soak: FaultScenario = {
  id: 'soak',
  title: '30-minute soak at a steady mix: Home tab clicks, API reads, notes falling due',
  passCondition:
    'RSS of each process: least-squares rise ≤ 10% after the 5-minute warm-up; 0 errors (non-2xx, unanswered, unsent notes, error log lines)',
  async run(context) {
    const soakMs = Math.round(SOAK_MS_AT_SCALE_1 * context.scale);
    const warmUpMs = Math.round(WARM_UP_MS_AT_SCALE_1 * context.scale);
    const sampleEveryMs = Math.max(10_000, Math.round(60_000 * context.scale));
    const world = await startWorld(context, 'split');
    const users = await signUpUsers(world, 50, 'U0SOAK');

    // A note falls due every 1/NOTES_PER_SECOND s for the whole soak, each to its own manager.
    const notes = Math.ceil((soakMs / 1000) * NOTES_PER_SECOND);
    const channels = await seedManagers(world.db, world.standIn, world.team, notes);
    const startAt = Date.now() + 5_000;
    await seedDeliveries(
      world.db,
      Array.from({ length: notes }, (_, i) => new Date(startAt + (i * 1000) / NOTES_PER_SECOND)),
    );
    const posts = countPosts(world.standIn, channels);
    context.defer('post counter', async () => posts.stop());
    world.trimStandInCalls();

    const samples = new Map<string, Sample[]>(world.deployment.processes.map((p) => [p.name, []]));
    const sample = async () => {
      for (const service of world.deployment.processes) {
        const text = await service.metrics().catch(() => '');
        samples.get(service.name)?.push({
          at: Date.now(),
          rss: await rssOf(service.pid),
          heapUsed: gauge(text, 'nodejs_heap_size_used_bytes'),
          lagP99: gauge(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
          lagMax: gauge(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
        });
      }
    };
    await delay(startAt - Date.now());
    const started = Date.now();
    await sample();
    const sampler = setInterval(() => void sample(), sampleEveryMs);
    context.defer('soak sampler', async () => clearInterval(sampler));

    const slack = { signingSecret: world.signingSecret, standIn: world.standIn };
    let turn = 0;
    const reader = users[0] as string;
    const { apiSigningSecret } = world.settings;
    const pathAndQuery = '/api/v1/action-items';
    context.log(`soaking for ${Math.round(soakMs / 1000)} s`);
    const [clicks, reads] = await Promise.all([
      runLoad({
        url: world.deployment.slack.url,
        method: 'POST',
        path: '/slack/events',
        rate: CLICKS_PER_SECOND,
        durationSeconds: Math.round(soakMs / 1000),
        connections: 10,
        prepare: () =>
          homeButtonClick(slack, users[turn++ % users.length] as string, 'home_resume'),
      }),
      runLoad({
        url: world.deployment.api.url,
        path: pathAndQuery,
        rate: READS_PER_SECOND,
        durationSeconds: Math.round(soakMs / 1000),
        connections: 10,
        // Signed afresh each time: a signature is good for five minutes only.
        prepare: () => ({
          headers: {
            authorization: `Bearer ${world.serviceToken}`,
            'x-slack-team-id': world.team,
            'x-slack-user-id': reader,
            ...signRequest(
              apiSigningSecret,
              { method: 'GET', pathAndQuery, slackTeamId: world.team, slackUserId: reader },
              new Date(),
            ),
          },
          body: '',
        }),
      }),
    ]);
    clearInterval(sampler);
    await sample();
    // The last notes fell due at the end: give them the sender's usual few seconds.
    await delay(10_000);
    const { rows } = await world.db.query<{ status: string; n: number }>(
      `SELECT d.status, count(*)::int AS n FROM deliveries d JOIN managers m ON m.id = d.manager_id
       WHERE m.slack_user_id LIKE 'U0FAN%' AND d.due_at <= now() - interval '5 seconds'
       GROUP BY d.status`,
    );
    const due = rows.reduce((sum, r) => sum + r.n, 0);
    const sent = rows.find((r) => r.status === 'sent')?.n ?? 0;

    const clickSummary = summarise(clicks);
    const readSummary = summarise(reads);
    const logErrors = world.deployment.processes.reduce((sum, p) => sum + p.logSummary().error, 0);
    const errors =
      clickSummary.non2xx +
      clickSummary.unanswered +
      readSummary.non2xx +
      readSummary.unanswered +
      (due - sent) +
      logErrors +
      posts.duplicates();
    const perProcess = world.deployment.processes.map((p) => {
      const all = samples.get(p.name) ?? [];
      const afterWarmUp = all.filter((s) => s.at - started >= warmUpMs);
      const trend = risingShare(afterWarmUp.map((s) => ({ at: s.at, value: s.rss })));
      const heapTrend = risingShare(afterWarmUp.map((s) => ({ at: s.at, value: s.heapUsed })));
      const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
      const lagP99 = Math.max(0, ...all.map((s) => s.lagP99).filter(Number.isFinite));
      const lagMax = Math.max(0, ...all.map((s) => s.lagMax).filter(Number.isFinite));
      return {
        name: p.name,
        trend,
        text: `${p.name} ${mb(afterWarmUp[0]?.rss ?? 0)}→${mb(afterWarmUp.at(-1)?.rss ?? 0)} MB (trend ${(trend * 100).toFixed(1)}%; heap used ${mb(afterWarmUp[0]?.heapUsed ?? 0)}→${mb(afterWarmUp.at(-1)?.heapUsed ?? 0)} MB, ${(heapTrend * 100).toFixed(1)}%), lag p99 ≤ ${lagP99.toFixed(0)} ms, max ${lagMax.toFixed(0)} ms`,
      };
    });
    const failures: string[] = [];
    for (const p of perProcess) {
      if (!(p.trend <= RSS_TREND_LIMIT))
        failures.push(`${p.name}: RSS trend ${(p.trend * 100).toFixed(1)}%`);
    }
    if (errors > 0) failures.push(`${errors} errors`);
    return {
      pass: failures.length === 0,
      figures:
        `${Math.round(soakMs / 60_000)} min: ${count(clickSummary.answered)} clicks, ${count(readSummary.answered)} reads, ${count(sent)} of ${count(due)} notes due sent; ` +
        `${perProcess.map((p) => p.text).join('; ')}; ` +
        `errors: ${clickSummary.non2xx + clickSummary.unanswered} clicks, ${readSummary.non2xx + readSummary.unanswered} reads, ${due - sent} notes unsent, ${posts.duplicates()} duplicates, ${logErrors} error log lines`,
      ...(failures.length > 0 && { failure: failures.join('; ') }),
    };
  },
};
