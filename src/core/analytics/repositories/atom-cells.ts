/**
 * The refresh's third part: the team filter's cells, per atom (db/migrations/0032 and
 * ../team-filter.ts), counted from the memberships the refresh last took
 * (analytics_atom_members) as ./cells.ts counts everyone's. Every statement starts from those
 * members and reaches the rollups and the ledger by their manager-first keys, so it costs what
 * the teams' managers' rows cost, not the deployment's.
 *
 * A recount covers one ISO week of every atom (the refresh's touched weeks), or every week of
 * the atoms whose managers changed since the last run (analytics_atoms_changed, filled by
 * refreshAtomMembers): a manager joining a team costs the recount of the two atoms they move
 * between, not of every team. Either way it writes only rows whose values differ, and removes
 * the rows of its span that no longer have anything.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import { TEAM_MANAGERS } from './team-reads.ts';
import { WEEK_CELL_COLUMNS, WEEK_CELL_COUNTS, WEEK_CELL_UPDATE } from './week-cell-sql.ts';

/** One week (by its Monday) of every atom, or every week of the changed atoms. */
export type AtomSpan = { week: string } | 'changed';

const CHANGED_ATOMS = sql`(SELECT atom FROM analytics_atoms_changed)`;
/** The teams a changed atom names: their delivery health is recounted whole. */
const CHANGED_TEAMS = sql`(
  SELECT DISTINCT t.team::bigint
    FROM analytics_atoms_changed c, unnest(string_to_array(c.atom, ',')) AS t (team))`;

/** Members (`s`) of a team a changed atom names. */
const CHANGED_TEAM_MEMBERS = sql`string_to_array(s.atom, ',')::bigint[] && ARRAY${CHANGED_TEAMS}`;

/** The condition that `date` is in the week starting `monday`. */
const inWeek = (monday: string, date: RawBuilder<unknown>) =>
  sql`${date} >= ${monday}::date AND ${date} < ${monday}::date + 7`;

/** The condition that a row, by its date and its atom, is in the span. */
function within(span: AtomSpan, date: RawBuilder<unknown>, atom: RawBuilder<unknown>) {
  return span === 'changed' ? sql`${atom} IN ${CHANGED_ATOMS}` : inWeek(span.week, date);
}

/** How many rows a statement's `written` and `removed` parts touched. */
const CHANGED = sql`((SELECT count(*) FROM written) + (SELECT count(*) FROM removed))::text`;

/**
 * Brings analytics_atom_members and analytics_atoms up to date with the chosen teams' members,
 * writing only what differs, and puts every atom whose managers changed (a manager's old atom
 * and new one; an atom whose count changed, as when a member was erased and their row went
 * with them) into analytics_atoms_changed, for this run. Returns the rows written or removed
 * and how many atoms changed. A cheap comparison when nothing changed: one read of the
 * members, which are a few per team.
 */
