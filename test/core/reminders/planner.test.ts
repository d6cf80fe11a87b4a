/**
 * The reminder planner over a simulated clock, at the database level. At each step of the clock
 * the planner runs (as the worker does every minute) and whatever is due is claimed and
 * confirmed (as the bot's sender does); managers answer through the same service the API calls.
 * Assertions read the reminders ledger and the action items.
 *
 * Weeks of simulated time would be slow in planner steps, so long runs step only around the
 * manager's reminder time each day: a reminder can only be due at its slot, and a reminder
 * planned for any other time would show as sent late or on the wrong day.
 */
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, answerActionItem } from '../../../src/core/action-items/responses.ts';
import type { CheckBack } from '../../../src/core/action-items/rules.ts';
import { createActionItem, updateActionItem } from '../../../src/core/action-items/service.ts';
import {
  type ClaimedRow,
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
  sendNow,
} from '../../../src/core/deliveries/service.ts';
import { AppError } from '../../../src/core/errors.ts';
import {
  type ClaimedReminder,
  claimReminders,
  confirmReminder,
  planDueReminders,
  type ReminderPlan,
} from '../../../src/core/reminders/service.ts';
import { setWeeklyDigest, unsubscribe } from '../../../src/core/subscriptions/service.ts';
import { createDatabase } from '../../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  createSubscriber,
  createWorkspace,
  type TestSubscriber,
  type TestWorkspace,
} from '../../support/factories.ts';

const MINUTE_MS = 60_000;
/** The planner's look-ahead: the worker runs every minute, a step of 5 is the most it allows. */
const STEP_MS = 5 * MINUTE_MS;
const LEASE_MS = 60_000;
const CLAIM_BATCH = 100;
const BERLIN = 'Europe/Berlin';
const WEEKDAYS = [1, 2, 3, 4, 5];

let database: TestDatabase;
let workspace: TestWorkspace;
/** Everyone subscribed by the running test; unsubscribed after it, so tests do not overlap. */
let managers: TestSubscriber[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  workspace = await createWorkspace(database.db);
});

afterEach(async () => {
  for (const manager of managers) await unsubscribe(database.db, manager.who, new Date());
  managers = [];
});

afterAll(async () => {
  await database?.drop();
});

/** A local wall-clock time ('yyyy-MM-ddTHH:mm') in `zone`, as an instant. */
function at(zone: string, localDateTime: string): Date {
  const local = DateTime.fromISO(localDateTime, { zone });
  if (!local.isValid) throw new Error(`${localDateTime} in ${zone}: ${local.invalidExplanation}`);
  return local.toJSDate();
}

function addDays(localDate: string, days: number): string {
  return String(DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate());
}

function localTimeOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

async function subscribed(
  schedule: { weekdays?: number[]; localTime: string; timeZone?: string },
  now: Date,
): Promise<TestSubscriber> {
  const manager = await createSubscriber(
    database.db,
    workspace,
    { timeZone: BERLIN, ...schedule },
    now,
  );
  managers.push(manager);
  return manager;
}

/** An action item planned through the service, as the modal or the API plans one. */
async function planned(
  manager: TestSubscriber,
  text: string,
  checkBack: CheckBack,
  now: Date,
): Promise<string> {
  const { item } = await createActionItem(
    database.db,
    manager.who,
    { text, source: 'api', checkBack },
    now,
  );
  return item.id;
}

function answer(
  manager: TestSubscriber,
  itemId: string,
  input: { answer: Answer; reminderId?: string; until?: string },
  now: Date,
) {
  return answerActionItem(database.db, manager.who, itemId, input, now);
}

let messages = 0;

/** What Slack would answer to a DM: the DM channel and a message ts unique in this file. */
function slackMessage(slackUserId: string, now: Date) {
  messages += 1;
  return {
    channelId: `D${slackUserId.slice(1)}`,
    ts: `${Math.floor(now.getTime() / 1000)}.${String(messages).padStart(6, '0')}`,
  };
}

