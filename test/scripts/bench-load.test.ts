/**
 * The bench's load generator (scripts/bench/load.ts) spreads a rate evenly over the second, and
 * counts a request's latency from when it was due, so a server that falls behind shows its
 * queue. The old generator sent each second's requests in a burst at its top and timed each from
 * when it was sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad, summarise } from '../../scripts/bench/load.ts';

let server: http.Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that answers after `holdMs`, one request at a time, noting when each arrived. */
async function serve(holdMs: number) {
  const arrivals: number[] = [];
  let busyUntil = 0;
  server = http.createServer((request, response) => {
    arrivals.push(performance.now());
    request.resume();
    const startAt = Math.max(performance.now(), busyUntil);
    busyUntil = startAt + holdMs;
    // Never negative: Node warns of a negative delay (and treats it as 1 ms).
    setTimeout(() => response.end('ok'), Math.max(0, busyUntil - performance.now()));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrivals };
}

describe('the bench load', () => {
  it('sends a rate evenly over the second, not as a burst at its top', async () => {
    const { url, arrivals } = await serve(0);
    const result = await runLoad({
      url,
      path: '/',
      rate: 200,
      durationSeconds: 1,
      connections: 10,
    });
    expect(result.responses).toHaveLength(200);
    expect(summarise(result).non2xx).toBe(0);
    const first = arrivals[0] as number;
    // Evenly spaced, 40 are due in the first 200 ms; a burst would bring all 200.
    const early = arrivals.filter((at) => at - first < 200).length;
    expect(early).toBeLessThan(100);
    expect((arrivals.at(-1) as number) - first).toBeGreaterThan(700);
  });

  it('counts a request’s wait for a busy server from when it was due', async () => {
    // 100 a second for half a second to a server that takes 20 ms each, twice what it can do:
    // the 50th is due at 490 ms and answered at about 1,000 ms.
    const { url } = await serve(20);
    const result = await runLoad({
      url,
      path: '/',
      rate: 100,
      durationSeconds: 0.5,
      connections: 1,
    });
    const summary = summarise(result);
    expect(summary.answered).toBe(50);
    expect(summary.p50).toBeGreaterThan(100);
    expect(summary.max).toBeGreaterThan(400);
  });
});
