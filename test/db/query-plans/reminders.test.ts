/**
 * Queries that run per request or per scheduler tick must use an index, at realistic volumes
 * (test/support/realistic-volumes.ts). The plan is read from EXPLAIN after ANALYZE, never timed,
 * of the SQL the services really send (test/support/query-plans.ts). This file: reminders, every
 * scheduler tick and every answer.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import * as responses from '../../../src/core/action-items/responses.ts';
import * as home from '../../../src/core/home/service.ts';
import * as progress from '../../../src/core/progress/service.ts';
import * as reminders from '../../../src/core/reminders/service.ts';
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
