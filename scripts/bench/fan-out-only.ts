/**
 * `npm run bench -- --only fan-out`: the whole bench's fan-out scenario on a fresh service, with
 * nothing run before it. A run takes about two minutes instead of five, so a change to the
 * outbox can be measured, and a slowdown bisected, in a sitting. The figures are the same as
 * the whole bench's section 4, against the same direct-post baseline taken in the same run;
 * the whole bench runs the fan-out after the load and pool-exhaustion scenarios, so its figures
 * can differ from these.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { runFanOut, SENDER_CONCURRENCY } from './fan-out.ts';
import { apiCaller, cleanupsOnExit, cpuText, log } from './harness.ts';
import { histogramSeries } from './process-probes.ts';
import { megabytes, type Row, renderTable } from './report.ts';
import { type Deployment, startDeployment } from './service.ts';
import { FAN_OUT_DEADLINE_MS, SLACK_LATENCY_MS } from './whole-results.ts';

export interface FanOutBenchOptions {
  repoRoot: string;
  deployment: Deployment;
  /** Split only: how many of each service. */
  replicas: number;
  count: number;
  nodeOptions: string | undefined;
  env: Record<string, string>;
  statusesKnown: boolean;
}

export async function fanOutBenchMain(options: FanOutBenchOptions): Promise<void> {
  const { steps, cleanUp } = cleanupsOnExit(FAN_OUT_DEADLINE_MS + 5 * 60_000);
  const defer = (name: string, run: () => Promise<unknown>) => steps.push({ name, run });
  try {
    const standIn = await startSlackStandIn({ latencyMs: SLACK_LATENCY_MS });
    defer('Slack stand-in', () => standIn.close());
    const resetStandIn = () => {
      standIn.reset();
      standIn.setLatency('*', SLACK_LATENCY_MS);
    };
    resetStandIn();
    const serviceToken = randomBytes(32).toString('base64url');
    const apiSigningSecret = randomBytes(32).toString('base64url');
    const shape =
      options.replicas > 1
        ? `split, ${options.replicas} each of api, bot and worker`
        : options.deployment;
    log(`starting the service (${shape})…`);
    const deployment = await startDeployment(
      options.deployment,
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
      options.replicas,
    );
    log(deployment.databaseDescription);
    const team = standIn.identity.teamId;
    const db = new pg.Client({
      connectionString: deployment.databaseUrl,
      application_name: 'bench',
    });
    await db.connect();
    defer('bench database client', () => db.end());
    // The first call creates the workspace, with the shipped catalogue.
    const api = apiCaller(deployment.api.url, serviceToken, apiSigningSecret, team);
    await api('PUT', '/me', 'U0FANOUTREADER', { timeZone: 'UTC', locale: 'en-US' });

    const { baseline, outcome, cpu, duplicates, calls } = await runFanOut({
      db,
      standIn,
      slackTeamId: team,
      count: options.count,
      processes: deployment.processes,
      slackLatencyMs: SLACK_LATENCY_MS,
      deadlineMs: FAN_OUT_DEADLINE_MS,
      resetStandIn,
      statusesKnown: options.statusesKnown,
    });
    const perDelivery = outcome.sent > 0 ? (cpu.process * 1000) / outcome.perSecond : Number.NaN;
    const name = `direct postMessage ×${SENDER_CONCURRENCY}`;
    const rows: Row[] = [
      {
        scenario: `Fan-out only (${shape}): ${options.count.toLocaleString('en-US')} due in one minute, Slack at ${SLACK_LATENCY_MS} ms, statuses ${options.statusesKnown ? 'known' : 'unknown (read per note)'}`,
        figure: 'deliveries/s (due → last sent)',
        value: outcome.perSecond,
        unit: '/s',
        baseline: baseline.perSecond,
        baselineName: name,
        target: '≥ 0.9×',
        met: outcome.perSecond >= 0.9 * baseline.perSecond,
      },
      {
        figure: 'lateness p50',
        value: outcome.latenessP50Seconds * 1000,
        unit: 'ms',
        baseline: baseline.p50Ms,
        baselineName: name,
      },
      {
        figure: 'lateness p99',
        value: outcome.latenessP99Seconds * 1000,
        unit: 'ms',
        baseline: baseline.p99Ms,
        baselineName: name,
        target: '≤ baseline + 1 s',
        met: outcome.latenessP99Seconds * 1000 <= baseline.p99Ms + 1_000,
      },
      {
        figure: 'CPU while sending: service (whole machine)',
        value: cpu.process,
        unit: 'cores',
        text: `${cpuText(cpu)}; ${perDelivery.toFixed(2)} ms a delivery`,
      },
      {
        figure: 'planner done, after its tick',
        value: outcome.plannedWithinSeconds * 1000,
        unit: 'ms',
      },
      {
        figure: 'Slack calls while sending',
        value: Number.NaN,
        text: [...calls].map(([method, n]) => `${n} × ${method}`).join(', '),
      },
      {
        figure: 'sent / duplicates / lost',
        value: outcome.sent,
        text: `${outcome.sent} / ${duplicates} / ${options.count - outcome.sent}`,
        target: 'all / 0 / 0',
        met: outcome.sent === options.count && duplicates === 0,
      },
    ];
    // VmHWM covers the whole run (start, seeding, the baseline and the fan-out): the process's peak.
    const peaks = await Promise.all(
      deployment.processes.map(
        async (service) => `${service.name} ${megabytes(await service.peakRssBytes())}`,
      ),
    );
    rows.push({ figure: 'service peak RSS (VmHWM)', value: Number.NaN, text: peaks.join(', ') });
    process.stdout.write(`${renderTable(rows)}\n`);
    // Where the sending went: the API's routes, Slack's methods and the database's statements.
    for (const service of deployment.processes) {
      const text = await service.metrics();
      for (const name of [
        'blindspot_http_request_duration_seconds',
        'blindspot_slack_api_call_duration_seconds',
        'blindspot_db_query_duration_seconds',
      ]) {
        for (const line of busiest(text, name)) log(`${service.name} ${line}`);
      }
    }
    for (const service of deployment.processes) {
      const logs = service.logSummary();
      const kinds = [...logs.messages].map(([message, n]) => `${n} × ${message}`).join('; ');
      log(
        `${service.name} log at warn: ${logs.warn} warnings, ${logs.error} errors${kinds ? `: ${kinds}` : ''}`,
      );
    }
  } finally {
    await cleanUp();
  }
}

/** A histogram's series by total time, each as "labels: count × mean ms = total s". */
export function busiest(metrics: string, name: string, top = 8): string[] {
  const series = histogramSeries(metrics, name);
  return [...series]
    .filter(([, t]) => t.count > 0)
    .sort((a, b) => b[1].sum - a[1].sum)
    .slice(0, top)
    .map(
      ([labels, t]) =>
        `${name.replace('blindspot_', '')}${labels}: ${t.count} × ${((t.sum / t.count) * 1000).toFixed(1)} ms = ${t.sum.toFixed(1)} s`,
    );
}
