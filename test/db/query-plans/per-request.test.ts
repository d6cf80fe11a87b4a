/**
 * Queries that run per request or per scheduler tick must use an index, at realistic volumes
 * (test/support/realistic-volumes.ts). The plan is read from EXPLAIN after ANALYZE, never timed,
 * of the SQL the services really send (test/support/query-plans.ts). This file: managers,
 * subscriptions, action items and the deliveries they answer, per request.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as actionItems from '../../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../../src/core/deliveries/feedback.ts';
import * as sentDeliveries from '../../../src/core/deliveries/sent-deliveries.ts';
import { getManager, registerManager } from '../../../src/core/managers/service.ts';
import * as subscriptions from '../../../src/core/subscriptions/service.ts';
import { setUpQueryPlans } from '../../support/query-plans.ts';
import { NOW } from '../../support/realistic-volumes.ts';

const plans = setUpQueryPlans();
const { plansOf, expectPlans, managerWhere, firstRow } = plans;

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
