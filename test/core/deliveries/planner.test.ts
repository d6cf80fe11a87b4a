/**
 * The delivery planner over a simulated clock, at the database level. The clock stops at the
 * instants where something should happen (or in look-ahead steps over short spans); at each stop
 * the planner runs (as the worker does every minute) and whatever is due is claimed and confirmed
 * (as the bot's sender does). Every assertion reads the deliveries ledger.
 */
import { DateTime, IANAZone } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActionItem } from '../../../src/core/action-items/service.ts';
import { markTopicNotRelevant } from '../../../src/core/deliveries/feedback.ts';
import { topicHistoriesOf } from '../../../src/core/deliveries/repositories/planning.ts';
import {
  type ClaimedRow,
  claimDeliveries,
  confirmDelivery,
  PLAN_LOOKAHEAD_MS,
  planDueDeliveries,
  sendNow,
} from '../../../src/core/deliveries/service.ts';
import { AppError } from '../../../src/core/errors.ts';
import { pause, resume, unsubscribe } from '../../../src/core/subscriptions/service.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  createSubscriber,
  createWorkspace,
  EVERY_DAY,
  type TestSubscriber,
  type TestWorkspace,
} from '../../support/factories.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const LEASE_MS = 60_000;
const CLAIM_BATCH = 100;
const LOCAL_MINUTE = 'yyyy-MM-dd HH:mm';

let database: TestDatabase;
let workspace: TestWorkspace;
/** Everyone subscribed by the running test; unsubscribed after it, so tests do not overlap. */
let subscribers: TestSubscriber[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  workspace = await createWorkspace(database.db);
});

