/**
 * Everything in one process, for `npm start` and for end-to-end tests: the API, the bot on the
 * same port (so a user configures one URL), the worker, and, when DATABASE_URL is unset, an
 * embedded PostgreSQL. The pieces still talk as they do when deployed apart: the bot calls the
 * API over HTTP.
 */
import { randomBytes } from 'node:crypto';
import { registerApi } from './api/app.ts';
import { createApiClient } from './bot/api-client/index.ts';
import { createInstallationApi } from './bot/api-client/installations.ts';
import { type Bot, createBot } from './bot/app.ts';
import { type Config, isOAuthMode } from './config.ts';
import { seedShippedCatalogue } from './core/workspaces/service.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrate, readMigrations } from './db/migrate.ts';
import {
  adminApiOptions,
  announceAdminSetup,
  importAdminApiKey,
} from './entrypoints/admin-setup.ts';
import { closeServer, listen } from './entrypoints/boot.ts';
import { openKeyring } from './entrypoints/encryption-keys.ts';
import { closeDatabase, databaseServer, openDatabase } from './entrypoints/wiring.ts';
import { inProcessFetch } from './http/in-process-fetch.ts';
import { type ShutdownStep, shutDown } from './lifecycle.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import { sandboxMount, startSandbox } from './sandbox/index.ts';
import { VERSION } from './version.ts';
import { startWorker } from './worker/runner.ts';

/** The worker's share of connections: LISTEN holds one, jobs use the rest. */
const WORKER_POOL_MAX = 4;

export interface AllInOne {
  /** Where it listens, e.g. http://127.0.0.1:3000 */
  url: string;
  metrics: Metrics;
  /** Runs a worker task now instead of at its next minute (the sandbox's time machine). */
  runTask(task: 'plan_deliveries' | 'plan_reminders'): Promise<void>;
  /** The shutdown steps, in order; see src/lifecycle.ts. */
  shutdownSteps(): ShutdownStep[];
}

/** Add to Slack's settings, in many-workspace mode only. */
export function installSettings(
  config: Config,
  installations: ReturnType<typeof createInstallationApi>,
) {
  if (!isOAuthMode(config)) return undefined;
  return {
    clientId: String(config.SLACK_CLIENT_ID),
    clientSecret: String(config.SLACK_CLIENT_SECRET),
    publicUrl: config.PUBLIC_URL,
    installations,
  };
}

