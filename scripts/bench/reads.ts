/**
 * `npm run bench -- --only reads`: `GET /api/v1/action-items` against the all-in-one service at
 * rising rates, each beside a bare Fastify endpoint and a Fastify endpoint that runs `SELECT 1`
 * at the same rate in the same run (issue 19, item 5: p99 < 10 ms at 1,000/s). For each rate:
 * p50 and p99, the service's CPU per read and its statements per read.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { signRequest } from '../../src/http/service-signature.ts';
import { startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { cpuMsPer, statementCounts, statementsBetween } from './clicks.ts';
import {
  apiCaller,
  cleanupsOnExit,
  log,
  type Measured,
  startBaselineServer,
  steadyRuns,
} from './harness.ts';
import { type Row, renderTable } from './report.ts';
import { startDeployment } from './service.ts';

const P99_TARGET_MS = 10;
const WARM_UP_SECONDS = 3;
/** The reader's open items: as many as the whole bench seeds. */
const SEEDED_ITEMS = 20;
export const DEFAULT_READ_RATES = [500, 1000];

export interface ReadBenchOptions {
  repoRoot: string;
  seconds: number;
  rates: readonly number[];
  nodeOptions?: string;
  env: Record<string, string>;
}

interface RateResult {
  rate: number;
  read: Measured;
  bare: Measured;
  select: Measured;
  statements: Map<string, number>;
}

const meetsTarget = (m: Measured) => m.p99 < P99_TARGET_MS && m.non2xx + m.unanswered === 0;

export async function readBenchMain(options: ReadBenchOptions): Promise<void> {
  const started = Date.now();
  const { steps, cleanUp } = cleanupsOnExit(15 * 60_000);
  const defer = (name: string, run: () => Promise<unknown>) => steps.push({ name, run });
  const { steady, settle } = steadyRuns({
    runSeconds: options.seconds,
    warmUpSeconds: WARM_UP_SECONDS,
    connections: 10,
    settleMs: 2_000,
  });
  try {
    const serviceToken = randomBytes(32).toString('base64url');
    const apiSigningSecret = randomBytes(32).toString('base64url');
    // The bot starts as it does in production, against the stand-in; the reads never reach it.
    const standIn = await startSlackStandIn({});
    defer('Slack stand-in', () => standIn.close());
    const team = standIn.identity.teamId;
    log('starting the service (all-in-one)…');
    const deployment = await startDeployment(
      'all-in-one',
      {
        repoRoot: options.repoRoot,
        slackApiUrl: standIn.url,
        slackBotToken: `xoxb-bench-${randomBytes(8).toString('hex')}`,
        slackSigningSecret: randomBytes(16).toString('hex'),
        apiServiceToken: serviceToken,
        apiSigningSecret,
        nodeOptions: options.nodeOptions,
        env: options.env,
      },
      defer,
    );
    const service = deployment.api;
    log(
      `${service.name}: ${service.command}, pid ${service.pid}; ${deployment.databaseDescription}`,
    );
    const api = apiCaller(service.url, serviceToken, apiSigningSecret, team);
    const reader = 'U0BENCHREADER';
    await api('PUT', '/me', reader, { timeZone: 'UTC', locale: 'en-US' });
    for (let i = 1; i <= SEEDED_ITEMS; i++) {
      await api('POST', '/action-items', reader, { text: `Benchmark action ${i}`, source: 'api' });
    }
    // Signed afresh for each request, as the bot signs its calls.
    const signedRead = () => ({
      headers: {
        authorization: `Bearer ${serviceToken}`,
        'x-slack-team-id': team,
        'x-slack-user-id': reader,
        ...signRequest(
          apiSigningSecret,
          {
            method: 'GET',
            pathAndQuery: '/api/v1/action-items',
            slackTeamId: team,
            slackUserId: reader,
          },
          new Date(),
        ),
      },
      body: '',
    });
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
      const countsBefore = statementCounts(await service.metrics());
      const read = await steady(
        'GET /api/v1/action-items',
        deployment.processes,
        { url: service.url, path: '/api/v1/action-items', prepare: signedRead, rate },
        service,
      );
      await delay(500);
      await settle();
      const ran = statementsBetween(countsBefore, statementCounts(await service.metrics()));
      results.push({ rate, read, bare, select, statements: ran });
    }
    const logs = service.logSummary();
    await cleanUp();
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
                    `${name} ${(n / (read.answered + rate * WARM_UP_SECONDS)).toFixed(2)}`,
                )
                .join(', ')}\n`,
          )
          .join('') +
        `\nService log at warn: ${logs.warn} warnings, ${logs.error} errors` +
        `${[...logs.messages].map(([message, n]) => `; ${n} × ${message}`).join('')}\n`,
    );
  } finally {
    await cleanUp();
  }
}

function readRows(results: readonly RateResult[]): Row[] {
  const rows: Row[] = [];
  for (const { rate, read, bare, select } of results) {
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
