/** Subscriptions, the notes delivered for them, and a manager's rating of a note. */
import type { Generated } from 'kysely';
import type { CreatedAt, LocalDate, Status, UpdatedAt } from './columns.ts';

/** Skipped on purpose (0026): the manager's Slack status said they were out, or a holiday. */
export type DeliverySkip = 'skipped_away' | 'skipped_holiday';
type DeliveryStatus = Status | 'cancelled' | DeliverySkip;

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

export interface NoteRatingsTable {
  delivery_id: string;
  workspace_id: string;
  manager_id: string;
  topic_id: string | null;
  rating: 'useful' | 'not_for_me';
  rated_at: Date;
}
