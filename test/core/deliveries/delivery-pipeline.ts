/**
 * The delivery pipeline end to end, with everything real but Slack (the stand-in), for the
 * tests in this folder that run it: API servers on their own pools, the bot's delivery sender
 * talking to them over HTTP, and a clock for the API that starts at a chosen instant and runs at
 * real speed, so leases and retry times pass as they would; a test can also move it on, or stop
 * it. The worker's planner the tests run themselves, on pools of their own.
 */
import { performance } from 'node:perf_hooks';
import { LogLevel, WebClient } from '@slack/web-api';
import { registerApi } from '../../../src/api/app.ts';
import { type Outbox, startOutbox } from '../../../src/bot/outbox.ts';
import { loadConfig } from '../../../src/config.ts';
import { type Migration, readMigrations } from '../../../src/db/migrate.ts';
import { databaseServer, openDatabase } from '../../../src/entrypoints/wiring.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.ts';
import type {
  JsonObject,
  RecordedSlackCall,
  SlackStandIn,
} from '../../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN } from '../../support/app.ts';
import { standInPoster } from '../../support/outbox-harness.ts';
import { botApiClient, TEST_API_SIGNING_SECRET } from '../../support/service-calls.ts';

const CLAIMS_ROUTE = '/api/v1/deliveries/claims';
export const LEASE_SECONDS = 60;

export const logger = createLogger({ level: 'silent', service: 'test' });
/** Every setting at its default, as a deployment without overrides runs. */
export const config = loadConfig({}, 'all-in-one');
/** Read once, by the first API server a test file starts. */
let migrations: Promise<Migration[]> | undefined;

/**
 * The API's clock: it starts at `start` and runs at real speed, so leases and Retry-After pass
 * as they would; a test can move it forward, or stop it to decide itself when time passes.
 */
export function testClock(start: Date) {
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

export interface TestApi {
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
export async function startApi(
  databaseUrl: string,
  now: () => Date,
  name: string,
): Promise<TestApi> {
  const metrics = createMetrics();
  const database = openDatabase(databaseUrl, config, name, logger, metrics, 5);
  migrations ??= readMigrations();
  const server = await databaseServer(database, logger, metrics, await migrations, now);
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
export function startSender(api: TestApi, standIn: SlackStandIn): Outbox {
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

/** The body Slack (the stand-in) answered a call with; {} when it was not JSON. */
export function bodyOf(call: RecordedSlackCall): JsonObject {
  return typeof call.response.body === 'string' ? {} : call.response.body;
}

/** Whether Slack (the stand-in) took the call: 200 and ok. */
export function succeeded(call: RecordedSlackCall): boolean {
  return call.response.status === 200 && bodyOf(call).ok === true;
}

/** The delivery id a message's buttons carry (see src/bot/blocks/topic-message.ts). */
export function deliveryIdOf(call: RecordedSlackCall): string | undefined {
  const blocks = Array.isArray(call.args.blocks) ? (call.args.blocks as JsonObject[]) : [];
  const actions = blocks.find((block) => block.type === 'actions');
  const [button] = Array.isArray(actions?.elements) ? (actions.elements as JsonObject[]) : [];
  return typeof button?.value === 'string'
    ? (JSON.parse(button.value) as { deliveryId: string }).deliveryId
    : undefined;
}

/** A counter's total over all its labels. */
export async function counterValue(counter: Metrics['deliveries']['sent']): Promise<number> {
  const { values } = await counter.get();
  return values.reduce((sum, value) => sum + value.value, 0);
}
