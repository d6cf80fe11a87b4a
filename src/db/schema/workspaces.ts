/** Workspaces, their managers, and the workspace-wide defaults. */
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, UpdatedAt } from './columns.ts';

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
