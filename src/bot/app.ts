/**
 * The Slack bot: Bolt with our listeners, and the outbox. It talks to Slack and to our HTTP API,
 * and to nothing else (Biome forbids imports of core, db and pg under src/bot).
 */
import { App, type Authorize } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { HttpServer } from '../http/server.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { type ApiClient, isNotFound } from './api-client/index.ts';
import type { InstallationApi } from './api-client/installations.ts';
import { boltLogger } from './bolt-logger.ts';
import { dropEventsOfUnknownTeams, installedAuthorization } from './installed-authorization.ts';
import { registerDataRights } from './listeners/actions/data-rights.ts';
import { registerHomeActions } from './listeners/actions/home.ts';
import { registerItemActions } from './listeners/actions/items.ts';
import { registerPastNotes } from './listeners/actions/past-notes.ts';
import { registerReminderActions } from './listeners/actions/reminders.ts';
import { registerReplyActions } from './listeners/actions/replies.ts';
import { registerTopicActions } from './listeners/actions/topic.ts';
import { registerBlindspotCommand } from './listeners/commands/blindspot.ts';
import { registerAppHome } from './listeners/events/app-home.ts';
import { registerAppLifecycle } from './listeners/events/app-lifecycle.ts';
import { registerDirectMessages } from './listeners/events/messages.ts';
import { registerUserGroupEvents } from './listeners/events/user-groups.ts';
import { registerUserStatusEvents } from './listeners/events/user-status.ts';
import { registerReplyVoice } from './listeners/reply-voice.ts';
import type { ListenerDeps } from './listeners/shared.ts';
import { registerPlanActionModal } from './listeners/views/plan-action.ts';
import { registerSignupModal } from './listeners/views/signup.ts';
import { type Outbox, type OutboxOptions, startOutbox } from './outbox.ts';
import { type InstallSettings, registerSlackInstall } from './slack-install.ts';
import { measuredSlackFetch } from './slack-metrics.ts';
import {
  type ClosableMessagePoster,
  createMessagePoster,
  createViewPublisher,
} from './slack-post.ts';
import { FastifySlackReceiver } from './slack-receiver.ts';
import { type StatusSweep, startStatusSweep } from './status-sweep.ts';
import { startUserGroupSync, type UserGroupSync } from './user-group-sync.ts';

export interface SlackSettings {
  /** One workspace: its bot token. Unset, `install` must be given (many workspaces). */
  botToken?: string;
  /** Many workspaces: Add to Slack, each workspace's token from the API. HTTP mode only. */
  install?: Omit<InstallSettings, 'apiUrl'> & { installations: InstallationApi };
  /** HTTP mode: requests arrive at /slack/events, signed with this secret. */
  signingSecret?: string;
  /** Socket Mode: Bolt holds a WebSocket to Slack instead; no public URL needed. */
  appToken?: string;
  apiUrl: string;
}

export interface Bot {
  mode: 'http' | 'socket';
  /** Opens the socket (Socket Mode) and starts sending deliveries. */
  start(): Promise<void>;
  /** Has the sender claim now, not at its next poll (see Outbox.wake). */
  wakeSender(): void;
  stop(): Promise<void>;
}

/**
 * Bolt's own token mode calls auth.test once, in its constructor, and keeps the promise: if
 * Slack is unreachable at that moment the rejection is unhandled and the process dies, and
 * every later event would fail on the same rejected promise. This keeps only a success and
 * asks again after a failure; start() asks once ahead of the first event.
 */
