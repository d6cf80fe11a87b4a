/**
 * The refresh's second half: recounting the cells the API reads (weeks, weekday-hours, days)
 * from the manager-level rollups, for the weeks and days in analytics_touched (./refresh.ts).
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import { WEEK_CELL_COLUMNS, WEEK_CELL_COUNTS, WEEK_CELL_UPDATE } from './week-cell-sql.ts';

/** Recounts the week cells of every week holding a touched manager-day. */
export async function refreshWeekCells(db: Executor, now: Date): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH weeks AS (
      SELECT DISTINCT date_trunc('week', day)::date AS week FROM analytics_touched
    ),
    fresh AS (
      SELECT w.week, d.workspace_id,
             (CASE WHEN grouping(d.family) = 1 THEN 0
                   WHEN grouping(d.topic_id) = 1 THEN 1 ELSE 2 END)::smallint AS level,
             CASE WHEN grouping(d.family) = 1 THEN '' ELSE d.family END AS family,
             CASE WHEN grouping(d.topic_id) = 1 THEN 0 ELSE d.topic_id END AS topic_id,
             ${WEEK_CELL_COUNTS}
        FROM weeks w
        JOIN analytics_manager_days d ON d.day >= w.week AND d.day < w.week + 7
       GROUP BY GROUPING SETS ((w.week, d.workspace_id), (w.week, d.workspace_id, d.family),
                               (w.week, d.workspace_id, d.family, d.topic_id))
    ),
    written AS (
      INSERT INTO analytics_week_cells AS o (
        week, workspace_id, level, family, topic_id, ${WEEK_CELL_COLUMNS}, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (week, workspace_id, level, family, topic_id) DO UPDATE SET
        ${WEEK_CELL_UPDATE}
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_week_cells o USING weeks w
       WHERE o.week = w.week
         AND NOT EXISTS (SELECT 1 FROM fresh f
                          WHERE f.week = o.week AND f.workspace_id = o.workspace_id
                            AND f.level = o.level AND f.family = o.family
                            AND f.topic_id = o.topic_id)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM written) + (SELECT count(*) FROM removed))::text AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}

/** Recounts the activity cells (weekday x hour) of every touched week. */
export async function refreshActivityCells(db: Executor, now: Date): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH weeks AS (
      SELECT DISTINCT date_trunc('week', day)::date AS week FROM analytics_touched
    ),
    fresh AS (
      SELECT w.week, h.workspace_id,
             (CASE WHEN grouping(h.family) = 1 THEN 0 ELSE 1 END)::smallint AS level,
             CASE WHEN grouping(h.family) = 1 THEN '' ELSE h.family END AS family,
             extract(isodow FROM h.day)::smallint AS iso_weekday, h.hour,
             sum(h.answers)::int AS answers, count(DISTINCT h.manager_id)::int AS managers
        FROM weeks w
        JOIN analytics_manager_hours h ON h.day >= w.week AND h.day < w.week + 7
       GROUP BY GROUPING SETS (
         (w.week, h.workspace_id, extract(isodow FROM h.day), h.hour),
         (w.week, h.workspace_id, h.family, extract(isodow FROM h.day), h.hour))
    ),
    written AS (
      INSERT INTO analytics_activity_week_cells AS o
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (week, workspace_id, level, family, iso_weekday, hour) DO UPDATE SET
        answers = excluded.answers, managers = excluded.managers,
        refreshed_at = excluded.refreshed_at
      WHERE (o.answers, o.managers) IS DISTINCT FROM (excluded.answers, excluded.managers)
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_activity_week_cells o USING weeks w
       WHERE o.week = w.week
         AND NOT EXISTS (SELECT 1 FROM fresh f
                          WHERE f.week = o.week AND f.workspace_id = o.workspace_id
                            AND f.level = o.level AND f.family = o.family
                            AND f.iso_weekday = o.iso_weekday AND f.hour = o.hour)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM written) + (SELECT count(*) FROM removed))::text AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}

/** Recounts delivery health for every touched local date, across workspaces. */
export async function refreshDeliveryDays(db: Executor, now: Date): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH days AS (SELECT DISTINCT day FROM analytics_touched),
    fresh AS (
      SELECT d.local_date AS day,
             count(*)::int AS due,
             count(*) FILTER (WHERE d.status = 'sent' AND d.sent_at - d.due_at < interval '60 seconds')::int AS on_time,
             count(*) FILTER (WHERE d.status = 'sent' AND d.sent_at - d.due_at >= interval '60 seconds')::int AS late,
             count(*) FILTER (WHERE d.status = 'missed')::int AS missed,
             count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
             count(*) FILTER (WHERE d.error_code IS NOT NULL AND d.error_code <> 'ratelimited')::int AS slack_errors,
             count(*) FILTER (WHERE d.error_code = 'ratelimited')::int AS rate_limited,
             round(percentile_cont(0.5) WITHIN GROUP (ORDER BY
               extract(epoch FROM greatest(d.sent_at - d.due_at, interval '0')) * 1000))::int AS p50,
             round(percentile_cont(0.99) WITHIN GROUP (ORDER BY
               extract(epoch FROM greatest(d.sent_at - d.due_at, interval '0')) * 1000))::int AS p99,
             count(DISTINCT d.manager_id)::int AS managers
        FROM days JOIN deliveries d ON d.local_date = days.day
       WHERE d.status IN ('sent', 'missed', 'failed')
       GROUP BY d.local_date
    ),
    written AS (
      INSERT INTO analytics_delivery_days AS o
        (day, due, on_time, late, missed, failed, slack_errors, rate_limited, lateness_p50_ms,
         lateness_p99_ms, managers, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (day) DO UPDATE SET
        due = excluded.due, on_time = excluded.on_time, late = excluded.late,
        missed = excluded.missed, failed = excluded.failed,
        slack_errors = excluded.slack_errors, rate_limited = excluded.rate_limited,
        lateness_p50_ms = excluded.lateness_p50_ms, lateness_p99_ms = excluded.lateness_p99_ms,
        managers = excluded.managers, refreshed_at = excluded.refreshed_at
      WHERE (o.due, o.on_time, o.late, o.missed, o.failed, o.slack_errors, o.rate_limited,
             o.lateness_p50_ms, o.lateness_p99_ms, o.managers)
        IS DISTINCT FROM
            (excluded.due, excluded.on_time, excluded.late, excluded.missed, excluded.failed,
             excluded.slack_errors, excluded.rate_limited, excluded.lateness_p50_ms,
             excluded.lateness_p99_ms, excluded.managers)
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_delivery_days o USING days
       WHERE o.day = days.day AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.day = o.day)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM written) + (SELECT count(*) FROM removed))::text AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}
