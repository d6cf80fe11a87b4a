/**
 * The reminder planner over a simulated clock, at the database level, for the planner tests in
 * this folder. At each step of the clock the planner runs (as the worker does every minute) and
 * whatever is due is claimed and confirmed (as the bot's sender does); managers answer through
 * the same service the API calls. Assertions read the reminders ledger and the action items.
 *
 * Weeks of simulated time would be slow in planner steps, so long runs step only around the
 * manager's reminder time each day: a reminder can only be due at its slot, and a reminder
 * planned for any other time would show as sent late or on the wrong day.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Answer, answerActionItem } from '../../../src/core/action-items/responses.ts';
import type { CheckBack } from '../../../src/core/action-items/rules.ts';
import { createActionItem } from '../../../src/core/action-items/service.ts';
import {
  type ClaimedRow,
  claimDeliveries,
  confirmDelivery,
  planDueDeliveries,
} from '../../../src/core/deliveries/service.ts';
import {
  type ClaimedReminder,
  claimReminders,
  confirmReminder,
  planDueReminders,
  type ReminderPlan,
} from '../../../src/core/reminders/service.ts';
import { unsubscribe } from '../../../src/core/subscriptions/service.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  createSubscriber,
  createWorkspace,
  fakeSlackDms,
  type TestSubscriber,
  type TestWorkspace,
} from '../../support/factories.ts';

export const MINUTE_MS = 60_000;
/** The planner's look-ahead: the worker runs every minute, a step of 5 is the most it allows. */
export const STEP_MS = 5 * MINUTE_MS;
const LEASE_MS = 60_000;
const CLAIM_BATCH = 100;
export const BERLIN = 'Europe/Berlin';
export const WEEKDAYS = [1, 2, 3, 4, 5];

/** A local wall-clock time ('yyyy-MM-ddTHH:mm') in `zone`, as an instant. */
export function at(zone: string, localDateTime: string): Date {
  const local = DateTime.fromISO(localDateTime, { zone });
  if (!local.isValid) throw new Error(`${localDateTime} in ${zone}: ${local.invalidExplanation}`);
  return local.toJSDate();
}

function addDays(localDate: string, days: number): string {
  return String(DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate());
}

export function localTimeOf(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

// Monday 5 January 2026, mid-morning in Berlin (CET, UTC+1). A week later is Monday 12 January.
export const PLANNED_AT = at(BERLIN, '2026-01-05T10:00');
export const CHECK_BACK_DAY = '2026-01-12';
/** 09:00 in Berlin on the check-back day. */
export const NINE_ON_CHECK_BACK_DAY = new Date('2026-01-12T08:00:00Z');

export interface SentReminder {
  reminder: ClaimedReminder;
  sentAt: Date;
  latenessSeconds: number;
}

interface ClockOptions {
  /** Plan and send topic notes too (they count towards the daily cap). */
  deliveries?: boolean;
}

export interface Tally {
  sent: SentReminder[];
  plans: ReminderPlan[];
}

/**
 * Gives the calling test file a database of its own with one workspace (made in its beforeAll,
 * dropped in its afterAll), unsubscribes after each test everyone it subscribed, and hands back
 * the worker's and the bot's steps around the planner, over that database. Call it once, at the
 * top of the file; read `database` and `workspace` in tests.
 */
export function setUpPlannerHarness() {
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

  /** What Slack would answer to a DM, a message ts unique in this file. */
  const slackMessage = fakeSlackDms();

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

  return {
    /** The file's test database; there once its beforeAll has run. */
    get database() {
      return database;
    },
    /** The workspace every manager is subscribed in; there once its beforeAll has run. */
    get workspace() {
      return workspace;
    },
    subscribed,
    planned,
    answer,
    sendDueReminders,
    sendDueDeliveries,
    runClock,
    runDays,
    sentTo,
    remindersOf,
    itemState,
    responsesOf,
    dmsPerDay,
  };
}
