/** The audit trail. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from './columns.ts';

export interface AuditEventsTable {
  id: Generated<string>;
  /** Null for deployment-wide events (sign-ins, accounts, API keys). */
  workspace_id: string | null;
  actor: string;
  /** The client's address, for events a request caused. */
  address: ColumnType<string | null, string | null | undefined, never>;
  action: string;
  subject_type: string;
  subject_id: string | null;
  request_id: string | null;
  details: Generated<unknown>;
  created_at: CreatedAt;
}
