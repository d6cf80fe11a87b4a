/** The admin web's accounts, sessions, API keys, tokens and second factors. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from './columns.ts';

export type AdminRoleColumn = 'viewer' | 'editor' | 'admin' | 'owner';

export interface AdminAccountsTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  role: AdminRoleColumn;
  status: Generated<'invited' | 'active' | 'deactivated'>;
  password_hash: string | null;
  password_changed_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AdminSessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  account_id: string;
  stage: 'enrolment' | 'second_factor' | 'full';
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  absolute_expires_at: Date;
  address: string | null;
  user_agent: string | null;
}

export interface AdminApiKeysTable {
  id: Generated<string>;
  name: string;
  role: AdminRoleColumn;
  secret_hash: Buffer;
  secret_prefix: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Date | null;
  last_used_address: string | null;
  revoked_at: Date | null;
}

export interface AdminTokensTable {
  id: Generated<string>;
  kind: 'setup' | 'invitation' | 'password_reset';
  token_hash: Buffer;
  account_id: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface AdminSignInAttemptsTable {
  id: Generated<string>;
  kind: 'password' | 'second_factor';
  subject: string | null;
  account_id: string | null;
  address: string;
  success: boolean;
  method: string | null;
  at: Date;
}

export interface AdminTotpTable {
  account_id: string;
  /** Base32, confirmed; kept readable since each check needs it (docs/operations/security.md). */
  secret: string | null;
  confirmed_at: Date | null;
  /** The last 30-second step accepted; a code of that step or an earlier one is a replay. */
  last_used_step: string | null;
  /** An enrolment in progress; it becomes `secret` when a code from it is confirmed. */
  pending_secret: string | null;
  created_at: CreatedAt;
}

export interface AdminRecoveryCodesTable {
  id: Generated<string>;
  account_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface AdminPasskeysTable {
  id: Generated<string>;
  account_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: ColumnType<string, number, number>;
  transports: Generated<string[]>;
  name: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
}

export interface AdminWebauthnChallengesTable {
  challenge: string;
  purpose: 'registration' | 'authentication';
  account_id: string | null;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface AdminOidcRequestsTable {
  state_hash: string;
  nonce: string;
  code_verifier: string;
  expires_at: Date;
  created_at: CreatedAt;
}