interface SentReminder {
  reminder: ClaimedReminder;
  sentAt: Date;
  latenessSeconds: number;
}

/** The bot's reminder sender: claim everything due, "post" it, confirm it. */
async function sendDueReminders(now: Date): Promise<SentReminder[]> {
  const sent: SentReminder[] = [];
  for (;;) {
    const claimed = await claimReminders(database.db, now, {
      limit: CLAIM_BATCH,
      leaseMs: LEASE_MS,
    });
    for (const reminder of claimed) {
      const message = slackMessage(reminder.slackUserId, now);
      const { latenessSeconds } = await confirmReminder(database.db, reminder.id, message, now);
      sent.push({ reminder, sentAt: now, latenessSeconds });
    }
    if (claimed.length < CLAIM_BATCH) return sent;
  }
}

/** The bot's delivery sender, for the topic notes that share the daily cap. */
async function sendDueDeliveries(now: Date): Promise<ClaimedRow[]> {
  const { deliveries } = await claimDeliveries(database.db, now, {
    limit: CLAIM_BATCH,
    leaseMs: LEASE_MS,
  });
  for (const delivery of deliveries) {
    await confirmDelivery(database.db, delivery.id, slackMessage(delivery.slackUserId, now), now);
  }
  return deliveries;
}

interface ClockOptions {
  /** Plan and send topic notes too (they count towards the daily cap). */
  deliveries?: boolean;
}

interface Tally {
  sent: SentReminder[];
  plans: ReminderPlan[];
}

/** One step: the worker plans, then the bot sends what is due. */
async function tick(now: Date, tally: Tally, options: ClockOptions): Promise<void> {
  if (options.deliveries) {
    await planDueDeliveries(database.db, now);
    await sendDueDeliveries(now);
  }
  tally.plans.push(await planDueReminders(database.db, now));
  tally.sent.push(...(await sendDueReminders(now)));
}

/** The clock from `from` to `until` in planner steps. */
async function runClock(from: Date, until: Date, options: ClockOptions = {}): Promise<Tally> {
  const tally: Tally = { sent: [], plans: [] };
  for (let t = from.getTime(); t <= until.getTime(); t += STEP_MS) {
    await tick(new Date(t), tally, options);
  }
  return tally;
}

/**
 * Days pass, from `fromDate` to `toDate` (local dates in `zone`): each day the clock runs a
 * minute before and at each of `localTimes`.
 */
async function runDays(
  zone: string,
  fromDate: string,
  toDate: string,
  localTimes: readonly string[] = ['09:00'],
  options: ClockOptions = {},
): Promise<Tally> {
  const tally: Tally = { sent: [], plans: [] };
  for (let date = fromDate; date <= toDate; date = addDays(date, 1)) {
    for (const time of localTimes) {
      const slot = at(zone, `${date}T${time}`);
      await tick(new Date(slot.getTime() - 2 * MINUTE_MS), tally, options);
      await tick(slot, tally, options);
    }
  }
  return tally;
}

function sentTo(manager: TestSubscriber, tally: Tally): SentReminder[] {
  return tally.sent.filter((sent) => sent.reminder.slackUserId === manager.who.slackUserId);
}

/** The manager's reminders ledger, oldest first, with the items each one bundles. */
async function remindersOf(manager: TestSubscriber) {
  const rows = await database.db
    .selectFrom('reminders')
    .where('manager_id', '=', manager.id)
    .orderBy('local_date')
    .orderBy('kind')
    .select([
      'id',
      'kind',
      'local_date as localDate',
      'due_at as dueAt',
      'wanted_at as wantedAt',
      'sent_at as sentAt',
      'status',
    ])
    .execute();
  const items =
    rows.length === 0
      ? []
      : await database.db
          .selectFrom('reminder_items')
          .where(
            'reminder_id',
            'in',
            rows.map((row) => row.id),
          )
          .orderBy('action_item_id')
          .select(['reminder_id', 'action_item_id', 'final'])
          .execute();
  return rows.map((row) => ({
    ...row,
    items: items
      .filter((item) => item.reminder_id === row.id)
      .map((item) => ({ id: item.action_item_id, final: item.final })),
  }));
}

