/**
 * How reminders follow a manager's silence and answers, by the reminder planner over a simulated
 * clock (planner-harness.ts): silence backs off and lapses an item, "not yet" and a snooze move
 * the next reminder, and Done, Dropped and a replayed answer end them once.
 */
import { describe, expect, it } from 'vitest';
import { updateActionItem } from '../../../src/core/action-items/service.ts';
import { AppError } from '../../../src/core/errors.ts';
import { planDueReminders } from '../../../src/core/reminders/service.ts';
import {
  at,
  BERLIN,
  CHECK_BACK_DAY,
  localTimeOf,
  MINUTE_MS,
  NINE_ON_CHECK_BACK_DAY,
  PLANNED_AT,
  setUpPlannerHarness,
} from './planner-harness.ts';

const harness = setUpPlannerHarness();
const {
  subscribed,
  planned,
  answer,
  sendDueReminders,
  runClock,
  runDays,
  sentTo,
  remindersOf,
  itemState,
  responsesOf,
} = harness;

describe('silence, back-off and lapse', () => {
  it('when the manager never answers, then reminders come on day 7, 14 days later, 28 days later, then once more as a final note that lapses the item, and never again', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Run a skip-level 1:1', { in: '1w' }, PLANNED_AT);

    // Through the end of May: Berlin moves to summer time on 29 March, 09:00 is 07:00 UTC then.
    const tally = await runDays(BERLIN, '2026-01-06', '2026-05-31');

    const sent = sentTo(manager, tally);
    expect(sent.map(({ reminder }) => reminder.localDate)).toEqual([
      '2026-01-12', // day 7
      '2026-01-26', // + 14
      '2026-02-23', // + 28
      '2026-04-20', // + 56: the fourth time, the last word
    ]);
    expect(sent.map(({ reminder }) => localTimeOf(reminder.dueAt, BERLIN).slice(11))).toEqual([
      '09:00',
      '09:00',
      '09:00',
      '09:00',
    ]);
    expect(sent.map(({ reminder }) => reminder.items.map((i) => [i.id, i.final]))).toEqual([
      [[item, false]],
      [[item, false]],
      [[item, false]],
      [[item, true]],
    ]);
    expect((await remindersOf(manager)).map((r) => r.items)).toEqual([
      [{ id: item, final: false }],
      [{ id: item, final: false }],
      [{ id: item, final: false }],
      [{ id: item, final: true }],
    ]);
    expect(await itemState(item)).toMatchObject({ status: 'lapsed', unanswered: 3 });
    expect(tally.plans.reduce((sum, plan) => sum + plan.lapsed, 0)).toBe(1);
  });

  it('when the manager answers “not yet”, then the next reminder waits the item’s interval again, from the answer, and silence backs off from there', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Delegate the release notes', { in: '1w' }, PLANNED_AT);
    const first = await runDays(BERLIN, '2026-01-12', '2026-01-12');
    const reminderId = String(sentTo(manager, first)[0]?.reminder.id);

    await answer(manager, item, { answer: 'not_yet', reminderId }, at(BERLIN, '2026-01-13T18:00'));
    expect(await itemState(item)).toMatchObject({
      status: 'open',
      checkBackOn: '2026-01-20',
      unanswered: 0,
    });

    const tally = await runDays(BERLIN, '2026-01-13', '2026-02-05');
    expect(sentTo(manager, tally).map(({ reminder }) => reminder.localDate)).toEqual([
      '2026-01-20',
      '2026-02-03',
    ]);
  });

  it('when the manager snoozes to a date, then the next reminder comes that date and not before', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Ask for feedback on my 1:1s', { in: '1w' }, PLANNED_AT);
    const first = await runDays(BERLIN, '2026-01-12', '2026-01-12');
    const reminderId = String(sentTo(manager, first)[0]?.reminder.id);

    const answered = await answer(
      manager,
      item,
      { answer: 'snoozed', reminderId, until: '2026-02-10' },
      at(BERLIN, '2026-01-12T09:20'),
    );
    expect(answered).toMatchObject({ recorded: true, response: { answer: 'snoozed' } });

    const tally = await runDays(BERLIN, '2026-01-13', '2026-02-11');
    expect(sentTo(manager, tally).map(({ reminder }) => reminder.localDate)).toEqual([
      '2026-02-10',
    ]);
  });

  it('when the manager snoozes to today or a past date, then it is refused with the field to fix, and nothing changes', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Ask for feedback on my 1:1s', { in: '1w' }, PLANNED_AT);
    const now = at(BERLIN, '2026-01-12T09:20');

    for (const until of [CHECK_BACK_DAY, '2026-01-11', undefined]) {
      const refused = await answer(manager, item, { answer: 'snoozed', until }, now).catch(
        (error: unknown) => error,
      );
      expect(refused, String(until)).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ statusCode: 400, fields: { until: expect.any(String) } });
    }
    expect(await responsesOf(item)).toEqual([]);
    expect((await itemState(item)).checkBackOn).toBe(CHECK_BACK_DAY);
  });
});

