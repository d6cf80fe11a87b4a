/** A manager's data export links. */
import type { Generated } from 'kysely';
import type { CreatedAt } from './columns.ts';

/** A manager's export link (migration 0019); the token itself is never stored. */
export interface DataExportsTable {
  id: Generated<string>;
  workspace_id: string;
  manager_id: string;
  token_sha256: Buffer;
  expires_at: Date;
  used_at: Date | null;
  created_at: CreatedAt;
}
