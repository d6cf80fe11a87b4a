/**
 * The reads behind the team filter (../team-filter.ts). A manager's *membership* is the set of
 * chosen teams they are in, written as the sorted team ids joined by commas; the managers of
 * one membership are an *atom*. Atoms split every manager in at least one team (the rest form
 * the atom "", which the service works out as the unfiltered cell minus these), so a team is the
 * union of the atoms naming it. Each query starts from the members (a few per team) and reaches
 * the manager-level rollups through their primary keys (manager_id first), and the ledger
 * through deliveries_by_manager: the cost follows the teams' size, not the deployment's.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { WeekCellRow } from '../rules.ts';
import type { ActivityCellRow, DeliveryDayRow } from './reads.ts';

/** The managers in each chosen team. */
const TEAM_MANAGERS = sql`
  team_managers AS (
    SELECT m.group_id, m.manager_id
      FROM slack_user_groups g JOIN slack_user_group_members m ON m.group_id = g.id
     WHERE g.is_team AND NOT g.removed
  )`;

/**
 * Each manager in a team of at least k managers, with their membership. A smaller team is
 * refused by the filter (../query.ts), so it is left out of the atoms: nothing of it is ever
 * shown, so nothing needs guarding against it, and it does not hide the other teams' numbers.
 */
const memberships = (k: number) => sql`
  ${TEAM_MANAGERS},
  memberships AS (
    SELECT manager_id, string_agg(group_id::text, ',' ORDER BY group_id) AS atom
      FROM team_managers
     WHERE group_id IN (SELECT group_id FROM team_managers GROUP BY group_id
                         HAVING count(*) >= ${k})
     GROUP BY manager_id
  )`;

/** The chosen team with this id, if it is one, and how many managers are in it. */
export async function findTeam(
  db: Executor,
  id: string,
): Promise<{ id: string; name: string; managers: number } | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const { rows } = await sql<{ id: string; name: string; managers: number }>`
    WITH ${TEAM_MANAGERS}
    SELECT g.id::text AS id, g.name,
           (SELECT count(*) FROM team_managers t WHERE t.group_id = g.id)::int AS managers
      FROM slack_user_groups g
     WHERE g.id = ${id} AND g.is_team AND NOT g.removed
  `.execute(db);
  return rows[0];
}

export type AtomWeekCellRow = WeekCellRow & { atom: string };

/**
 * The week cells of every atom from `from` to `to` (whole weeks, Monday to Sunday), at levels 0
 * (all), 1 (family) and 2 (topic), counted as src/core/analytics/repositories/cells.ts counts
 * the unfiltered ones.
 */
export async function selectAtomWeekCells(
  db: Executor,
  from: string,
  to: string,
  k: number,
): Promise<AtomWeekCellRow[]> {
  const { rows } = await sql<AtomWeekCellRow>`
    WITH ${memberships(k)},
    days AS (
      SELECT s.atom, date_trunc('week', d.day)::date AS week, d.*
        FROM memberships s
        JOIN analytics_manager_days d ON d.manager_id = s.manager_id
       WHERE d.day BETWEEN ${from}::date AND ${to}::date
    )
    SELECT to_char(week, 'YYYY-MM-DD') AS week, atom,
           (CASE WHEN grouping(family) = 1 THEN 0
                 WHEN grouping(topic_id) = 1 THEN 1 ELSE 2 END)::int AS level,
           CASE WHEN grouping(family) = 1 THEN '' ELSE family END AS family,
           CASE WHEN grouping(topic_id) = 1 THEN '0' ELSE topic_id::text END AS "topicId",
           sum(planned)::int AS planned, sum(sent)::int AS sent,
           sum(sent_with_action)::int AS "sentWithAction", sum(items)::int AS items,
           sum(items_done)::int AS "itemsDone", sum(items_lapsed)::int AS "itemsLapsed",
           sum(reminder_items_asked)::int AS "remindersAsked",
           sum(reminder_items_answered)::int AS "remindersAnswered",
           sum(usefulness_sum)::int AS "usefulnessSum",
           sum(usefulness_count)::int AS "usefulnessCount",
           sum(not_relevant)::int AS "notRelevant", sum(unsubscribed)::int AS unsubscribed,
           count(DISTINCT manager_id) FILTER (WHERE planned > 0)::int AS "plannedManagers",
           count(DISTINCT manager_id) FILTER (WHERE sent > 0)::int AS "sentManagers",
           count(DISTINCT manager_id) FILTER (WHERE items > 0)::int AS "itemManagers",
           count(DISTINCT manager_id)
             FILTER (WHERE reminder_items_asked > 0)::int AS "remindedManagers",
           count(DISTINCT manager_id) FILTER (WHERE usefulness_count > 0)::int AS "raterManagers",
           count(DISTINCT manager_id) FILTER (WHERE unsubscribed > 0)::int
             AS "unsubscribedManagers"
      FROM days
     GROUP BY GROUPING SETS ((week, atom), (week, atom, family), (week, atom, family, topic_id))
  `.execute(db);
  return rows;
}

