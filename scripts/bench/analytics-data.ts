/**
 * Data for the analytics bench (issue 15: p99 < 100 ms on 100,000 managers x one year): N
 * managers x D days of notes, action items, reminders, answers and "not relevant" marks, written
 * set-wise in SQL (generate_series), a batch of managers per statement, so a year for 100,000
 * managers takes minutes rather than hours. Deterministic: the same options give the same rows.
 *
 * Shape, per manager: a note on about three days a week (sent; 2% missed, 1% failed with a Slack
 * error, half of those rate limits; lateness mostly seconds, 5% over a minute); an action item
 * from 30% of notes (later done 40%, lapsed 15%, else open or partly); a reminder a week after
 * each item, answered 70% of the time with a usefulness rating; "not relevant" on 2% of topics.
 *
 *   DATABASE_URL=postgres://… node scripts/bench/analytics-data.ts --managers 100000 --days 365
 *
 * writes into DATABASE_URL's (migrated) database, then runs the refresh the worker runs, and
 * prints how long each step took. `generateAnalyticsData` is the same, for the bench to call.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';

export interface AnalyticsDataOptions {
  managers: number;
  days: number;
  /** The last day of the data (UTC); default today. */
  endDate?: string;
  /** Topic families, and topics per family. */
  families?: number;
  topicsPerFamily?: number;
  /** Managers per INSERT statement. */
  batch?: number;
}

export interface GeneratedData {
  workspaceId: string;
  families: string[];
  from: string;
  to: string;
  deliveries: number;
  managers: number;
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];

/** Writes the data; returns what the bench needs to query it. */
/** What the bench needs to know about data written earlier (--analytics-database). */
export async function readGeneratedData(pool: pg.Pool): Promise<GeneratedData> {
  const { rows } = await pool.query<{
    workspace_id: string;
    from: string;
    to: string;
    deliveries: number;
    managers: number;
  }>(
    `SELECT w.id AS workspace_id,
            (SELECT to_char(min(local_date), 'YYYY-MM-DD') FROM deliveries) AS from,
            (SELECT to_char(max(local_date), 'YYYY-MM-DD') FROM deliveries) AS to,
            (SELECT count(*)::int FROM deliveries) AS deliveries,
            (SELECT count(*)::int FROM managers) AS managers
       FROM workspaces w WHERE w.name = 'Analytics bench' ORDER BY w.id DESC LIMIT 1`,
  );
  const row = rows[0];
  if (!row) throw new Error('no analytics bench data in the given database');
  const families = await pool.query<{ category: string }>(
    'SELECT DISTINCT category FROM topics WHERE workspace_id = $1 ORDER BY 1',
    [row.workspace_id],
  );
  return {
    workspaceId: row.workspace_id,
    families: families.rows.map((family) => family.category),
    from: row.from,
    to: row.to,
    deliveries: row.deliveries,
    managers: row.managers,
  };
}

