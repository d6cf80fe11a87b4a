/** The bot service: Slack in (HTTP at /slack/events, or Socket Mode), the HTTP API out. */
import { createApiClient } from '../bot/api-client/index.ts';
import { createInstallationApi } from '../bot/api-client/installations.ts';
import { createBot } from '../bot/app.ts';
import { isOAuthMode } from '../config.ts';
import { createHttpServer } from '../http/server.ts';
import { exitOnSignals } from '../lifecycle.ts';
import { createMetrics } from '../observability/metrics.ts';
import { bootLogger, closeServer, configOrExit, listen, trimHeapWhenQuiet } from './boot.ts';

const config = configOrExit('bot');
const logger = bootLogger(config, 'bot');
const metrics = createMetrics();
const apiUrl = String(config.API_URL);
const server = createHttpServer({
  logger,
  metrics,
  // The bot can do nothing useful while the API is down.
  readiness: async () => {
    try {
      const response = await fetch(new URL('/healthz', apiUrl), {
        signal: AbortSignal.timeout(1_000),
      });
      return response.ok
        ? { ready: true }
        : { ready: false, reason: `API answered ${response.status}` };
    } catch (error) {
      return { ready: false, reason: `API unreachable: ${(error as Error).message}` };
    }
  },
});
const apiOptions = {
  baseUrl: apiUrl,
  serviceToken: String(config.API_SERVICE_TOKEN),
  signingSecret: String(config.API_SIGNING_SECRET),
};
const oauth = isOAuthMode(config);
const bot = await createBot({
  slack: {
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    install: oauth
      ? {
          clientId: String(config.SLACK_CLIENT_ID),
          clientSecret: String(config.SLACK_CLIENT_SECRET),
          publicUrl: config.PUBLIC_URL,
          installations: createInstallationApi(apiOptions),
        }
      : undefined,
  },
  api: createApiClient(apiOptions),
  server,
  logger,
  metrics,
});
const trimmer = trimHeapWhenQuiet(config, logger, metrics);
exitOnSignals(
  () => [...trimmer, { name: 'bot', run: () => bot.stop() }, closeServer(server)],
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);
await listen(server, config);
await bot.start();
