/**
 * `npm run bench -- --only exhaustion`: the whole bench's section 3 alone (scripts/bench/
 * exhaustion.ts), on a fresh all-in-one service seeded as the whole bench seeds it, with the
 * service's memory read every second: what the scenario does to the process, without the
 * phases before it. About a minute.
 */
import { runExhaustion } from './exhaustion.ts';
import { seedClickers, seedReader, signedActionItemsRead } from './harness.ts';
import { megabytes as mb, renderTable } from './report.ts';
import { type SectionOptions, startSectionService } from './section-service.ts';
import { peakRssOf, type ServiceMemory } from './service.ts';
import {
  API_RATE,
  CLICKERS,
  EXHAUSTION_LOCK_SECONDS,
  SEEDED_ITEMS,
  SLACK_RATE,
} from './whole-results.ts';

export async function exhaustionBenchMain(options: SectionOptions): Promise<void> {
  const started = Date.now();
  const section = await startSectionService(options);
  const { standIn, deployment, api, serviceToken, apiSigningSecret, signingSecret } = section;
  const service = deployment.api;
  try {
    const team = standIn.identity.teamId;
    const reader = await seedReader(api, SEEDED_ITEMS);
    const clickers = await seedClickers(api, standIn, 'U0BENCHC', CLICKERS);
    let turn = 0;
    const readHeaders = signedActionItemsRead(serviceToken, apiSigningSecret, team, reader);
    const before = await service.memory();
    const timeline: Array<{ second: number; memory: ServiceMemory }> = [];
    const lockedFrom = Date.now();
    const sampler = setInterval(() => {
      const second = Math.round((Date.now() - lockedFrom) / 1000);
      service.memory().then(
        (memory) => timeline.push({ second, memory }),
        () => {},
      );
    }, 1_000);
    const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = [];
    let result: Awaited<ReturnType<typeof runExhaustion>>;
    try {
      result = await runExhaustion({
        databaseUrl: deployment.databaseUrl,
        processes: deployment.processes,
        apiUrl: service.url,
        slackUrl: deployment.slack.url,
        connections: 10,
        slack: { signingSecret, standIn },
        nextClicker: () => clickers[turn++ % clickers.length] as string,
        readHeaders,
        signedRead: () => ({ headers: readHeaders(), body: '' }),
        cleanups,
      });
    } finally {
      clearInterval(sampler);
      for (const step of cleanups.reverse()) await step.run();
    }
    const peak = await peakRssOf(service.pid);
    const { api: reads, slack, withinTwoSeconds, recoveryMs, cpu } = result;
    process.stdout.write(
      `\nPool exhaustion, ${new Date(started).toISOString()}: all-in-one, ${deployment.databaseDescription}; ` +
        `action_items locked ${EXHAUSTION_LOCK_SECONDS} s under ${API_RATE} reads/s and ${SLACK_RATE} /blindspot actions/s; ` +
        `${Math.round((Date.now() - started) / 1000)} s\n\n${renderTable([
          {
            scenario: 'reads due while locked',
            figure: 'answered within 2 s (any status)',
            text: `${withinTwoSeconds.toLocaleString('en-US')} of ${reads.answered.toLocaleString('en-US')}; ${reads.unanswered} unanswered`,
          },
          { figure: 'p50 / p99', text: `${reads.p50.toFixed(0)} / ${reads.p99.toFixed(0)} ms` },
          { figure: 'first 200 after the lock went', value: recoveryMs, unit: 'ms' },
          {
            scenario: 'Slack commands while locked',
            figure: 'ack p99',
            value: slack.p99,
            unit: 'ms',
          },
          { scenario: 'service', figure: 'CPU', value: cpu.process, unit: 'cores' },
          {
            figure: 'VmRSS before; peak (VmHWM)',
            text: `${mb(before.rss)}; ${mb(peak)}`,
          },
        ])}\n\nService memory each second from the lock (VmRSS, V8 heap used / total): ${timeline
          .sort((a, b) => a.second - b.second)
          .map(
            ({ second, memory }) =>
              `${second} s ${mb(memory.rss)} (${mb(memory.heapUsed)} / ${mb(memory.heapTotal)})`,
          )
          .join('; ')}\n`,
    );
  } finally {
    await section.cleanUp();
  }
}
