/**
 * A database at realistic volumes for test/db/query-plans/: 100,000 managers and subscriptions,
 * 1,000,000 deliveries, 200,000 action items. Built in SQL, one INSERT ... SELECT per table; row
 * by row would take half an hour.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { TestWorkspace } from './factories.ts';

export const SUBSCRIPTIONS = 100_000;
export const DELIVERIES = 1_000_000;
export const ACTION_ITEMS = 200_000;
/** Monday 09:00 UTC: the "now" of every scenario. */
export const NOW = new Date('2026-11-23T09:00:00Z');
export const TODAY = '2026-11-23';
/** Early that day, when a few hundred subscriptions are due: the delivery planner's tick. */
export const PLANNER_TICK = new Date('2026-11-23T00:30:00Z');

/**
 * One big workspace and three small ones (every 50th manager). Every manager is subscribed on
 * weekdays; a fifth are paused or unsubscribed. Each has ten days of delivery history (mostly
 * sent, with Slack message ts values), and a few hundred deliveries are pending or claimed now.
 * Every fifth manager keeps action items: one per delivery, a fifth of them open with check-back
 * dates over the next two months, the rest done, dropped, partly done or lapsed, with the
 * reminders, reminder items and answers that closed them. Managers n % 500 = 6 are a cohort in
 * UTC at 09:00 with items due today (and, for half of them, the weekly digest), so the reminder
 * planner has real work at NOW; every 100th manager has the digest on.
 */
