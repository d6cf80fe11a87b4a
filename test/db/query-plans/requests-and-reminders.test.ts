/**
 * Queries that run per request or per scheduler tick must use an index, at realistic volumes
 * (test/support/realistic-volumes.ts). The plan is read from EXPLAIN after ANALYZE, never timed,
 * of the SQL the services really send (test/support/query-plans.ts). This file: managers,
 * subscriptions, action items and the deliveries they answer, per request; then reminders,
 * every scheduler tick and every answer. One file for both, as each file builds its own
 * database at these volumes (about 15 seconds).
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import * as responses from '../../../src/core/action-items/responses.ts';
import * as actionItems from '../../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../../src/core/deliveries/feedback.ts';
import * as sentDeliveries from '../../../src/core/deliveries/sent-deliveries.ts';
import * as home from '../../../src/core/home/service.ts';
import { getManager, registerManager } from '../../../src/core/managers/service.ts';
import * as progress from '../../../src/core/progress/service.ts';
import * as reminders from '../../../src/core/reminders/service.ts';
import * as subscriptions from '../../../src/core/subscriptions/service.ts';
import type { TestWorkspace } from '../../support/factories.ts';
import {
  describePlan,
  type ExplainedQuery,
  indexesOf,
  must,
  setUpQueryPlans,
  statementsContaining,
} from '../../support/query-plans.ts';
import { NOW, TODAY } from '../../support/realistic-volumes.ts';

const plans = setUpQueryPlans();
const { plansOf, expectPlans, managerWhere, firstRow } = plans;
let main: TestWorkspace;

beforeAll(() => {
  ({ main } = plans);
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
