/**
 * Kysely's view of the tables in db/migrations. Keep in step with the SQL: a column added there
 * is added here in the same commit.
 */
import type { ColumnType, Generated } from 'kysely';

/** Set by the database, or by the service's clock where time-dependent rules read it back. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
/** `date` columns come back as 'YYYY-MM-DD' strings (see src/db/types.ts). */
type LocalDate = string;
type Status = 'pending' | 'claimed' | 'sent' | 'missed' | 'failed';
/** Skipped on purpose (0026): the manager's Slack status said they were out, or a holiday. */
export type DeliverySkip = 'skipped_away' | 'skipped_holiday';
type DeliveryStatus = Status | 'cancelled' | DeliverySkip;

export interface WorkspacesTable {
  id: Generated<string>;
  slack_team_id: string;
  name: string | null;
  status: Generated<'active' | 'inactive'>;
  status_reason: string | null;
  /** Slack answered 429 for this workspace: no claim hands out its rows before this time. */
  slack_rate_limited_until: Date | null;
  /** The Enterprise Grid org the workspace is part of, when Slack said so (migration 0027). */
  slack_enterprise_id: string | null;
  /** When the bot last finished a sweep of its members' Slack statuses (migration 0034). */
  statuses_swept_at: Date | null;
  /** When a bot was last handed the workspace to sweep (migration 0035): held a while. */
  statuses_sweep_claimed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ManagersTable {
  id: Generated<string>;
  workspace_id: string;
  slack_user_id: string;
  time_zone: string;
  locale: Generated<string>;
  dm_channel_id: string | null;
  /** Public holidays kept (0026): ISO country code, and a region of it as date-holidays names it. */
  holiday_country: string | null;
  holiday_region: string | null;
  /** The manager's chosen language (0030); null follows Slack, then the workspace default. */
  language: 'en' | 'de' | 'fr' | null;
  /**
   * Slack status, derived (0034): null when it does not say out, else when "out" clears
   * ('infinity' when it never does, which pg reads as the number Infinity); and when that
   * was learned.
   */
  away_until: Date | number | null;
  status_read_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TopicsTable {
  id: Generated<string>;
  workspace_id: string;
  slug: string;
  category: string;
  title: string;
  summary: string;
  why_it_matters: string;
  example: string;
  reflection_question: string;
  actions: string[];
  reference: string;
  revision: Generated<number>;
  retired_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TopicRevisionsTable {
  topic_id: string;
  revision: number;
  workspace_id: string;
  content: unknown;
  source: 'seed' | 'admin';
  created_at: CreatedAt;
}

/** A topic's text in another language than English (0029); the topic row is the English. */
export interface TopicTranslationsTable {
  topic_id: string;
  language: 'de' | 'fr';
  workspace_id: string;
  title: string;
  summary: string;
  why_it_matters: string;
  example: string;
  reflection_question: string;
  actions: string[];
  source: 'seed' | 'admin';
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WeekdayThemesTable {
  workspace_id: string;
  iso_weekday: number;
  category: string;
  updated_at: UpdatedAt;
}

/** Workspace defaults from the settings page (0018); no row means the column defaults. */
export interface WorkspaceSettingsTable {
  workspace_id: string;
  default_weekdays: number[];
  /** 'HH:MM:SS' as PostgreSQL's time type reads back. */
  default_local_time: string;
  quiet_start: string;
  quiet_end: string;
  daily_dm_cap: number;
  check_back_days: number;
  weekly_digest: boolean;
  /** For a manager whose Slack locale Blindspot does not speak (0030). */
  default_language: Generated<'en' | 'de' | 'fr'>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SubscriptionsTable {
  id: Generated<string>;
  workspace_id: string;
  manager_id: string;
  weekdays: number[];
  local_time: string;
  time_zone: string;
  skipped_categories: Generated<string[]>;
  status: Generated<'active' | 'paused' | 'unsubscribed'>;
  status_reason: string | null;
  next_due_at: Date | null;
  /** Away until (0026): the local date the manager is back, and when that day starts. */
  paused_until: LocalDate | null;
  resumes_at: Date | null;
  weekly_digest: Generated<boolean>;
  /** When the reminder planner next looks at the digest; -Infinity: at its next tick (0017). */
  next_digest_at: Generated<Date>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  workspace_id: string;
  subscription_id: string;
  manager_id: string;
  local_date: LocalDate;
  topic_id: string | null;
  due_at: Date;
  status: Generated<DeliveryStatus>;
  lease_expires_at: Date | null;
  attempts: Generated<number>;
  slack_channel_id: string | null;
  slack_ts: string | null;
  sent_at: Date | null;
  late: Generated<boolean>;
  error_code: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ActionItemsTable {
  id: Generated<string>;
  workspace_id: string;
  manager_id: string;
  topic_id: string | null;
  delivery_id: string | null;
  text: string;
  note: string | null;
  source: 'modal' | 'thread' | 'dm' | 'api';
  source_key: string | null;
  status: Generated<'open' | 'done' | 'partly' | 'dropped' | 'lapsed'>;
  check_back_on: LocalDate;
  interval_days: Generated<number>;
  unanswered_reminders: Generated<number>;
  completed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RemindersTable {
  id: Generated<string>;
  workspace_id: string;
  manager_id: string;
  local_date: LocalDate;
  kind: Generated<'reminder' | 'digest' | 'welcome_back'>;
  due_at: Date;
  wanted_at: Date | null;
  status: Generated<Status | 'cancelled'>;
  lease_expires_at: Date | null;
  attempts: Generated<number>;
  slack_channel_id: string | null;
  slack_ts: string | null;
  sent_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReminderItemsTable {
  reminder_id: string;
  action_item_id: string;
  workspace_id: string;
  final: Generated<boolean>;
}

export interface ResponsesTable {
  id: Generated<string>;
  workspace_id: string;
  action_item_id: string;
  reminder_id: string | null;
  answer: 'done' | 'partly' | 'not_yet' | 'snoozed' | 'dropped';
  reflection: string | null;
  usefulness: number | null;
  answered_at: Generated<Date>;
  /** Kept by a trigger (migration 0015): the analytics refresh finds changed answers by it. */
  updated_at: ColumnType<Date, never, never>;
}

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

export interface TopicFeedbackTable {
  workspace_id: string;
  manager_id: string;
  topic_id: string;
  kind: 'not_relevant';
  delivery_id: string | null;
  created_at: CreatedAt;
}

export interface NoteRatingsTable {
  delivery_id: string;
  workspace_id: string;
  manager_id: string;
  topic_id: string | null;
  rating: 'useful' | 'not_for_me';
  rated_at: Date;
}

/** An action item the manager deleted, kept for the minute of "Undo" (migration 0025). */
export interface DeletedActionItemsTable {
  action_item_id: string;
  workspace_id: string;
  manager_id: string;
  /** The rows as they were, as JSON: to_jsonb of action_items, and arrays of the others. */
  item: unknown;
  responses: unknown;
  reminder_items: unknown;
  deleted_at: Date;
}

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
