import type { Executor } from '../../db/executor.ts';

export interface AuditEvent {
  workspaceId: string;
  /** Who acted: "slack:<user id>", "admin" or "system". */
  actor: string;
  action: string;
  subjectType: string;
  subjectId?: string;
  requestId?: string;
  /** Facts about the change. Never a manager's own words. */
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(db: Executor, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      workspace_id: event.workspaceId,
      actor: event.actor,
      action: event.action,
      subject_type: event.subjectType,
      subject_id: event.subjectId ?? null,
      request_id: event.requestId ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