export async function generateAnalyticsData(
  pool: pg.Pool,
  options: AnalyticsDataOptions,
): Promise<GeneratedData> {
  const families = options.families ?? 5;
  const perFamily = options.topicsPerFamily ?? 10;
  const batch = options.batch ?? 5_000;
  const to = options.endDate ?? new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (options.days - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const team = `TBENCH${Date.now().toString(36).toUpperCase()}`;
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO workspaces (slack_team_id, name) VALUES ($1, $2) RETURNING id',
    [team, 'Analytics bench'],
  );
  const workspaceId = String(rows[0]?.id);
  const familyNames = Array.from({ length: families }, (_, i) => `bench-family-${i + 1}`);
  await pool.query(
    `INSERT INTO topics (workspace_id, slug, category, title, summary, why_it_matters, example,
                         reflection_question, actions, reference)
     SELECT $1, format('bench-%s-%s', f, t), format('bench-family-%s', f), format('Topic %s.%s', f, t),
            'Summary', 'Why', 'Example', 'Question?', ARRAY['One', 'Two', 'Three'], 'Reference'
       FROM generate_series(1, $2::int) f, generate_series(1, $3::int) t`,
    [workspaceId, families, perFamily],
  );
  let deliveries = 0;
  for (let first = 1; first <= options.managers; first += batch) {
    const last = Math.min(options.managers, first + batch - 1);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL statement_timeout = '10min'");
      const managers = await client.query<{ id: string }>(
        `INSERT INTO managers (workspace_id, slack_user_id, time_zone)
         SELECT $1, format('UBENCH%s', n), ($4::text[])[1 + n % cardinality($4::text[])]
           FROM generate_series($2::int, $3::int) n
         RETURNING id`,
        [workspaceId, first, last, ZONES],
      );
      const managerIds = managers.rows.map((row) => row.id);
      await client.query(
        `INSERT INTO subscriptions (workspace_id, manager_id, weekdays, local_time, time_zone,
                                    status, next_due_at)
         SELECT m.workspace_id, m.id, '{1,3,5}', '09:00', m.time_zone, 'active',
                now() + interval '1 day'
           FROM managers m WHERE m.id = ANY($1::bigint[])`,
        [managerIds],
      );
      const inserted = await client.query<{ id: string }>(
        `WITH topic_ids AS (
           SELECT array_agg(id ORDER BY id) AS ids FROM topics WHERE workspace_id = $1
         )
         INSERT INTO deliveries (workspace_id, subscription_id, manager_id, local_date, topic_id,
                                 due_at, status, sent_at, late, error_code, attempts, created_at,
                                 updated_at)
         SELECT s.workspace_id, s.id, s.manager_id, d::date,
                topic_ids.ids[1 + (h / 7) % cardinality(topic_ids.ids)], due, st.status,
                CASE WHEN st.status = 'sent' THEN due + lateness END,
                st.status = 'sent' AND lateness >= interval '60 seconds',
                CASE WHEN st.status = 'failed' THEN
                  CASE WHEN h % 2 = 0 THEN 'ratelimited' ELSE 'http_500' END END,
                1, due, due + lateness
           FROM subscriptions s
           CROSS JOIN topic_ids
           CROSS JOIN generate_series($2::date, $3::date, interval '1 day') d
           CROSS JOIN LATERAL (
             SELECT abs(hashint8(s.manager_id * 100000 + (d::date - $2::date))) AS h) hh
           CROSS JOIN LATERAL (
             SELECT (d::date + time '09:00') AT TIME ZONE s.time_zone AS due,
                    CASE WHEN h % 100 < 5 THEN make_interval(secs => 60 + h % 600)
                         ELSE make_interval(secs => h % 20) END AS lateness,
                    CASE WHEN h % 100 = 99 THEN 'failed' WHEN h % 100 >= 97 THEN 'missed'
                         ELSE 'sent' END AS status) st
          WHERE s.manager_id = ANY($4::bigint[]) AND extract(isodow FROM d) IN (1, 3, 5)
         RETURNING id`,
        [workspaceId, from, to, managerIds],
      );
      deliveries += inserted.rowCount ?? 0;
      await client.query(
        `INSERT INTO action_items (workspace_id, manager_id, topic_id, delivery_id, text, source,
                                   status, check_back_on, created_at, updated_at)
         SELECT d.workspace_id, d.manager_id, d.topic_id, d.id, 'bench item', 'api',
                CASE WHEN h % 100 < 40 THEN 'done' WHEN h % 100 < 55 THEN 'lapsed'
                     WHEN h % 100 < 65 THEN 'partly' ELSE 'open' END,
                d.local_date + 7, d.sent_at + interval '30 minutes', d.sent_at + interval '30 minutes'
           FROM deliveries d
           CROSS JOIN LATERAL (SELECT abs(hashint8(d.id)) AS h) hh
          WHERE d.id = ANY($1::bigint[]) AND d.status = 'sent' AND h % 10 < 3`,
        [inserted.rows.map((row) => row.id)],
      );
      await client.query(
        `WITH items AS (
           SELECT a.id, a.workspace_id, a.manager_id, a.check_back_on, m.time_zone,
                  abs(hashint8(a.id)) AS h
             FROM action_items a JOIN managers m ON m.id = a.manager_id
            WHERE a.delivery_id = ANY($1::bigint[]) AND a.check_back_on <= $2::date
         ),
         sent AS (
           INSERT INTO reminders (workspace_id, manager_id, local_date, due_at, status, sent_at,
                                  attempts, created_at, updated_at)
           SELECT workspace_id, manager_id, check_back_on,
                  (check_back_on + time '10:00') AT TIME ZONE time_zone, 'sent',
                  (check_back_on + time '10:00') AT TIME ZONE time_zone, 1,
                  (check_back_on + time '10:00') AT TIME ZONE time_zone,
                  (check_back_on + time '10:00') AT TIME ZONE time_zone
             FROM (SELECT DISTINCT ON (manager_id, check_back_on) * FROM items) one_a_day
           ON CONFLICT DO NOTHING
           RETURNING id, manager_id, local_date, sent_at
         ),
         asked AS (
           INSERT INTO reminder_items (reminder_id, action_item_id, workspace_id)
           SELECT s.id, i.id, i.workspace_id
             FROM sent s JOIN items i ON i.manager_id = s.manager_id AND i.check_back_on = s.local_date
           RETURNING reminder_id, action_item_id, workspace_id
         )
         INSERT INTO responses (workspace_id, action_item_id, reminder_id, answer, usefulness,
                                answered_at, updated_at)
         SELECT a.workspace_id, a.action_item_id, a.reminder_id, 'done', 1 + i.h % 5,
                s.sent_at + make_interval(mins => (i.h % 600)::int),
                s.sent_at + make_interval(mins => (i.h % 600)::int)
           FROM asked a JOIN items i ON i.id = a.action_item_id JOIN sent s ON s.id = a.reminder_id
          WHERE i.h % 10 < 7`,
        [inserted.rows.map((row) => row.id), to],
      );
      await client.query(
        `INSERT INTO topic_feedback (workspace_id, manager_id, topic_id, kind, delivery_id, created_at)
         SELECT DISTINCT ON (d.manager_id, d.topic_id) d.workspace_id, d.manager_id, d.topic_id,
                'not_relevant', d.id, d.sent_at + interval '5 minutes'
           FROM deliveries d
          WHERE d.id = ANY($1::bigint[]) AND d.status = 'sent' AND abs(hashint8(d.id + 7)) % 50 = 0
          ORDER BY d.manager_id, d.topic_id, d.id
         ON CONFLICT DO NOTHING`,
        [inserted.rows.map((row) => row.id)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
  // The rows are dated in the past, before the refresh's watermark: forget the watermark, so
  // that the next refresh recounts everything, as the first run after an upgrade does.
  await pool.query('DELETE FROM analytics_refresh_state');
  await pool.query('ANALYZE');
  return { workspaceId, families: familyNames, from, to, deliveries, managers: options.managers };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      managers: { type: 'string', default: '1000' },
      days: { type: 'string', default: '365' },
      'end-date': { type: 'string' },
      'no-refresh': { type: 'boolean', default: false },
    },
  });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a migrated database.');
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'blindspot-bench' });
  try {
    let started = performance.now();
    const data = await generateAnalyticsData(pool, {
      managers: Number(values.managers),
      days: Number(values.days),
      endDate: values['end-date'],
    });
    console.log(
      `generated ${data.deliveries} notes for ${values.managers} managers, ${data.from}..${data.to}, in ${Math.round(performance.now() - started)} ms`,
    );
    if (!values['no-refresh']) {
      // Loaded here so that importing this module for its generator does not load the core.
      const { createDatabase } = await import('../../src/db/pool.ts');
      const { refreshAnalytics } = await import('../../src/core/analytics/refresh.ts');
      started = performance.now();
      const result = await refreshAnalytics(createDatabase(pool), new Date());
      console.log(`refreshed analytics in ${Math.round(performance.now() - started)} ms`, result);
    }
  } finally {
    await pool.end();
  }
}

if (import.meta.main) await main();
