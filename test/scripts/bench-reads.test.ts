/**
 * The read section's garbage-collection figures (scripts/bench/reads.ts) come from the
 * service's own /metrics: prom-client's nodejs_gc_duration_seconds, by kind.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { gcBetween } from '../../scripts/bench/reads.ts';

const page = (minor: [number, number], major: [number, number]) =>
  [
    '# TYPE nodejs_gc_duration_seconds histogram',
    `nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor",service="all-in-one"} ${minor[0]}`,
    `nodejs_gc_duration_seconds_sum{kind="minor",service="all-in-one"} ${minor[1]}`,
    `nodejs_gc_duration_seconds_count{kind="minor",service="all-in-one"} ${minor[0]}`,
    `nodejs_gc_duration_seconds_sum{kind="major",service="all-in-one"} ${major[1]}`,
    `nodejs_gc_duration_seconds_count{kind="major",service="all-in-one"} ${major[0]}`,
  ].join('\n');

describe('the read section: collections from /metrics', () => {
  it('when two pages are read, then the full collections, their pause and the young collections between them are given', () => {
    expect(gcBetween(page([100, 0.2], [1, 0.01]), page([160, 0.35], [3, 0.0425]))).toEqual({
      fullCollections: 2,
      fullMs: expect.closeTo(32.5, 6),
      youngMs: expect.closeTo(150, 6),
    });
  });

  it('when a kind never ran, then it counts as none', () => {
    expect(gcBetween('', '')).toEqual({ fullCollections: 0, fullMs: 0, youngMs: 0 });
  });

  it("when prom-client's own exposition is read, then its young collections are found", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const before = await registry.metrics();
    // Short-lived garbage until prom-client has observed a young collection.
    let made = 0;
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 20_000; i++) made += { i, s: `item ${i}` }.s.length;
      await new Promise((resolve) => setImmediate(resolve));
      if (gcBetween(before, await registry.metrics()).youngMs > 0) break;
    }
    expect(made).toBeGreaterThan(0);
    expect(gcBetween(before, await registry.metrics()).youngMs).toBeGreaterThan(0);
  });
});
