/**
 * Queries that run per request or per scheduler tick must use an index, at realistic volumes
 * (test/support/realistic-volumes.ts). The plan is read from EXPLAIN after ANALYZE, never timed,
 * of the SQL the services really send (test/support/query-plans.ts). This file: the volumes the
 * plans are read from, the "what is due now" query, and the delivery pipeline: every scheduler
 * tick and every sender call.
 */
import { sql, type Transaction } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import * as deliveries from '../../../src/core/deliveries/service.ts';
import { dueSubscriptionsQuery } from '../../../src/core/schedule/repository.ts';
import { deletePendingDeliveries } from '../../../src/core/subscriptions/repository.ts';
import type { Database } from '../../../src/db/schema.ts';
import type { TestDatabase } from '../../support/database.ts';
import {
  describePlan,
  indexesOf,
  must,
  setUpQueryPlans,
  UNSENT_DELIVERIES,
} from '../../support/query-plans.ts';
import {
  ACTION_ITEMS,
  DELIVERIES,
  NOW,
  PLANNER_TICK,
  SUBSCRIPTIONS,
  TODAY,
} from '../../support/realistic-volumes.ts';

const plans = setUpQueryPlans();
const { explain, plansOf, expectPlans, managerWhere, firstRow } = plans;
let database: TestDatabase;

beforeAll(() => {
  ({ database } = plans);
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
