/**
 * Starts the real all-in-one service in this process, on a free port, against a test database,
 * and captures its log lines for assertions.
 */
import { afterAll, beforeAll } from 'vitest';
import { type AllInOne, startAllInOne } from '../../src/all-in-one.ts';
import { loadConfig } from '../../src/config.ts';
import { shutDown } from '../../src/lifecycle.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { TEST_API_SIGNING_SECRET, TEST_SERVICE_TOKEN } from './service-calls.ts';

export { TEST_SERVICE_TOKEN } from './service-calls.ts';

export const TEST_SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a5a36';
export const TEST_BOT_TOKEN = 'xoxb-test-123456789012-abcdefghijklmnop';

/** Log lines as the service wrote them, parsed. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];
  write(line: string): void {
    this.raw.push(line);
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  text(): string {
    return this.raw.join('');
  }
}

export interface TestApp {
  url: string;
  app: AllInOne;
  logs: LogCapture;
  logger: Logger;
  close(): Promise<void>;
}

export interface TestAppOptions {
  databaseUrl: string;
  env?: Record<string, string>;
  clock?: () => Date;
  /** How often the delivery sender polls when it has nothing to send: 25 ms unless given. */
  senderPollMs?: number;
  /**
   * How often the bot polls for user-group syncs. By default an hour, so no other test meets
   * usergroups.* calls among the Slack calls it counts; the team-sync tests poll fast.
   */
  userGroupPollMs?: number;
  /**
   * How often the bot polls for status sweeps. By default an hour, so no other test meets
   * users.list calls among the Slack calls it counts; the status-sweep tests poll fast.
   */
  statusSweepPollMs?: number;
  /** Whether the worker's recurring jobs run (see startAllInOne). */
  cron?: boolean;
  /** Wraps the bot's calls to the api, to watch them (see startAllInOne). */
  wrapApiFetch?: (apiFetch: typeof fetch) => typeof fetch;
}

export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const config = loadConfig(
    {
      DATABASE_URL: options.databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      API_SIGNING_SECRET: TEST_API_SIGNING_SECRET,
      SHUTDOWN_TIMEOUT_MS: '5000',
      WORKER_CONCURRENCY: '1',
      // The sandbox starts a second Blindspot; only its own tests turn it on.
      SANDBOX: 'off',
      // Opening a connection can take seconds on a loaded two-core CI machine (the worker's
      // LISTEN connection failed there at 2 s); tests of the short deadline set their own.
      DB_CONNECTION_TIMEOUT_MS: '10000',
      ...options.env,
    },
    'all-in-one',
  );
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', service: 'test', destination: logs });
  const app = await startAllInOne({
    config,
    logger,
    clock: options.clock,
    sender: { pollIntervalMs: options.senderPollMs ?? 25 },
    userGroupPollMs: options.userGroupPollMs ?? 3_600_000,
    statusSweepPollMs: options.statusSweepPollMs ?? 3_600_000,
    cron: options.cron,
    wrapApiFetch: options.wrapApiFetch,
  });
  return {
    url: app.url,
    app,
    logs,
    logger,
    close: async () => {
      await shutDown(app.shutdownSteps(), logger, 5_000);
    },
  };
}

/** What setUpTestApp hands back: each field is there from the file's beforeAll on. */
export interface TestAppSetUp {
  readonly database: TestDatabase;
  readonly app: TestApp;
  /** The app's base URL, as `app.url`. */
  readonly url: string;
  /** The app's captured log lines, as `app.logs`. */
  readonly logs: LogCapture;
}

/**
 * Gives the calling test file (or describe block) a database of its own and the all-in-one
 * service on it: both start in a beforeAll and go in an afterAll, registered here. Call it at
 * the top of the file or block; read the fields inside hooks and tests, once beforeAll has run.
 */
export function setUpTestApp(options: Omit<TestAppOptions, 'databaseUrl'> = {}): TestAppSetUp {
  let database: TestDatabase | undefined;
  let app: TestApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startTestApp({ ...options, databaseUrl: database.url });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const started = (): TestApp => {
    if (!app) throw new Error('the test app starts in beforeAll; read it in a hook or a test');
    return app;
  };
  return {
    get database() {
      if (!database) throw new Error('the test database is made in beforeAll; read it in a test');
      return database;
    },
    get app() {
      return started();
    },
    get url() {
      return started().url;
    },
    get logs() {
      return started().logs;
    },
  };
}
