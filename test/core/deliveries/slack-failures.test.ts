/**
 * What Slack's failures do to a delivery, over the delivery pipeline end to end with everything
 * real but Slack (delivery-pipeline.ts): rate limits slow it down and every message still goes
 * out once; a deactivated account fails it once and pauses the subscription; a 500 is retried
 * after the back-off.
 */
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../../src/core/deliveries/service.ts';
import { retryDelayMs } from '../../../src/core/ledger/rules.ts';
import {
  type RecordedSlackCall,
  type SlackStandIn,
  startSlackStandIn,
} from '../../../src/slack-emulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  createSubscriber,
  createWorkspace,
  type TestSubscriber,
  type TestWorkspace,
} from '../../support/factories.ts';
import {
  bodyOf,
  LEASE_SECONDS,
  startApi,
  startSender,
  succeeded,
  type TestApi,
  testClock,
} from './delivery-pipeline.ts';

describe('what Slack’s failures do to a delivery', () => {
  /** Tuesday 24 November 2026, 07:00 UTC; the clock moves on a few minutes per test. */
  const START = new Date('2026-11-24T07:00:00Z');
  /** UTC+0 in November, so local times read like the clock. */
  const ZONE = 'Europe/London';

  let database: TestDatabase;
  let workspace: TestWorkspace;
  let standIn: SlackStandIn;
  let api: TestApi;
  const clock = testClock(START);

  beforeAll(async () => {
    database = await createTestDatabase();
    workspace = await createWorkspace(database.db);
    standIn = await startSlackStandIn();
    api = await startApi(database.url, clock.now, 'api');
  });

  afterEach(() => {
    standIn.reset();
  });

  afterAll(async () => {
    await api?.close();
    await standIn?.close();
    await database?.drop();
  });

  /**
   * `count` managers whose message is due now: subscribed for the next whole minute (that
   * weekday only, so they do not come round again in this file), the clock moved to it, and
   * the worker's planner run.
   */
  async function managersDueNow(count: number): Promise<TestSubscriber[]> {
    const now = clock.now();
    const dueAt = new Date(Math.ceil((now.getTime() + 1) / 60_000) * 60_000);
    const local = DateTime.fromJSDate(dueAt, { zone: ZONE });
    const schedule = {
      weekdays: [local.weekday],
      localTime: local.toFormat('HH:mm'),
      timeZone: ZONE,
    };
    const managers: TestSubscriber[] = [];
    for (let index = 0; index < count; index += 1) {
      const manager = await createSubscriber(database.db, workspace, schedule, now);
      expect(manager.subscription.nextDueAt).toEqual(dueAt);
      standIn.addUser({ id: manager.who.slackUserId, tz: ZONE });
      managers.push(manager);
    }
    clock.advance(dueAt.getTime() - clock.now().getTime());
    const plan = await planDueDeliveries(database.db, clock.now());
    expect(plan).toEqual({ planned: count, missed: 0, failed: 0, skipped: 0, returned: 0 });
    return managers;
  }

  /** Every chat.postMessage to this manager, by user id or by their DM channel. */
  function postsTo(manager: TestSubscriber): RecordedSlackCall[] {
    const user = manager.who.slackUserId;
    const channel = standIn.dmChannelIdFor(user);
    return standIn
      .callsTo('chat.postMessage')
      .filter((call) => call.args.channel === user || call.args.channel === channel);
  }

  function sentTo(managers: readonly TestSubscriber[]): number {
    return managers.filter((manager) => postsTo(manager).some(succeeded)).length;
  }

  function ledgerOf(manager: TestSubscriber) {
    return database.db
      .selectFrom('deliveries')
      .where('subscription_id', '=', manager.subscription.id)
      .select(['id', 'status', 'attempts', 'error_code as errorCode', 'slack_ts as slackTs'])
      .execute();
  }

  async function statusOf(manager: TestSubscriber): Promise<string | undefined> {
    return (await ledgerOf(manager))[0]?.status;
  }

  it('when Slack answers 429 with Retry-After: 1 a few times, then delivery slows down and every message still goes out exactly once', async () => {
    standIn.rateLimitNext('chat.postMessage', { retryAfterSeconds: 1, times: 3 });
    const managers = await managersDueNow(12);

    const sender = startSender(api, standIn);
    try {
      await expect.poll(() => sentTo(managers), { timeout: 15_000 }).toBe(managers.length);
    } finally {
      await sender.stop();
    }

    const limited = standIn.callsTo('chat.postMessage').filter((c) => c.response.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited.map((call) => call.response.headers['retry-after'])).toEqual(['1', '1', '1']);
    for (const manager of managers) {
      const posts = postsTo(manager);
      expect(posts.filter(succeeded)).toHaveLength(1);
      const refused = posts.find((call) => call.response.status === 429);
      const sent = posts.find(succeeded);
      // A manager turned away by Slack got the message no sooner than Slack asked.
      if (refused && sent) {
        expect(sent.at.getTime() - refused.at.getTime()).toBeGreaterThanOrEqual(950);
      }
      expect(await ledgerOf(manager)).toEqual([
        expect.objectContaining({
          status: 'sent',
          errorCode: null,
          slackTs: bodyOf(sent as RecordedSlackCall).ts,
        }),
      ]);
    }
  });

  it('when Slack says account_inactive, then that delivery fails once, the subscription pauses with the reason, and it is not tried again', async () => {
    const [gone, ...others] = await managersDueNow(4);
    if (!gone) throw new Error('no managers');
    standIn.failNext('chat.postMessage', {
      error: 'account_inactive',
      when: (args) => args.channel === gone.who.slackUserId,
    });

    const sender = startSender(api, standIn);
    try {
      await expect.poll(() => sentTo(others), { timeout: 10_000 }).toBe(others.length);
      await expect.poll(() => statusOf(gone), { timeout: 10_000 }).toBe('failed');
      // Even once its lease would have run out, the bot claims again and again without it.
      clock.advance((LEASE_SECONDS + 1) * 1000);
      const claims = api.claims();
      await expect.poll(() => api.claims(), { timeout: 10_000 }).toBeGreaterThanOrEqual(claims + 2);
    } finally {
      await sender.stop();
    }

    expect(postsTo(gone).map((call) => bodyOf(call).error)).toEqual(['account_inactive']);
    expect(await ledgerOf(gone)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, errorCode: 'account_inactive' }),
    ]);
    const subscription = await database.db
      .selectFrom('subscriptions')
      .where('id', '=', gone.subscription.id)
      .select(['status', 'status_reason', 'next_due_at'])
      .executeTakeFirstOrThrow();
    expect(subscription).toEqual({
      status: 'paused',
      status_reason: 'slack:account_inactive',
      next_due_at: null,
    });
    const audit = await database.db
      .selectFrom('audit_events')
      .where('subject_type', '=', 'subscription')
      .where('subject_id', '=', gone.subscription.id)
      .where('action', '=', 'subscription.paused')
      .select(['actor', 'details'])
      .execute();
    expect(audit).toEqual([
      {
        actor: 'system',
        details: expect.objectContaining({ reason: 'slack:account_inactive' }),
      },
    ]);
    for (const manager of others) expect(await statusOf(manager)).toBe('sent');
  });

  it('when Slack answers 500, then the delivery is retried after the back-off, and sent', async () => {
    // Stopped, so the back-off passes only when the test says so.
    clock.stop();
    const [unlucky, ...others] = await managersDueNow(3);
    if (!unlucky) throw new Error('no managers');
    standIn.serverErrorNext('chat.postMessage', {
      status: 500,
      when: (args) => args.channel === unlucky.who.slackUserId,
    });

    const sender = startSender(api, standIn);
    try {
      await expect.poll(() => sentTo(others), { timeout: 10_000 }).toBe(others.length);
      await expect
        .poll(async () => (await ledgerOf(unlucky))[0]?.errorCode, { timeout: 10_000 })
        .toBe('http_500');
      // Within the back-off the bot keeps claiming, but not this delivery.
      const claims = api.claims();
      await expect.poll(() => api.claims(), { timeout: 10_000 }).toBeGreaterThanOrEqual(claims + 2);
      expect(postsTo(unlucky)).toHaveLength(1);
      expect(await statusOf(unlucky)).toBe('claimed');

      clock.advance(retryDelayMs(1));
      await expect.poll(() => sentTo([unlucky]), { timeout: 10_000 }).toBe(1);
    } finally {
      await sender.stop();
      clock.run();
    }

    expect(postsTo(unlucky).map((call) => call.response.status)).toEqual([500, 200]);
    expect(await ledgerOf(unlucky)).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2, errorCode: null }),
    ]);
  });
});
