/**
 * The audit log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE; see migration
 * 0011), kept when its workspace goes.
 */
import type { Executor } from '../../db/executor.ts';

export interface AuditEvent {
  /** The workspace the event concerns; none for deployment-wide events (sign-ins, accounts). */
  workspaceId?: string | null;
  /**
   * Who acted: "admin:<account id>", "apikey:<key id>", "slack:<user id>", "system", or the
   * legacy "admin" of events from before accounts existed.
   */
  actor: string;
  action: string;
  subjectType: string;
  subjectId?: string;
  requestId?: string;
  /** The client's address, for events a request caused. */
  address?: string;
  /** Facts about the change. Never a manager's own words, never a secret. */
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(db: Executor, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      workspace_id: event.workspaceId ?? null,
      actor: event.actor,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId ?? null,
      request_id: event.requestId ?? null,
      address: event.address ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  /** Only events older than this id: the cursor of the previous page. */
  beforeId?: string;
}

export interface AuditEventRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  workspaceId: string | null;
  address: string | null;
  requestId: string | null;
  details: unknown;
}

/** Newest first, by id (ids grow with time and break ties between equal timestamps). */
export async function selectAuditEvents(
  db: Executor,
  filter: AuditFilter,
  limit: number,
): Promise<AuditEventRow[]> {
  let query = db
    .selectFrom('audit_events')
    .select([
      'id',
      'created_at as at',
      'actor',
      'action',
      'subject_type as subjectType',
      'subject_id as subjectId',
      'workspace_id as workspaceId',
      'address',
      'request_id as requestId',
      'details',
    ]);
  // An action filter ending in "." matches a family ("sign_in." for every sign-in event).
  if (filter.action !== undefined) {
    query = filter.action.endsWith('.')
      ? query.where('action', 'like', `${filter.action.replace(/[\\%_]/g, '\\$&')}%`)
      : query.where('action', '=', filter.action);
  }
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