async function itemState(id: string) {
  return database.db
    .selectFrom('action_items')
    .where('id', '=', id)
    .select([
      'status',
      'check_back_on as checkBackOn',
      'interval_days as intervalDays',
      'unanswered_reminders as unanswered',
    ])
    .executeTakeFirstOrThrow();
}

async function responsesOf(itemId: string) {
  return database.db
    .selectFrom('responses')
    .where('action_item_id', '=', itemId)
    .select(['id', 'reminder_id as reminderId', 'answer'])
    .execute();
}

/** Blindspot DMs the manager was sent on each local date: topic notes and reminder messages. */
async function dmsPerDay(manager: TestSubscriber): Promise<Record<string, number>> {
  const deliveries = await database.db
    .selectFrom('deliveries')
    .where('manager_id', '=', manager.id)
    .where('status', '=', 'sent')
    .select('local_date as localDate')
    .execute();
  const reminders = await database.db
    .selectFrom('reminders')
    .where('manager_id', '=', manager.id)
    .where('status', '=', 'sent')
    .select('local_date as localDate')
    .execute();
  const perDay: Record<string, number> = {};
  for (const { localDate } of [...deliveries, ...reminders]) {
    perDay[localDate] = (perDay[localDate] ?? 0) + 1;
  }
  return perDay;
}

// Monday 5 January 2026, mid-morning in Berlin (CET, UTC+1). A week later is Monday 12 January.
const PLANNED_AT = at(BERLIN, '2026-01-05T10:00');
const CHECK_BACK_DAY = '2026-01-12';
/** 09:00 in Berlin on the check-back day. */
const NINE_ON_CHECK_BACK_DAY = new Date('2026-01-12T08:00:00Z');

