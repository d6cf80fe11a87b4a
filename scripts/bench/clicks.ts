import { setTimeout as delay } from 'node:timers/promises';
import { type Measured, seedClickers, startBaselineServer } from './harness.ts';
import { type Row, renderTable } from './report.ts';
import {
  type RatedSectionOptions,
  SECTION_WARM_UP_SECONDS,
  startSectionService,
} from './section-service.ts';
import { homeButtonClick, type SlackPayloadSettings } from './slack-payloads.ts';
import { CLICKERS, SLACK_LATENCY_MS } from './whole-results.ts';

const ACK_P99_TARGET_MS = 50;
export const DEFAULT_CLICK_RATES = [200, 500, 1000];

export type ClickBenchOptions = RatedSectionOptions;

interface RateResult {
  rate: number;
  click: Measured;
  bare: Measured;
  /** Statements run during the click run, by the name the service's metrics give them. */
  statements: Map<string, number>;
}

/** The service's statement counts by name, from its /metrics. */
export function statementCounts(metrics: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    const match =
      /^blindspot_db_query_duration_seconds_count\{[^}]*query="([^"]*)"[^}]*\} (\S+)$/.exec(line);
    if (match)
      counts.set(match[1] as string, (counts.get(match[1] as string) ?? 0) + Number(match[2]));
  }
  return counts;
}

/** What ran between two readings, most first. */
export function statementsBetween(before: Map<string, number>, after: Map<string, number>) {
  const ran = new Map<string, number>();
  for (const [name, count] of after) {
    const n = count - (before.get(name) ?? 0);
    if (n > 0) ran.set(name, n);
  }
  return new Map([...ran].sort((a, b) => b[1] - a[1]));
}

/** Every click acknowledged, and the p99 ack under the target. */
const meetsAckTarget = (m: Measured) => m.p99 < ACK_P99_TARGET_MS && m.non2xx + m.unanswered === 0;

/** CPU per answered request, in ms, from the average cores used over the run. */
export const cpuMsPer = (m: Measured) => (m.cpu.process * 1000) / Math.max(m.throughput, 1e-9);

export async function clickBenchMain(options: ClickBenchOptions): Promise<void> {
  const started = Date.now();
  const section = await startSectionService({ ...options, slackLatencyMs: SLACK_LATENCY_MS });
  const { standIn, deployment, api, signingSecret, steady, settle, defer, cleanUp } = section;
  try {
    const service = deployment.api;
    const clickers = await seedClickers(api, standIn, 'U0CLICK', CLICKERS);
    let turn = 0;
    const slack: SlackPayloadSettings = { signingSecret, standIn };
    const baseline = await startBaselineServer(options.repoRoot, deployment.databaseUrl);
    defer('baseline server', () => baseline.stop());

    const results: RateResult[] = [];
    for (const rate of options.rates) {
      const bare = await steady(`bare Fastify`, [{ name: 'baseline', pid: baseline.pid }], {
        url: baseline.url,
        path: '/bare',
        rate,
      });
      standIn.reset();
      standIn.setLatency('*', SLACK_LATENCY_MS);
      const countsBefore = statementCounts(await service.metrics());
      const click = await steady(
        'block_actions home_resume',
        deployment.processes,
        {
          url: service.url,
          method: 'POST',
          path: '/slack/events',
          rate,
          prepare: () =>
            homeButtonClick(slack, clickers[turn++ % clickers.length] as string, 'home_resume'),
        },
        service,
      );
      // The follow-ups of the last clicks finish before the next rate starts.
      await delay(1_000);
      await settle();
      const ran = statementsBetween(countsBefore, statementCounts(await service.metrics()));
      results.push({ rate, click, bare, statements: ran });
    }
    const logs = service.logSummary();
    await cleanUp();
    process.stdout.write(
      `\nHome-tab clicks, ${new Date(started).toISOString()}: all-in-one, ${deployment.databaseDescription}; ` +
        `steady runs of ${options.seconds} s, 10 connections; Slack stand-in ${SLACK_LATENCY_MS} ms; ` +
        `${Math.round((Date.now() - started) / 1000)} s\n\n${renderTable(clickRows(results))}\n\n` +
        results
          .map(
            ({ rate, click, statements }) =>
              `Statements per click at ${rate}/s, by name (warm-up and its clicks included): ${[
                ...statements,
              ]
                .map(
                  ([name, n]) =>
                    `${name} ${(n / (click.answered + rate * SECTION_WARM_UP_SECONDS)).toFixed(2)}`,
                )
                .join(', ')}\n`,
          )
          .join('') +
        '\n' +
        `Service log at warn: ${logs.warn} warnings, ${logs.error} errors` +
        `${[...logs.messages].map(([message, n]) => `; ${n} × ${message}`).join('')}\n`,
    );
  } finally {
    await cleanUp();
  }
}

function clickRows(results: readonly RateResult[]): Row[] {
  const rows: Row[] = [];
  for (const { rate, click, bare } of results) {
    const queries = click.db ? click.db.queries / Math.max(click.answered, 1) : Number.NaN;
    rows.push(
      {
        scenario: `Home click \`home_resume\`, ${rate}/s`,
        figure: 'answers/s',
        value: click.throughput,
        unit: '/s',
        baseline: bare.throughput,
        baselineName: 'bare Fastify',
      },
      {
        figure: 'ack p50',
        value: click.p50,
        unit: 'ms',
        baseline: bare.p50,
        baselineName: 'bare Fastify',
      },
      {
        figure: 'ack p99',
        value: click.p99,
        unit: 'ms',
        baseline: bare.p99,
        baselineName: 'bare Fastify',
        target: `< ${ACK_P99_TARGET_MS} ms`,
        met: meetsAckTarget(click),
      },
      {
        figure: 'non-2xx / no answer',
        value: click.non2xx,
        unit: 'count',
        extra: click.unanswered,
      },
      {
        figure: 'service CPU per click (ack and follow-up)',
        value: cpuMsPer(click),
        unit: 'ms',
        text: `${cpuMsPer(click).toFixed(2)} ms (${click.cpu.process.toFixed(2)} cores)`,
        target: '≤ 1 ms',
        met: cpuMsPer(click) <= 1,
      },
      {
        figure: 'statements per click; mean wait for a connection',
        value: queries,
        unit: 'count',
        text: `${queries.toFixed(1)}; ${click.db?.meanPoolWaitMs.toFixed(2) ?? 'n/a'} ms`,
        target: '≤ 4',
        met: queries <= 4,
      },
    );
  }
  const meeting = results.filter((r) => meetsAckTarget(r.click));
  rows.push({
    scenario: 'Highest rate measured with p99 ack < 50 ms',
    figure: 'clicks/s',
    text: meeting.length > 0 ? `${Math.max(...meeting.map((r) => r.rate))}/s` : 'none',
    target: '1,000/s',
    met: meeting.some((r) => r.rate >= 1000),
  });
  return rows;
}
