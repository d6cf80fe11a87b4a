/**
 * The fan-out section's breakdown (scripts/bench/fan-out-only.ts): a histogram's series from a
 * Prometheus text page, busiest first, each with its count, mean and total.
 */
import { describe, expect, it } from 'vitest';
import { busiest } from '../../scripts/bench/fan-out-only.ts';
import { histogramTotals } from '../../scripts/bench/process-probes.ts';

const PAGE = `# HELP blindspot_x_seconds x
# TYPE blindspot_x_seconds histogram
blindspot_x_seconds_bucket{route="/a",le="0.1"} 3
blindspot_x_seconds_sum{route="/a"} 0.3
blindspot_x_seconds_count{route="/a"} 3
blindspot_x_seconds_sum{route="/b"} 2
blindspot_x_seconds_count{route="/b"} 4
blindspot_x_seconds_sum{route="/c"} 0
blindspot_x_seconds_count{route="/c"} 0
blindspot_y_seconds_sum{route="/a"} 9
blindspot_y_seconds_count{route="/a"} 1
`;

describe('the fan-out bench’s breakdown', () => {
  it('lists a histogram’s series by total time, leaving out empty ones and other metrics', () => {
    expect(busiest(PAGE, 'blindspot_x_seconds')).toEqual([
      'x_seconds{route="/b"}: 4 × 500.0 ms = 2.0 s',
      'x_seconds{route="/a"}: 3 × 100.0 ms = 0.3 s',
    ]);
    expect(busiest(PAGE, 'blindspot_x_seconds', 1)).toHaveLength(1);
  });

  it('sums the series whose labels match, from the same reading of the page', () => {
    expect(histogramTotals(PAGE, 'blindspot_x_seconds')).toEqual({ count: 7, sum: 2.3 });
    expect(histogramTotals(PAGE, 'blindspot_x_seconds', 'route="/a"')).toEqual({
      count: 3,
      sum: 0.3,
    });
    expect(histogramTotals(PAGE, 'blindspot_z_seconds')).toEqual({
      count: Number.NaN,
      sum: Number.NaN,
    });
  });
});