describe('answers that end the reminders', () => {
  it('when the manager answers Done for one item and Dropped for another, then neither is reminded again; an item done before its date is never reminded', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const done = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
    const dropped = await planned(manager, 'Rewrite the career ladder', { in: '1w' }, PLANNED_AT);
    const early = await planned(manager, 'Thank the on-call team', { in: '1w' }, PLANNED_AT);
    await answer(manager, early, { answer: 'done' }, at(BERLIN, '2026-01-08T12:00'));

    const first = await runDays(BERLIN, '2026-01-06', CHECK_BACK_DAY);
    const sent = sentTo(manager, first);
    expect(sent.map(({ reminder }) => reminder.items.map((i) => i.id))).toEqual([[done, dropped]]);
    const reminderId = String(sent[0]?.reminder.id);
    const answeredAt = at(BERLIN, '2026-01-12T09:30');
    await answer(manager, done, { answer: 'done', reminderId }, answeredAt);
    await answer(manager, dropped, { answer: 'dropped', reminderId }, answeredAt);

    const after = await runDays(BERLIN, '2026-01-13', '2026-03-01');

    expect(sentTo(manager, after)).toEqual([]);
    expect(await itemState(done)).toMatchObject({ status: 'done' });
    expect(await itemState(dropped)).toMatchObject({ status: 'dropped' });
    expect(await itemState(early)).toMatchObject({ status: 'done' });
    expect(await remindersOf(manager)).toHaveLength(1);
  });

  it('when an item is marked done after its reminder was planned but before it went out, then the reminder does not ask about it', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const done = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
    const open = await planned(manager, 'Share the roadmap draft', { in: '1w' }, PLANNED_AT);
    const plannedAt = new Date(NINE_ON_CHECK_BACK_DAY.getTime() - 2 * MINUTE_MS);
    await planDueReminders(harness.database.db, plannedAt);
    expect((await remindersOf(manager)).map((r) => r.status)).toEqual(['pending']);

    await updateActionItem(
      harness.database.db,
      manager.who,
      done,
      { status: 'done' },
      new Date(plannedAt.getTime() + MINUTE_MS),
    );
    const sent = sentTo(manager, {
      sent: await sendDueReminders(NINE_ON_CHECK_BACK_DAY),
      plans: [],
    });

    expect(sent.map(({ reminder }) => reminder.items.map((i) => i.id))).toEqual([[open]]);
  });

  it('when the only item of a planned reminder is marked done before it went out, then no reminder is sent at all', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
    const plannedAt = new Date(NINE_ON_CHECK_BACK_DAY.getTime() - 2 * MINUTE_MS);
    await planDueReminders(harness.database.db, plannedAt);
    await answer(manager, item, { answer: 'done' }, new Date(plannedAt.getTime() + MINUTE_MS));

    const tally = await runClock(NINE_ON_CHECK_BACK_DAY, new Date('2026-01-12T09:00:00Z'));

    expect(sentTo(manager, tally)).toEqual([]);
    expect((await remindersOf(manager)).map((r) => r.status)).not.toContain('sent');
    expect(await itemState(item)).toMatchObject({ status: 'done', unanswered: 0 });
  });

  it('when the same answer is replayed for the same reminder and item, then it is recorded once: the replay returns the first answer with recorded false', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
    const other = await planned(manager, 'Share the roadmap draft', { in: '1w' }, PLANNED_AT);
    const first = await runDays(BERLIN, CHECK_BACK_DAY, CHECK_BACK_DAY);
    const reminderId = String(sentTo(manager, first)[0]?.reminder.id);
    const clickedAt = at(BERLIN, '2026-01-12T09:05');

    const once = await answer(manager, item, { answer: 'done', reminderId }, clickedAt);
    const again = await answer(
      manager,
      item,
      { answer: 'dropped', reminderId },
      new Date(clickedAt.getTime() + 1_000),
    );
    expect(once).toMatchObject({ recorded: true, secondsSinceReminder: 300 });
    expect(again).toEqual({ response: once.response, recorded: false, secondsSinceReminder: null });
    expect(await responsesOf(item)).toEqual([{ id: once.response.id, reminderId, answer: 'done' }]);
    expect(await itemState(item)).toMatchObject({ status: 'done' });

    // Two deliveries of the same click at once (Slack retries): one answer.
    const racing = await Promise.all([
      answer(manager, other, { answer: 'partly', reminderId }, clickedAt),
      answer(manager, other, { answer: 'partly', reminderId }, clickedAt),
    ]);
    expect(racing.map((r) => r.recorded).sort()).toEqual([false, true]);
    expect(await responsesOf(other)).toHaveLength(1);
  });
});