export async function startAllInOne(options: {
  config: Config;
  logger: Logger;
  /** The clock for every time-dependent rule (schedules, leases, Slack timestamps). */
  clock?: () => Date;
  /** Tuning for the delivery sender; tests poll faster. */
  sender?: { pollIntervalMs?: number };
  /** How often the bot asks which workspaces' user groups to sync; tests choose. */
  userGroupPollMs?: number;
  /** How often the bot asks which workspaces' member statuses to sweep; tests choose. */
  statusSweepPollMs?: number;
  /** No start-up announcements: the sandbox's inner Blindspot (src/sandbox) is not the product's. */
  quiet?: boolean;
  /**
   * Whether the worker's recurring jobs run (the default). Tests that move an injected clock
   * and run the planners themselves turn them off: a tick at the real minute would plan on
   * their clock between two of their steps.
   */
  cron?: boolean;
  /**
   * Wraps the bot's way to this process's api (src/http/in-process-fetch.ts): tests watch what
   * the api answers the bot on each workspace's behalf.
   */
  wrapApiFetch?: (apiFetch: typeof fetch) => typeof fetch;
}): Promise<AllInOne> {
  const { config, logger } = options;
  const now = options.clock ?? (() => new Date());
  const metrics = createMetrics();
  const steps: ShutdownStep[] = [];
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.EMBEDDED_POSTGRES_DIR, logger });
  const databaseUrl = config.DATABASE_URL ?? String(embedded?.url);
  try {
    const migrations = await readMigrations();
    const apiDatabase = openDatabase(databaseUrl, config, 'api', logger, metrics);
    steps.unshift(closeDatabase(apiDatabase, 'api'));
    await migrate(apiDatabase.pool, logger, migrations);
    await seedShippedCatalogue(apiDatabase.db, now());

    const workerDatabase = openDatabase(
      databaseUrl,
      config,
      'worker',
      logger,
      metrics,
      WORKER_POOL_MAX,
    );
    steps.unshift(closeDatabase(workerDatabase, 'worker'));
    let bot: Bot | undefined;
    const runner = await startWorker({
      pool: workerDatabase.pool,
      db: workerDatabase.db,
      metrics,
      now,
      logger,
      concurrency: config.WORKER_CONCURRENCY,
      retentionDays: config.RETENTION_DAYS,
      cron: options.cron ?? true,
      // What a planner made due goes now, not at the sender's next poll: the sandbox's time
      // machine shows its note at once. (Split, the bot polls: it shares no process to wake.)
      onJobDone: (task) => {
        if (task === 'plan_deliveries' || task === 'plan_reminders') bot?.wakeSender();
      },
    });
    steps.unshift({ name: 'worker', run: () => runner.stop() });

    const server = await databaseServer(apiDatabase, logger, metrics, migrations, now);
    // Nothing outside this process needs the token unless the bot runs elsewhere.
    const serviceToken = config.API_SERVICE_TOKEN ?? randomBytes(32).toString('base64url');
    const signingSecret = config.API_SIGNING_SECRET ?? randomBytes(32).toString('base64url');
    const admin = adminApiOptions(config);
    steps.unshift(...admin.steps);
    await importAdminApiKey(apiDatabase.db, config.ADMIN_API_KEY, logger, now());
    const keyring = await openKeyring(config, apiDatabase.db);
    // Known once the server listens, below.
    let selfUrl = '';
    await registerApi(server, {
      db: apiDatabase.db,
      serviceToken,
      signingSecret,
      adminApiKey: config.ADMIN_API_KEY,
      version: VERSION,
      metrics,
      deadlineMs: config.API_DEADLINE_MS,
      rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
      rateLimitPerUserPerMinute: config.API_RATE_LIMIT_PER_USER_PER_MINUTE,
      admin: admin.options,
      keyring,
      now,
      // Without PUBLIC_URL, export links point here, as the first admin link does.
      selfUrl: () => selfUrl || undefined,
    });

    if (config.SLACK_BOT_TOKEN || isOAuthMode(config)) {
      // The bot's calls reach this process's api through Fastify's inject: the same HTTP
      // contract without a loopback socket (src/http/in-process-fetch.ts).
      const apiOptions = {
        baseUrl: () => selfUrl,
        serviceToken,
        signingSecret,
        now,
        fetch: (options.wrapApiFetch ?? ((apiFetch) => apiFetch))(inProcessFetch(server)),
      };
      bot = await createBot({
        slack: {
          botToken: config.SLACK_BOT_TOKEN,
          signingSecret: config.SLACK_SIGNING_SECRET,
          appToken: config.SLACK_APP_TOKEN,
          apiUrl: config.SLACK_API_URL,
          install: installSettings(config, createInstallationApi(apiOptions)),
        },
        api: createApiClient(apiOptions),
        server,
        logger,
        metrics,
        now: () => now().getTime(),
        sender: options.sender,
        userGroupPollMs: options.userGroupPollMs,
        statusSweepPollMs: options.statusSweepPollMs,
      });
    }
    const mount = sandboxMount(config);
    const sandbox = mount
      ? await startSandbox({
          config,
          logger,
          databaseUrl,
          startInner: (inner) => startAllInOne(inner),
        })
      : undefined;
    if (sandbox && mount) await sandbox.register(server, mount);
    steps.unshift(closeServer(server));
    // The bot goes first: its delivery sender confirms through this server's API.
    if (bot) steps.unshift({ name: 'bot', run: () => (bot as Bot).stop() });
    // The sandbox's page streams would hold the server open; its own Blindspot stops with it.
    if (sandbox) steps.unshift(sandbox.shutdownStep);

    const address = await listen(server, config);
    selfUrl = address.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://[::1]');
    if (bot) {
      await bot.start();
      // The sandbox's inner Blindspot is quiet: its addresses are not for people.
      if (!options.quiet) {
        logger.info(
          { mode: bot.mode },
          bot.mode === 'http'
            ? `Slack is on: point the app's Request URLs at ${selfUrl}/slack/events (or your public URL)`
            : 'Slack is on, over Socket Mode',
        );
      }
    } else if (!options.quiet) {
      logger.info(
        'Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) to turn it on; see docs/user-guide/slack-setup.md',
      );
    }
    if (embedded) steps.push({ name: 'embedded postgres', run: () => embedded.stop() });
    const runTask = async (task: 'plan_deliveries' | 'plan_reminders') => {
      await runner.addJob(task, {}, { maxAttempts: 1 });
    };
    if (options.quiet) return { url: selfUrl, metrics, runTask, shutdownSteps: () => [...steps] };
    await announceAdminSetup(apiDatabase.db, logger, admin.options.publicUrl ?? selfUrl, now());
    logger.info(
      { url: selfUrl },
      `Blindspot is running at ${selfUrl} (API docs: ${selfUrl}/api/docs)`,
    );
    if (mount) {
      const sandboxUrl = `${selfUrl}${mount.root ? '/' : '/sandbox/'}`;
      logger.info({ url: sandboxUrl }, `Open ${sandboxUrl} to try Blindspot`);
    }
    return { url: selfUrl, metrics, runTask, shutdownSteps: () => [...steps] };
  } catch (error) {
    // Undo what started, so a failed boot leaves no worker, pool or PostgreSQL behind.
    if (embedded) steps.push({ name: 'embedded postgres', run: () => embedded.stop() });
    await shutDown(steps, logger, config.SHUTDOWN_TIMEOUT_MS);
    throw error;
  }
}
