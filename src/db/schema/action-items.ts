/** Action items, the reminders that check back on them, the answers, and a deleted item kept for undo. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, LocalDate, Status, UpdatedAt } from './columns.ts';

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