describe('when a reminder is due', () => {
  it('when an item’s check-back date comes, then the reminder arrives that day at the manager’s delivery time in their zone (09:00 in Berlin is 08:00 UTC in winter), and not before', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const item = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);

    const dayBefore = await runClock(
      new Date('2026-01-11T06:00:00Z'),
      new Date('2026-01-11T10:00:00Z'),
    );
    expect(sentTo(manager, dayBefore)).toEqual([]);
    const onTheDay = await runClock(
      new Date('2026-01-12T06:00:00Z'),
      new Date('2026-01-12T10:00:00Z'),
    );

    expect(sentTo(manager, onTheDay)).toEqual([
      {
        reminder: {
          id: expect.any(String),
          attempt: 1,
          kind: 'reminder',
          dueAt: NINE_ON_CHECK_BACK_DAY,
          localDate: CHECK_BACK_DAY,
          slackTeamId: workspace.slackTeamId,
          slackUserId: manager.who.slackUserId,
          dmChannelId: null,
          timeZone: BERLIN,
          locale: 'en-US',
          language: 'en',
          items: [
            {
              id: item,
              text: 'Ask Priya what she needs',
              topicId: null,
              topicTitle: null,
              plannedOn: '2026-01-05',
              final: false,
            },
          ],
          digest: null,
        },
        sentAt: NINE_ON_CHECK_BACK_DAY,
        latenessSeconds: 0,
      },
    ]);
    expect(await remindersOf(manager)).toEqual([
      expect.objectContaining({
        kind: 'reminder',
        localDate: CHECK_BACK_DAY,
        dueAt: NINE_ON_CHECK_BACK_DAY,
        wantedAt: NINE_ON_CHECK_BACK_DAY,
        sentAt: NINE_ON_CHECK_BACK_DAY,
        status: 'sent',
        items: [{ id: item, final: false }],
      }),
    ]);
    // Sent and unanswered: the next check-back waits twice the interval.
    expect(await itemState(item)).toEqual({
      status: 'open',
      checkBackOn: '2026-01-26',
      intervalDays: 7,
      unanswered: 1,
    });
  });

  it('when the reminder is claimed, then each item says the local date it was planned on, by the planner’s clock in the manager’s zone', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    // 23:30 UTC on Sunday 4 January is already Monday 5 January in Berlin.
    const lateSunday = new Date('2026-01-04T23:30:00Z');
    const item = await planned(
      manager,
      'Ask Priya what she needs',
      { on: CHECK_BACK_DAY },
      lateSunday,
    );

    const tally = await runDays(BERLIN, CHECK_BACK_DAY, CHECK_BACK_DAY);

    expect(sentTo(manager, tally).map(({ reminder }) => reminder.items)).toEqual([
      [expect.objectContaining({ id: item, plannedOn: '2026-01-05' })],
    ]);
  });

  it('when two items are due the same day, then they come in one reminder; an item due the next day comes the next day', async () => {
    const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
    const laterPlannedAt = at(BERLIN, '2026-01-07T16:00');
    const first = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
    const second = await planned(
      manager,
      'Share the roadmap draft',
      { on: CHECK_BACK_DAY },
      laterPlannedAt,
    );
    const nextDay = await planned(
      manager,
      'Say thank you in the channel',
      { on: '2026-01-13' },
      laterPlannedAt,
    );

    const tally = await runDays(BERLIN, '2026-01-08', '2026-01-14');

    expect(
      sentTo(manager, tally).map(({ reminder }) => ({
        localDate: reminder.localDate,
        items: reminder.items.map((i) => i.text),
      })),
    ).toEqual([
      { localDate: CHECK_BACK_DAY, items: ['Ask Priya what she needs', 'Share the roadmap draft'] },
      { localDate: '2026-01-13', items: ['Say thank you in the channel'] },
    ]);
    expect(await remindersOf(manager)).toEqual([
      expect.objectContaining({
        localDate: CHECK_BACK_DAY,
        status: 'sent',
        items: [
          { id: first, final: false },
          { id: second, final: false },
        ],
      }),
      expect.objectContaining({
        localDate: '2026-01-13',
        status: 'sent',
        items: [{ id: nextDay, final: false }],
      }),
    ]);
  });

  it.each([
    { deliveryTime: '07:00', remindAt: '08:00', dueAt: '2026-01-12T07:00:00Z' },
    { deliveryTime: '21:30', remindAt: '19:59', dueAt: '2026-01-12T18:59:00Z' },
  ])(
    'when the manager’s delivery time is $deliveryTime, in quiet hours, then the reminder comes at $remindAt local time',
    async ({ deliveryTime, dueAt }) => {
      const manager = await subscribed({ localTime: deliveryTime }, PLANNED_AT);
      const item = await planned(manager, 'Block focus time', { in: '1w' }, PLANNED_AT);

      const tally = await runClock(
        new Date('2026-01-12T05:00:00Z'),
        new Date('2026-01-12T19:30:00Z'),
      );

      const sent = sentTo(manager, tally);
      expect(sent.map(({ reminder }) => reminder.dueAt)).toEqual([new Date(dueAt)]);
      // The bot polls in planner steps here: it sends at the first poll at or after the slot.
      expect(sent[0]?.sentAt.getTime()).toBeGreaterThanOrEqual(new Date(dueAt).getTime());
      expect(sent[0]?.sentAt.getTime()).toBeLessThan(new Date(dueAt).getTime() + STEP_MS);
      expect(await remindersOf(manager)).toEqual([
        expect.objectContaining({
          localDate: CHECK_BACK_DAY,
          dueAt: new Date(dueAt),
          items: [{ id: item, final: false }],
        }),
      ]);
    },
  );

  it('when the check-back date is a Saturday and the manager receives messages on weekdays only, then the reminder comes on Monday', async () => {
    const saturday = at(BERLIN, '2026-01-10T11:00');
    const manager = await subscribed({ weekdays: WEEKDAYS, localTime: '09:00' }, saturday);
    const item = await planned(manager, 'Write the team charter', { in: '1w' }, saturday);
    expect((await itemState(item)).checkBackOn).toBe('2026-01-17');

    const tally = await runDays(BERLIN, '2026-01-16', '2026-01-20');

    const monday = new Date('2026-01-19T08:00:00Z');
    expect(sentTo(manager, tally).map(({ reminder }) => reminder.localDate)).toEqual([
      '2026-01-19',
    ]);
    expect(await remindersOf(manager)).toEqual([
      expect.objectContaining({
        localDate: '2026-01-19',
        dueAt: monday,
        wantedAt: monday,
        sentAt: monday,
        items: [{ id: item, final: false }],
      }),
    ]);
    // Backs off from the day it was sent.
    expect((await itemState(item)).checkBackOn).toBe('2026-02-02');
  });
});

