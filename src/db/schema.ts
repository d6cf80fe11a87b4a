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
type DeliveryStatus = Status | 'cancelled';

export interface WorkspacesTable {
  id: Generated<string>;
  slack_team_id: string;
  name: string | null;
  status: Generated<'active' | 'inactive'>;
  status_reason: string | null;
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

export interface WeekdayThemesTable {
  workspace_id: string;
  iso_weekday: number;
  category: string;
  updated_at: UpdatedAt;
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
  weekly_digest: Generated<boolean>;
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
  kind: Generated<'reminder' | 'digest'>;
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
}

export interface AuditEventsTable {
  id: Generated<string>;
  workspace_id: string;
  actor: string;
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

export interface Database {
  workspaces: WorkspacesTable;
  managers: ManagersTable;
  topics: TopicsTable;
  topic_revisions: TopicRevisionsTable;
  weekday_themes: WeekdayThemesTable;
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  action_items: ActionItemsTable;
  reminders: RemindersTable;
  reminder_items: ReminderItemsTable;
  responses: ResponsesTable;
  audit_events: AuditEventsTable;
  topic_feedback: TopicFeedbackTable;
}
