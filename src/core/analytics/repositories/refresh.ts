/**
 * The worker's queries: the incremental refresh of the analytics summary tables
 * (db/migrations/0015_create_analytics_summaries.sql). The API's reads are in ./reads.ts.
 *
 * The refresh recomputes whole manager-days: a manager-day is touched when any row behind it
 * changed since the watermark, and its rollup rows are recomputed from the ledgers and written
 * only where a value differs, so a run with nothing new writes nothing. The weeks (and days,
 * for delivery health) holding a touched manager-day are then recounted from the rollups.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';

/** The refresh's row in analytics_refresh_state. */
export const STATE = 'analytics';

/**
 * The instants the touched local days can span, with a day's margin each side for time zones
 * (UTC-12 to UTC+14): a window on created_at and answered_at, so that a recount reads those
 * tables by index rather than whole.
 */
const BOUNDS = sql`bounds AS (
  SELECT (min(day) - 1)::timestamp AT TIME ZONE 'UTC' AS lo,
         (max(day) + 2)::timestamp AT TIME ZONE 'UTC' AS hi
    FROM analytics_touched
)`;

/**
 * The watermark, locked for this run; `at` is undefined before the first run. `busy` when
 * another run holds it: SKIP LOCKED, so that while a long first run recounts the history, the
 * ticks behind it end at once rather than each hold a connection waiting for it.
 */
export async function lockWatermark(
  db: Executor,
): Promise<{ busy: true } | { busy: false; at: Date | undefined }> {
  await sql`
    INSERT INTO analytics_refresh_state (name, refreshed_through)
    VALUES (${STATE}, '-infinity') ON CONFLICT (name) DO NOTHING
  `.execute(db);
  const { rows } = await sql<{ at: Date | string }>`
    SELECT refreshed_through AS at FROM analytics_refresh_state WHERE name = ${STATE}
       FOR UPDATE SKIP LOCKED
  `.execute(db);
  if (rows.length === 0) return { busy: true };
  const at = rows[0]?.at;
  return { busy: false, at: at instanceof Date && Number.isFinite(at.getTime()) ? at : undefined };
}

/** Moves the version of the summary tables on: this run wrote or removed summary rows. */
export async function markCellsChanged(db: Executor): Promise<void> {
  await sql`
    UPDATE analytics_refresh_state SET cells_version = cells_version + 1 WHERE name = ${STATE}
  `.execute(db);
}

export async function saveWatermark(db: Executor, at: Date): Promise<void> {
  await sql`
    UPDATE analytics_refresh_state SET refreshed_through = ${at} WHERE name = ${STATE}
  `.execute(db);
}

/**
 * Fills the temporary table analytics_touched_all with the manager-days whose rows changed at or
 * after `since` (every manager-day when `since` is undefined). Returns how many.
 * ./refresh.ts then works through them a week at a time (takeTouchedWeek), so that no statement
 * of the first run after an upgrade has to recount the whole history at once.
 */
export async function collectTouchedDays(db: Executor, since: Date | undefined): Promise<number> {
  const after = since ?? new Date(0);
  // All of them by day, so that each week is taken by a range of the key; a week's by
  // manager, as the refresh statements join it.
  await sql`
    CREATE TEMPORARY TABLE analytics_touched_all (
      manager_id bigint NOT NULL, day date NOT NULL, PRIMARY KEY (day, manager_id)
    ) ON COMMIT DROP
  `.execute(db);
  await sql`
    CREATE TEMPORARY TABLE analytics_touched (
      manager_id bigint NOT NULL, day date NOT NULL, PRIMARY KEY (manager_id, day)
    ) ON COMMIT DROP
  `.execute(db);
  const result = await sql`
    INSERT INTO analytics_touched_all (manager_id, day)
    SELECT manager_id, local_date FROM deliveries WHERE updated_at >= ${after}
    UNION
    SELECT manager_id, local_date FROM reminders WHERE updated_at >= ${after}
    UNION
    SELECT a.manager_id, (a.created_at AT TIME ZONE m.time_zone)::date
      FROM action_items a JOIN managers m ON m.id = a.manager_id
     WHERE a.updated_at >= ${after} OR a.created_at >= ${after}
    UNION
    -- A new item changes its note's day too: that note now "led to an action".
    SELECT d.manager_id, d.local_date
      FROM action_items a JOIN deliveries d ON d.id = a.delivery_id
     WHERE a.updated_at >= ${after} OR a.created_at >= ${after}
    UNION
    SELECT a.manager_id, (r.answered_at AT TIME ZONE m.time_zone)::date
      FROM responses r
      JOIN action_items a ON a.id = r.action_item_id
      JOIN managers m ON m.id = a.manager_id
     WHERE r.answered_at >= ${after} OR r.updated_at >= ${after}
    UNION
    SELECT rm.manager_id, rm.local_date
      FROM responses r JOIN reminders rm ON rm.id = r.reminder_id
     WHERE r.answered_at >= ${after} OR r.updated_at >= ${after}
    UNION
    SELECT f.manager_id, coalesce(d.local_date, (f.created_at AT TIME ZONE m.time_zone)::date)
      FROM topic_feedback f
      JOIN managers m ON m.id = f.manager_id
      LEFT JOIN deliveries d ON d.id = f.delivery_id
     WHERE f.created_at >= ${after}
    UNION
    SELECT s.manager_id, (s.updated_at AT TIME ZONE m.time_zone)::date
      FROM subscriptions s JOIN managers m ON m.id = s.manager_id
     WHERE s.updated_at >= ${after} AND s.status = 'unsubscribed'
  `.execute(db);
  // Temporary tables are never analysed on their own; without it each week's take is a scan.
  await sql`ANALYZE analytics_touched_all`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The Mondays of the ISO weeks holding a touched manager-day, oldest first. */
export async function touchedWeeks(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ monday: string }>`
    SELECT DISTINCT to_char(date_trunc('week', day), 'YYYY-MM-DD') AS monday
      FROM analytics_touched_all ORDER BY 1
  `.execute(db);
  return rows.map((row) => row.monday);
}

