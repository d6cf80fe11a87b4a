/**
 * Queries that run per request or per scheduler tick must use an index, at realistic volumes:
 * 100,000 managers and subscriptions, 1,000,000 deliveries, 200,000 action items. The plan is
 * read from EXPLAIN after ANALYZE, never timed.
 *
 * Most plans are those of the SQL the services really send. A scenario runs service functions
 * against the big database through a Kysely instance that records every statement, and each
 * distinct statement is then EXPLAINed with its own parameters: a query someone changes is
 * checked as changed, and a new query in those functions is checked without being listed here.
 * Every recorded statement must leave the big tables alone except through an index; the
 * queries named in each scenario must use the index written for them.
 */
import { type CompiledQuery, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as responses from '../../src/core/action-items/responses.ts';
import * as actionItems from '../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../src/core/deliveries/feedback.ts';
import * as sentDeliveries from '../../src/core/deliveries/sent-deliveries.ts';
import * as deliveries from '../../src/core/deliveries/service.ts';
import * as home from '../../src/core/home/service.ts';
import { getManager, registerManager } from '../../src/core/managers/service.ts';
import * as progress from '../../src/core/progress/service.ts';
import * as reminders from '../../src/core/reminders/service.ts';
import type { SlackIdentity } from '../../src/core/request-context.ts';
import { dueSubscriptionsQuery } from '../../src/core/schedule/repository.ts';
import { deletePendingDeliveries } from '../../src/core/subscriptions/repository.ts';
import * as subscriptions from '../../src/core/subscriptions/service.ts';
import type { Database } from '../../src/db/schema.ts';
import { createTestDatabase, recordingDatabase, type TestDatabase } from '../support/database.ts';
import { createWorkspace, type TestWorkspace } from '../support/factories.ts';

const SUBSCRIPTIONS = 100_000;
const DELIVERIES = 1_000_000;
const ACTION_ITEMS = 200_000;
/** Monday 09:00 UTC: the "now" of every scenario. */
const NOW = new Date('2026-11-23T09:00:00Z');
const TODAY = '2026-11-23';
/** Early that day, when a few hundred subscriptions are due: the delivery planner's tick. */
const PLANNER_TICK = new Date('2026-11-23T00:30:00Z');

/** Tables that grow with the number of managers: no query may read one of them whole. */
const BIG_TABLES = new Set([
  'managers',
  'subscriptions',
  'deliveries',
  'action_items',
  'reminders',
  'reminder_items',
  'responses',
  'topic_feedback',
]);

/**
 * Both partial indexes over deliveries hold only pending and claimed rows, a few hundred at any
 * time, so the planner may read unsent deliveries through either and the cost is the same.
 */
const UNSENT_DELIVERIES = /^deliveries_unsent(_by_subscription)?$/;

let database: TestDatabase;
let main: TestWorkspace;
/**
 * Partial indexes hold a slice of their table (unsent deliveries, open items), so a plan may
 * read one from end to end: its cost follows the slice, not the table.
 */
let partialIndexes: Set<string>;

// ---------------------------------------------------------------------------------------------
// Recording what the services send, and reading its plans.

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

interface ExplainedQuery {
  sql: string;
  /** Every node of the plan, subplans included, depth first. */
  nodes: PlanNode[];
}

/** What `traced` sent: emptied before each piece of work (plansOf). */
let recorded: CompiledQuery[] = [];
/** The services' database handle, with every statement it sends written down. */
let traced: Kysely<Database>;

async function explain(text: string, parameters: readonly unknown[]): Promise<ExplainedQuery> {
  const { rows } = await database.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (FORMAT JSON) ${text}`,
    parameters as unknown[],
  );
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(must(rows[0], 'plan')['QUERY PLAN'][0].Plan);
  return { sql: text.replace(/\s+/g, ' ').trim(), nodes };
}

/** Runs `work` on the big database, then returns the plan of each distinct statement it sent. */
async function plansOf(work: (db: Kysely<Database>) => Promise<unknown>) {
  recorded.length = 0;
  await work(traced);
  const distinct = new Map<string, readonly unknown[]>();
  for (const query of recorded) {
    // BEGIN, COMMIT and SET have no plan.
    if (!/^\s*(select|insert|update|delete|with)\b/i.test(query.sql)) continue;
    if (!distinct.has(query.sql)) distinct.set(query.sql, query.parameters);
  }
  const explained: ExplainedQuery[] = [];
  for (const [text, parameters] of distinct) explained.push(await explain(text, parameters));
  return explained;
}

function describePlan(query: ExplainedQuery): string {
  const lines = query.nodes.map((node) =>
    [
      `  ${node['Node Type']}`,
      node['Index Name'] && ` using ${node['Index Name']}`,
      node['Relation Name'] && ` on ${node['Relation Name']}`,
      node['Index Cond'] && ` (${node['Index Cond']})`,
    ]
      .filter(Boolean)
      .join(''),
  );
  return [query.sql, ...lines].join('\n');
}

function indexesOf(query: ExplainedQuery): string[] {
  return query.nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : []));
}

/** Scans that read a big table whole: sequentially, or through a full index without a condition. */
function fullScansOf(query: ExplainedQuery): string[] {
  return query.nodes
    .filter((node) => BIG_TABLES.has(String(node['Relation Name'])))
    .filter(
      (node) =>
        node['Node Type'] === 'Seq Scan' ||
        (/^Index (Only )?Scan$/.test(node['Node Type']) &&
          node['Index Cond'] === undefined &&
          !partialIndexes.has(String(node['Index Name']))),
    )
    .map((node) => `${node['Node Type']} on ${node['Relation Name']}`);
}

function statementsContaining(queries: ExplainedQuery[], fragment: string): ExplainedQuery[] {
  const matching = queries.filter((query) => query.sql.includes(fragment));
  expect(matching, `a statement containing: ${fragment}`).not.toHaveLength(0);
  return matching;
}

/**
 * No statement reads a big table whole, and each statement containing a fragment of SQL reads
 * through every index listed for it.
 */
function expectPlans(
  queries: ExplainedQuery[],
  expected: Record<string, Array<string | RegExp>>,
): void {
  expect(queries.length).toBeGreaterThan(0);
  for (const query of queries) expect(fullScansOf(query), describePlan(query)).toEqual([]);
  for (const [fragment, indexes] of Object.entries(expected)) {
    for (const query of statementsContaining(queries, fragment)) {
      const used = indexesOf(query);
      for (const index of indexes) {
        const found =
          typeof index === 'string' ? used.includes(index) : used.some((name) => index.test(name));
        expect(found, `${index} expected in\n${describePlan(query)}`).toBe(true);
      }
    }
  }
}

/** A manager of the main workspace whose row (m) and subscription (s) match `condition`. */
async function managerWhere(condition: RawBuilder<unknown>) {
  const manager = await firstRow(
    sql<{ id: string; slack_user_id: string }>`
      SELECT m.id, m.slack_user_id FROM managers m JOIN subscriptions s ON s.manager_id = m.id
      WHERE m.workspace_id = ${main.id} AND ${condition}
      ORDER BY m.id LIMIT 1`,
    'manager for the scenario',
  );
  const who: SlackIdentity = { slackTeamId: main.slackTeamId, slackUserId: manager.slack_user_id };
  return { id: manager.id, who };
}

/** The first row of a query for a scenario's subject, which the data must hold. */
async function firstRow<T>(query: RawBuilder<T>, what: string): Promise<T> {
  const { rows } = await query.execute(database.db);
  return must(rows[0], what);
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected a ${what}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// The data: built in SQL, one INSERT ... SELECT per table; row by row would take half an hour.

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
async function buildRealisticVolumes(others: string[]): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
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
  await sql`ANALYZE`.execute(database.db);
}

beforeAll(async () => {
  database = await createTestDatabase();
  main = await createWorkspace(database.db, 'T0PLAN');
  const others = [];
  for (const team of ['T0PLAN2', 'T0PLAN3', 'T0PLAN4']) {
    others.push((await createWorkspace(database.db, team)).id);
  }
  await buildRealisticVolumes(others);
  const { rows } = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indpred IS NOT NULL`.execute(database.db);
  partialIndexes = new Set(rows.map((row) => row.name));
  const recording = recordingDatabase(database.pool);
  traced = recording.db;
  recorded = recording.recorded;
}, 90_000);

