/**
 * The reads behind the team filter (../team-filter.ts). A manager's *membership* is the set of
 * chosen teams they are in, written as the sorted team ids joined by commas; the managers of
 * one membership are an *atom*. Atoms split every manager in at least one team (the rest form
 * the atom "", which the service works out as the unfiltered cell minus these), so a team is the
 * union of the atoms naming it.
 *
 * The atoms' cells are kept by the worker's refresh (./atom-cells.ts, db/migrations/0032) for
 * *fine* atoms, split by every chosen team. A team of fewer than k managers is refused by the
 * filter (../query.ts), so it is left out of the atoms: nothing of it is ever shown, so nothing
 * needs guarding against it, and it does not hide the other teams' numbers. The reads here
 * merge the fine atoms that differ only by such teams (their managers are distinct, so every
 * count, the managers' included, adds up), by the team sizes of the same refresh.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { WeekCellRow } from '../rules.ts';
import type { ActivityCellRow, DeliveryDayRow } from './reads.ts';
import { WEEK_CELL_FIELDS, WEEK_CELL_READ } from './week-cell-sql.ts';

/** The managers in each chosen team, as they are now. */
export const TEAM_MANAGERS = sql`
  team_managers AS (
    SELECT m.group_id, m.manager_id
      FROM slack_user_groups g JOIN slack_user_group_members m ON m.group_id = g.id
     WHERE g.is_team AND NOT g.removed
  )`;

/**
 * `atoms`: each fine atom the refresh keeps cells of (`stored`) with the atom it belongs to
 * once the teams of fewer than k managers are left out (`atom`; '' when none is left).
 */
const atoms = (k: number) => sql`
  atom_teams AS (
    SELECT a.atom, a.managers, t.team
      FROM analytics_atoms a
     CROSS JOIN LATERAL unnest(string_to_array(a.atom, ',')::bigint[]) AS t (team)
  ),
  team_sizes AS (SELECT team, sum(managers) AS managers FROM atom_teams GROUP BY team),
  atoms AS (
    SELECT a.atom AS stored,
           coalesce(string_agg(a.team::text, ',' ORDER BY a.team)
                      FILTER (WHERE z.managers >= ${k}), '') AS atom
      FROM atom_teams a JOIN team_sizes z ON z.team = a.team
     GROUP BY a.atom
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
 * The week cells of every atom from `from` to `to` (whole weeks, Monday to Sunday), at the
 * given levels: 0 (all), 1 (family) and 2 (topic).
 */
export async function selectAtomWeekCells(
  db: Executor,
  from: string,
  to: string,
  k: number,
  levels: readonly number[],
): Promise<AtomWeekCellRow[]> {
  // An atom that is one fine atom (every team of it has k managers or more, as is usual) has
  // whole cells as stored: read as they are, and sum only the atoms that merge several.
  const { rows } = await sql<AtomWeekCellRow>`
    WITH ${atoms(k)},
    merged AS (SELECT stored, atom, count(*) OVER (PARTITION BY atom) AS fine FROM atoms)
    SELECT to_char(c.week, 'YYYY-MM-DD') AS week, a.atom, c.level, c.family,
           c.topic_id::text AS "topicId",
           ${WEEK_CELL_FIELDS}
      FROM analytics_atom_week_cells c JOIN merged a ON a.stored = c.atom
     WHERE c.week BETWEEN ${from}::date AND ${to}::date AND c.level = ANY(${levels}::smallint[])
       AND a.atom <> '' AND a.fine = 1
    UNION ALL
    SELECT to_char(c.week, 'YYYY-MM-DD') AS week, a.atom, c.level, c.family,
           c.topic_id::text AS "topicId",
           ${WEEK_CELL_READ}
      FROM analytics_atom_week_cells c JOIN merged a ON a.stored = c.atom
     WHERE c.week BETWEEN ${from}::date AND ${to}::date AND c.level = ANY(${levels}::smallint[])
       AND a.atom <> '' AND a.fine > 1
     GROUP BY c.week, a.atom, c.level, c.family, c.topic_id
  `.execute(db);
  return rows;
}

export type AtomActivityRow = ActivityCellRow & { atom: string };

/** Answers by week, local weekday and hour of every atom, at the given levels (0 all, 1 family). */
export async function selectAtomActivityCells(
  db: Executor,
  from: string,
  to: string,
  k: number,
  levels: readonly number[],
): Promise<AtomActivityRow[]> {
  const { rows } = await sql<AtomActivityRow>`
    WITH ${atoms(k)}
    SELECT to_char(c.week, 'YYYY-MM-DD') AS week, a.atom, c.level, c.family,
           c.iso_weekday AS "isoWeekday", c.hour,
           sum(c.answers)::int AS answers, sum(c.managers)::int AS managers
      FROM analytics_atom_activity_cells c JOIN atoms a ON a.stored = c.atom
     WHERE c.week BETWEEN ${from}::date AND ${to}::date AND c.level = ANY(${levels}::smallint[])
       AND a.atom <> ''
     GROUP BY c.week, a.atom, c.level, c.family, c.iso_weekday, c.hour
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
    WITH ${atoms(k)}
    SELECT to_char(c.day, 'YYYY-MM-DD') AS day, a.atom, sum(c.managers)::int AS managers
      FROM analytics_atom_delivery_days c JOIN atoms a ON a.stored = c.atom
     WHERE c.day BETWEEN ${from}::date AND ${to}::date AND a.atom <> ''
     GROUP BY c.day, a.atom
  `.execute(db);
  return rows;
}

/** Delivery health per local date for one team's managers, as the refresh counted it. */
export async function selectTeamDeliveryDays(
  db: Executor,
  teamId: string,
  from: string,
  to: string,
): Promise<DeliveryDayRow[]> {
  const { rows } = await sql<DeliveryDayRow>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, due, on_time AS "onTime", late, missed, failed,
           slack_errors AS "slackErrors", rate_limited AS "rateLimited",
           lateness_p50_ms AS "latenessP50Ms", lateness_p99_ms AS "latenessP99Ms", managers
      FROM analytics_team_delivery_days
     WHERE group_id = ${teamId} AND day BETWEEN ${from}::date AND ${to}::date
     ORDER BY day
  `.execute(db);
  return rows;
}