export async function buildRealisticVolumes(
  db: Kysely<Database>,
  main: TestWorkspace,
  others: string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    // Every row below is built from the rows it references, so the foreign key checks (two
    // thirds of the build time for a million deliveries) can only pass: as a superuser, skip
    // them. Another role builds the same data, only slower.
    const { rows } = await sql<{ superuser: boolean }>`
      SELECT current_setting('is_superuser') = 'on' AS superuser`.execute(trx);
    if (rows[0]?.superuser) await sql`SET LOCAL session_replication_role = replica`.execute(trx);

    await sql`
      INSERT INTO managers (workspace_id, slack_user_id, time_zone, dm_channel_id)
      SELECT CASE WHEN i % 50 = 0 THEN (${others}::bigint[])[1 + i / 50 % 3] ELSE ${main.id} END,
        'U' || lpad(i::text, 8, '0'),
        CASE WHEN i % 500 = 6 THEN 'UTC'
          ELSE (ARRAY['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'America/Chicago'])[1 + i % 4]
        END,
        'D' || lpad(i::text, 8, '0')
      FROM generate_series(1, ${SUBSCRIPTIONS}) AS i`.execute(trx);

    // next_due_at spreads over a week, one minute apart.
    await sql`
      INSERT INTO subscriptions (workspace_id, manager_id, weekdays, local_time, time_zone, status,
        next_due_at, weekly_digest)
      SELECT m.workspace_id, m.id, ARRAY[1,2,3,4,5]::smallint[],
        CASE WHEN m.id % 500 = 6 THEN time '09:00'
          ELSE time '07:00' + (m.id % 600) * interval '1 minute' END,
        m.time_zone,
        CASE WHEN m.id % 25 = 0 THEN 'unsubscribed' WHEN m.id % 5 = 0 THEN 'paused' ELSE 'active' END,
        CASE WHEN m.id % 5 = 0 THEN NULL
          ELSE timestamptz '2026-11-23 00:00Z' + (m.id % 10080) * interval '1 minute' END,
        m.id % 100 = 1 OR m.id % 1000 = 6
      FROM managers m`.execute(trx);

    // Days 1 to 10 back for everyone, plus today's row for 800 managers: 400 pending and 400
    // claimed (some leases run out), due from 90 minutes ago to 10 minutes ahead. Inserted in
    // index order, which halves the time the indexes take.
    await sql`
      INSERT INTO deliveries (workspace_id, subscription_id, manager_id, local_date, topic_id,
        due_at, status, lease_expires_at, attempts, slack_channel_id, slack_ts, sent_at)
      SELECT workspace_id, subscription_id, manager_id, local_date, topic_id, due_at, status,
        CASE WHEN status = 'claimed'
          THEN ${NOW}::timestamptz + (manager_id / 250 % 3 - 1) * interval '1 minute' END,
        CASE WHEN status = 'pending' THEN 0 ELSE 1 END,
        CASE WHEN status = 'sent' THEN 'D' || lpad(manager_id::text, 8, '0') END,
        CASE WHEN status = 'sent' THEN extract(epoch FROM due_at)::bigint + 2 || '.'
          || lpad((manager_id * 7919 % 1000000)::text, 6, '0') END,
        CASE WHEN status = 'sent' THEN due_at + interval '2 seconds' END
      FROM (
        SELECT s.workspace_id, s.id AS subscription_id, s.manager_id,
          ${TODAY}::date - k AS local_date,
          t.ids[1 + (s.manager_id + k) % cardinality(t.ids)] AS topic_id,
          CASE WHEN k = 0
            THEN ${NOW}::timestamptz - (s.manager_id / 250 % 100 - 10) * interval '1 minute'
            ELSE (${TODAY}::date - k + s.local_time) AT TIME ZONE s.time_zone END AS due_at,
          CASE WHEN k = 0 AND s.manager_id % 250 = 2 THEN 'pending'
            WHEN k = 0 THEN 'claimed'
            WHEN (s.manager_id * 7 + k) % 100 < 2 THEN 'missed'
            WHEN (s.manager_id * 7 + k) % 100 < 3 THEN 'failed'
            WHEN (s.manager_id * 7 + k) % 100 < 4 THEN 'cancelled'
            ELSE 'sent' END AS status
        FROM subscriptions s
        JOIN (SELECT workspace_id, array_agg(id ORDER BY id) AS ids FROM topics GROUP BY 1) AS t
          USING (workspace_id)
        CROSS JOIN generate_series(0, 10) AS k
        WHERE k > 0 OR s.manager_id % 250 IN (2, 3)
      ) AS d
      ORDER BY subscription_id, local_date`.execute(trx);

    // One item per delivery of every fifth manager (the oldest written in a DM, so with no
    // delivery), open for the last two days; a few are one unanswered reminder from lapsing.
    await sql`
      INSERT INTO action_items (workspace_id, manager_id, topic_id, delivery_id, text, source,
        source_key, status, check_back_on, unanswered_reminders, completed_at, created_at,
        updated_at)
      SELECT workspace_id, manager_id, topic_id, CASE WHEN k < 10 THEN id END, 'Item ' || id,
        CASE WHEN k < 10 THEN 'thread' ELSE 'dm' END, CASE WHEN k < 10 THEN 'Ev' || id END,
        status,
        CASE WHEN status <> 'open' THEN local_date + 7
          WHEN manager_id % 500 = 6 THEN ${TODAY}::date
          ELSE ${TODAY}::date + 1 + (id * 7919 % 60)::int END,
        CASE WHEN manager_id % 1000 = 6 AND k = 2 THEN 3 ELSE 0 END,
        CASE WHEN status IN ('done', 'partly') THEN created + interval '2 days' END,
        created, created
      FROM (
        SELECT d.id, d.workspace_id, d.manager_id, d.topic_id, d.local_date,
          ${TODAY}::date - d.local_date AS k, d.due_at + interval '1 hour' AS created,
          CASE WHEN d.local_date >= ${TODAY}::date - 2 THEN 'open'
            WHEN d.id % 20 < 11 THEN 'done' WHEN d.id % 20 < 16 THEN 'dropped'
            WHEN d.id % 20 < 18 THEN 'partly' ELSE 'lapsed' END AS status
        FROM deliveries d WHERE d.manager_id % 5 = 1
      ) AS x
      ORDER BY id`.execute(trx);

    // Sent reminders for the items whose check-back date has passed; last Monday's digests;
    // and today, 500 reminders pending or claimed.
    await sql`
      INSERT INTO reminders (workspace_id, manager_id, local_date, kind, due_at, wanted_at, status,
        attempts, slack_channel_id, slack_ts, sent_at)
      SELECT workspace_id, manager_id, local_date, kind, due_at, due_at, 'sent', 1,
        'D' || lpad(manager_id::text, 8, '0'),
        extract(epoch FROM due_at)::bigint + 1 || '.000100', due_at + interval '1 second'
      FROM (
        SELECT workspace_id, manager_id, check_back_on AS local_date, 'reminder' AS kind,
          (check_back_on + time '09:00') AT TIME ZONE 'UTC' AS due_at
        FROM action_items WHERE status <> 'open' AND check_back_on < ${TODAY}::date
        UNION ALL
        SELECT workspace_id, manager_id, date '2026-11-16', 'digest',
          timestamptz '2026-11-16 09:00Z'
        FROM subscriptions WHERE weekly_digest
      ) AS r
      ORDER BY manager_id, local_date`.execute(trx);
    await sql`
      INSERT INTO reminders (workspace_id, manager_id, local_date, kind, due_at, wanted_at, status,
        attempts, lease_expires_at)
      SELECT workspace_id, manager_id, ${TODAY}::date, 'reminder',
        ${NOW}::timestamptz - (manager_id % 100 - 10) * interval '1 minute',
        ${NOW}::timestamptz - (manager_id % 100 - 10) * interval '1 minute',
        CASE WHEN manager_id % 400 = 1 THEN 'pending' ELSE 'claimed' END,
        CASE WHEN manager_id % 400 = 1 THEN 0 ELSE 1 END,
        CASE WHEN manager_id % 400 <> 1
          THEN ${NOW}::timestamptz + (manager_id / 400 % 3 - 1) * interval '1 minute' END
      FROM subscriptions WHERE manager_id % 200 = 1`.execute(trx);
    await sql`
      INSERT INTO reminder_items (reminder_id, action_item_id, workspace_id)
      SELECT r.id, a.id, a.workspace_id
      FROM reminders r
      JOIN action_items a ON a.manager_id = r.manager_id
        AND (a.check_back_on = r.local_date AND a.status <> 'open'
          OR r.status <> 'sent' AND a.status = 'open')
      WHERE r.kind = 'reminder'`.execute(trx);
    await sql`
      INSERT INTO responses (workspace_id, action_item_id, reminder_id, answer, reflection,
        usefulness, answered_at)
      SELECT ri.workspace_id, a.id, r.id, a.status,
        CASE WHEN a.id % 3 = 0 THEN 'Went better than I expected.' END, 1 + a.id % 5,
        r.sent_at + interval '1 hour'
      FROM reminder_items ri
      JOIN reminders r ON r.id = ri.reminder_id
      JOIN action_items a ON a.id = ri.action_item_id
      WHERE r.status = 'sent' AND a.status IN ('done', 'partly', 'dropped')`.execute(trx);

    // Every tenth manager found two topics not relevant.
    await sql`
      INSERT INTO topic_feedback (workspace_id, manager_id, topic_id, kind, delivery_id)
      SELECT workspace_id, manager_id, topic_id, 'not_relevant', id FROM deliveries
      WHERE manager_id % 10 = 3 AND local_date IN (${TODAY}::date - 3, ${TODAY}::date - 6)`.execute(
      trx,
    );
  });
  await sql`ANALYZE`.execute(db);
}