export async function refreshAtomMembers(
  db: Executor,
): Promise<{ written: number; changedAtoms: number }> {
  await sql`
    CREATE TEMPORARY TABLE analytics_atoms_changed (atom text PRIMARY KEY) ON COMMIT DROP
  `.execute(db);
  const members = await sql<{ changed: string }>`
    WITH ${TEAM_MANAGERS},
    fresh AS (
      SELECT manager_id, string_agg(group_id::text, ',' ORDER BY group_id) AS atom
        FROM team_managers GROUP BY manager_id
    ),
    diff AS (
      SELECT coalesce(f.manager_id, s.manager_id) AS manager_id, f.atom AS new, s.atom AS old
        FROM fresh f FULL JOIN analytics_atom_members s ON s.manager_id = f.manager_id
       WHERE f.atom IS DISTINCT FROM s.atom
    ),
    written AS (
      INSERT INTO analytics_atom_members AS o (manager_id, atom)
      SELECT manager_id, new FROM diff WHERE new IS NOT NULL
      ON CONFLICT (manager_id) DO UPDATE SET atom = excluded.atom
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_atom_members o USING diff
       WHERE o.manager_id = diff.manager_id AND diff.new IS NULL
      RETURNING 1
    ),
    changed AS (
      INSERT INTO analytics_atoms_changed (atom)
      SELECT old FROM diff WHERE old IS NOT NULL
      UNION SELECT new FROM diff WHERE new IS NOT NULL
      ON CONFLICT (atom) DO NOTHING
    )
    SELECT ${CHANGED} AS changed
  `.execute(db);
  // A second statement, to see the first one's writes.
  const atoms = await sql<{ changed: string }>`
    WITH fresh AS (
      SELECT atom, count(*)::int AS managers FROM analytics_atom_members GROUP BY atom
    ),
    diff AS (
      SELECT coalesce(f.atom, a.atom) AS atom, f.managers
        FROM fresh f FULL JOIN analytics_atoms a ON a.atom = f.atom
       WHERE f.managers IS DISTINCT FROM a.managers
    ),
    written AS (
      INSERT INTO analytics_atoms AS o (atom, managers)
      SELECT atom, managers FROM diff WHERE managers IS NOT NULL
      ON CONFLICT (atom) DO UPDATE SET managers = excluded.managers
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_atoms o USING diff WHERE o.atom = diff.atom AND diff.managers IS NULL
      RETURNING 1
    ),
    changed AS (
      INSERT INTO analytics_atoms_changed (atom) SELECT atom FROM diff
      ON CONFLICT (atom) DO NOTHING
    )
    SELECT ${CHANGED} AS changed
  `.execute(db);
  // Temporary tables are never analysed on their own: without it the recounts planned for a
  // thousand changed atoms and scanned every manager's days for the one that changed.
  await sql`ANALYZE analytics_atoms_changed`.execute(db);
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM analytics_atoms_changed
  `.execute(db);
  return {
    written: Number(members.rows[0]?.changed ?? 0) + Number(atoms.rows[0]?.changed ?? 0),
    changedAtoms: rows[0]?.n ?? 0,
  };
}

/** Recounts the atoms' week cells of the span from the manager-days. */
export async function refreshAtomWeekCells(
  db: Executor,
  span: AtomSpan,
  now: Date,
): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH days AS (
      SELECT s.atom, date_trunc('week', d.day)::date AS week, d.*
        FROM analytics_atom_members s
        JOIN analytics_manager_days d ON d.manager_id = s.manager_id
       WHERE ${within(span, sql`d.day`, sql`s.atom`)}
    ),
    fresh AS (
      SELECT week, atom,
             (CASE WHEN grouping(family) = 1 THEN 0
                   WHEN grouping(topic_id) = 1 THEN 1 ELSE 2 END)::smallint AS level,
             CASE WHEN grouping(family) = 1 THEN '' ELSE family END AS family,
             CASE WHEN grouping(topic_id) = 1 THEN 0 ELSE topic_id END AS topic_id,
             ${WEEK_CELL_COUNTS}
        FROM days
       GROUP BY GROUPING SETS ((week, atom), (week, atom, family), (week, atom, family, topic_id))
    ),
    written AS (
      INSERT INTO analytics_atom_week_cells AS o (
        week, atom, level, family, topic_id, ${WEEK_CELL_COLUMNS}, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (week, atom, level, family, topic_id) DO UPDATE SET
        ${WEEK_CELL_UPDATE}
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_atom_week_cells o
       WHERE ${within(span, sql`o.week`, sql`o.atom`)}
         AND NOT EXISTS (SELECT 1 FROM fresh f
                          WHERE f.week = o.week AND f.atom = o.atom AND f.level = o.level
                            AND f.family = o.family AND f.topic_id = o.topic_id)
      RETURNING 1
    )
    SELECT ${CHANGED} AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}

/** Recounts the atoms' answers by week, weekday and hour of the span from the manager-hours. */
export async function refreshAtomActivityCells(
  db: Executor,
  span: AtomSpan,
  now: Date,
): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH hours AS (
      SELECT s.atom, date_trunc('week', h.day)::date AS week,
             extract(isodow FROM h.day)::smallint AS iso_weekday, h.hour, h.family, h.answers,
             h.manager_id
        FROM analytics_atom_members s
        JOIN analytics_manager_hours h ON h.manager_id = s.manager_id
       WHERE ${within(span, sql`h.day`, sql`s.atom`)}
    ),
    fresh AS (
      SELECT week, atom, (CASE WHEN grouping(family) = 1 THEN 0 ELSE 1 END)::smallint AS level,
             CASE WHEN grouping(family) = 1 THEN '' ELSE family END AS family,
             iso_weekday, hour, sum(answers)::int AS answers,
             count(DISTINCT manager_id)::int AS managers
        FROM hours
       GROUP BY GROUPING SETS ((week, atom, iso_weekday, hour),
                               (week, atom, family, iso_weekday, hour))
    ),
    written AS (
      INSERT INTO analytics_atom_activity_cells AS o
        (week, atom, level, family, iso_weekday, hour, answers, managers, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (week, atom, level, family, iso_weekday, hour) DO UPDATE SET
        answers = excluded.answers, managers = excluded.managers,
        refreshed_at = excluded.refreshed_at
      WHERE (o.answers, o.managers) IS DISTINCT FROM (excluded.answers, excluded.managers)
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_atom_activity_cells o
       WHERE ${within(span, sql`o.week`, sql`o.atom`)}
         AND NOT EXISTS (SELECT 1 FROM fresh f
                          WHERE f.week = o.week AND f.atom = o.atom AND f.level = o.level
                            AND f.family = o.family AND f.iso_weekday = o.iso_weekday
                            AND f.hour = o.hour)
      RETURNING 1
    )
    SELECT ${CHANGED} AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}

/**
 * The notes due (sent, missed or failed) of the atoms' managers (`s`): one week's of every
 * atom, or, for the changed span, every week's of the managers `changed` takes.
 */
const DUE = (span: AtomSpan, changed: RawBuilder<unknown>) => sql`
  SELECT s.atom, d.* FROM analytics_atom_members s
    JOIN deliveries d ON d.manager_id = s.manager_id
   WHERE d.status IN ('sent', 'missed', 'failed')
     AND ${span === 'changed' ? changed : inWeek(span.week, sql`d.local_date`)}`;

/** Recounts, per local date of the span and atom, the managers with a note due. */
export async function refreshAtomDeliveryDays(
  db: Executor,
  span: AtomSpan,
  now: Date,
): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH fresh AS (
      SELECT d.local_date AS day, d.atom, count(DISTINCT d.manager_id)::int AS managers
        FROM (${DUE(span, sql`s.atom IN ${CHANGED_ATOMS}`)}) d
       GROUP BY d.local_date, d.atom
    ),
    written AS (
      INSERT INTO analytics_atom_delivery_days AS o (day, atom, managers, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (day, atom) DO UPDATE SET
        managers = excluded.managers, refreshed_at = excluded.refreshed_at
      WHERE o.managers IS DISTINCT FROM excluded.managers
      RETURNING 1
    ),
    removed AS (
      DELETE FROM analytics_atom_delivery_days o
       WHERE ${within(span, sql`o.day`, sql`o.atom`)}
         AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.day = o.day AND f.atom = o.atom)
      RETURNING 1
    )
    SELECT ${CHANGED} AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}

/**
 * Recounts each chosen team's delivery health per local date of the span, as ./cells.ts
 * counts everyone's: a team's managers are those of the atoms naming it.
 */
export async function refreshTeamDeliveryDays(
  db: Executor,
  span: AtomSpan,
  now: Date,
): Promise<number> {
  const { rows } = await sql<{ changed: string }>`
    WITH fresh AS (
      SELECT d.local_date AS day, t.group_id,
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
        FROM (${DUE(span, CHANGED_TEAM_MEMBERS)}) d
        CROSS JOIN LATERAL unnest(string_to_array(d.atom, ',')::bigint[]) AS t (group_id)
       WHERE ${span === 'changed' ? sql`t.group_id IN ${CHANGED_TEAMS}` : sql`true`}
       GROUP BY d.local_date, t.group_id
    ),
    written AS (
      INSERT INTO analytics_team_delivery_days AS o
        (day, group_id, due, on_time, late, missed, failed, slack_errors, rate_limited,
         lateness_p50_ms, lateness_p99_ms, managers, refreshed_at)
      SELECT f.*, ${now}::timestamptz FROM fresh f
      ON CONFLICT (group_id, day) DO UPDATE SET
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
      DELETE FROM analytics_team_delivery_days o
       WHERE ${span === 'changed' ? sql`o.group_id IN ${CHANGED_TEAMS}` : inWeek(span.week, sql`o.day`)}
         AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.day = o.day AND f.group_id = o.group_id)
      RETURNING 1
    )
    SELECT ${CHANGED} AS changed
  `.execute(db);
  return Number(rows[0]?.changed ?? 0);
}
