/**
 * The outbox's world for the duplicate-window tests: a test database, the Slack stand-in, and an
 * API server in this process whose clock the test moves on (so a 60 s lease runs out at once,
 * without sleeping), plus managers whose note or reminder is due now.
 */
import { performance } from 'node:perf_hooks';
import { LogLevel, WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { registerApi } from '../../src/api/app.ts';
import { type Outbox, type OutboxOptions, startOutbox } from '../../src/bot/outbox.ts';
import { createMessagePoster, type MessagePoster } from '../../src/bot/slack-post.ts';
import { loadConfig } from '../../src/config.ts';
import { createActionItem } from '../../src/core/action-items/service.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { insertReminder, insertReminderItem } from '../../src/core/reminders/repository.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { databaseServer, openDatabase } from '../../src/entrypoints/wiring.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import {
  createSubscriber,
  createWorkspace,
  type TestSubscriber,
  type TestWorkspace,
} from './factories.ts';
import { botApiClient, TEST_API_SIGNING_SECRET } from './service-calls.ts';

/** UTC+0 in winter, so local times read like the clock. */
export const ZONE = 'Europe/London';
const logger = createLogger({ level: 'silent', service: 'test' });

/**
 * The outbox's poster as the bot builds it (src/bot/app.ts), posting to the stand-in: tests of
 * the outbox send the way production does.
 */
export function standInPoster(standIn: SlackStandIn): MessagePoster {
  return createMessagePoster({ apiUrl: standIn.url, metrics: createMetrics(), timeoutMs: 10_000 });
}

/** A clock that runs at real speed from `start`, and that the test can move forward. */
export function testClock(start: Date) {
  const startedAt = performance.now();
  let skipped = 0;
  return {
    now: () => new Date(start.getTime() + skipped + Math.floor(performance.now() - startedAt)),
    advance(ms: number) {
      skipped += ms;
    },
  };
}

export interface OutboxWorld {
  database: TestDatabase;
  workspace: TestWorkspace;
  standIn: SlackStandIn;
  clock: ReturnType<typeof testClock>;
  apiUrl: string;
  /** A sender in this process, as src/bot/app.ts starts it, polling fast unless overridden. */
  startSender(leaseSeconds?: number, overrides?: Partial<OutboxOptions>): Outbox;
  /** `count` managers whose note is due now: subscribed, the clock moved on, the planner run. */
  managersDueNow(count: number): Promise<TestSubscriber[]>;
  /** A reminder about one planned action, due now for `manager`. Its id. */
  reminderDueNow(manager: TestSubscriber): Promise<string>;
  close(): Promise<void>;
}

export async function startOutboxWorld(): Promise<OutboxWorld> {
  const database = await createTestDatabase();
  const workspace = await createWorkspace(database.db);
  const standIn = await startSlackStandIn();
  // Today, so that the messages the stand-in stamps with its own clock are not older than
  // the due times the API hands out.
  const clock = testClock(new Date());
  const config = loadConfig({}, 'all-in-one');
  const metrics = createMetrics();
  const api = openDatabase(database.url, config, 'api', logger, metrics, 5);
  const server = await databaseServer(api, logger, metrics, await readMigrations(), clock.now);
  await registerApi(server, {
    db: api.db,
    serviceToken: TEST_SERVICE_TOKEN,
    signingSecret: TEST_API_SIGNING_SECRET,
    metrics,
    now: clock.now,
    version: 'test',
  });
  const apiUrl = await server.listen({ host: '127.0.0.1', port: 0 });

  return {
    database,
    workspace,
    standIn,
    clock,
    apiUrl,
    startSender(leaseSeconds = 60, overrides = {}) {
      const slack = new WebClient(TEST_BOT_TOKEN, {
        slackApiUrl: standIn.url,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: LogLevel.ERROR,
      });
      return startOutbox({
        api: botApiClient(apiUrl, clock.now),
        slack,
        logger,
        pollIntervalMs: 10,
        batchSize: 25,
        leaseSeconds,
        ...overrides,
        post: overrides.post ?? standInPoster(standIn),
      });
    },
    async managersDueNow(count) {
      const dueAt = new Date(Math.ceil((clock.now().getTime() + 1) / 60_000) * 60_000);
      const local = DateTime.fromJSDate(dueAt, { zone: ZONE });
      const schedule = { weekdays: [local.weekday], localTime: local.toFormat('HH:mm') };
      const managers: TestSubscriber[] = [];
      for (let index = 0; index < count; index += 1) {
        const manager = await createSubscriber(
          database.db,
          workspace,
          { ...schedule, timeZone: ZONE },
          clock.now(),
        );
        standIn.addUser({ id: manager.who.slackUserId, tz: ZONE });
        managers.push(manager);
      }
      clock.advance(Math.max(0, dueAt.getTime() - clock.now().getTime()));
      const plan = await planDueDeliveries(database.db, clock.now());
      expect(plan).toEqual({ planned: count, missed: 0, failed: 0, skipped: 0, returned: 0 });
      return managers;
    },
    async reminderDueNow(manager) {
      const now = clock.now();
      const { item } = await createActionItem(
        database.db,
        manager.who,
        { text: 'Ask Priya what she needs', source: 'api', checkBack: { in: '1w' } },
        now,
      );
      const reminderId = await insertReminder(database.db, {
        workspaceId: workspace.id,
        managerId: manager.id,
        localDate: DateTime.fromJSDate(now, { zone: ZONE }).toISODate() ?? '',
        kind: 'reminder',
        dueAt: now,
        wantedAt: now,
      });
      if (!reminderId) throw new Error('a reminder was already planned for that day');
      await insertReminderItem(database.db, {
        reminderId,
        actionItemId: item.id,
        workspaceId: workspace.id,
        final: false,
      });
      return reminderId;
    },
    async close() {
      await server.close();
      await api.pool.end();
      await standIn.close();
      await database.drop();
    },
  };
}

/** A delivery's row in the ledger. */
export function deliveryOf(world: OutboxWorld, manager: TestSubscriber) {
  return world.database.db
    .selectFrom('deliveries')
    .where('subscription_id', '=', manager.subscription.id)
    .select(['id', 'status', 'attempts', 'error_code as errorCode', 'slack_ts as slackTs'])
    .executeTakeFirstOrThrow();
}

/** A reminder's row in the ledger. */
export function reminderRow(world: OutboxWorld, id: string) {
  return world.database.db
    .selectFrom('reminders')
    .where('id', '=', id)
    .select(['id', 'status', 'attempts', 'slack_ts as slackTs'])
    .executeTakeFirstOrThrow();
}

/** The DM's messages as Slack keeps them (newest first), with their metadata. */
export async function messagesIn(world: OutboxWorld, manager: TestSubscriber) {
  const slack = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: world.standIn.url });
  const history = await slack.conversations.history({
    channel: world.standIn.dmChannelIdFor(manager.who.slackUserId),
    include_all_metadata: true,
  });
  return history.messages ?? [];
}
