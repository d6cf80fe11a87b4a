import { setTimeout as delay } from 'node:timers/promises';
import { cpuMsPer, statementCounts, statementsBetween } from './clicks.ts';
import {
  type Measured,
  seedReader,
  signedActionItemsRead,
  startBaselineServer,
} from './harness.ts';
import { histogramTotals } from './process-probes.ts';
import { type Row, renderTable } from './report.ts';
import {
  type RatedSectionOptions,
  SECTION_WARM_UP_SECONDS,
  startSectionService,
} from './section-service.ts';
import { SEEDED_ITEMS } from './whole-results.ts';

const P99_TARGET_MS = 10;
export const DEFAULT_READ_RATES = [500, 1000];

export type ReadBenchOptions = RatedSectionOptions;

interface RateResult {
  rate: number;
  read: Measured;
  bare: Measured;
  select: Measured;
  statements: Map<string, number>;
  gc: GcUse;
}

/** The service's garbage collection over a steady run, its warm-up included. */
interface GcUse {
  fullCollections: number;
  fullMs: number;
  youngMs: number;
}

/** Collections between two readings of the service's /metrics (prom-client's, by kind). */
export function gcBetween(before: string, after: string): GcUse {
  // A kind the process has not run yet has no series: NaN, which counts as none.
  const totals = (text: string, kind: string) => {
    const { count, sum } = histogramTotals(text, 'nodejs_gc_duration_seconds', `kind="${kind}"`);
    return { count: count || 0, sum: sum || 0 };
  };
  const of = (kind: string) => {
    const [b, a] = [totals(before, kind), totals(after, kind)];
    return { count: a.count - b.count, ms: (a.sum - b.sum) * 1000 };
  };
  const [full, young] = [of('major'), of('minor')];
  return { fullCollections: full.count, fullMs: full.ms, youngMs: young.ms };
}

const meetsTarget = (m: Measured) => m.p99 < P99_TARGET_MS && m.non2xx + m.unanswered === 0;

export async function readBenchMain(options: ReadBenchOptions): Promise<void> {
  const started = Date.now();
  // The bot starts as it does in production, against the stand-in; the reads never reach it.
  const section = await startSectionService(options);
  const { standIn, deployment, api, serviceToken, apiSigningSecret, steady, settle, defer } =
    section;
  const team = standIn.identity.teamId;
  try {
    const service = deployment.api;
    const reader = await seedReader(api, SEEDED_ITEMS);
    const headers = signedActionItemsRead(serviceToken, apiSigningSecret, team, reader);
    const signedRead = () => ({ headers: headers(), body: '' });
    const baseline = await startBaselineServer(options.repoRoot, deployment.databaseUrl);
    defer('baseline server', () => baseline.stop());
    const baselineAt = (rate: number, path: string) =>
      steady(`baseline ${path}`, [{ name: 'baseline', pid: baseline.pid }], {
        url: baseline.url,
        path,
        rate,
      });

    const results: RateResult[] = [];
    for (const rate of options.rates) {
      const bare = await baselineAt(rate, '/bare');
      const select = await baselineAt(rate, '/select-1');
      const metricsBefore = await service.metrics();
      const read = await steady(
        'GET /api/v1/action-items',
        deployment.processes,
        { url: service.url, path: '/api/v1/action-items', prepare: signedRead, rate },
        service,
      );
      // Read at once: an idle process collects too (V8's memory reducer, the heap trimmer), and
      // settle() below can wait many seconds for the machine to go quiet.
      const gc = gcBetween(metricsBefore, await service.metrics());
      await delay(500);
      await settle();
      const metricsAfter = await service.metrics();
      const ran = statementsBetween(statementCounts(metricsBefore), statementCounts(metricsAfter));
      results.push({ rate, read, bare, select, statements: ran, gc });
    }
    const logs = service.logSummary();
    await section.cleanUp();
    process.stdout.write(
      `\nAPI reads, ${new Date(started).toISOString()}: all-in-one, ${deployment.databaseDescription}; ` +
        `steady runs of ${options.seconds} s, 10 connections; ${SEEDED_ITEMS} open items; ` +
        `${Math.round((Date.now() - started) / 1000)} s\n\n${renderTable(readRows(results))}\n\n` +
        results
          .map(
            ({ rate, read, statements }) =>
              `Statements per read at ${rate}/s, by name (warm-up included): ${[...statements]
                .map(
                  ([name, n]) =>
                    `${name} ${(n / (read.answered + rate * SECTION_WARM_UP_SECONDS)).toFixed(2)}`,
                )
                .join(', ')}\n`,
          )
          .join('') +
        `\nService log at warn: ${logs.warn} warnings, ${logs.error} errors` +
        `${[...logs.messages].map(([message, n]) => `; ${n} × ${message}`).join('')}\n`,
    );
  } finally {
    await section.cleanUp();
  }
}

function readRows(results: readonly RateResult[]): Row[] {
  const rows: Row[] = [];
  for (const { rate, read, bare, select, gc } of results) {
    const reads = read.answered + rate * SECTION_WARM_UP_SECONDS;
    const queries = read.db ? read.db.queries / Math.max(read.answered, 1) : Number.NaN;
    rows.push(
      {
        scenario: `\`GET /api/v1/action-items\`, ${rate}/s`,
        figure: 'answers/s',
        value: read.throughput,
        unit: '/s',
        baseline: bare.throughput,
        baselineName: 'bare Fastify',
      },
      {
        figure: 'p50',
        value: read.p50,
        unit: 'ms',
        baseline: select.p50,
        baselineName: 'Fastify + SELECT 1',
      },
      {
        figure: 'p99',
        value: read.p99,
        unit: 'ms',
        baseline: select.p99,
        baselineName: 'Fastify + SELECT 1',
        target: `< ${P99_TARGET_MS} ms`,
        met: meetsTarget(read),
      },
      {
        figure: 'non-2xx / no answer',
        value: read.non2xx,
        unit: 'count',
        extra: read.unanswered,
      },
      {
        figure: 'service CPU per read',
        value: cpuMsPer(read),
        unit: 'ms',
        text: `${cpuMsPer(read).toFixed(2)} ms (${read.cpu.process.toFixed(2)} cores)`,
      },
      {
        figure: 'statements per read; mean wait for a connection',
        value: queries,
        unit: 'count',
        text: `${queries.toFixed(1)}; ${read.db?.meanPoolWaitMs.toFixed(2) ?? 'n/a'} ms`,
      },
      {
        // A full collection stalls every request behind it: the read tail's main cause.
        figure: 'full collections (their pause); young collections per read, warm-up included',
        value: gc.fullCollections,
        unit: 'count',
        text: `${gc.fullCollections} (${gc.fullMs.toFixed(1)} ms); ${((gc.youngMs * 1000) / reads).toFixed(0)} µs`,
      },
    );
  }
  const meeting = results.filter((r) => meetsTarget(r.read));
  rows.push({
    scenario: `Highest rate measured with p99 < ${P99_TARGET_MS} ms`,
    figure: 'reads/s',
    text: meeting.length > 0 ? `${Math.max(...meeting.map((r) => r.rate))}/s` : 'none',
    target: '1,000/s',
    met: meeting.some((r) => r.rate >= 1000),
  });
  return rows;
}
