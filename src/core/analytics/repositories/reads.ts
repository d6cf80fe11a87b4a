/**
 * The API's reads of the analytics summary tables: small, indexed by their primary keys, each
 * summed over workspaces (a manager belongs to one workspace, so populations add up exactly).
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { WeekCellRow } from '../rules.ts';
import { STATE } from './refresh.ts';
import { WEEK_CELL_FIELDS, WEEK_CELL_READ } from './week-cell-sql.ts';

/**
 * Week cells from `from` to `to` (Mondays), summed over workspaces (a manager belongs to one
 * workspace, so populations add up exactly), at the given levels.
 */
export async function selectWeekCells(
  db: Executor,
  from: string,
  to: string,
  levels: readonly number[],
): Promise<WeekCellRow[]> {
  // With one workspace, each row is a whole cell: read as stored, and sum only when there
  // are several (the condition is a one-time filter, so one branch runs).
  const { rows } = await sql<WeekCellRow>`
    WITH one_workspace AS (
      SELECT count(*) <= 1 AS alone FROM (SELECT FROM workspaces LIMIT 2) w
    )
    SELECT to_char(week, 'YYYY-MM-DD') AS week, level, family, topic_id::text AS "topicId",
           ${WEEK_CELL_FIELDS}
      FROM analytics_week_cells
     WHERE week BETWEEN ${from}::date AND ${to}::date AND level = ANY(${levels}::smallint[])
       AND (SELECT alone FROM one_workspace)
    UNION ALL
    SELECT to_char(week, 'YYYY-MM-DD') AS week, level, family, topic_id::text AS "topicId",
           ${WEEK_CELL_READ}
      FROM analytics_week_cells
     WHERE week BETWEEN ${from}::date AND ${to}::date AND level = ANY(${levels}::smallint[])
       AND NOT (SELECT alone FROM one_workspace)
     GROUP BY week, level, family, topic_id
  `.execute(db);
  // No ORDER BY: the service files rows by week and key (rules.ts treesOf), and a sort on the
  // formatted week cost a year's read a fifth of its time.
  return rows;
}

export interface ActivityCellRow {
  week: string;
  level: number;
  family: string;
  isoWeekday: number;
  hour: number;
  answers: number;
  managers: number;
}

export async function selectActivityCells(
  db: Executor,
  from: string,
  to: string,
  levels: readonly number[],
): Promise<ActivityCellRow[]> {
  const { rows } = await sql<ActivityCellRow>`
    SELECT to_char(week, 'YYYY-MM-DD') AS week, level, family, iso_weekday AS "isoWeekday", hour,
           sum(answers)::int AS answers, sum(managers)::int AS managers
      FROM analytics_activity_week_cells
     WHERE week BETWEEN ${from}::date AND ${to}::date AND level = ANY(${levels}::smallint[])
     GROUP BY week, level, family, iso_weekday, hour
  `.execute(db);
  return rows;
}

export interface DeliveryDayRow {
  day: string;
  due: number;
  onTime: number;
  late: number;
  missed: number;
  failed: number;
  slackErrors: number;
  rateLimited: number;
  latenessP50Ms: number | null;
  latenessP99Ms: number | null;
  managers: number;
}

export async function selectDeliveryDays(
  db: Executor,
  from: string,
  to: string,
): Promise<DeliveryDayRow[]> {
  const { rows } = await sql<DeliveryDayRow>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, due, on_time AS "onTime", late, missed, failed,
           slack_errors AS "slackErrors", rate_limited AS "rateLimited",
           lateness_p50_ms AS "latenessP50Ms", lateness_p99_ms AS "latenessP99Ms", managers
      FROM analytics_delivery_days
     WHERE day BETWEEN ${from}::date AND ${to}::date
     ORDER BY day
  `.execute(db);
  return rows;
}

/** Every topic category ("family") any workspace has, retired topics' included. */
export async function selectFamilies(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ category: string }>`
    SELECT DISTINCT category FROM topics ORDER BY category
  `.execute(db);
  return rows.map((row) => row.category);
}

export interface TopicLabel {
  id: string;
  slug: string;
  title: string;
  family: string;
  teamId: string;
}

export async function selectTopicLabels(
  db: Executor,
  ids: readonly string[],
): Promise<TopicLabel[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<TopicLabel>`
    SELECT t.id::text AS id, t.slug, t.title, t.category AS family, w.slack_team_id AS "teamId"
      FROM topics t JOIN workspaces w ON w.id = t.workspace_id
     WHERE t.id = ANY(${ids}::bigint[])
  `.execute(db);
  return rows;
}

/**
 * The version of the summary tables the reader's snapshot sees: the refresh moves it on
 * whenever it changes them ('0' before the first refresh).
 */
export async function selectCellsVersion(db: Executor): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    SELECT cells_version::text AS version FROM analytics_refresh_state WHERE name = ${STATE}
  `.execute(db);
  return rows[0]?.version ?? '0';
}
