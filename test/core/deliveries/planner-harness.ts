/**
 * The delivery planner over a simulated clock, at the database level, for the planner tests in
 * this folder. The clock stops at the instants where something should happen (or in look-ahead
 * steps over short spans); at each stop the planner runs (as the worker does every minute) and
 * whatever is due is claimed and confirmed (as the bot's sender does). Every assertion reads the
 * deliveries ledger.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  type ClaimedRow,
  claimDeliveries,
  confirmDelivery,
  PLAN_LOOKAHEAD_MS,
  planDueDeliveries,
} from '../../../src/core/deliveries/service.ts';
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
export const HOUR_MS = 60 * MINUTE_MS;
export const LEASE_MS = 60_000;
const CLAIM_BATCH = 100;

export function isoWeekdayOfDate(localDate: string): number {
  return DateTime.fromISO(localDate, { zone: 'utc' }).weekday;
}

export function addDays(localDate: string, days: number): string {
  return String(DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate());
}

/**
 * Gives the calling test file a database of its own with one workspace (made in its beforeAll,
 * dropped in its afterAll), unsubscribes after each test everyone it subscribed, and hands back
 * the worker's and the sender's steps around the planner, over that database. Call it once, at
 * the top of the file; read `database` and `workspace` in tests.
 */
export function setUpPlannerHarness() {
  let database: TestDatabase;
  let workspace: TestWorkspace;
  /** Everyone subscribed by the running test; unsubscribed after it, so tests do not overlap. */
  let subscribers: TestSubscriber[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    workspace = await createWorkspace(database.db);
  });

  afterEach(async () => {
    for (const subscriber of subscribers)
      await unsubscribe(database.db, subscriber.who, new Date());
    subscribers = [];
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function subscriber(
    schedule: { weekdays?: number[]; localTime: string; timeZone: string },
    now: Date,
  ): Promise<TestSubscriber> {
    const created = await createSubscriber(database.db, workspace, schedule, now);
    subscribers.push(created);
    return created;
  }

  /** What Slack would answer to a DM, a message ts unique in this file. */
  const slackMessage = fakeSlackDms();

  /** The sender's poll: claim everything due, "post" it, confirm it. */
  async function sendWhatIsDue(now: Date): Promise<ClaimedRow[]> {
    const sent: ClaimedRow[] = [];
    for (;;) {
      const { deliveries } = await claimDeliveries(database.db, now, {
        limit: CLAIM_BATCH,
        leaseMs: LEASE_MS,
      });
      for (const delivery of deliveries) {
        await confirmDelivery(
          database.db,
          delivery.id,
          slackMessage(delivery.slackUserId, now),
          now,
        );
        sent.push(delivery);
      }
      if (deliveries.length < CLAIM_BATCH) return sent;
    }
  }

  /**
   * Moves the clock from `from` until `until` in look-ahead steps, planning and sending at each.
   * Returns the instant of the last step.
   */
  async function runClock(from: Date, until: Date): Promise<Date> {
    let now = from;
    for (let t = from.getTime(); t <= until.getTime(); t += PLAN_LOOKAHEAD_MS) {
      now = new Date(t);
      await planDueDeliveries(database.db, now);
      await sendWhatIsDue(now);
    }
    return now;
  }

  /**
   * Moves the clock through the given instants only, planning and sending at each. Returns the
   * last one.
   */
  async function runClockThrough(instants: Iterable<number>): Promise<Date> {
    const steps = [...new Set(instants)].sort((a, b) => a - b);
    for (const t of steps) {
      await planDueDeliveries(database.db, new Date(t));
      await sendWhatIsDue(new Date(t));
    }
    return new Date(steps.at(-1) as number);
  }

  /** The next delivery of one subscriber: planned ahead, then claimed and confirmed when due. */
  async function deliverNext(subscriber: TestSubscriber): Promise<ClaimedRow> {
    const { next_due_at: dueAt } = await database.db
      .selectFrom('subscriptions')
      .where('id', '=', subscriber.subscription.id)
      .select('next_due_at')
      .executeTakeFirstOrThrow();
    if (!dueAt) throw new Error('the subscription has no next delivery');
    await planDueDeliveries(database.db, new Date(dueAt.getTime() - PLAN_LOOKAHEAD_MS / 2));
    const sent = await sendWhatIsDue(dueAt);
    expect(sent).toHaveLength(1);
    return sent[0] as ClaimedRow;
  }

  function ledgerOf(subscriptionIds: readonly string[]) {
    return database.db
      .selectFrom('deliveries')
      .where('subscription_id', 'in', subscriptionIds)
      .orderBy('due_at')
      .orderBy('subscription_id')
      .select([
        'id',
        'subscription_id as subscriptionId',
        'local_date as localDate',
        'due_at as dueAt',
        'status',
        'attempts',
        'late',
        'sent_at as sentAt',
        'slack_channel_id as slackChannelId',
        'slack_ts as slackTs',
        'topic_id as topicId',
      ])
      .execute();
  }

  async function nextDueAtOf(subscriber: TestSubscriber): Promise<Date | null> {
    const row = await database.db
      .selectFrom('subscriptions')
      .where('id', '=', subscriber.subscription.id)
      .select('next_due_at')
      .executeTakeFirstOrThrow();
    return row.next_due_at;
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
    subscriber,
    slackMessage,
    sendWhatIsDue,
    runClock,
    runClockThrough,
    deliverNext,
    ledgerOf,
    nextDueAtOf,
  };
}
