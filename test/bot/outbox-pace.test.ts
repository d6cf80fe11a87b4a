/**
 * The outbox's adaptive pace per workspace (AIMD): it grows by one per round of fast answers,
 * halves on a 429, loses a quarter after a round with a slow answer, and stays between one and
 * the ceiling whatever Slack answers. Pure logic, so fast-check drives it with any sequence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPace, type PostOutcome } from '../../src/bot/outbox-pace.ts';

const OPTIONS = { initial: 4, ceiling: 32, slowMs: 1_500 };
const fast: PostOutcome = { kind: 'ok', latencyMs: 80 };

/** Runs one full round: `limit` posts started, then each answered with `outcome`. */
function round(pace: ReturnType<typeof createPace>, team: string, outcome: PostOutcome) {
  const limit = pace.limitOf(team);
  for (let i = 0; i < limit; i += 1) pace.start(team);
  expect(pace.canStart(team)).toBe(false);
  for (let i = 0; i < limit; i += 1) pace.finish(team, outcome);
}

describe('when Slack answers every post fast', () => {
  it('then each workspace’s limit grows by one per round, up to the ceiling, and no further', () => {
    const pace = createPace(OPTIONS);
    const limits = [pace.limitOf('T1')];
    for (let i = 0; i < 40; i += 1) {
      round(pace, 'T1', fast);
      limits.push(pace.limitOf('T1'));
    }
    expect(limits.slice(0, 5)).toEqual([4, 5, 6, 7, 8]);
    expect(limits.at(-1)).toBe(32);
    // Another workspace starts afresh: the pace is Slack's per workspace.
    expect(pace.limitOf('T2')).toBe(4);
  });
});

describe('when Slack pushes back', () => {
  it('then a 429 halves the limit at once, and a round with a slow answer takes a quarter off', () => {
    const pace = createPace(OPTIONS);
    for (let i = 0; i < 12; i += 1) round(pace, 'T1', fast);
    expect(pace.limitOf('T1')).toBe(16);
    pace.start('T1');
    pace.finish('T1', { kind: 'rate_limited' });
    expect(pace.limitOf('T1')).toBe(8);
    round(pace, 'T1', { kind: 'ok', latencyMs: 2_000 });
    expect(pace.limitOf('T1')).toBe(6);
    // Errors that are not Slack's pace (a 500, a network error) change nothing.
    pace.start('T1');
    pace.finish('T1', { kind: 'error' });
    expect(pace.limitOf('T1')).toBe(6);
  });

  it('then whatever the answers, the limit stays between one and the ceiling, and in-flight posts never exceed it', () => {
    const outcome = fc.oneof(
      fc.record({
        kind: fc.constant('ok' as const),
        latencyMs: fc.integer({ min: 0, max: 5_000 }),
      }),
      fc.constant({ kind: 'rate_limited' as const }),
      fc.constant({ kind: 'error' as const }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), outcome), { maxLength: 400 }), (steps) => {
        const pace = createPace({ initial: 8, ceiling: 12, slowMs: 1_500 });
        let inFlight = 0;
        for (const [startOne, answer] of steps) {
          if (startOne && pace.canStart('T1')) {
            pace.start('T1');
            inFlight += 1;
          } else if (inFlight > 0) {
            pace.finish('T1', answer);
            inFlight -= 1;
          }
          const limit = pace.limitOf('T1');
          expect(limit).toBeGreaterThanOrEqual(1);
          expect(limit).toBeLessThanOrEqual(12);
        }
      }),
    );
  });
});

describe('when a slot waits for room', () => {
  it('then the next finished post anywhere wakes it', async () => {
    const pace = createPace({ ...OPTIONS, initial: 1 });
    pace.start('T1');
    let woken = false;
    const waiting = pace.nextFinish().then(() => {
      woken = true;
    });
    await Promise.resolve();
    expect(woken).toBe(false);
    pace.finish('T1', fast);
    await waiting;
    expect(woken).toBe(true);
    expect(pace.canStart('T1')).toBe(true);
  });
});