afterEach(async () => {
  for (const subscriber of subscribers) await unsubscribe(database.db, subscriber.who, new Date());
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

let messages = 0;

/** What Slack would answer to a DM: the DM channel and a message ts unique in this file. */
function slackMessage(slackUserId: string, now: Date) {
  messages += 1;
  return {
    channelId: `D${slackUserId.slice(1)}`,
    ts: `${Math.floor(now.getTime() / 1000)}.${String(messages).padStart(6, '0')}`,
  };
}

/** The sender's poll: claim everything due, "post" it, confirm it. */
async function sendWhatIsDue(now: Date): Promise<ClaimedRow[]> {
  const sent: ClaimedRow[] = [];
  for (;;) {
    const { deliveries } = await claimDeliveries(database.db, now, {
      limit: CLAIM_BATCH,
      leaseMs: LEASE_MS,
    });
    for (const delivery of deliveries) {
      await confirmDelivery(database.db, delivery.id, slackMessage(delivery.slackUserId, now), now);
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

/** An unambiguous local time ('yyyy-MM-ddTHH:mm') in `zone`, as a Date. */
function atLocal(zone: string, localDateTime: string): Date {
  const local = DateTime.fromISO(localDateTime, { zone });
  if (!local.isValid) throw new Error(`${localDateTime} in ${zone}: ${local.invalidExplanation}`);
  return local.toJSDate();
}

/**
 * When a local time happens on a local date, read off the zone's clock with Luxon (not with the
 * code under test): a time the clocks pass twice (fall-back) counts at its first occurrence; a
 * time they skip (spring-forward) is due at the jump, the first minute that reads later.
 */
function expectedDueAt(zone: string, localDate: string, localTime: string): Date {
  const wanted = `${localDate} ${localTime}`;
  const guess = DateTime.fromISO(`${localDate}T${localTime}`, { zone });
  if (guess.toFormat(LOCAL_MINUTE) === wanted) {
    const readings = guess.getPossibleOffsets().map((reading) => reading.toMillis());
    return new Date(Math.min(...readings));
  }
  // Luxon moves a skipped time forward by the size of the gap; walk back to the jump.
  let due = guess;
  while (due.minus({ minutes: 1 }).toFormat(LOCAL_MINUTE) >= wanted) {
    due = due.minus({ minutes: 1 });
  }
  return due.toJSDate();
}

/** The instants in [from, until] at which `zone`'s offset from UTC changes, to the minute. */
function offsetChangesIn(zone: string, from: Date, until: Date): number[] {
  const offsets = IANAZone.create(zone);
  const changes: number[] = [];
  for (let t = from.getTime() + MINUTE_MS; t <= until.getTime(); t += MINUTE_MS) {
    if (offsets.offset(t) !== offsets.offset(t - MINUTE_MS)) changes.push(t);
  }
  return changes;
}

function isoWeekdayOfDate(localDate: string): number {
  return DateTime.fromISO(localDate, { zone: 'utc' }).weekday;
}

function addDays(localDate: string, days: number): string {
  return String(DateTime.fromISO(localDate, { zone: 'utc' }).plus({ days }).toISODate());
}

describe('planning around the 2026 daylight-saving changes', () => {
  const ZONES = [
    'Australia/Sydney',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Tokyo',
    'America/New_York',
    'Europe/Berlin',
    'Europe/London',
    'Pacific/Auckland',
  ];

  interface Edge {
    /** A local time in the zone's gap (spring-forward) or overlap (fall-back). */
    localTime: string;
    /** When it must be due, written out by hand. */
    dueAt: string;
  }

  interface DstWindow {
    name: string;
    /** The local date of the change in every zone listed; all 2026 changes fall on a Sunday. */
    date: string;
    edges: Record<string, Edge>;
  }

  const WINDOWS: DstWindow[] = [
    {
      name: 'the US spring-forward',
      date: '2026-03-08',
      edges: { 'America/New_York': { localTime: '02:30', dueAt: '2026-03-08T03:00:00-04:00' } },
    },
    {
      name: 'the EU spring-forward',
      date: '2026-03-29',
      edges: {
        'Europe/Berlin': { localTime: '02:30', dueAt: '2026-03-29T03:00:00+02:00' },
        // London jumps from 01:00 to 02:00.
        'Europe/London': { localTime: '01:30', dueAt: '2026-03-29T02:00:00+01:00' },
      },
    },
    {
      name: 'the AU and NZ fall-back',
      date: '2026-04-05',
      edges: {
        'Australia/Sydney': { localTime: '02:30', dueAt: '2026-04-05T02:30:00+11:00' },
        'Pacific/Auckland': { localTime: '02:30', dueAt: '2026-04-05T02:30:00+13:00' },
      },
    },
    {
      name: 'the NZ spring-forward',
      date: '2026-09-27',
      edges: { 'Pacific/Auckland': { localTime: '02:30', dueAt: '2026-09-27T03:00:00+13:00' } },
    },
    {
      name: 'the AU spring-forward',
      date: '2026-10-04',
      edges: { 'Australia/Sydney': { localTime: '02:30', dueAt: '2026-10-04T03:00:00+11:00' } },
    },
    {
      name: 'the EU fall-back',
      date: '2026-10-25',
      edges: {
        'Europe/Berlin': { localTime: '02:30', dueAt: '2026-10-25T02:30:00+02:00' },
        'Europe/London': { localTime: '01:30', dueAt: '2026-10-25T01:30:00+01:00' },
      },
    },
    {
      name: 'the US fall-back',
      date: '2026-11-01',
      // 01:00 to 02:00 happens twice: first in EDT (-04:00), then in EST (-05:00).
      edges: { 'America/New_York': { localTime: '01:30', dueAt: '2026-11-01T01:30:00-04:00' } },
    },
  ];

  /**
   * Four schedules in every zone: daily at the changing zone's gap or overlap time; daily at
   * 09:00; at 00:30 on every day but Sunday; at 23:45 on Sundays only. The window runs from
   * 08:00 the day before the change to 10:00 the day after, in each changing zone: 09:00 comes
   * before, on and after the change, and both weekday-limited schedules meet an unchosen day.
   */
  function schedulesFor(window: DstWindow, zone: string) {
    const sunday = isoWeekdayOfDate(window.date);
    return [
      { weekdays: EVERY_DAY, localTime: window.edges[zone]?.localTime ?? '02:30', timeZone: zone },
      { weekdays: EVERY_DAY, localTime: '09:00', timeZone: zone },
      { weekdays: EVERY_DAY.filter((day) => day !== sunday), localTime: '00:30', timeZone: zone },
      { weekdays: [sunday], localTime: '23:45', timeZone: zone },
    ];
  }

  it.each(WINDOWS)(
    'around $name ($date), then every manager gets exactly one message per chosen local date, at the chosen local minute',
    async (window) => {
      const changing = Object.keys(window.edges);
      const from = new Date(
        Math.min(
          ...changing.map((zone) => atLocal(zone, `${addDays(window.date, -1)}T08:00`).getTime()),
        ),
      );
      const until = new Date(
        Math.max(
          ...changing.map((zone) => atLocal(zone, `${addDays(window.date, 1)}T10:00`).getTime()),
        ),
      );
      // Signed up a minute before the clock starts, so its first step finds every one waiting.
      const subscribedAt = new Date(from.getTime() - MINUTE_MS);
      const matrix: TestSubscriber[] = [];
      for (const zone of ZONES) {
        for (const schedule of schedulesFor(window, zone)) {
          matrix.push(await subscriber(schedule, subscribedAt));
        }
      }
      const occurrences = matrix.flatMap(({ subscription }) =>
        [-2, -1, 0, 1, 2]
          .map((offset) => addDays(window.date, offset))
          .filter((localDate) => subscription.weekdays.includes(isoWeekdayOfDate(localDate)))
          .map((localDate) => ({
            subscriptionId: subscription.id,
            localDate,
            dueAt: expectedDueAt(subscription.timeZone, localDate, subscription.localTime),
          })),
      );

      // The clock stops where something is expected to happen (read off the oracle above, not
      // off the planner): a look-ahead before each due instant (planned) and at it (sent), and
      // around each change of offset; and every 3 hours between, so a row planned or sent when
      // nothing is expected is met too. Stepping every 5 minutes (~600 ticks a window, not
      // ~100) saw nothing more: every row's instant, status and send time are checked below.
      const steps = [from.getTime(), until.getTime()];
      for (let t = from.getTime(); t < until.getTime(); t += 3 * HOUR_MS) steps.push(t);
      for (const { dueAt } of occurrences) {
        steps.push(dueAt.getTime() - PLAN_LOOKAHEAD_MS, dueAt.getTime());
      }
      for (const zone of changing) {
        const changes = offsetChangesIn(zone, from, until);
        expect(changes, zone).toHaveLength(1);
        for (const change of changes) {
          steps.push(change - PLAN_LOOKAHEAD_MS, change, change + PLAN_LOOKAHEAD_MS);
        }
      }
      const lastStep = await runClockThrough(
        steps.filter((t) => t >= from.getTime() && t <= until.getTime()),
      );

      const ledger = await ledgerOf(matrix.map((s) => s.subscription.id));
      const scheduleOf = new Map(matrix.map((s) => [s.subscription.id, s.subscription]));
      const key = (subscriptionId: string, localDate: string) => `${subscriptionId} ${localDate}`;

      // What should have gone out: every chosen local date whose due instant the clock passed.
      const expected = occurrences
        .filter(({ dueAt }) => dueAt >= from && dueAt <= lastStep)
        .map(({ subscriptionId, localDate }) => key(subscriptionId, localDate));
      const done = ledger.filter((row) => row.dueAt <= lastStep);
      // The window is wide enough that every schedule of a changing zone comes round.
      const delivered = new Set(done.map((row) => row.subscriptionId));
      for (const { subscription } of matrix.filter((s) =>
        changing.includes(s.subscription.timeZone),
      )) {
        expect(delivered.has(subscription.id), subscription.timeZone).toBe(true);
      }
      expect(done.map((row) => key(row.subscriptionId, row.localDate)).sort()).toEqual(
        expected.sort(),
      );
      // Planned ahead of the last step, not yet due: waiting, and within the look-ahead.
      for (const row of ledger.filter((row) => row.dueAt > lastStep)) {
        expect(row.status).toBe('pending');
        expect(row.dueAt.getTime()).toBeLessThanOrEqual(lastStep.getTime() + PLAN_LOOKAHEAD_MS);
      }

      for (const row of done) {
        const subscription = scheduleOf.get(row.subscriptionId);
        if (!subscription) throw new Error(`delivery ${row.id} of an unknown subscription`);
        const reading = DateTime.fromJSDate(row.dueAt, { zone: subscription.timeZone });
        const edge = window.edges[subscription.timeZone];
        const where = `${subscription.localTime} in ${subscription.timeZone} on ${row.localDate}`;
        expect(reading.toISODate(), where).toBe(row.localDate);
        expect(subscription.weekdays, where).toContain(isoWeekdayOfDate(row.localDate));
        if (edge && row.localDate === window.date && subscription.localTime === edge.localTime) {
          expect(row.dueAt.toISOString(), where).toBe(new Date(edge.dueAt).toISOString());
        } else {
          expect(reading.toFormat('HH:mm'), where).toBe(subscription.localTime);
        }
        expect(row.status, where).toBe('sent');
        expect(row.sentAt?.getTime(), where).toBeGreaterThanOrEqual(row.dueAt.getTime());
        expect(row.attempts, where).toBe(1);
        expect(row.late, where).toBe(false);
        expect(row.topicId, where).not.toBeNull();
      }
      // Each changing zone's gap or overlap time was delivered on the day of the change.
      for (const [zone, edge] of Object.entries(window.edges)) {
        const edgeSubscription = matrix.find(
          (s) => s.subscription.timeZone === zone && s.subscription.localTime === edge.localTime,
        );
        const onTheDay = done.filter(
          (row) =>
            row.subscriptionId === edgeSubscription?.subscription.id &&
            row.localDate === window.date,
        );
        expect(
          onTheDay.map((row) => row.dueAt.toISOString()),
          zone,
        ).toEqual([new Date(edge.dueAt).toISOString()]);
      }
    },
  );
});

describe('topic rotation through the planner', () => {
  async function themesAndTopics() {
    const themes = await database.db
      .selectFrom('weekday_themes')
      .where('workspace_id', '=', workspace.id)
      .select(['iso_weekday', 'category'])
      .execute();
    const topics = await database.db
      .selectFrom('topics')
      .where('workspace_id', '=', workspace.id)
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
    await markTopicNotRelevant(database.db, manager.who, dismissed, undefined);

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
    await markTopicNotRelevant(database.db, manager.who, first.topic.id, first.id);
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
      database.db,
      manager.who,
      { text: 'Ask Sam what they need from me this week', source: 'api', deliveryId: second.id },
      second.dueAt,
    );

    const histories = await topicHistoriesOf(database.db, [manager.id]);
    expect(histories.get(manager.id)).toEqual(
      new Map([
        [first.topic.id, { lastSent: first.localDate, timesSent: 1, actedOn: false }],
        [second.topic.id, { lastSent: second.localDate, timesSent: 1, actedOn: true }],
      ]),
    );
  });
});

describe('downtime and leases', () => {
  // Tuesday 1 December 2026; 09:00 in Berlin is 08:00 UTC.
  const subscribedAt = new Date('2026-12-01T06:00:00Z');
  const dueAt = new Date('2026-12-01T08:00:00Z');

  it('when the planner comes back after three days down, then one run catches up, and today’s delivery, 1 h 58 late, is still sent', async () => {
    await subscriber({ localTime: '09:00', timeZone: 'Europe/Berlin' }, subscribedAt);
    const back = new Date('2026-12-04T09:58:00Z');
    expect(await planDueDeliveries(database.db, back)).toEqual({
      planned: 1,
      missed: 3,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    expect((await sendWhatIsDue(back)).map((d) => d.localDate)).toEqual(['2026-12-04']);
  });

  it('when today’s delivery was missed and the manager asks for one now, then a sender is handed it', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    const now = new Date(dueAt.getTime() + 3 * HOUR_MS);
    expect(await planDueDeliveries(database.db, now)).toMatchObject({ missed: 1 });
    expect(await sendNow(database.db, manager.who, now)).toMatchObject({ status: 'queued' });
    expect(await sendWhatIsDue(now)).toHaveLength(1);
  });

  it('when the planner comes back 3 hours after a delivery was due, then it records it missed and it is never sent', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    expect(manager.subscription.nextDueAt).toEqual(dueAt);
    const back = new Date(dueAt.getTime() + 3 * HOUR_MS);

    expect(await planDueDeliveries(database.db, back)).toEqual({
      planned: 0,
      missed: 1,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    expect(await sendWhatIsDue(back)).toEqual([]);
    expect(await sendWhatIsDue(new Date(back.getTime() + HOUR_MS))).toEqual([]);

    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({
        localDate: '2026-12-01',
        dueAt,
        status: 'missed',
        attempts: 0,
        topicId: null,
        slackTs: null,
      }),
    ]);
    expect(await nextDueAtOf(manager)).toEqual(new Date('2026-12-02T08:00:00Z'));
  });

  it('when the planner comes back 30 minutes after a delivery was due, then it is still sent, and marked late', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    const back = new Date(dueAt.getTime() + 30 * MINUTE_MS);

    expect(await planDueDeliveries(database.db, back)).toEqual({
      planned: 1,
      missed: 0,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    const { deliveries } = await claimDeliveries(database.db, back, {
      limit: 10,
      leaseMs: LEASE_MS,
    });
    expect(deliveries).toEqual([expect.objectContaining({ attempt: 1, late: true })]);
    const delivery = deliveries[0] as ClaimedRow;
    const confirmation = await confirmDelivery(
      database.db,
      delivery.id,
      slackMessage(manager.who.slackUserId, back),
      back,
    );

    expect(confirmation).toEqual({ latenessSeconds: 1800, late: true, repeated: false });
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ status: 'sent', late: true, sentAt: back, attempts: 1 }),
    ]);
  });

  it('when a claimed delivery is not confirmed before its lease runs out, then it is claimed again; the old attempt’s message still counts, once', async () => {
    const manager = await subscriber(
      { localTime: '09:00', timeZone: 'Europe/Berlin' },
      subscribedAt,
    );
    await planDueDeliveries(database.db, new Date(dueAt.getTime() - MINUTE_MS));
    const claim = (at: number) =>
      claimDeliveries(database.db, new Date(dueAt.getTime() + at), {
        limit: 10,
        leaseMs: LEASE_MS,
      });

    const first = (await claim(0)).deliveries;
    expect(first).toEqual([expect.objectContaining({ attempt: 1, late: false })]);
    expect((await claim(LEASE_MS - 1)).deliveries).toEqual([]);
    const second = (await claim(LEASE_MS)).deliveries;
    expect(second).toEqual([expect.objectContaining({ id: first[0]?.id, attempt: 2 })]);

    // The first sender's message did reach Slack, late: the truth wins over the lease.
    const id = String(first[0]?.id);
    const sentAt = new Date(dueAt.getTime() + LEASE_MS + 1_000);
    const message = slackMessage(manager.who.slackUserId, sentAt);
    expect(await confirmDelivery(database.db, id, message, sentAt)).toMatchObject({
      repeated: false,
    });
    const recorded = await ledgerOf([manager.subscription.id]);
    expect(recorded).toEqual([
      expect.objectContaining({
        status: 'sent',
        attempts: 2,
        slackChannelId: message.channelId,
        slackTs: message.ts,
        sentAt,
      }),
    ]);

    // The same confirmation again (a retried request) changes nothing.
    const later = new Date(sentAt.getTime() + 5_000);
    expect(await confirmDelivery(database.db, id, message, later)).toMatchObject({
      repeated: true,
    });
    expect(await ledgerOf([manager.subscription.id])).toEqual(recorded);

    // A second message for the same delivery is refused.
    const other = slackMessage(manager.who.slackUserId, later);
    const refused = await confirmDelivery(database.db, id, other, later).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ statusCode: 409, code: 'delivery_already_sent' });
    expect(await ledgerOf([manager.subscription.id])).toEqual(recorded);
  });
});

