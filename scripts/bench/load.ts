/**
 * Fixed-rate HTTP load with autocannon, keeping every response's latency so percentiles are exact
 * (autocannon's own summary has no p95) and so scenarios can see when each answer came.
 *
 * autocannon limits the rate per connection per second: each connection sends back to back until
 * it has made its share of the second's requests, then waits for the next second. Arrivals are
 * therefore bursts at the top of each second, not evenly spaced; latencies include the queueing
 * those bursts cause, which makes them a pessimistic measure. Baselines run the same way.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called before every request, e.g. to sign it with a fresh timestamp. */
  prepare?: () => { headers: Record<string, string>; body: string };
  /** Requests per second across all connections. */
  rate: number;
  durationSeconds: number;
  connections: number;
  /** Seconds before autocannon gives up on one request. */
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

/** Runs one fixed-rate load and resolves when it ends. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const responses: Response[] = [];
  const startedAt = performance.now();
  const request: autocannon.Request = {
    method: options.method ?? 'GET',
    path: options.path,
    headers: options.headers,
    body: options.body,
  };
  if (options.prepare) {
    const prepare = options.prepare;
    request.setupRequest = (req) => {
      const prepared = prepare();
      return { ...req, headers: { ...options.headers, ...prepared.headers }, body: prepared.body };
    };
  }
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        overallRate: options.rate,
        duration: options.durationSeconds,
        timeout: options.timeoutSeconds ?? 10,
        requests: [request],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          responses,
          errors: result.errors,
          timeouts: result.timeouts,
          durationMs: performance.now() - startedAt,
          startedAt,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, latencyMs) => {
      responses.push({ status, latencyMs, at: performance.now() });
    });
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
