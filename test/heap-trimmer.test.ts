/**
 * The heap trimmer gives V8's spare pages back when the process goes quiet, and leaves a busy
 * process alone (src/heap-trimmer.ts).
 */
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { isQuiet, shouldTrim, startHeapTrimmer } from '../src/heap-trimmer.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { LogCapture } from './support/app.ts';

const MB = 2 ** 20;

describe('whether a check trims', () => {
  it('when the last ten seconds were quiet and the heap grew by 16 MiB since the last trim, then it trims', () => {
    expect(
      shouldTrim({
        quietChecks: 10,
        quietChecksNeeded: 10,
        heapBytes: 116 * MB,
        heapBytesAfterLastTrim: 100 * MB,
      }),
    ).toBe(true);
  });

  it('when the heap grew by less, then it waits: a pause is not worth a few megabytes', () => {
    expect(
      shouldTrim({
        quietChecks: 60,
        quietChecksNeeded: 10,
        heapBytes: 115 * MB,
        heapBytesAfterLastTrim: 100 * MB,
      }),
    ).toBe(false);
  });

  it('when the process was busy within the last ten seconds, then it waits, however large the heap', () => {
    expect(
      shouldTrim({
        quietChecks: 9,
        quietChecksNeeded: 10,
        heapBytes: 900 * MB,
        heapBytesAfterLastTrim: 60 * MB,
      }),
    ).toBe(false);
  });

  it('when the event loop was 5% busy or more in a second, then that second was not quiet', () => {
    expect(isQuiet(0.049)).toBe(true);
    expect(isQuiet(0.05)).toBe(false);
    expect(isQuiet(0.9)).toBe(false);
  });
});

/** A trimmer whose heap, utilisation and collection the test sets. */
function scriptedTrimmer() {
  const state = { heap: 90 * MB, utilisation: 0, collections: 0, afterCollection: 60 * MB };
  const logs = new LogCapture();
  const metrics = createMetrics();
  const trimmer = startHeapTrimmer({
    logger: createLogger({ level: 'debug', service: 'test', destination: logs }),
    observePause: (seconds) => metrics.heapTrimSeconds.observe(seconds),
    quietChecks: 10,
    everyMs: 3_600_000,
    heapBytes: () => state.heap,
    utilisation: () => state.utilisation,
    collect: () => {
      state.collections += 1;
      state.heap = state.afterCollection;
    },
  });
  /** Checks for ten seconds at the current utilisation; whether the last one trimmed. */
  const tenSeconds = () => Array.from({ length: 10 }, () => trimmer.check()).at(-1);
  return { state, logs, metrics, trimmer, tenSeconds };
}

describe('a heap trimmer', () => {
  it('when the process has been quiet for ten seconds after start-up, then it trims once, and not again until the heap grows', async () => {
    const { state, logs, metrics, trimmer, tenSeconds } = scriptedTrimmer();
    try {
      for (let second = 1; second < 10; second += 1) expect(trimmer.check()).toBe(false);
      expect(trimmer.check()).toBe(true);
      expect(state.collections).toBe(1);
      state.heap = 70 * MB;
      expect(tenSeconds()).toBe(false);
      expect(state.collections).toBe(1);
      expect(logs.lines).toContainEqual(
        expect.objectContaining({
          level: 'debug',
          component: 'heap-trimmer',
          heapMb: 90,
          afterMb: 60,
          msg: 'gave spare heap back to the system',
        }),
      );
      expect(await metrics.registry.metrics()).toMatch(/^blindspot_heap_trim_seconds_count 1$/m);
    } finally {
      trimmer.stop();
    }
  });

  it('when the heap grows under load, then it trims only once the load has been gone ten seconds', () => {
    const { state, trimmer, tenSeconds } = scriptedTrimmer();
    try {
      tenSeconds();
      state.heap = 400 * MB;
      state.utilisation = 0.8;
      expect(tenSeconds()).toBe(false);
      // Nine quiet seconds, then a busy one: the count starts again.
      state.utilisation = 0.01;
      for (let second = 1; second < 10; second += 1) expect(trimmer.check()).toBe(false);
      state.utilisation = 0.3;
      expect(trimmer.check()).toBe(false);
      expect(state.collections).toBe(1);
      state.utilisation = 0.02;
      expect(tenSeconds()).toBe(true);
      expect(state.collections).toBe(2);
    } finally {
      trimmer.stop();
    }
  });

  it("when V8's heap holds garbage, then a trim gives its pages back", () => {
    // Grow the heap with objects that then become garbage, as a burst of requests does.
    let burst: Array<{ id: number; text: string }> | undefined = Array.from(
      { length: 1_000_000 },
      (_, id) => ({ id, text: `item ${id}` }),
    );
    expect(burst.length).toBe(1_000_000);
    burst = undefined;
    const before = v8.getHeapStatistics().total_heap_size;
    const trimmer = startHeapTrimmer({
      logger: createLogger({ level: 'silent', service: 'test' }),
      quietChecks: 10,
      everyMs: 3_600_000,
      utilisation: () => 0,
    });
    try {
      const trimmed = Array.from({ length: 10 }, () => trimmer.check());
      expect(trimmed).toEqual([...Array(9).fill(false), true]);
      const after = v8.getHeapStatistics().total_heap_size;
      expect(before - after).toBeGreaterThan(40 * MB);
    } finally {
      trimmer.stop();
    }
  });
});
