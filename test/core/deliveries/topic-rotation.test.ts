/**
 * Which topic the delivery planner brings, over a simulated clock (planner-harness.ts): each
 * weekday's theme and its next unseen topic, other families' once a theme is used up, never one
 * marked not relevant; and the topic history it learns from a manager's actions.
 */
import { describe, expect, it } from 'vitest';
import { createActionItem } from '../../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../../src/core/deliveries/feedback.ts';
import { topicHistoriesOf } from '../../../src/core/deliveries/repositories/planning.ts';
import type { ClaimedRow } from '../../../src/core/deliveries/service.ts';
import { addDays, isoWeekdayOfDate, setUpPlannerHarness } from './planner-harness.ts';

const harness = setUpPlannerHarness();
const { subscriber, deliverNext, ledgerOf } = harness;

describe('topic rotation through the planner', () => {
  async function themesAndTopics() {
    const themes = await harness.database.db
      .selectFrom('weekday_themes')
      .where('workspace_id', '=', harness.workspace.id)
      .select(['iso_weekday', 'category'])
      .execute();
    const topics = await harness.database.db
      .selectFrom('topics')
      .where('workspace_id', '=', harness.workspace.id)
      .where('retired_at', 'is', null)
      .orderBy('id')
      .select(['id', 'category'])
      .execute();
    const themeOf = new Map(themes.map((theme) => [theme.iso_weekday, theme.category]));
    const topicsOf = (category: string | undefined) =>
      topics.filter((topic) => topic.category === category).map((topic) => topic.id);
    return { themeOf, topicsOf };
  }

  it('when a manager is on a daily schedule, then each day leans to that weekday’s theme, bringing its next unseen topic, skipping one marked not relevant', async () => {
    const { themeOf, topicsOf } = await themesAndTopics();
    // Sunday 4 January 2026, before 09:00 in Berlin: the first delivery is that Sunday's.
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      new Date('2026-01-04T06:00:00Z'),
    );
    const dismissed = topicsOf(themeOf.get(1))[0] as string;
    await markTopicNotRelevant(harness.database.db, manager.who, dismissed, undefined);

    const seen = new Set<string>([dismissed]);
    for (let day = 0; day < 14; day += 1) {
      const delivery = await deliverNext(manager);
      const theme = themeOf.get(isoWeekdayOfDate(delivery.localDate));
      const nextUnseen = topicsOf(theme).find((id) => !seen.has(id));
      expect(theme, delivery.localDate).toBeDefined();
      expect(delivery.topic.category, delivery.localDate).toBe(theme);
      expect(delivery.topic.id, delivery.localDate).toBe(nextUnseen);
      seen.add(delivery.topic.id);
    }
    const ledger = await ledgerOf([manager.subscription.id]);
    expect(ledger.map((row) => row.localDate)).toEqual(
      Array.from({ length: 14 }, (_, day) => addDays('2026-01-04', day)),
    );
    expect(ledger.map((row) => row.topicId)).not.toContain(dismissed);
  });

  it('when a Monday-only manager has had all of Monday’s theme, then other families’ unseen topics come, not a repeat, and one marked not relevant never comes back', async () => {
    const { themeOf, topicsOf } = await themesAndTopics();
    const mondayTopics = topicsOf(themeOf.get(1));
    expect(mondayTopics.length).toBeGreaterThan(3);
    const manager = await subscriber(
      { weekdays: [1], localTime: '09:00', timeZone: 'Europe/Berlin' },
      new Date('2026-01-04T06:00:00Z'),
    );

    const first = await deliverNext(manager);
    expect(first.topic.id).toBe(mondayTopics[0]);
    await markTopicNotRelevant(harness.database.db, manager.who, first.topic.id, first.id);
    const unseen: string[] = [];
    for (let week = 1; week < mondayTopics.length; week += 1) {
      unseen.push((await deliverNext(manager)).topic.id);
    }
    expect(unseen).toEqual(mondayTopics.slice(1));

    const afterTheme: ClaimedRow[] = [];
    for (let week = 0; week < 3; week += 1) afterTheme.push(await deliverNext(manager));
    for (const delivery of afterTheme) {
      expect(delivery.topic.category).not.toBe(themeOf.get(1));
    }
    const ledger = await ledgerOf([manager.subscription.id]);
    expect(ledger).toHaveLength(mondayTopics.length + 3);
    expect(new Set(ledger.map((row) => row.topicId)).size).toBe(ledger.length);
    expect(ledger.every((row) => isoWeekdayOfDate(row.localDate) === 1)).toBe(true);
  });
});

describe('what the planner learns from a manager', () => {
  it('when a manager planned an action on a note, then their history has that topic as acted on, with how often and when each topic went', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      new Date('2026-03-01T06:00:00Z'),
    );
    const first = await deliverNext(manager);
    const second = await deliverNext(manager);
    await createActionItem(
      harness.database.db,
      manager.who,
      { text: 'Ask Sam what they need from me this week', source: 'api', deliveryId: second.id },
      second.dueAt,
    );

    const histories = await topicHistoriesOf(harness.database.db, [manager.id]);
    expect(histories.get(manager.id)).toEqual(
      new Map([
        [first.topic.id, { lastSent: first.localDate, timesSent: 1, actedOn: false }],
        [second.topic.id, { lastSent: second.localDate, timesSent: 1, actedOn: true }],
      ]),
    );
  });
});
