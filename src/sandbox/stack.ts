/**
 * The sandbox's own Blindspot: the same API, worker and bot as production, started in this
 * process on a loopback port, on a database of its own, reading the sandbox clock, and talking to
 * the Slack emulator instead of slack.com. Nothing here is special to the sandbox except where it
 * points: the bot cannot tell it is not in Slack, and it cannot reach real Slack.
 */
import { randomBytes } from 'node:crypto';
import { type ApiClient, createApiClient } from '../bot/api-client/index.ts';
import type { Config } from '../config.ts';
import { recreateDatabase } from '../db/databases.ts';
import { type ShutdownStep, shutDown } from '../lifecycle.ts';
import type { Logger } from '../observability/logger.ts';
import type { SlackStandIn } from '../slack-emulator/index.ts';
import type { SandboxClock } from './clock.ts';

export type SandboxTask = 'plan_deliveries' | 'plan_reminders';

/** What the sandbox needs of a running all-in-one (src/all-in-one.ts), injected to avoid a cycle. */
export interface InnerStack {
  url: string;
  runTask(task: SandboxTask): Promise<void>;
  shutdownSteps(): ShutdownStep[];
}

export type StartInnerStack = (options: {
  config: Config;
  logger: Logger;
  clock: () => Date;
  quiet: true;
}) => Promise<InnerStack>;

export interface RunningStack {
  /** http://127.0.0.1:<port>: its /slack/events and /api/v1. */
  url: string;
  /** The Slack signing secret its bot verifies requests with; only the emulator signs with it. */
  slackSigningSecret: string;
  api: ApiClient;
  runTask(task: SandboxTask): Promise<void>;
}

export interface SandboxStackOptions {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  emulator: SlackStandIn;
  clock: SandboxClock;
  startInner: StartInnerStack;
}

export function createSandboxStack(options: SandboxStackOptions) {
  const { logger, clock } = options;
  let running: Promise<{ stack: RunningStack; inner: InnerStack }> | undefined;
  // Two Reset clicks (two tabs, a double click) share one reset instead of racing two.
  let resetting: Promise<void> | undefined;

  async function start() {
    // A fresh database each time: the sandbox never keeps what a visitor did, and never shares
    // a table with the real workspace's data.
    await recreateDatabase(options.databaseUrl);
    const serviceToken = randomBytes(32).toString('base64url');
    const apiSigningSecret = randomBytes(32).toString('base64url');
    const slackSigningSecret = randomBytes(32).toString('base64url');
    const config: Config = Object.freeze({
      ...options.config,
      HOST: '127.0.0.1',
      PORT: 0,
      DATABASE_URL: options.databaseUrl,
      DB_POOL_MAX: 4,
      // A visitor waits happily for a slow machine; a planner that can't connect is a lost jump.
      DB_CONNECTION_TIMEOUT_MS: Math.max(options.config.DB_CONNECTION_TIMEOUT_MS, 10_000),
      SLACK_BOT_TOKEN: `xoxb-sandbox-${randomBytes(12).toString('hex')}`,
      SLACK_SIGNING_SECRET: slackSigningSecret,
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: options.emulator.url,
      API_URL: undefined,
      API_SERVICE_TOKEN: serviceToken,
      API_SIGNING_SECRET: apiSigningSecret,
      ADMIN_API_KEY: undefined,
      SMTP_URL: undefined,
      SLACK_CLIENT_ID: undefined,
      SLACK_CLIENT_SECRET: undefined,
      PUBLIC_URL: undefined,
      SANDBOX: 'off',
      SANDBOX_DATABASE_URL: undefined,
    });
    const inner = await options.startInner({
      config,
      logger,
      clock: clock.now,
      quiet: true,
    });
    const api = createApiClient({
      baseUrl: inner.url,
      serviceToken,
      signingSecret: apiSigningSecret,
      now: clock.now,
    });
    const stack: RunningStack = {
      url: inner.url,
      slackSigningSecret,
      api,
      runTask: (task) => inner.runTask(task),
    };
    return { stack, inner };
  }

  async function stop(): Promise<void> {
    const current = running;
    running = undefined;
    if (!current) return;
    const { inner } = await current.catch(() => ({ inner: undefined }));
    if (inner) await shutDown(inner.shutdownSteps(), logger, options.config.SHUTDOWN_TIMEOUT_MS);
  }

  return {
    /** The running stack, started on first use; waits while a reset is under way. */
    async current(): Promise<RunningStack> {
      running ??= start();
      return (await running).stack;
    },
    /** Everything back to the start: a new database, real time, an empty Slack. */
    reset(): Promise<void> {
      resetting ??= (async () => {
        try {
          await stop();
          clock.reset();
          options.emulator.resetAll();
          running = start();
          await running;
        } finally {
          resetting = undefined;
        }
      })();
      return resetting;
    },
    stop,
  };
}

export type SandboxStack = ReturnType<typeof createSandboxStack>;
