/** The soak's verdict on memory: the rise of the least-squares line through its samples. */
import { describe, expect, it } from 'vitest';
import { risingShare } from '../../scripts/faults/soak.ts';

const minutes = (values: number[]) => values.map((value, i) => ({ at: i * 60_000, value }));

describe('the soak trend', () => {
  it('is 0 for a flat series, however noisy around its level', () => {
    expect(risingShare(minutes([100, 100, 100, 100]))).toBe(0);
    expect(Math.abs(risingShare(minutes([100, 104, 96, 104, 96, 100])))).toBeLessThan(0.05);
  });

  it('is the rise from the fitted start to the fitted end, as a share of the start', () => {
    expect(risingShare(minutes([100, 105, 110]))).toBeCloseTo(0.1, 10);
  });

  it('does not mistake one spike at the end for a trend as a last-minus-first would', () => {
    const spike = minutes([100, 100, 100, 100, 100, 100, 100, 100, 100, 130]);
    expect(risingShare(spike)).toBeLessThan(0.3);
  });

  it('is negative when memory falls back after the warm-up, and NaN with fewer than 2 samples', () => {
    expect(risingShare(minutes([120, 110, 100]))).toBeLessThan(0);
    expect(risingShare(minutes([100]))).toBeNaN();
  });
});