/**
 * Puts the touched manager-days of the week starting `monday` into analytics_touched (the set
 * the refresh statements below work on), replacing what it held. Returns how many. A range of
 * analytics_touched_all's key: nothing is deleted from it, as a delete per week left dead
 * index entries that every later week had to step over.
 */
export async function takeTouchedWeek(db: Executor, monday: string): Promise<number> {
  await sql`TRUNCATE analytics_touched`.execute(db);
  const result = await sql`
    INSERT INTO analytics_touched (manager_id, day)
    SELECT manager_id, day FROM analytics_touched_all
     WHERE day >= ${monday}::date AND day < ${monday}::date + 7
  `.execute(db);
  await sql`ANALYZE analytics_touched`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Recomputes the rollup of every touched manager-day, per topic; writes only what changed and
 * removes rows that no longer have anything. Returns the rows written or removed.
 */
export async function refreshManagerDays(db: Executor, now: Date): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH ${BOUNDS},
    parts AS (
      SELECT d.manager_id, d.local_date AS day, coalesce(d.topic_id, 0) AS topic_id, d.workspace_id,
             (d.status IN ('sent', 'missed', 'failed'))::int AS planned,
             (d.status = 'sent')::int AS sent,
             (d.status = 'sent' AND EXISTS (
               SELECT 1 FROM action_items a WHERE a.delivery_id = d.id))::int AS sent_with_action,
             0 AS items, 0 AS items_done, 0 AS items_lapsed, 0 AS asked, 0 AS answered,
             0 AS usefulness_sum, 0 AS usefulness_count, 0 AS not_relevant, 0 AS unsubscribed
        FROM deliveries d
        JOIN analytics_touched t ON t.manager_id = d.manager_id AND t.day = d.local_date
       -- The days' range too, so the notes are read by their day index: without it the planner
       -- hashed the touched days and scanned every note (7.5 of a 12.5 s tick at 100,000
       -- managers, and the same scan for every week of a first run).
       WHERE d.local_date BETWEEN (SELECT min(day) FROM analytics_touched)
                              AND (SELECT max(day) FROM analytics_touched)
      UNION ALL
      SELECT a.manager_id, (a.created_at AT TIME ZONE m.time_zone)::date, coalesce(a.topic_id, 0),
             a.workspace_id, 0, 0, 0, 1, (a.status = 'done')::int, (a.status = 'lapsed')::int,
             0, 0, 0, 0, 0, 0
        FROM action_items a
        JOIN managers m ON m.id = a.manager_id
        JOIN analytics_touched t
          ON t.manager_id = a.manager_id AND t.day = (a.created_at AT TIME ZONE m.time_zone)::date
       WHERE a.created_at >= (SELECT lo FROM bounds) AND a.created_at < (SELECT hi FROM bounds)
      UNION ALL
      SELECT r.manager_id, r.local_date, coalesce(a.topic_id, 0), r.workspace_id,
             0, 0, 0, 0, 0, 0, 1, (answer.id IS NOT NULL)::int, 0, 0, 0, 0
        FROM reminders r
        JOIN analytics_touched t ON t.manager_id = r.manager_id AND t.day = r.local_date
        JOIN reminder_items ri ON ri.reminder_id = r.id
        JOIN action_items a ON a.id = ri.action_item_id
        LEFT JOIN responses answer
          ON answer.reminder_id = r.id AND answer.action_item_id = ri.action_item_id
       WHERE r.status = 'sent' AND r.kind = 'reminder'
         AND r.local_date BETWEEN (SELECT min(day) FROM analytics_touched)
                              AND (SELECT max(day) FROM analytics_touched)
      UNION ALL
      SELECT a.manager_id, (r.answered_at AT TIME ZONE m.time_zone)::date, coalesce(a.topic_id, 0),
             a.workspace_id, 0, 0, 0, 0, 0, 0, 0, 0, r.usefulness, 1, 0, 0
        FROM responses r
        JOIN action_items a ON a.id = r.action_item_id
        JOIN managers m ON m.id = a.manager_id
        JOIN analytics_touched t
          ON t.manager_id = a.manager_id AND t.day = (r.answered_at AT TIME ZONE m.time_zone)::date
       WHERE r.usefulness IS NOT NULL
         AND r.answered_at >= (SELECT lo FROM bounds) AND r.answered_at < (SELECT hi FROM bounds)
      UNION ALL
      -- A "not relevant" mark counts on its note's day, among the managers who got the note.
      SELECT f.manager_id, f.day, f.topic_id, f.workspace_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0
        FROM (
          -- The touched managers' marks first (by the primary key), then their notes' days.
          -- The note's day by its primary key, one mark at a time: as a join, the planner
          -- hashed the whole deliveries table for every week of a refresh.
          SELECT f.manager_id, f.topic_id, f.workspace_id,
                 coalesce((SELECT d.local_date FROM deliveries d WHERE d.id = f.delivery_id),
                          (f.created_at AT TIME ZONE m.time_zone)::date) AS day
            FROM topic_feedback f
            JOIN managers m ON m.id = f.manager_id
           WHERE f.manager_id IN (SELECT manager_id FROM analytics_touched)
             -- A mark comes after its note, so none made before the touched days can count
             -- on them: without this, every mark the touched managers ever made looked up its
             -- note (200,000 lookups a tick at 100,000 managers).
             AND f.created_at >= (SELECT lo FROM bounds)
        ) f
        JOIN analytics_touched t ON t.manager_id = f.manager_id AND t.day = f.day
      UNION ALL
      SELECT s.manager_id, (s.updated_at AT TIME ZONE m.time_zone)::date, 0, s.workspace_id,
             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
        FROM subscriptions s
        JOIN managers m ON m.id = s.manager_id
        JOIN analytics_touched t
          ON t.manager_id = s.manager_id AND t.day = (s.updated_at AT TIME ZONE m.time_zone)::date
       WHERE s.status = 'unsubscribed'
    ),
    fresh AS (
      SELECT p.manager_id, p.day, p.topic_id, min(p.workspace_id) AS workspace_id,
             coalesce(min(tp.category), '') AS family,
             sum(planned)::int AS planned, sum(sent)::int AS sent,
             sum(sent_with_action)::int AS sent_with_action, sum(items)::int AS items,
             sum(items_done)::int AS items_done, sum(items_lapsed)::int AS items_lapsed,
             sum(asked)::int AS asked, sum(answered)::int AS answered,
             sum(usefulness_sum)::int AS usefulness_sum,
             sum(usefulness_count)::int AS usefulness_count,
             sum(not_relevant)::int AS not_relevant, sum(unsubscribed)::int AS unsubscribed
        FROM parts p LEFT JOIN topics tp ON tp.id = p.topic_id
       GROUP BY p.manager_id, p.day, p.topic_id
    ),
    written AS (
      INSERT INTO analytics_manager_days AS o (
        manager_id, day, topic_id, workspace_id, family, planned, sent, sent_with_action, items,
        items_done, items_lapsed, reminder_items_asked, reminder_items_answered, usefulness_sum,
        usefulness_count, not_relevant, unsubscribed, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      -- Only rows that differ reach the insert: ON CONFLICT locks every row it meets, even one
      -- its WHERE then leaves alone, and most touched manager-days come out as they were
      -- (about 2 s a tick for 95,000 of them at 100,000 managers).
       WHERE NOT EXISTS (
         SELECT 1 FROM analytics_manager_days o
          WHERE o.manager_id = f.manager_id AND o.day = f.day AND o.topic_id = f.topic_id
            AND (o.workspace_id, o.family, o.planned, o.sent, o.sent_with_action, o.items,
                 o.items_done, o.items_lapsed, o.reminder_items_asked,
                 o.reminder_items_answered, o.usefulness_sum, o.usefulness_count,
                 o.not_relevant, o.unsubscribed)
              = (f.workspace_id, f.family, f.planned, f.sent, f.sent_with_action, f.items,
                 f.items_done, f.items_lapsed, f.asked, f.answered, f.usefulness_sum,
                 f.usefulness_count, f.not_relevant, f.unsubscribed))
      ON CONFLICT (manager_id, day, topic_id) DO UPDATE SET
        workspace_id = excluded.workspace_id, family = excluded.family,
        planned = excluded.planned, sent = excluded.sent,
        sent_with_action = excluded.sent_with_action, items = excluded.items,
        items_done = excluded.items_done, items_lapsed = excluded.items_lapsed,
        reminder_items_asked = excluded.reminder_items_asked,
        reminder_items_answered = excluded.reminder_items_answered,
        usefulness_sum = excluded.usefulness_sum, usefulness_count = excluded.usefulness_count,
        not_relevant = excluded.not_relevant, unsubscribed = excluded.unsubscribed,
        refreshed_at = excluded.refreshed_at
      WHERE (o.workspace_id, o.family, o.planned, o.sent, o.sent_with_action, o.items,
             o.items_done, o.items_lapsed, o.reminder_items_asked, o.reminder_items_answered,
             o.usefulness_sum, o.usefulness_count, o.not_relevant, o.unsubscribed)
        IS DISTINCT FROM
            (excluded.workspace_id, excluded.family, excluded.planned, excluded.sent,
             excluded.sent_with_action, excluded.items, excluded.items_done,
             excluded.items_lapsed, excluded.reminder_items_asked,
             excluded.reminder_items_answered, excluded.usefulness_sum,
             excluded.usefulness_count, excluded.not_relevant, excluded.unsubscribed)
      RETURNING 1
    ),
    removed AS (
      -- The days' range as well, so that the rollup is read by its day index, not scanned whole.
      DELETE FROM analytics_manager_days o USING analytics_touched t
       WHERE o.manager_id = t.manager_id AND o.day = t.day
         AND o.day BETWEEN (SELECT min(day) FROM analytics_touched)
                       AND (SELECT max(day) FROM analytics_touched)
         AND NOT EXISTS (SELECT 1 FROM fresh f
                          WHERE f.manager_id = o.manager_id AND f.day = o.day
                            AND f.topic_id = o.topic_id)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM written) + (SELECT count(*) FROM removed))::text AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}

