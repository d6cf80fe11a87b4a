/**
 * The delivery pipeline end to end, with everything real but Slack (the stand-in): API servers
 * on their own pools, the bot's delivery sender talking to them over HTTP, and the worker's
 * planner on pools of its own. The API's clock starts at a chosen instant and runs at real
 * speed, so leases and retry times pass as they would; a test can also move it on, or stop it.
 *
 * The acceptance test of the issue: "With two bot and two worker instances racing over one
 * database for 2,000 due subscriptions, every subscription gets exactly one message." Then what
 * Slack's failures (rate limits, a deactivated account, a 500) do to a delivery.
 */
import { performance } from 'node:perf_hooks';
import { LogLevel, WebClient } from '@slack/web-api';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from '../../../src/api/app.ts';
import { type Outbox, startOutbox } from '../../../src/bot/outbox.ts';
import { loadConfig } from '../../../src/config.ts';
import {
  claimDeliveries,
  type PlanResult,
  planDueDeliveries,
} from '../../../src/core/deliveries/service.ts';
import { retryDelayMs } from '../../../src/core/ledger/rules.ts';
import { nextOccurrence } from '../../../src/core/schedule/rules.ts';
import { type Migration, readMigrations } from '../../../src/db/migrate.ts';
import {
  databaseServer,
  type OpenDatabase,
  openDatabase,
} from '../../../src/entrypoints/wiring.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.ts';
import {
  type JsonObject,
  type RecordedSlackCall,
  type SlackStandIn,
  startSlackStandIn,
} from '../../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN } from '../../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  createSubscriber,
  createWorkspace,
  EVERY_DAY,
  type TestSubscriber,
  type TestWorkspace,
} from '../../support/factories.ts';
import { standInPoster } from '../../support/outbox-harness.ts';
import { botApiClient, TEST_API_SIGNING_SECRET } from '../../support/service-calls.ts';

const HOUR_MS = 3_600_000;
const CLAIMS_ROUTE = '/api/v1/deliveries/claims';
const LEASE_SECONDS = 60;

const logger = createLogger({ level: 'silent', service: 'test' });
/** Every setting at its default, as a deployment without overrides runs. */
const config = loadConfig({}, 'all-in-one');
let migrations: Migration[];

beforeAll(async () => {
  migrations = await readMigrations();
});

/**
 * The API's clock: it starts at `start` and runs at real speed, so leases and Retry-After pass
 * as they would; a test can move it forward, or stop it to decide itself when time passes.
 */
function testClock(start: Date) {
  let reading = start.getTime();
  /** performance.now() when `reading` was taken; undefined while the clock is stopped. */
  let runningSince: number | undefined = performance.now();
  const read = () =>
    reading + (runningSince === undefined ? 0 : Math.floor(performance.now() - runningSince));
  return {
    now: () => new Date(read()),
    advance(ms: number) {
      reading += ms;
    },
    stop() {
      reading = read();
      runningSince = undefined;
    },
    run() {
      runningSince ??= performance.now();
    },
  };
}

interface RecordedRequest {
  method: string;
  route: string;
  status: number;
}

interface TestApi {
  url: string;
  /** The API's clock, which the sender's signatures must be near. */
  now: () => Date;
  metrics: Metrics;
  /** Every request this server answered, by route template. */
  requests: RecordedRequest[];
  claims(): number;
  close(): Promise<void>;
}

/** An API server as src/entrypoints/api.ts builds one: its own pool, metrics and clock. */
async function startApi(databaseUrl: string, now: () => Date, name: string): Promise<TestApi> {
  const metrics = createMetrics();
  const database = openDatabase(databaseUrl, config, name, logger, metrics, 5);
  const server = await databaseServer(database, logger, metrics, migrations, now);
  const requests: RecordedRequest[] = [];
  server.addHook('onResponse', async (request, reply) => {
    requests.push({
      method: request.method,
      route: request.routeOptions.url ?? request.url,
      status: reply.statusCode,
    });
  });
  await registerApi(server, {
    db: database.db,
    serviceToken: TEST_SERVICE_TOKEN,
    signingSecret: TEST_API_SIGNING_SECRET,
    metrics,
    now,
    version: 'test',
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    now,
    metrics,
    requests,
    claims: () => requests.filter((request) => request.route === CLAIMS_ROUTE).length,
    async close() {
      await server.close();
      await database.pool.end();
    },
  };
}

/** The bot's delivery sender, as src/bot/app.ts starts it, polling fast. */
function startSender(api: TestApi, standIn: SlackStandIn): Outbox {
  const slack = new WebClient(TEST_BOT_TOKEN, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
  });
  return startOutbox({
    api: botApiClient(api.url, api.now),
    slack,
    post: standInPoster(standIn),
    logger,
    pollIntervalMs: 10,
    batchSize: 25,
    leaseSeconds: LEASE_SECONDS,
  });
}

function bodyOf(call: RecordedSlackCall): JsonObject {
  return typeof call.response.body === 'string' ? {} : call.response.body;
}

function succeeded(call: RecordedSlackCall): boolean {
  return call.response.status === 200 && bodyOf(call).ok === true;
}

/** The delivery id a message's buttons carry (see src/bot/blocks/topic-message.ts). */
function deliveryIdOf(call: RecordedSlackCall): string | undefined {
  const blocks = Array.isArray(call.args.blocks) ? (call.args.blocks as JsonObject[]) : [];
  const actions = blocks.find((block) => block.type === 'actions');
  const [button] = Array.isArray(actions?.elements) ? (actions.elements as JsonObject[]) : [];
  return typeof button?.value === 'string'
    ? (JSON.parse(button.value) as { deliveryId: string }).deliveryId
    : undefined;
}

async function counterValue(counter: Metrics['deliveries']['sent']): Promise<number> {
  const { values } = await counter.get();
  return values.reduce((sum, value) => sum + value.value, 0);
}

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
