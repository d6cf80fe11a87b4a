/**
 * Data for the planner bench (issue 19, items 3 and 3b): N active subscriptions of which K are
 * due at one instant, and optionally D of them with the weekly digest, written set-wise with
 * generate_series, a batch of managers per statement. Deterministic: the same options give the
 * same rows.
 *
 * Every subscription is daily, in UTC. The K due ones have next_due_at = `dueAt`; the others
 * are due six hours later, so they sit in the same index but outside the tick's window. Digest
 * subscribers' delivery times are spread over the day's 08:00–19:59 minute by minute, and their
 * next_digest_at is that time on the Monday of `dueAt` (or the next Monday, where that time
 * has passed), as the reminder planner would have stored it (migration 0017), so a Monday tick finds about D ÷ 720 digests per minute of its
 * window.
 */
import type pg from 'pg';

export interface PlannerDataOptions {
  subscriptions: number;
  due: number;
  digests?: number;
  /** The instant the K due subscriptions are due, a Monday for the digest scenario. */
  dueAt: Date;
  /** Managers per INSERT statement. */
  batch?: number;
}

/** Empties the tables the planners read and write, then writes the data. */
export async function generatePlannerData(pool: pg.Pool, options: PlannerDataOptions) {
  const batch = options.batch ?? 50_000;
  const digests = options.digests ?? 0;
  await pool.query('TRUNCATE workspaces, managers, subscriptions, deliveries, reminders CASCADE');
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO workspaces (slack_team_id, name) VALUES ($1, $2) RETURNING id',
    ['TBENCHPLANNER', 'Planner bench'],
  );
  const workspaceId = String(rows[0]?.id);
  // Five families of ten topics; most managers have seen none yet, as on a busy Monday.
  await pool.query(
    `INSERT INTO topics (workspace_id, slug, category, title, summary, why_it_matters, example,
                         reflection_question, actions, reference)
     SELECT $1, format('bench-%s-%s', f, t), format('bench-family-%s', f), format('Topic %s.%s', f, t),
            'Summary', 'Why', 'Example', 'Question?', ARRAY['One', 'Two', 'Three'], 'Reference'
       FROM generate_series(1, 5) f, generate_series(1, 10) t`,
    [workspaceId],
  );
  const monday = new Date(options.dueAt);
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  for (let first = 1; first <= options.subscriptions; first += batch) {
    const last = Math.min(options.subscriptions, first + batch - 1);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL statement_timeout = '10min'");
      await client.query(
        `WITH m AS (
           INSERT INTO managers (workspace_id, slack_user_id, time_zone)
           SELECT $1, format('UBENCHPLAN%s', n), 'UTC' FROM generate_series($2::int, $3::int) n
           RETURNING id, workspace_id, substr(slack_user_id, 11)::int AS n
         )
         INSERT INTO subscriptions (workspace_id, manager_id, weekdays, local_time, time_zone,
                                    status, next_due_at, weekly_digest, next_digest_at)
         SELECT m.workspace_id, m.id, '{1,2,3,4,5,6,7}', t.local_time, 'UTC', 'active',
                CASE WHEN m.n <= $4::int THEN $5::timestamptz
                     ELSE $5::timestamptz + interval '6 hours' END,
                m.n % $7::int = 0 AND m.n / $7::int <= $8::int,
                -- A digest whose time has passed was planned already: next week's is stored.
                $6::timestamptz + t.local_time + CASE
                  WHEN $6::timestamptz + t.local_time < $5::timestamptz - interval '5 minutes'
                  THEN interval '7 days' ELSE interval '0' END
           FROM m CROSS JOIN LATERAL (
             SELECT CASE WHEN m.n % $7::int = 0
                         THEN time '08:00' + make_interval(mins => (m.n / $7::int) % 720)
                         ELSE ($5::timestamptz AT TIME ZONE 'UTC')::time END AS local_time) t`,
        [
          workspaceId,
          first,
          last,
          options.due,
          options.dueAt.toISOString(),
          monday.toISOString(),
          // Every (N ÷ D)th manager takes the digest, so they are spread through the table.
          digests > 0 ? Math.max(1, Math.floor(options.subscriptions / digests)) : 1,
          digests,
        ],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
  await pool.query('ANALYZE');
}
