/**
 * Fixed-rate HTTP load, open loop: request i is due at start + i / rate, evenly spaced, and its
 * latency counts from when it was due, not from when a connection was free to send it, so a
 * slow server's queue shows in the figures (no coordinated omission; wrk2 measures the same
 * way). Every response's latency is kept, so percentiles are exact and scenarios can see when
 * each answer came.
 *
 * Until 7 December 2026 the bench used autocannon's `overallRate`, which limits each connection
 * per second: each connection sent back to back until it had made its share of the second's
 * requests, then waited for the next second. "1,000 a second" was then a burst of 1,000 at the
 * top of each second, ten at a time, and a request's latency was mostly its wait behind the
 * others of its burst (docs/performance.md, "The bench's load, evenly spaced").
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before every request, e.g. to sign it with a fresh timestamp. */
  prepare?: () => { headers: Record<string, string>; body: string };
  /** Requests per second, evenly spaced. */
  rate: number;
  durationSeconds: number;
  /** Keep-alive connections; a request due while all are busy waits for one. */
  connections: number;
  /** Seconds before one request is given up. */
  timeoutSeconds?: number;
}

export interface Response {
  status: number;
  latencyMs: number;
  /** performance.now() when the answer was complete. */
  at: number;
}

export interface LoadResult {
  responses: Response[];
  /** Connection errors and timeouts: requests that got no HTTP answer. */
  errors: number;
  timeouts: number;
  /** Wall time of the run, in ms. */
  durationMs: number;
  startedAt: number;
}

/** Runs one fixed-rate load and resolves when every request has been answered or given up. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const intervalMs = 1000 / options.rate;
  const timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
  const responses: Response[] = [];
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  let finished = 0;
  const startedAt = performance.now();

  return new Promise((resolve) => {
    const done = () => {
      if (++finished < total) return;
      agent.destroy();
      resolve({
        responses,
        errors: errors + timeouts,
        timeouts,
        durationMs: performance.now() - startedAt,
        startedAt,
      });
    };
    const send = (dueAt: number) => {
      const prepared = options.prepare?.();
      const body = prepared ? prepared.body : (options.body ?? '');
      const headers: Record<string, string | number> = {
        ...options.headers,
        ...prepared?.headers,
      };
      if (body.length > 0) headers['content-length'] = Buffer.byteLength(body);
      let settled = false;
      const settle = (outcome: 'answered' | 'error' | 'timeout', status = 0) => {
        if (settled) return;
        settled = true;
        if (outcome === 'answered') {
          const at = performance.now();
          responses.push({ status, latencyMs: at - dueAt, at });
        } else if (outcome === 'timeout') timeouts++;
        else errors++;
        done();
      };
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: options.method ?? 'GET',
          path: options.path,
          headers,
        },
        (response) => {
          response.on('data', () => {});
          response.on('end', () => settle('answered', response.statusCode ?? 0));
          response.on('error', () => settle('error'));
        },
      );
      request.setTimeout(timeoutMs, () => {
        settle('timeout');
        request.destroy();
      });
      request.on('error', () => settle('error'));
      request.end(body);
    };
    // Sends every request that is due, then sleeps until the next one is.
    const pump = () => {
      const now = performance.now();
      while (sent < total && startedAt + sent * intervalMs <= now) {
        send(startedAt + sent * intervalMs);
        sent++;
      }
      if (sent < total) {
        setTimeout(pump, Math.max(0, startedAt + sent * intervalMs - performance.now()));
      }
    };
    pump();
  });
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface LoadSummary {
  /** Answers per second over the run. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  answered: number;
  non2xx: number;
  /** No HTTP answer at all: connection errors and timeouts. */
  unanswered: number;
  statuses: Map<number, number>;
}

export function summarise(
  result: LoadResult,
  filter?: (response: Response) => boolean,
): LoadSummary {
  const responses = filter ? result.responses.filter(filter) : result.responses;
  const latencies = responses.map((r) => r.latencyMs).sort((a, b) => a - b);
  const statuses = new Map<number, number>();
  for (const { status } of responses) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  return {
    throughput: responses.length / (result.durationMs / 1000),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    answered: responses.length,
    non2xx: responses.filter((r) => r.status < 200 || r.status > 299).length,
    unanswered: result.errors,
    statuses,
  };
}
