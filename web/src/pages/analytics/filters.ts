/**
 * The page's filters: read from and written to the URL (so a view can be bookmarked and shared),
 * and checked before they are sent. The API refuses the same mistakes (docs/api/analytics.md);
 * checking here too only saves a round trip and points at the field.
 */
import type { AnalyticsFilters } from '../../api/analytics.ts';

/** The API's limit: 731 days, two years counting a leap day. */
export const MAX_RANGE_DAYS = 731;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function filtersFromSearch(search: URLSearchParams): AnalyticsFilters {
  return {
    from: search.get('from') ?? '',
    to: search.get('to') ?? '',
    family: search.get('family') ?? '',
    team: search.get('team') ?? '',
  };
}

export function searchFromFilters(filters: AnalyticsFilters): string {
  const search = new URLSearchParams();
  for (const key of ['from', 'to', 'family', 'team'] as const) {
    if (filters[key]) search.set(key, filters[key]);
  }
  return search.size > 0 ? `?${search}` : '';
}

function parseDate(text: string): number | undefined {
  if (!DATE.test(text)) return undefined;
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text
    ? undefined
    : time;
}

/** What is wrong with each field, if anything; an empty object when the filters can be sent. */
export function validateFilters(filters: AnalyticsFilters): Partial<Record<'from' | 'to', string>> {
  const errors: Partial<Record<'from' | 'to', string>> = {};
  const from = filters.from ? parseDate(filters.from) : undefined;
  const to = filters.to ? parseDate(filters.to) : undefined;
  if (filters.from && from === undefined) errors.from = 'Enter a date, such as 2026-03-02.';
  if (filters.to && to === undefined) errors.to = 'Enter a date, such as 2026-03-29.';
  if (from !== undefined && to !== undefined) {
    if (to < from) errors.to = 'The end is before the start: the range is backwards.';
    else if ((to - from) / DAY_MS + 1 > MAX_RANGE_DAYS) {
      errors.to = 'The range is longer than two years; choose a shorter one.';
    }
  }
  return errors;
}
