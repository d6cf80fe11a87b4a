/**
 * The whole bench's fixed settings, what its run measures (Results) and the table it prints
 * from that (rows): ratios to the baselines of the same run, and the targets of issue 19.
 */
import type { CpuUse } from './cpu.ts';
import { type DirectSendResult, type FanOutOutcome, SENDER_CONCURRENCY } from './fan-out.ts';
import { cpuText, type Measured } from './harness.ts';
import type { LoadSummary } from './load.ts';
import type { Row } from './report.ts';
import type { ServiceMemory } from './service.ts';

export const SLACK_LATENCY_MS = 20;
export const SLACK_RATE = 200;
export const API_RATE = 500;
/** The bench reader's open action items, in every section that reads them. */
export const SEEDED_ITEMS = 20;
/** Managers whose Home-tab clicks the bench sends, in every section that clicks. */
export const CLICKERS = 50;
/**
 * Enough connections that every read is sent when it is due, though each waits up to two
 * seconds for its 503: 500 a second for 2 s. With fewer, reads would queue in the bench, not
 * in the service, and their latency (counted from when each was due) would measure the bench.
 */
export const EXHAUSTION_API_CONNECTIONS = 1_000;
export const EXHAUSTION_LOCK_SECONDS = 10;
export const EXHAUSTION_TAIL_SECONDS = 5;
/** How long after the due time the fan-out may take before unsent rows count as lost. */
export const FAN_OUT_DEADLINE_MS = 5 * 60_000;

export interface Results {
  baseline: Record<'bare200' | 'bare500' | 'select200' | 'select500', Measured>;
  slash: Measured;
  click: Measured;
  reads: Measured;
  exhaustion: {
    api: LoadSummary;
    api503: LoadSummary;
    slack: LoadSummary;
    withinTwoSeconds: number;
    recoveryMs: number;
    lastFailureAfterReleaseMs: number;
    failuresSentAfterRelease: number;
    cpu: CpuUse;
  };
  fanOut: FanOutOutcome & {
    duplicates: number;
    channelsPosted: number;
    baseline: DirectSendResult;
    cpu: CpuUse;
  };
  rss: {
    /** Each service process: its peak, and the highest VmRSS sampled and its heap in each phase. */
    services: Array<{
      name: string;
      command: string;
      peak: number;
      byPhase: Map<string, number>;
      heapByPhase: Map<string, ServiceMemory>;
    }>;
    bench: number;
    baseline: number;
  };
}

