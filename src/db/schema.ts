/**
 * Kysely's view of the tables in db/migrations. Keep in step with the SQL: a column added there
 * is added here in the same commit. The tables are described by feature in src/db/schema/;
 * this module gathers them into the one Database type.
 */

import type {
  ActionItemsTable,
  DeletedActionItemsTable,
  ReminderItemsTable,
  RemindersTable,
  ResponsesTable,
} from './schema/action-items.ts';
import type {
  AdminAccountsTable,
  AdminApiKeysTable,
  AdminOidcRequestsTable,
  AdminPasskeysTable,
  AdminRecoveryCodesTable,
  AdminRoleColumn,
  AdminSessionsTable,
  AdminSignInAttemptsTable,
  AdminTokensTable,
  AdminTotpTable,
  AdminWebauthnChallengesTable,
} from './schema/admin.ts';
import type { AuditEventsTable } from './schema/audit.ts';
import type { DataExportsTable } from './schema/data-rights.ts';
import type {
  DeliveriesTable,
  DeliverySkip,
  NoteRatingsTable,
  SubscriptionsTable,
} from './schema/deliveries.ts';
import type {
  SlackInstallationsTable,
  SlackOauthStatesTable,
  SlackUserGroupMembersTable,
  SlackUserGroupSyncsTable,
  SlackUserGroupsTable,
} from './schema/slack.ts';
import type {
  TopicFeedbackTable,
  TopicRevisionsTable,
  TopicsTable,
  TopicTranslationsTable,
  WeekdayThemesTable,
} from './schema/topics.ts';
import type {
  ManagersTable,
  WorkspaceSettingsTable,
  WorkspacesTable,
} from './schema/workspaces.ts';

export type {
  ActionItemsTable,
  AdminAccountsTable,
  AdminApiKeysTable,
  AdminOidcRequestsTable,
  AdminPasskeysTable,
  AdminRecoveryCodesTable,
  AdminRoleColumn,
  AdminSessionsTable,
  AdminSignInAttemptsTable,
  AdminTokensTable,
  AdminTotpTable,
  AdminWebauthnChallengesTable,
  AuditEventsTable,
  DataExportsTable,
  DeletedActionItemsTable,
  DeliveriesTable,
  DeliverySkip,
  ManagersTable,
  NoteRatingsTable,
  ReminderItemsTable,
  RemindersTable,
  ResponsesTable,
  SlackInstallationsTable,
  SlackOauthStatesTable,
  SlackUserGroupMembersTable,
  SlackUserGroupSyncsTable,
  SlackUserGroupsTable,
  SubscriptionsTable,
  TopicFeedbackTable,
  TopicRevisionsTable,
  TopicsTable,
  TopicTranslationsTable,
  WeekdayThemesTable,
  WorkspaceSettingsTable,
  WorkspacesTable,
};

export interface Database {
  workspaces: WorkspacesTable;
  managers: ManagersTable;
  topics: TopicsTable;
  topic_revisions: TopicRevisionsTable;
  topic_translations: TopicTranslationsTable;
  weekday_themes: WeekdayThemesTable;
  workspace_settings: WorkspaceSettingsTable;
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  action_items: ActionItemsTable;
  reminders: RemindersTable;
  reminder_items: ReminderItemsTable;
  responses: ResponsesTable;
  audit_events: AuditEventsTable;
  topic_feedback: TopicFeedbackTable;
  data_exports: DataExportsTable;
  note_ratings: NoteRatingsTable;
  deleted_action_items: DeletedActionItemsTable;
  admin_totp: AdminTotpTable;
  admin_recovery_codes: AdminRecoveryCodesTable;
  admin_passkeys: AdminPasskeysTable;
  admin_webauthn_challenges: AdminWebauthnChallengesTable;
  admin_oidc_requests: AdminOidcRequestsTable;
  admin_accounts: AdminAccountsTable;
  admin_sessions: AdminSessionsTable;
  admin_api_keys: AdminApiKeysTable;
  admin_tokens: AdminTokensTable;
  admin_sign_in_attempts: AdminSignInAttemptsTable;
  slack_installations: SlackInstallationsTable;
  slack_oauth_states: SlackOauthStatesTable;
  slack_user_groups: SlackUserGroupsTable;
  slack_user_group_members: SlackUserGroupMembersTable;
  slack_user_group_syncs: SlackUserGroupSyncsTable;
}
