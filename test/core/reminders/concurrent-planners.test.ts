/**
 * Two workers planning reminders at the same moment, over separate pools, on the reminder
 * planner's simulated clock (planner-harness.ts).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { planDueReminders, type ReminderPlan } from '../../../src/core/reminders/service.ts';
import { createDatabase } from '../../../src/db/pool.ts';
import {
  CHECK_BACK_DAY,
  MINUTE_MS,
  NINE_ON_CHECK_BACK_DAY,
  PLANNED_AT,
  setUpPlannerHarness,
} from './planner-harness.ts';

const harness = setUpPlannerHarness();
const { subscribed, planned, sendDueReminders, remindersOf } = harness;

describe('planners running at once', () => {
  it('when two workers plan at the same moment over separate pools, then each manager gets one reminder for the day, with every item due', async () => {
    const team = await Promise.all(
      Array.from({ length: 6 }, () => subscribed({ localTime: '09:00' }, PLANNED_AT)),
    );
    const items = new Map<string, string[]>();
    for (const manager of team) {
      items.set(manager.id, [
        await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT),
        await planned(manager, 'Share the roadmap draft', { on: CHECK_BACK_DAY }, PLANNED_AT),
      ]);
    }
    const otherPool = new pg.Pool({ connectionString: harness.database.url, max: 4 });
    const otherDb = createDatabase(otherPool);
    try {
      const plans: ReminderPlan[] = [];
      for (const minutesBefore of [4, 3, 2, 1]) {
        const now = new Date(NINE_ON_CHECK_BACK_DAY.getTime() - minutesBefore * MINUTE_MS);
        plans.push(
          ...(await Promise.all([
            planDueReminders(harness.database.db, now),
            planDueReminders(otherDb, now),
            planDueReminders(harness.database.db, now),
            planDueReminders(otherDb, now),
          ])),
        );
      }
      expect(plans.reduce((sum, plan) => sum + plan.planned, 0)).toBe(team.length);
    } finally {
      await otherDb.destroy();
    }

    for (const manager of team) {
      expect(await remindersOf(manager)).toEqual([
        expect.objectContaining({
          localDate: CHECK_BACK_DAY,
          dueAt: NINE_ON_CHECK_BACK_DAY,
          items: (items.get(manager.id) ?? []).map((id) => ({ id, final: false })),
        }),
      ]);
    }
    const sent = await sendDueReminders(NINE_ON_CHECK_BACK_DAY);
    for (const manager of team) {
      expect(sent.filter((s) => s.reminder.slackUserId === manager.who.slackUserId)).toHaveLength(
        1,
      );
    }
  });
});
