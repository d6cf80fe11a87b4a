/**
 * The Slack bot: Bolt with our listeners. It talks to Slack and to our HTTP API, and to
 * nothing else (Biome forbids imports of core, db and pg under src/bot).
 */
import { App } from '@slack/bolt';
import type { HttpServer } from '../http/server.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ApiClient } from './api-client/index.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerBlindspotCommand } from './listeners/commands/blindspot.ts';
import { FastifySlackReceiver } from './slack-receiver.ts';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode: requests arrive at /slack/events, signed with this secret. */
  signingSecret?: string;
  /** Socket Mode: Bolt holds a WebSocket to Slack instead; no public URL needed. */
  appToken?: string;
  apiUrl: string;
}

export interface Bot {
  mode: 'http' | 'socket';
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the bot. In HTTP mode it adds POST /slack/events to `server`; in Socket Mode
 * `start()` opens the socket.
 */
export async function createBot(options: {
  slack: SlackSettings;
  api: ApiClient;
  server: HttpServer;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
}): Promise<Bot> {
  const { slack, logger } = options;
  const clientOptions = {
    slackApiUrl: slack.apiUrl,
    // Listeners run while a person waits: fail fast rather than retry for minutes.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
  };
  if (slack.appToken) {
    const app = new App({
      token: slack.botToken,
      appToken: slack.appToken,
      socketMode: true,
      logger: boltLogger(logger),
      clientOptions,
    });
    registerBlindspotCommand(app, options.api);
    return {
      mode: 'socket',
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }
  if (!slack.signingSecret) throw new Error('HTTP mode needs the Slack signing secret');
  const receiver = new FastifySlackReceiver({
    signingSecret: slack.signingSecret,
    metrics: options.metrics,
    now: options.now,
  });
  const app = new App({
    token: slack.botToken,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
  });
  registerBlindspotCommand(app, options.api);
  await receiver.register(options.server);
  return { mode: 'http', start: async () => {}, stop: async () => {} };
}