afterAll(async () => {
  // Not traced.destroy(): it would end the pool, which drop() ends.
  await database?.drop();
});

describe('the database the plans are read from', () => {
  it('holds realistic volumes', async () => {
    const volumes = await firstRow(
      sql<{ subscriptions: number; deliveries: number; items: number }>`
        SELECT (SELECT count(*)::int FROM subscriptions) AS subscriptions,
          (SELECT count(*)::int FROM deliveries) AS deliveries,
          (SELECT count(*)::int FROM action_items) AS items`,
      'count',
    );
    expect(volumes.subscriptions).toBe(SUBSCRIPTIONS);
    expect(volumes.deliveries).toBeGreaterThanOrEqual(DELIVERIES);
    expect(volumes.items).toBe(ACTION_ITEMS);
  });
});

describe('the "what is due now" query', () => {
  it(`uses the subscriptions_due index on ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions`, async () => {
    const compiled = dueSubscriptionsQuery(database.db, NOW, 500).compile();
    const query = await explain(compiled.sql, compiled.parameters);
    expect(indexesOf(query), describePlan(query)).toContain('subscriptions_due');
    expectPlans([query], {});
  });

  it('returns only active subscriptions that are due, oldest first', async () => {
    const now = new Date('2026-11-23T00:10:00Z');
    const due = await dueSubscriptionsQuery(database.db, now, 1000).execute();
    expect(due.length).toBeGreaterThan(0);
    for (const row of due)
      expect((row.nextDueAt as Date).getTime()).toBeLessThanOrEqual(now.getTime());
    const times = due.map((row) => (row.nextDueAt as Date).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const ids = due.map((row) => Number(row.managerId));
    expect(ids.some((id) => id % 5 === 0)).toBe(false);
  });
});

describe('the delivery pipeline, every scheduler tick and every sender call', () => {
  it("plans what is due from subscriptions_due, the batch's topic histories from deliveries_by_manager", async () => {
    let planned = 0;
    const queries = await plansOf(async (db) => {
      planned = (await deliveries.planDueDeliveries(db, PLANNER_TICK)).planned;
    });
    expect(planned).toBeGreaterThan(0);
    expectPlans(queries, {
      'from "subscriptions" where "status" = $1 and "next_due_at" <= $2': ['subscriptions_due'],
      // Managers back from an away: only the paused rows whose day has come, never the rest.
      '"s"."resumes_at" <= $': ['subscriptions_returning'],
      // The batch's topic histories, one statement for all its managers.
      'AS last_date': ['deliveries_by_manager'],
      'FROM topic_feedback': ['topic_feedback_pkey'],
      'UPDATE subscriptions s SET next_due_at': ['subscriptions_pkey'],
    });
  });

  it('hands out due deliveries, closing missed ones, from the unsent index', async () => {
    let claimed = 0;
    const queries = await plansOf(async (db) => {
      const result = await deliveries.claimDeliveries(db, NOW, { limit: 100, leaseMs: 60_000 });
      claimed = result.deliveries.length;
    });
    expect(claimed).toBeGreaterThan(0);
    expectPlans(queries, {
      "SET status = 'missed'": [UNSENT_DELIVERIES],
      'WITH picked AS': [UNSENT_DELIVERIES, 'deliveries_pkey', 'managers_pkey'],
    });
  });

  it('confirms a delivery, or records that it failed, by primary key', async () => {
    const { rows } = await sql<{ id: string; attempts: number }>`
      SELECT id, attempts FROM deliveries WHERE status = 'claimed' ORDER BY id LIMIT 2`.execute(
      database.db,
    );
    const sent = must(rows[0], 'claimed delivery');
    const failed = must(rows[1], 'second claimed delivery');
    const queries = await plansOf(async (db) => {
      await deliveries.confirmDelivery(
        db,
        sent.id,
        { channelId: 'D0PLAN', ts: '1795000000.1' },
        NOW,
      );
      const outcome = await deliveries.reportDeliveryFailure(
        db,
        failed.id,
        { attempt: failed.attempts, code: 'account_inactive', kind: 'unreachable' },
        NOW,
      );
      expect(outcome.subscriptionPaused).toBe(true);
    });
    expectPlans(queries, {
      'from "deliveries" where "id" = $1': ['deliveries_pkey'],
      'update "deliveries" set "status" = $1, "slack_channel_id"': ['deliveries_pkey'],
      'update "managers" set "dm_channel_id"': ['managers_pkey'],
      'update "subscriptions" set "status" = $1': ['subscriptions_pkey'],
      'delete from "deliveries" where "subscription_id" = $1': [
        'deliveries_unsent_by_subscription',
      ],
    });
  });

  it('reports the age of the backlog from the unsent index', async () => {
    const queries = await plansOf((db) => deliveries.deliveryBacklogSeconds(db, NOW));
    expectPlans(queries, { 'SELECT min(due_at) AS oldest FROM deliveries': [UNSENT_DELIVERIES] });
  });

  it("sends one now: today's ledger row found by its unique key", async () => {
    const manager = await managerWhere(sql`s.status = 'active' AND NOT EXISTS (
      SELECT 1 FROM deliveries d WHERE d.manager_id = m.id AND d.local_date = ${TODAY})`);
    const queries = await plansOf((db) => deliveries.sendNow(db, manager.who, NOW));
    expectPlans(queries, {
      'from "managers" inner join "workspaces"': ['managers_workspace_id_slack_user_id_key'],
      'from "subscriptions" where "manager_id" = $1': ['subscriptions_manager_id_key'],
      'from "deliveries" where "subscription_id" = $1 and "local_date" = $2': [
        'deliveries_subscription_id_local_date_key',
      ],
      'AS last_date': ['deliveries_by_manager'],
      'FROM topic_feedback': ['topic_feedback_pkey'],
    });
  });

  it('deletes pending deliveries without reading every action item and topic feedback row', async () => {
    // Each deleted delivery makes PostgreSQL null the references to it (ON DELETE SET NULL), in
    // statements EXPLAIN cannot show: count the scans they make instead, in a transaction that
    // is rolled back. pg_stat_xact_user_tables also holds this session's counts not yet
    // flushed, so the delete's own are the difference across it.
    const { subscription_id: subscriptionId, pending } = await firstRow(
      sql<{ subscription_id: string; pending: number }>`
        SELECT subscription_id, count(*)::int AS pending FROM deliveries WHERE status = 'pending'
        GROUP BY subscription_id LIMIT 1`,
      'pending delivery',
    );
    const scans = (trx: Transaction<Database>) =>
      sql<{ relname: string; seq_scan: number; idx_scan: number }>`
        SELECT relname, seq_scan::int, idx_scan::int FROM pg_stat_xact_user_tables
        WHERE relname IN ('action_items', 'topic_feedback') ORDER BY relname`
        .execute(trx)
        .then((result) => result.rows);
    const rollback = new Error('rollback');
    let made: Array<{ relname: string; seq_scan: number; idx_scan: number }> = [];
    await database.db
      .transaction()
      .execute(async (trx) => {
        const before = await scans(trx);
        await deletePendingDeliveries(trx, subscriptionId);
        const after = await scans(trx);
        made = after.map((row, i) => ({
          relname: row.relname,
          seq_scan: row.seq_scan - (before[i]?.seq_scan ?? 0),
          idx_scan: row.idx_scan - (before[i]?.idx_scan ?? 0),
        }));
        throw rollback;
      })
      .catch((error) => {
        if (error !== rollback) throw error;
      });
    expect(made).toEqual([
      { relname: 'action_items', seq_scan: 0, idx_scan: pending },
      { relname: 'topic_feedback', seq_scan: 0, idx_scan: pending },
    ]);
    // The statement PostgreSQL runs for the action items (src/backend/utils/adt/ri_triggers.c).
    const setNull = await explain(
      'UPDATE ONLY "public"."action_items" SET "delivery_id" = NULL WHERE $1 OPERATOR(pg_catalog.=) "delivery_id"',
      ['1'],
    );
    expect(indexesOf(setNull), describePlan(setNull)).toContain('action_items_by_delivery');
  });
});

describe('managers and subscriptions, per request', () => {
  it('finds a manager by Slack team and user through the unique key', async () => {
    const manager = await managerWhere(sql`true`);
    const queries = await plansOf(async (db) => {
      await registerManager(db, manager.who, { timeZone: 'Europe/Berlin', locale: 'en-US' }, NOW);
      await getManager(db, manager.who);
    });
    expectPlans(queries, {
      'from "managers" inner join "workspaces"': ['managers_workspace_id_slack_user_id_key'],
    });
  });

  it('reads and changes a subscription through its manager', async () => {
    const manager = await managerWhere(sql`s.status = 'active'`);
    const queries = await plansOf(async (db) => {
      await subscriptions.getSubscription(db, manager.who);
      const schedule = { weekdays: [1, 3], localTime: '10:30', skippedCategories: [] };
      await subscriptions.subscribe(db, manager.who, { ...schedule, timeZone: 'UTC' }, NOW);
      await subscriptions.pause(db, manager.who, 'holiday', NOW);
      await subscriptions.resume(db, manager.who, NOW);
      await subscriptions.setWeeklyDigest(db, manager.who, true, NOW);
      await subscriptions.unsubscribe(db, manager.who, NOW);
    });
    expectPlans(queries, {
      'from "subscriptions" where "manager_id" = $1': ['subscriptions_manager_id_key'],
      'update "subscriptions" set "status" = $1': ['subscriptions_pkey'],
      'update "subscriptions" set "weekly_digest" = $1': ['subscriptions_manager_id_key'],
      'delete from "deliveries" where "subscription_id" = $1': [
        'deliveries_unsent_by_subscription',
      ],
      'update "managers" set "time_zone" = $1': ['managers_pkey'],
    });
  });
});

describe('action items and the deliveries they answer, per request', () => {
  it('creates an item once per Slack event, found again by its source key', async () => {
    const manager = await managerWhere(sql`m.id % 5 = 1`);
    const delivery = await firstRow(
      sql<{ id: string }>`
        SELECT id FROM deliveries WHERE manager_id = ${manager.id} AND status = 'sent'
        ORDER BY local_date DESC LIMIT 1`,
      'sent delivery',
    );
    const input = {
      text: 'Ask each report what I should stop doing',
      source: 'thread' as const,
      sourceKey: 'Ev0PLAN1',
      deliveryId: delivery.id,
    };
    const queries = await plansOf(async (db) => {
      expect((await actionItems.createActionItem(db, manager.who, input, NOW)).created).toBe(true);
      expect((await actionItems.createActionItem(db, manager.who, input, NOW)).created).toBe(false);
    });
    expectPlans(queries, {
      'from "action_items" where "workspace_id" = $1 and "source_key" = $2': [
        'action_items_workspace_id_source_key_key',
      ],
      'from "deliveries" where "id" = $1 and "manager_id" = $2': ['deliveries_pkey'],
      'where "a"."manager_id" = $1 and "a"."id" = $2': ['action_items_pkey'],
    });
  });

  it("lists, reads, changes and deletes a manager's items", async () => {
    const manager = await managerWhere(sql`m.id % 5 = 1`);
    const item = await firstRow(
      sql<{ id: string; delivery_id: string; source_key: string }>`
        SELECT id, delivery_id, source_key FROM action_items
        WHERE manager_id = ${manager.id} AND delivery_id IS NOT NULL AND source_key IS NOT NULL
        ORDER BY id LIMIT 1`,
      'action item from a thread',
    );
    const queries = await plansOf(async (db) => {
      await actionItems.listActionItems(db, manager.who);
      await actionItems.listActionItems(db, manager.who, { status: 'open' });
      await actionItems.listActionItems(db, manager.who, { deliveryId: item.delivery_id });
      await actionItems.listActionItems(db, manager.who, { sourceKey: item.source_key });
      await actionItems.getActionItem(db, manager.who, item.id);
      await actionItems.updateActionItem(db, manager.who, item.id, { status: 'done' }, NOW);
      await actionItems.deleteActionItem(db, manager.who, item.id, NOW);
    });
    expectPlans(queries, {
      // The list finds the manager by Slack ids in a subquery: one round trip.
      '"managers"."slack_user_id" = $2) order by': [
        'managers_workspace_id_slack_user_id_key',
        'action_items_by_manager',
      ],
      '"managers"."slack_user_id" = $2) and "a"."status" = $3 order by': [
        'managers_workspace_id_slack_user_id_key',
        'action_items_by_manager',
      ],
      '"managers"."slack_user_id" = $2) and "a"."delivery_id" = $3 order by': [
        'managers_workspace_id_slack_user_id_key',
        /^action_items_by_(manager|delivery)$/,
      ],
      'where "a"."manager_id" = $1 and "a"."source_key" = $2': [
        /^action_items_(by_manager|workspace_id_source_key_key)$/,
      ],
      'update "action_items" set': ['action_items_pkey'],
      'delete from "action_items" where "id" = $1': ['action_items_pkey'],
    });
  });

  it('finds the delivery a thread reply answers by channel and ts, the latest one by manager', async () => {
    const manager = await managerWhere(sql`m.id % 5 = 1`);
    const sent = await firstRow(
      sql<{ id: string; slack_channel_id: string; slack_ts: string; topic_id: string }>`
        SELECT id, slack_channel_id, slack_ts, topic_id FROM deliveries
        WHERE manager_id = ${manager.id} AND status = 'sent'
        ORDER BY local_date DESC LIMIT 1`,
      'sent delivery',
    );
    const queries = await plansOf(async (db) => {
      await sentDeliveries.findDeliveryByMessage(
        db,
        manager.who,
        sent.slack_channel_id,
        sent.slack_ts,
      );
      await sentDeliveries.latestDeliverySince(db, manager.who, new Date('2026-11-20T00:00:00Z'));
      await sentDeliveries.getMyDelivery(db, manager.who, sent.id);
      await markTopicNotRelevant(db, manager.who, sent.topic_id, sent.id);
    });
    expectPlans(queries, {
      'and "d"."slack_channel_id" = $3 and "d"."slack_ts" = $4': [
        /^deliveries_by_(message|manager)$/,
      ],
      'and "d"."sent_at" >= $3': ['deliveries_by_manager'],
      'where "d"."id" = $1 and "d"."manager_id" = $2': ['deliveries_pkey'],
      'from "topics" where "id" = $1': ['topics_pkey'],
    });
  });
});

describe('reminders, every scheduler tick and every answer', () => {
  /** The reminder planner's first statement: which managers might have a reminder due. */
  // Each with its workspace's quiet hours and cap (migration 0018), joined by primary key.
  const SETTINGS_JOIN =
    'left join "workspace_settings" as "ws" on "ws"."workspace_id" = "s"."workspace_id"';
  const CANDIDATES = `from "subscriptions" as "s" ${SETTINGS_JOIN} where "s"."status" = $4 and "s"."manager_id" = any(`;
  const DUE_MANAGERS = 'select distinct "manager_id" from "action_items" where "status" = $1';
  const DIGEST_CANDIDATES = `from "subscriptions" as "s" ${SETTINGS_JOIN} where "s"."status" = $4 and "s"."weekly_digest" = $5`;
  let planner: ExplainedQuery[];
  let plan: reminders.ReminderPlan;

  beforeAll(async () => {
    planner = await plansOf(async (db) => {
      plan = await reminders.planDueReminders(db, NOW);
    });
  }, 60_000);

  it("plans each due manager's reminder and digest from per-manager indexes", () => {
    expect(plan.planned).toBeGreaterThan(0);
    expect(plan.lapsed).toBeGreaterThan(0);
    expect(plan.digests).toBeGreaterThan(0);
    expectPlans(
      planner.filter((query) => !query.sql.includes(CANDIDATES)),
      {
        'from "reminders" where "manager_id" = $1 and "kind" = $2 and "status" in': [
          /^reminders_(by_manager|manager_date_kind_key)$/,
        ],
        'select min(check_back_on)::text': ['action_items_by_manager'],
        'SELECT local_date FROM deliveries': ['deliveries_by_manager'],
        'SELECT local_date FROM reminders': [/^reminders_(by_manager|manager_date_kind_key)$/],
        'and "local_date" >= $3': [/^reminders_(by_manager|manager_date_kind_key)$/],
        'and "check_back_on" <= $3 order by': ['action_items_by_manager'],
        // Which due digests are planned already: a probe of the ledger's unique key per pair.
        'SELECT 1 FROM reminders r': [/^reminders_(by_manager|manager_date_kind_key)$/],
        'update "action_items" set "status" = $1': ['action_items_pkey'],
      },
    );
    // Open items due by the horizon come from the partial index over open items.
    const due = must(statementsContaining(planner, DUE_MANAGERS)[0], 'due managers query');
    expect(indexesOf(due), describePlan(due)).toContain('action_items_check_back');
  });

  it('finds the managers to plan for without reading every active subscription', () => {
    const candidates = must(statementsContaining(planner, CANDIDATES)[0], 'candidate query');
    const digests = must(statementsContaining(planner, DIGEST_CANDIDATES)[0], 'digest query');
    for (const query of [candidates, digests]) {
      const unbounded = query.nodes.filter(
        (node) =>
          node['Relation Name'] === 'subscriptions' &&
          node['Node Type'] !== 'Bitmap Heap Scan' &&
          node['Index Cond'] === undefined &&
          node['Index Name'] !== 'subscriptions_digest_due',
      );
      expect(unbounded, describePlan(query)).toEqual([]);
    }
    expect(indexesOf(digests), describePlan(digests)).toContain('subscriptions_digest_due');
  });

  it('hands out due reminders with their items and digest counts, from the unsent index', async () => {
    let claimed: reminders.ClaimedReminder[] = [];
    const queries = await plansOf(async (db) => {
      // Enough to reach the digests planned for 09:00, behind the reminders overdue since 07:30.
      claimed = await reminders.claimReminders(db, NOW, { limit: 1000, leaseMs: 60_000 });
      const asking = claimed.find((reminder) => reminder.items.length > 0);
      const other = claimed.find((reminder) => reminder !== asking);
      if (!asking || !other) throw new Error('expected reminders with items among those claimed');
      // The next test answers this one's items.
      await reminders.confirmReminder(
        db,
        asking.id,
        { channelId: 'D0PLAN', ts: '1795000000.2' },
        NOW,
      );
      await reminders.reportReminderFailure(
        db,
        other.id,
        { attempt: other.attempt, code: 'ratelimited', kind: 'rate_limited' },
        NOW,
      );
    });
    expect(claimed.some((reminder) => reminder.kind === 'digest')).toBe(true);
    expect(claimed.some((reminder) => reminder.items.length > 0)).toBe(true);
    expectPlans(queries, {
      "UPDATE reminders SET status = 'missed'": ['reminders_unsent'],
      'WITH picked AS': ['reminders_unsent', 'reminders_pkey', 'managers_pkey'],
      'left join "deliveries" as "d" on "d"."id" = "a"."delivery_id"': [
        'reminder_items_pkey',
        'action_items_pkey',
      ],
      'SELECT count(*)::int FROM deliveries': [
        'deliveries_by_manager',
        'action_items_by_manager',
        /^reminders_(by_manager|manager_date_kind_key)$/,
        'reminder_items_pkey',
      ],
      'from "reminders" where "id" = $1': ['reminders_pkey'],
      'where "ri"."reminder_id" = $1 and "ri"."final" = $2': [
        'reminder_items_pkey',
        'action_items_pkey',
      ],
    });
  });

  it("records an answer and its reflection, and shows an item's history, by keys", async () => {
    // The reminder the previous test confirmed: sent today, its items open and unanswered.
    const {
      reminder_id: reminderId,
      item_id: itemId,
      slack_user_id,
    } = await firstRow(
      sql<{ reminder_id: string; item_id: string; slack_user_id: string }>`
        SELECT r.id AS reminder_id, a.id AS item_id, m.slack_user_id
        FROM reminders r
        JOIN reminder_items ri ON ri.reminder_id = r.id
        JOIN action_items a ON a.id = ri.action_item_id AND a.status = 'open'
        JOIN managers m ON m.id = r.manager_id AND m.workspace_id = ${main.id}
        WHERE r.status = 'sent' AND r.local_date = ${TODAY}
        ORDER BY r.id LIMIT 1`,
      'reminder sent today with an open item',
    );
    const who = { slackTeamId: main.slackTeamId, slackUserId: slack_user_id };
    const queries = await plansOf(async (db) => {
      const answer = await responses.answerActionItem(
        db,
        who,
        itemId,
        { answer: 'done', reminderId },
        NOW,
      );
      expect(answer.recorded).toBe(true);
      await responses.reflectOnAnswer(db, who, itemId, answer.response.id, { usefulness: 4 });
      await progress.actionItemHistory(db, who, itemId);
    });
    expectPlans(queries, {
      'where "ri"."reminder_id" = $1 and "ri"."action_item_id" = $2': [
        /^reminder_items_(pkey|by_item)$/,
        'reminders_pkey',
      ],
      'from "responses" where "reminder_id" = $1': [
        /^responses_(reminder_id_action_item_id_key|by_item)$/,
      ],
      'update "responses" set': [/^responses_(pkey|by_item)$/, 'action_items_pkey'],
      'where "ri"."action_item_id" = $1': ['reminder_items_by_item', 'reminders_pkey'],
      'from "responses" where "action_item_id" = $1': ['responses_by_item'],
    });
  });

  it("shows a manager's progress from action_items_by_manager", async () => {
    const manager = await managerWhere(sql`m.id % 5 = 1`);
    const queries = await plansOf((db) => progress.progressOf(db, manager.who, NOW));
    expectPlans(queries, {
      'select "status", (created_at AT TIME ZONE $1)': ['action_items_by_manager'],
      'and "a"."status" = $2 order by "a"."check_back_on"': ['action_items_by_manager'],
      'and "a"."completed_at" is not null': ['action_items_by_manager', 'responses_by_item'],
    });
  });

  it("shows a manager's Home tab from the same per-manager indexes, in one statement", async () => {
    const manager = await managerWhere(sql`m.id % 5 = 1`);
    const queries = await plansOf((db) => home.homeOf(db, manager.who, NOW));
    expectPlans(queries, {
      "coalesce(json_agg(agg), '[]')": [
        'action_items_by_manager',
        'responses_by_item',
        'deliveries_by_manager',
      ],
    });
  });
});