describe('pausing, unsubscribing and resuming', () => {
  // Tuesday 8 December 2026; 09:00 in Tokyo is 00:00 UTC.
  const subscribedAt = new Date('2026-12-07T20:00:00Z');
  const dueAt = new Date('2026-12-08T00:00:00Z');
  const plannedAt = new Date(dueAt.getTime() - 2 * MINUTE_MS);

  it('when a manager pauses, then the planned delivery is removed and nothing is sent; resuming plans again from then on', async () => {
    const manager = await subscriber({ localTime: '09:00', timeZone: 'Asia/Tokyo' }, subscribedAt);
    expect(await planDueDeliveries(database.db, plannedAt)).toMatchObject({ planned: 1 });
    expect(await ledgerOf([manager.subscription.id])).toHaveLength(1);

    const paused = await pause(database.db, manager.who, 'on holiday', plannedAt);
    expect(paused).toMatchObject({ status: 'paused', statusReason: 'on holiday', nextDueAt: null });
    expect(await ledgerOf([manager.subscription.id])).toEqual([]);
    await runClock(plannedAt, new Date(dueAt.getTime() + HOUR_MS));
    expect(await ledgerOf([manager.subscription.id])).toEqual([]);

    // Resumed after today's time had passed: the next one is tomorrow's, not today's.
    const resumedAt = new Date(dueAt.getTime() + 2 * HOUR_MS);
    const resumed = await resume(database.db, manager.who, resumedAt);
    expect(resumed).toMatchObject({
      status: 'active',
      nextDueAt: new Date('2026-12-09T00:00:00Z'),
    });
    expect(await planDueDeliveries(database.db, resumedAt)).toEqual({
      planned: 0,
      missed: 0,
      failed: 0,
      skipped: 0,
      returned: 0,
    });
    await runClock(new Date('2026-12-08T23:45:00Z'), new Date('2026-12-09T00:05:00Z'));
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ localDate: '2026-12-09', status: 'sent' }),
    ]);
  });

  it('when a manager resumes before today’s time, then today’s delivery is planned again', async () => {
    const manager = await subscriber({ localTime: '09:00', timeZone: 'Asia/Tokyo' }, subscribedAt);
    await planDueDeliveries(database.db, plannedAt);
    await pause(database.db, manager.who, 'a quiet week', plannedAt);
    const resumedAt = new Date(plannedAt.getTime() + MINUTE_MS);
    await resume(database.db, manager.who, resumedAt);

    await runClock(resumedAt, new Date(dueAt.getTime() + PLAN_LOOKAHEAD_MS));
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ localDate: '2026-12-08', dueAt, status: 'sent', attempts: 1 }),
    ]);
  });

  it('when a manager unsubscribes, then the planned delivery is removed and nothing more is planned', async () => {
    const manager = await subscriber({ localTime: '09:00', timeZone: 'Asia/Tokyo' }, subscribedAt);
    await planDueDeliveries(database.db, plannedAt);
    expect(await ledgerOf([manager.subscription.id])).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);

    const gone = await unsubscribe(database.db, manager.who, plannedAt);
    expect(gone).toMatchObject({ status: 'unsubscribed', nextDueAt: null });
    await runClock(plannedAt, new Date(dueAt.getTime() + 30 * MINUTE_MS));
    expect(await ledgerOf([manager.subscription.id])).toEqual([]);
    expect(await nextDueAtOf(manager)).toBeNull();
  });
});
