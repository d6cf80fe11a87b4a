/** Slack installations, OAuth states, and the user groups synced from Slack. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from './columns.ts';

/** Tokens are sealed (src/core/secrets/keyring.ts); see db/migrations/0020. */
export interface SlackInstallationsTable {
  id: Generated<string>;
  workspace_id: string | null;
  slack_enterprise_id: string | null;
  slack_team_id: string | null;
  is_enterprise_install: Generated<boolean>;
  app_id: string | null;
  bot_user_id: string | null;
  bot_id: string | null;
  bot_scopes: Generated<string[]>;
  bot_token_sealed: string;
  bot_refresh_token_sealed: string | null;
  bot_token_expires_at: Date | null;
  token_refresh_claimed_until: Date | null;
  installer_user_id: string | null;
  installed_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SlackOauthStatesTable {
  state_sha256: string;
  install_options: ColumnType<unknown, string, never>;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface SlackUserGroupsTable {
  id: Generated<string>;
  workspace_id: string;
  slack_group_id: string;
  handle: string;
  name: string;
  is_team: Generated<boolean>;
  removed: Generated<boolean>;
  members_synced_at: Date | null;
  member_count: number | null;
  updated_at: Date;
}

export interface SlackUserGroupMembersTable {
  group_id: string;
  manager_id: string;
}

export interface SlackUserGroupSyncsTable {
  workspace_id: string;
  synced_at: Date | null;
  requested: Generated<boolean>;
  error: string | null;
}