describe('the daily cap of two Blindspot DMs', () => {
  const MONDAY_SLOT = new Date('2026-01-12T08:00:00Z');
  const TUESDAY_SLOT = new Date('2026-01-13T08:00:00Z');

  it.each([
    { secondDm: 'the weekly digest', sendNowAt: undefined },
    { secondDm: 'a send-now note and the weekly digest', sendNowAt: '2026-01-12T08:30' },
  ])(
    'when Monday already has a topic note and $secondDm, then the reminder waits for Tuesday, keeping Monday’s slot as wanted_at, and its lateness is a day',
    async ({ sendNowAt }) => {
      const manager = await subscribed({ localTime: '09:00' }, PLANNED_AT);
      await setWeeklyDigest(database.db, manager.who, true, PLANNED_AT);
      const item = await planned(manager, 'Ask Priya what she needs', { in: '1w' }, PLANNED_AT);
      if (sendNowAt) {
        const pressedAt = at(BERLIN, sendNowAt);
        expect(await sendNow(database.db, manager.who, pressedAt)).toMatchObject({
          status: 'queued',
        });
        expect(await sendDueDeliveries(pressedAt)).toHaveLength(1);
      }

      const tally = await runDays(BERLIN, CHECK_BACK_DAY, '2026-01-13', ['09:00'], {
        deliveries: true,
      });

      // Every day within the cap, topic notes included.
      expect(await dmsPerDay(manager)).toEqual({ '2026-01-12': 2, '2026-01-13': 2 });
      expect(await remindersOf(manager)).toEqual([
        expect.objectContaining({ kind: 'digest', localDate: CHECK_BACK_DAY, status: 'sent' }),
        expect.objectContaining({
          kind: 'reminder',
          localDate: '2026-01-13',
          dueAt: TUESDAY_SLOT,
          wantedAt: MONDAY_SLOT,
          sentAt: TUESDAY_SLOT,
          status: 'sent',
          items: [{ id: item, final: false }],
        }),
      ]);
      const reminder = sentTo(manager, tally).find((sent) => sent.reminder.kind === 'reminder');
      expect(reminder?.latenessSeconds).toBe(86_400);
    },
  );
});

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
    await planDueReminders(database.db, plannedAt);
    expect((await remindersOf(manager)).map((r) => r.status)).toEqual(['pending']);

    await updateActionItem(
      database.db,
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
    await planDueReminders(database.db, plannedAt);
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
    const otherPool = new pg.Pool({ connectionString: database.url, max: 4 });
    const otherDb = createDatabase(otherPool);
    try {
      const plans: ReminderPlan[] = [];
      for (const minutesBefore of [4, 3, 2, 1]) {
        const now = new Date(NINE_ON_CHECK_BACK_DAY.getTime() - minutesBefore * MINUTE_MS);
        plans.push(
          ...(await Promise.all([
            planDueReminders(database.db, now),
            planDueReminders(otherDb, now),
            planDueReminders(database.db, now),
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
