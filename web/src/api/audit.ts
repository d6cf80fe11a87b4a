/** The audit log: filtered, paged by cursor, and its CSV export's URL. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { AuditQuery } from './types.ts';

export function useAuditEvents(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/audit', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** The CSV export of the same filters: a plain link, so the browser downloads it. */
export function auditCsvUrl(query: AuditQuery): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '' && key !== 'before' && key !== 'limit') {
      search.set(key, String(value));
    }
  }
  const suffix = search.size > 0 ? `?${search}` : '';
  return `/api/v1/admin/audit.csv${suffix}`;
}
