/**
 * The four analytics reports (GET /api/v1/admin/analytics/...), and their CSV exports' URLs.
 * Every number is a cell: a value, no data (null), or suppressed because fewer than `minGroup`
 * managers are behind it (docs/api/analytics.md).
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { components, paths } from './schema.ts';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Answer<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: infer Ok } };
}
  ? Json<Ok>
  : never;

export type AnalyticsCell = components['schemas']['AnalyticsCell'];
export type EngagementReport = Answer<'/api/v1/admin/analytics/engagement'>;
export type TopicReport = Answer<'/api/v1/admin/analytics/topics'>;
export type DeliveryHealthReport = Answer<'/api/v1/admin/analytics/delivery-health'>;
export type ActivityReport = Answer<'/api/v1/admin/analytics/activity'>;

/** The filters as the API takes them; an empty string means "the API's default". */
export interface AnalyticsFilters {
  from: string;
  to: string;
  family: string;
  /** An analytics team's id (a chosen Slack user group); every report takes it. */
  team: string;
}

export type AnalyticsReport = 'engagement' | 'topics' | 'delivery-health' | 'activity';

/** The query string, without empty filters; delivery health has no family (it is per day). */
function query(report: AnalyticsReport, filters: AnalyticsFilters) {
  const out: { from?: string; to?: string; family?: string; team?: string } = {};
  if (filters.from) out.from = filters.from;
  if (filters.to) out.to = filters.to;
  if (filters.family && report !== 'delivery-health') out.family = filters.family;
  if (filters.team) out.team = filters.team;
  return out;
}

// Keep showing the last report while the next loads, rather than a spinner on each change.
const options = { placeholderData: keepPreviousData } as const;

// Each hook casts its answer: the schema types a 200 as JSON or CSV (text/csv, with
// ?format=csv), and these calls never ask for CSV, so the answer is the JSON report.

export function useEngagementReport(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ['analytics', 'engagement', filters],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/analytics/engagement', {
          params: { query: query('engagement', filters) },
        }),
      ) as EngagementReport,
    ...options,
  });
}

export function useTopicReport(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ['analytics', 'topics', filters],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/analytics/topics', {
          params: { query: query('topics', filters) },
        }),
      ) as TopicReport,
    ...options,
  });
}

export function useDeliveryHealthReport(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ['analytics', 'delivery-health', filters],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/analytics/delivery-health', {
          params: { query: query('delivery-health', filters) },
        }),
      ) as DeliveryHealthReport,
    ...options,
  });
}

export function useActivityReport(filters: AnalyticsFilters) {
  return useQuery({
    queryKey: ['analytics', 'activity', filters],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/analytics/activity', {
          params: { query: query('activity', filters) },
        }),
      ) as ActivityReport,
    ...options,
  });
}

/** The report's CSV with the same filters: a plain link, so the browser downloads it. */
export function analyticsCsvUrl(report: AnalyticsReport, filters: AnalyticsFilters): string {
  const search = new URLSearchParams({ ...query(report, filters), format: 'csv' });
  return `/api/v1/admin/analytics/${report}?${search}`;
}