export type AtomActivityRow = ActivityCellRow & { atom: string };

/** Answers by week, local weekday and hour of every atom, in all (level 0) and per family. */
export async function selectAtomActivityCells(
  db: Executor,
  from: string,
  to: string,
  k: number,
): Promise<AtomActivityRow[]> {
  const { rows } = await sql<AtomActivityRow>`
    WITH ${memberships(k)},
    hours AS (
      SELECT s.atom, date_trunc('week', h.day)::date AS week,
             extract(isodow FROM h.day)::int AS iso_weekday, h.hour, h.family, h.answers,
             h.manager_id
        FROM memberships s
        JOIN analytics_manager_hours h ON h.manager_id = s.manager_id
       WHERE h.day BETWEEN ${from}::date AND ${to}::date
    )
    SELECT to_char(week, 'YYYY-MM-DD') AS week, atom,
           (CASE WHEN grouping(family) = 1 THEN 0 ELSE 1 END)::int AS level,
           CASE WHEN grouping(family) = 1 THEN '' ELSE family END AS family,
           iso_weekday AS "isoWeekday", hour::int AS hour,
           sum(answers)::int AS answers, count(DISTINCT manager_id)::int AS managers
      FROM hours
     GROUP BY GROUPING SETS ((week, atom, iso_weekday, hour),
                             (week, atom, family, iso_weekday, hour))
  `.execute(db);
  return rows;
}

/** Managers with a note due (sent, missed or failed) per local date, per atom. */
export async function selectAtomDeliveryDays(
  db: Executor,
  from: string,
  to: string,
  k: number,
): Promise<{ day: string; atom: string; managers: number }[]> {
  const { rows } = await sql<{ day: string; atom: string; managers: number }>`
    WITH ${memberships(k)}
    SELECT to_char(d.local_date, 'YYYY-MM-DD') AS day, s.atom,
           count(DISTINCT d.manager_id)::int AS managers
      FROM memberships s
      JOIN deliveries d ON d.manager_id = s.manager_id
     WHERE d.local_date BETWEEN ${from}::date AND ${to}::date
       AND d.status IN ('sent', 'missed', 'failed')
     GROUP BY d.local_date, s.atom
  `.execute(db);
  return rows;
}

/**
 * Delivery health per local date for one team's managers, counted as
 * src/core/analytics/repositories/cells.ts counts it for everyone.
 */
export async function selectTeamDeliveryDays(
  db: Executor,
  teamId: string,
  from: string,
  to: string,
): Promise<DeliveryDayRow[]> {
  const { rows } = await sql<DeliveryDayRow>`
    WITH ${TEAM_MANAGERS},
    team AS (SELECT manager_id FROM team_managers WHERE group_id = ${teamId})
    SELECT to_char(d.local_date, 'YYYY-MM-DD') AS day,
           count(*)::int AS due,
           count(*) FILTER (WHERE d.status = 'sent' AND d.sent_at - d.due_at < interval '60 seconds')::int AS "onTime",
           count(*) FILTER (WHERE d.status = 'sent' AND d.sent_at - d.due_at >= interval '60 seconds')::int AS late,
           count(*) FILTER (WHERE d.status = 'missed')::int AS missed,
           count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
           count(*) FILTER (WHERE d.error_code IS NOT NULL AND d.error_code <> 'ratelimited')::int AS "slackErrors",
           count(*) FILTER (WHERE d.error_code = 'ratelimited')::int AS "rateLimited",
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY
             extract(epoch FROM greatest(d.sent_at - d.due_at, interval '0')) * 1000))::int AS "latenessP50Ms",
           round(percentile_cont(0.99) WITHIN GROUP (ORDER BY
             extract(epoch FROM greatest(d.sent_at - d.due_at, interval '0')) * 1000))::int AS "latenessP99Ms",
           count(DISTINCT d.manager_id)::int AS managers
      FROM team JOIN deliveries d ON d.manager_id = team.manager_id
     WHERE d.local_date BETWEEN ${from}::date AND ${to}::date
       AND d.status IN ('sent', 'missed', 'failed')
     GROUP BY d.local_date
     ORDER BY d.local_date
  `.execute(db);
  return rows;
}