/** The table's rows; `fanOut` is how many notes the fan-out sent. */
export function rows(r: Results, fanOutCount: number): Row[] {
  const b = r.baseline;
  const out: Row[] = [];
  const steadyRows = (
    scenario: string,
    s: Measured,
    base: Measured,
    baseName: string,
    p99Target?: { ms: number; label: string },
    second?: { summary: LoadSummary; name: string },
  ) => {
    out.push(
      {
        scenario,
        figure: 'throughput',
        value: s.throughput,
        unit: 'req/s',
        baseline: base.throughput,
        baselineName: baseName,
      },
      { figure: 'p50', value: s.p50, unit: 'ms', baseline: base.p50, baselineName: baseName },
      { figure: 'p95', value: s.p95, unit: 'ms', baseline: base.p95, baselineName: baseName },
      {
        figure: 'p99',
        value: s.p99,
        unit: 'ms',
        baseline: base.p99,
        baselineName: baseName,
        ...(second && { second: { value: second.summary.p99, name: second.name } }),
        ...(p99Target && { target: p99Target.label, met: s.p99 < p99Target.ms }),
      },
      {
        figure: 'non-2xx / no answer',
        value: s.non2xx,
        unit: 'count',
        extra: s.unanswered,
        baseline: base.non2xx + base.unanswered,
        baselineName: baseName,
        target: '0',
        met: s.non2xx + s.unanswered === 0,
      },
      {
        figure: 'CPU: server process (whole machine)',
        value: s.cpu.process,
        unit: 'cores',
        text: cpuText(s.cpu),
        baseline: base.cpu.process,
        baselineName: baseName,
      },
    );
    if (s.db && s.db.queries > 0) {
      const perRequest = s.db.queries / s.answered;
      out.push({
        figure: 'DB: queries per request; mean query; mean wait for a connection',
        value: s.db.meanQueryMs,
        unit: 'ms',
        text: `${perRequest.toFixed(1)}; ${s.db.meanQueryMs.toFixed(2)} ms; ${s.db.meanPoolWaitMs.toFixed(2)} ms`,
      });
    }
  };
  steadyRows('Baseline: bare Fastify, 200 req/s', b.bare200, b.bare200, 'itself');
  steadyRows('Baseline: bare Fastify, 500 req/s', b.bare500, b.bare500, 'itself');
  steadyRows('Baseline: `SELECT 1` via the pool, 200 req/s', b.select200, b.bare200, 'bare 200');
  steadyRows('Baseline: `SELECT 1` via the pool, 500 req/s', b.select500, b.bare500, 'bare 500');
  steadyRows(
    '1a. Slash command `/blindspot help`, 200 req/s, ack',
    r.slash,
    b.bare200,
    'bare 200',
    { ms: 50, label: 'p99 < 50 ms' },
  );
  steadyRows('1b. Home tab click `home_resume`, 200 req/s, ack', r.click, b.bare200, 'bare 200', {
    ms: 50,
    label: 'p99 < 50 ms',
  });
  steadyRows(
    '2. `GET /api/v1/action-items` (20 items), 500 req/s',
    r.reads,
    b.select500,
    'SELECT 1 500',
    { ms: 20, label: 'p99 < 20 ms' },
    { summary: b.bare500, name: 'bare 500' },
  );

  const e = r.exhaustion;
  const statusMix = [...e.api.statuses]
    .sort(([a], [c]) => a - c)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
  out.push(
    {
      scenario: `3. Pool exhaustion: \`action_items\` locked ${EXHAUSTION_LOCK_SECONDS} s; API reads (${API_RATE} req/s over up to ${EXHAUSTION_API_CONNECTIONS} connections) + \`/blindspot actions\` (${SLACK_RATE} req/s)`,
      figure: 'API answers while locked',
      text: `${statusMix || 'none'}; ${e.api.unanswered} unanswered`,
    },
    {
      figure: 'API p50 while locked',
      value: e.api.p50,
      unit: 'ms',
      baseline: b.select500.p50,
      baselineName: 'SELECT 1 500',
    },
    {
      figure: 'API p99 while locked',
      value: e.api.p99,
      unit: 'ms',
      baseline: b.select500.p99,
      baselineName: 'SELECT 1 500',
    },
    {
      figure: '503 latency p50 / p99 / max',
      value: e.api503.p99,
      unit: 'ms',
      text:
        e.api503.answered > 0
          ? `${fmt(e.api503.p50)} / ${fmt(e.api503.p99)} / ${fmt(e.api503.max)} ms`
          : 'no 503s',
      baseline: b.select500.p99,
      baselineName: 'SELECT 1 500 (p99)',
    },
    {
      figure: 'reads answered within 2 s (any status)',
      value: e.withinTwoSeconds,
      unit: 'count',
      text: `${e.withinTwoSeconds.toLocaleString('en-US')} of ${e.api.answered.toLocaleString('en-US')} (slowest ${fmt(e.api.max)} ms)`,
      target: 'all: 503 within 2 s',
      met: e.api.answered > 0 && e.withinTwoSeconds === e.api.answered && e.api.unanswered === 0,
    },
    {
      figure: 'CPU: service (whole machine)',
      value: e.cpu.process,
      unit: 'cores',
      text: cpuText(e.cpu),
    },
    {
      figure: 'Slack ack p99 while locked',
      value: e.slack.p99,
      unit: 'ms',
      baseline: b.bare200.p99,
      baselineName: 'bare 200',
      target: 'p99 < 100 ms',
      met: e.slack.p99 < 100 && e.slack.non2xx + e.slack.unanswered === 0,
    },
    {
      figure: 'Slack acks non-2xx / no answer',
      value: e.slack.non2xx,
      unit: 'count',
      extra: e.slack.unanswered,
      target: '0',
      met: e.slack.non2xx + e.slack.unanswered === 0,
    },
    {
      figure: 'release → first 200 to a new read',
      value: e.recoveryMs,
      unit: 'ms',
      target: '< 10 s',
      met: e.recoveryMs < 10_000,
    },
    {
      figure: 'release → last failed read answered',
      value: e.lastFailureAfterReleaseMs,
      unit: 'ms',
      text:
        e.lastFailureAfterReleaseMs > 0
          ? `${fmt(e.lastFailureAfterReleaseMs)} ms (${e.failuresSentAfterRelease} reads sent after release failed)`
          : 'none answered after release',
      target: '< 10 s',
      met: e.lastFailureAfterReleaseMs < 10_000,
    },
  );

  const f = r.fanOut;
  const fb = f.baseline;
  const lost = fanOutCount - f.sent;
  out.push(
    {
      scenario: `4. Fan-out: ${fanOutCount.toLocaleString('en-US')} deliveries due in the same minute, Slack at ${SLACK_LATENCY_MS} ms`,
      figure: 'deliveries/s (due → last sent)',
      value: f.perSecond,
      unit: '/s',
      baseline: fb.perSecond,
      baselineName: `direct postMessage ×${SENDER_CONCURRENCY}`,
    },
    {
      figure: 'lateness p50 (sent_at − due_at)',
      value: f.latenessP50Seconds * 1000,
      unit: 'ms',
      baseline: fb.p50Ms,
      baselineName: `direct postMessage ×${SENDER_CONCURRENCY}`,
    },
    {
      figure: 'lateness p99',
      value: f.latenessP99Seconds * 1000,
      unit: 'ms',
      baseline: fb.p99Ms,
      baselineName: `direct postMessage ×${SENDER_CONCURRENCY}`,
      target: 'p99 < 5 s',
      met: f.sent > 0 && f.latenessP99Seconds < 5,
    },
    {
      figure: 'CPU while sending: service (whole machine)',
      value: f.cpu.process,
      unit: 'cores',
      text: cpuText(f.cpu),
    },
    {
      figure: 'planner done, after its tick',
      value: f.plannedWithinSeconds * 1000,
      unit: 'ms',
    },
    {
      figure: 'sent',
      value: f.sent,
      unit: 'count',
      text: `${f.sent.toLocaleString('en-US')} of ${fanOutCount.toLocaleString('en-US')}`,
      target: 'all',
      met: f.sent === fanOutCount,
    },
    {
      figure: 'duplicates',
      value: f.duplicates,
      unit: 'count',
      target: '0',
      met: f.duplicates === 0,
    },
    {
      figure: `lost (not sent ${FAN_OUT_DEADLINE_MS / 60_000} min after due)`,
      value: lost,
      unit: 'count',
      text: `${lost}${lost > 0 ? ` (${[...f.statuses].map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}`,
      target: '0',
      met: lost === 0,
    },
  );

  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  for (const [i, service] of r.rss.services.entries()) {
    out.push(
      {
        ...(i === 0 && { scenario: '5. Peak RSS (VmHWM)' }),
        figure: `${service.name} child (\`${service.command}\`)`,
        value: service.peak / 2 ** 20,
        unit: 'MB',
        baseline: r.rss.baseline / 2 ** 20,
        baselineName: 'baseline child',
        target: '< 200 MB',
        met: service.peak < 200 * 2 ** 20,
      },
      {
        figure: `${service.name}: highest VmRSS sampled per phase (V8 heap total at its end)`,
        text: `${[...service.byPhase]
          .map(([name, bytes]) => {
            const heap = service.heapByPhase.get(name)?.heapTotal;
            return `${name} ${mb(bytes)}${heap ? ` (${mb(heap)})` : ''}`;
          })
          .join(', ')} MB`,
      },
    );
  }
  out.push({
    figure: 'bench process (load generator, stand-in)',
    value: r.rss.bench / 2 ** 20,
    unit: 'MB',
    baseline: r.rss.baseline / 2 ** 20,
    baselineName: 'baseline child',
    // The load generator holds the stand-in's record of every message; it is not deployed.
    target: 'n/a: not deployed',
  });
  return out;
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return Math.abs(ms) < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}
