/**
 * How the analytics' cells read on screen. A suppressed number is never shown as 0 or left
 * blank: it reads "fewer than k", so nobody mistakes "hidden to protect someone" for "nothing".
 */
import type { AnalyticsCell } from '../../api/analytics.ts';

/** What a number measures, which decides how it is written. */
export type Measure = 'count' | 'rate' | 'mean' | 'ms';

/** k when the answer did not say it: the API's default (ANALYTICS_MIN_GROUP). */
export const DEFAULT_MIN_GROUP = 5;

/** Written for a cell with no data (no note, no answer): not a zero, which would be a claim. */
export const NO_DATA = '—';

export function suppressedText(minGroup: number | undefined): string {
  return `fewer than ${minGroup ?? DEFAULT_MIN_GROUP}`;
}

export function formatValue(value: number, measure: Measure): string {
  switch (measure) {
    case 'count':
      return value.toLocaleString('en');
    case 'rate':
      return `${(value * 100).toLocaleString('en', { maximumFractionDigits: 1 })}%`;
    case 'mean':
      return value.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    case 'ms':
      return `${(value / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
  }
}

export function formatCell(cell: AnalyticsCell, measure: Measure, minGroup?: number): string {
  if (cell.suppressed) return suppressedText(minGroup);
  if (cell.value === null) return NO_DATA;
  return formatValue(cell.value, measure);
}

/**
 * Orders cells for a sortable column: numbers by value, then the suppressed ones, then those
 * without data, whichever the direction, so hidden numbers never pose as the smallest.
 */
export function compareCells(a: AnalyticsCell, b: AnalyticsCell, direction: 1 | -1): number {
  const rank = (cell: AnalyticsCell) => (cell.value !== null ? 0 : cell.suppressed ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.value === null || b.value === null) return 0;
  return (a.value - b.value) * direction;
}

/** 2026-03-02 as "2 Mar 2026", read as a calendar date (no time zone shift). */
export function formatDay(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