function singleWorkspaceAuthorization(client: WebClient, botToken: string, logger: Logger) {
  let identity: Promise<{ botUserId?: string; botId?: string; teamId?: string }> | undefined;
  const lookUp = () => {
    identity ??= client.auth
      .test()
      .then((result) => ({
        botUserId: result.user_id,
        botId: result.bot_id,
        teamId: result.team_id,
      }))
      .catch((error: unknown) => {
        identity = undefined;
        throw error;
      });
    return identity;
  };
  const authorize: Authorize<boolean> = async () => {
    const { botUserId, botId } = await lookUp();
    return { botToken, botUserId, botId };
  };
  /** The token's own workspace: the only one this bot can read user groups in. */
  const teamId = async () => (await lookUp()).teamId;
  const warmUp = async () => {
    try {
      await lookUp();
    } catch (error) {
      logger.warn({ err: error }, 'Slack auth.test failed; will ask again on the next event');
    }
  };
  return { authorize, warmUp, teamId };
}

/**
 * The client the user-group sync and the status sweep read a team with, or undefined when the
 * bot has no token there.
 */
function userGroupClient(
  clientOptions: WebClientOptions,
  single: { teamId(): Promise<string | undefined> } | undefined,
  installed: ReturnType<typeof installedAuthorization> | undefined,
  botToken: string | undefined,
): (teamId: string) => Promise<WebClient | undefined> {
  if (single && botToken) {
    const client = new WebClient(botToken, clientOptions);
    return async (teamId) => ((await single.teamId()) === teamId ? client : undefined);
  }
  const forTeam = installed?.clientFor(clientOptions);
  return async (teamId) => {
    try {
      return await forTeam?.(teamId);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };
}

function registerListeners(app: App, deps: ListenerDeps): void {
  registerReplyVoice(app, deps);
  registerBlindspotCommand(app, deps);
  registerSignupModal(app, deps);
  registerAppHome(app, deps);
  registerAppLifecycle(app, deps);
  registerHomeActions(app, deps);
  registerDataRights(app, deps);
  registerTopicActions(app, deps);
  registerPlanActionModal(app, deps);
  registerDirectMessages(app, deps);
  registerItemActions(app, deps);
  registerReplyActions(app, deps);
  registerReminderActions(app, deps);
  registerUserGroupEvents(app, deps);
  registerUserStatusEvents(app, deps);
  registerPastNotes(app, deps);
}

/**
 * Builds the bot. In HTTP mode it adds POST /slack/events to `server`; `start()` then starts
 * the outbox (and, in Socket Mode, opens the socket).
 */
export async function createBot(options: {
  slack: SlackSettings;
  api: ApiClient;
  server: HttpServer;
  logger: Logger;
  metrics: Metrics;
  /** Milliseconds since the epoch; tests inject their own clock. */
  now?: () => number;
  /** Tuning for the outbox's sending; tests poll faster. */
  sender?: Partial<Omit<OutboxOptions, 'api' | 'slack' | 'logger'>>;
  /** How often the bot asks which workspaces' user groups to sync; tests poll faster. */
  userGroupPollMs?: number;
  /** How often the bot asks which workspaces' member statuses to sweep; tests choose. */
  statusSweepPollMs?: number;
}): Promise<Bot> {
  const { slack, logger, api } = options;
  const nowMs = options.now ?? Date.now;
  const now = () => new Date(nowMs());
  // Every Web API call, Bolt's and the outbox's, goes through this fetch and is measured.
  const slackFetch = measuredSlackFetch(slack.apiUrl, options.metrics);
  const clientOptions = {
    slackApiUrl: slack.apiUrl,
    fetch: slackFetch,
    // Listeners run while a person waits: fail fast rather than retry for minutes.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000 },
  };
  const outboxClientOptions = {
    slackApiUrl: slack.apiUrl,
    fetch: slackFetch,
    logger: boltLogger(logger),
    // The outbox schedules its own retries through the delivery ledger.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  const authorization = slack.botToken
    ? singleWorkspaceAuthorization(
        new WebClient(slack.botToken, { ...clientOptions, logger: boltLogger(logger) }),
        slack.botToken,
        logger,
      )
    : undefined;
  const installed =
    !authorization && slack.install
      ? installedAuthorization({
          installations: slack.install.installations,
          clientId: slack.install.clientId,
          clientSecret: slack.install.clientSecret,
          clientOptions: { ...clientOptions, logger: boltLogger(logger) },
          logger,
          now: nowMs,
        })
      : undefined;
  if (!authorization && !installed) {
    throw new Error('the bot needs a bot token (one workspace) or install settings (many)');
  }
  const authorize = (authorization?.authorize ?? installed?.authorize) as Authorize<boolean>;
  const outboxClient = slack.botToken
    ? new WebClient(slack.botToken, outboxClientOptions)
    : (installed as NonNullable<typeof installed>).clientFor(outboxClientOptions);
  // Reads of user groups and of members' statuses may wait out a rate limit: nobody waits on them.
  const syncClientOptions = { ...clientOptions, logger: boltLogger(logger) };
  const syncClient = userGroupClient(syncClientOptions, authorization, installed, slack.botToken);
  const warmUp = async () => {
    await authorization?.warmUp();
  };
  let outbox: Outbox | undefined;
  let poster: ClosableMessagePoster | undefined;
  let userGroupSync: UserGroupSync | undefined;
  let statusSweep: StatusSweep | undefined;
  const startSending = () => {
    poster ??= createMessagePoster({
      apiUrl: slack.apiUrl,
      metrics: options.metrics,
      timeoutMs: outboxClientOptions.timeout,
    });
    outbox ??= startOutbox({
      api,
      slack: outboxClient,
      post: poster,
      logger,
      serviceNow: now,
      ...options.sender,
    });
    userGroupSync ??= startUserGroupSync({
      api,
      slack: syncClient,
      logger,
      pollIntervalMs: options.userGroupPollMs,
    });
    statusSweep ??= startStatusSweep({
      api,
      slack: syncClient,
      logger,
      now,
      pollIntervalMs: options.statusSweepPollMs,
    });
  };
  const stopSending = async () => {
    await Promise.all([outbox?.stop(), userGroupSync?.stop(), statusSweep?.stop()]);
    // After the outbox: its last posts are answered by then.
    await poster?.close();
    poster = undefined;
    outbox = undefined;
    userGroupSync = undefined;
    statusSweep = undefined;
  };
  // Every click on a Home tab publishes it again: the hot call of the listeners.
  const publishView = createViewPublisher({
    apiUrl: slack.apiUrl,
    metrics: options.metrics,
    timeoutMs: outboxClientOptions.timeout,
  });
  const deps: ListenerDeps = {
    api,
    logger: logger.child({ component: 'slack-listener' }),
    now,
    userGroups: { syncNow: async (teamId) => userGroupSync?.syncNow(teamId) },
    publishView,
  };

  if (slack.appToken) {
    const app = new App({
      authorize,
      appToken: slack.appToken,
      socketMode: true,
      logger: boltLogger(logger),
      clientOptions,
    });
    registerListeners(app, deps);
    return {
      mode: 'socket',
      start: async () => {
        await warmUp();
        await app.start();
        startSending();
      },
      wakeSender: () => outbox?.wake(),
      stop: async () => {
        await stopSending();
        await app.stop();
        await publishView.close();
      },
    };
  }
  if (!slack.signingSecret) throw new Error('HTTP mode needs the Slack signing secret');
  const receiver = new FastifySlackReceiver({
    signingSecret: slack.signingSecret,
    metrics: options.metrics,
    now: nowMs,
  });
  const app = new App({
    authorize,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
    extendedErrorHandler: true,
  });
  app.error(dropEventsOfUnknownTeams(logger.child({ component: 'slack-listener' })));
  registerListeners(app, deps);
  await receiver.register(options.server);
  if (slack.install && !slack.botToken) {
    const { installations, ...settings } = slack.install;
    registerSlackInstall(
      options.server,
      { ...settings, apiUrl: slack.apiUrl },
      installations,
      logger,
    );
  }
  return {
    mode: 'http',
    start: async () => {
      await warmUp();
      startSending();
    },
    wakeSender: () => outbox?.wake(),
    stop: async () => {
      await stopSending();
      await publishView.close();
    },
  };
}