/** The same for answers by local day and hour. */
export async function refreshManagerHours(db: Executor, now: Date): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH ${BOUNDS},
    fresh AS (
      SELECT a.manager_id, (r.answered_at AT TIME ZONE m.time_zone)::date AS day,
             extract(hour FROM r.answered_at AT TIME ZONE m.time_zone)::smallint AS hour,
             coalesce(tp.category, '') AS family, min(a.workspace_id) AS workspace_id,
             count(*)::int AS answers
        FROM responses r
        JOIN action_items a ON a.id = r.action_item_id
        JOIN managers m ON m.id = a.manager_id
        JOIN analytics_touched t
          ON t.manager_id = a.manager_id AND t.day = (r.answered_at AT TIME ZONE m.time_zone)::date
        LEFT JOIN topics tp ON tp.id = a.topic_id
       WHERE r.answered_at >= (SELECT lo FROM bounds) AND r.answered_at < (SELECT hi FROM bounds)
       GROUP BY 1, 2, 3, 4
    ),
    written AS (
      INSERT INTO analytics_manager_hours AS o
        (manager_id, day, hour, family, workspace_id, answers, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (manager_id, day, hour, family) DO UPDATE SET
        workspace_id = excluded.workspace_id, answers = excluded.answers,
        refreshed_at = excluded.refreshed_at
      WHERE (o.workspace_id, o.answers) IS DISTINCT FROM (excluded.workspace_id, excluded.answers)
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_manager_hours o USING analytics_touched t
       WHERE o.manager_id = t.manager_id AND o.day = t.day
         AND o.day BETWEEN (SELECT min(day) FROM analytics_touched)
                       AND (SELECT max(day) FROM analytics_touched)
         AND NOT EXISTS (SELECT 1 FROM fresh f
                          WHERE f.manager_id = o.manager_id AND f.day = o.day
                            AND f.hour = o.hour AND f.family = o.family)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM written) + (SELECT count(*) FROM removed))::text AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}
