/**
 * The acceptance test of the issue, over the delivery pipeline end to end with everything real
 * but Slack (delivery-pipeline.ts): "With two bot and two worker instances racing over one
 * database for 2,000 due subscriptions, every subscription gets exactly one message." What
 * Slack's failures do to a delivery is in slack-failures.test.ts.
 */
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDeliveries,
  type PlanResult,
  planDueDeliveries,
} from '../../../src/core/deliveries/service.ts';
import { nextOccurrence } from '../../../src/core/schedule/rules.ts';
import { type OpenDatabase, openDatabase } from '../../../src/entrypoints/wiring.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { type SlackStandIn, startSlackStandIn } from '../../../src/slack-emulator/index.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { createWorkspace, EVERY_DAY } from '../../support/factories.ts';
import {
  bodyOf,
  config,
  counterValue,
  deliveryIdOf,
  LEASE_SECONDS,
  logger,
  startApi,
  startSender,
  succeeded,
  type TestApi,
  testClock,
} from './delivery-pipeline.ts';

const HOUR_MS = 3_600_000;

describe('when two bots and two workers race over 2,000 due subscriptions', () => {
  const MANAGERS = 2_000;
  /** Monday 23 November 2026, 08:00 UTC: the instant every subscription is due. */
  const DUE_AT = new Date('2026-11-23T08:00:00Z');
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

  let database: TestDatabase;
  let standIn: SlackStandIn;
  const clock = testClock(DUE_AT);
  const apis: TestApi[] = [];
  const workers: OpenDatabase[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const workspace = await createWorkspace(database.db);
    // Managers all over the world, each due at their own local time that is DUE_AT; the rules
    // agree that this is when each schedule is next due.
    const schedules = ZONES.map((timeZone) => ({
      timeZone,
      localTime: DateTime.fromJSDate(DUE_AT, { zone: timeZone }).toFormat('HH:mm'),
      weekdays: EVERY_DAY,
    }));
    for (const schedule of schedules) {
      expect(nextOccurrence(schedule, new Date(DUE_AT.getTime() - HOUR_MS)).dueAt).toEqual(DUE_AT);
    }
    // In bulk: signing 2,000 managers up one by one would take longer than the race itself.
    await sql`
      INSERT INTO managers (workspace_id, slack_user_id, time_zone)
      SELECT ${workspace.id}::bigint, 'U0RACE' || lpad(i::text, 5, '0'),
        (${ZONES}::text[])[1 + i % ${ZONES.length}]
      FROM generate_series(1, ${MANAGERS}) AS i
    `.execute(database.db);
    await sql`
      INSERT INTO subscriptions (workspace_id, manager_id, weekdays, local_time, time_zone, next_due_at)
      SELECT m.workspace_id, m.id, ${EVERY_DAY}::smallint[], z.local_time::time, m.time_zone,
        ${DUE_AT}::timestamptz
      FROM managers m
      JOIN unnest(${schedules.map((s) => s.timeZone)}::text[],
        ${schedules.map((s) => s.localTime)}::text[]) AS z (time_zone, local_time)
        ON z.time_zone = m.time_zone
      WHERE m.workspace_id = ${workspace.id}::bigint
    `.execute(database.db);

    standIn = await startSlackStandIn();
    const users = await database.db.selectFrom('managers').select('slack_user_id').execute();
    for (const { slack_user_id: id } of users) standIn.addUser({ id });

    for (const name of ['api-a', 'api-b']) apis.push(await startApi(database.url, clock.now, name));
    // Each worker has a pool of its own, as src/entrypoints/worker.ts opens it.
    for (const name of ['worker-a', 'worker-b']) {
      workers.push(openDatabase(database.url, config, name, logger, createMetrics(), 2));
    }
  });

  afterAll(async () => {
    for (const api of apis) await api.close();
    for (const worker of workers) await worker.pool.end();
    await standIn?.close();
    await database?.drop();
  });

  it('then every manager gets exactly one message', async () => {
    const { rows: seeded } = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM subscriptions WHERE status = 'active' AND next_due_at = $1`,
      [DUE_AT],
    );
    expect(seeded[0]?.n).toBe(MANAGERS);

    const senders = apis.map((api) => startSender(api, standIn));
    const plans: PlanResult[][] = [[], []];
    try {
      // Both workers plan at once, several times over, while both bots are already claiming.
      await Promise.all(
        workers.map(async (worker, index) => {
          for (let round = 0; round < 4; round += 1) {
            plans[index]?.push(await planDueDeliveries(worker.db, clock.now()));
          }
        }),
      );
      await expect
        .poll(() => standIn.callsTo('chat.postMessage').length, { timeout: 60_000, interval: 50 })
        .toBeGreaterThanOrEqual(MANAGERS);
    } finally {
      await Promise.all(senders.map((sender) => sender.stop()));
    }

    // Slack's side: 2,000 messages, one to each manager, each carrying a different delivery.
    const posts = standIn.callsTo('chat.postMessage');
    expect(posts).toHaveLength(MANAGERS);
    expect(posts.filter(succeeded)).toHaveLength(MANAGERS);
    expect(new Set(posts.map((post) => post.args.channel)).size).toBe(MANAGERS);
    expect(new Set(posts.map((post) => bodyOf(post).channel)).size).toBe(MANAGERS);
    expect(new Set(posts.map(deliveryIdOf)).size).toBe(MANAGERS);

    // The ledger's side: 2,000 deliveries, all sent, each as the message Slack recorded for it.
    const ledger = await database.db
      .selectFrom('deliveries')
      .select(['id', 'status', 'slack_channel_id', 'slack_ts', 'subscription_id'])
      .execute();
    expect(ledger).toHaveLength(MANAGERS);
    expect(ledger.filter((row) => row.status !== 'sent')).toEqual([]);
    expect(new Set(ledger.map((row) => row.slack_ts)).size).toBe(MANAGERS);
    expect(new Set(ledger.map((row) => row.subscription_id)).size).toBe(MANAGERS);
    const postOf = new Map(posts.map((post) => [deliveryIdOf(post), bodyOf(post)]));
    for (const row of ledger) {
      expect(postOf.get(row.id), `delivery ${row.id}`).toMatchObject({
        channel: row.slack_channel_id,
        ts: row.slack_ts,
      });
    }

    // The race really happened: both workers planned, and both bots sent.
    const planned = plans.map((results) => results.reduce((sum, r) => sum + r.planned, 0));
    expect(planned[0]).toBeGreaterThan(0);
    expect(planned[1]).toBeGreaterThan(0);
    expect((planned[0] ?? 0) + (planned[1] ?? 0)).toBe(MANAGERS);
    const confirmed = await Promise.all(
      apis.map((api) => counterValue(api.metrics.deliveries.sent)),
    );
    expect(confirmed[0]).toBeGreaterThan(0);
    expect(confirmed[1]).toBeGreaterThan(0);
    expect((confirmed[0] ?? 0) + (confirmed[1] ?? 0)).toBe(MANAGERS);

    // Every subscription moved on to tomorrow, and nothing is left to claim once every lease
    // could have run out.
    const { rows: advanced } = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM subscriptions WHERE next_due_at = $1`,
      [new Date(DUE_AT.getTime() + 24 * HOUR_MS)],
    );
    expect(advanced[0]?.n).toBe(MANAGERS);
    const afterLeases = new Date(clock.now().getTime() + 2 * LEASE_SECONDS * 1000);
    const leftOver = await claimDeliveries(database.db, afterLeases, { limit: 10, leaseMs: 1000 });
    expect(leftOver.deliveries).toEqual([]);
  });
});
