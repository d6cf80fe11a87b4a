/**
 * Slack's side of the sandbox: what Slack's servers do when a person acts in a Slack client. The
 * page sends the gesture in Slack's own shape (an action, a view's state values, a message); this
 * adds what only Slack knows (who is asking, trigger ids, response URLs, the stored message or
 * view), signs the request with the app's signing secret, POSTs it to the bot's real
 * /slack/events over HTTP, and applies the bot's answer as Slack would (an ephemeral reply, a
 * modal's errors or update). The signing secret never reaches the browser, as in Slack.
 */
import { randomBytes } from 'node:crypto';
import { slackSignature } from '../bot/slack-signature.ts';
import { AppError } from '../core/errors.ts';
import type { EmulatedView, SlackStandIn } from '../slack-emulator/index.ts';
import type { SandboxClock } from './clock.ts';
import { SANDBOX_TEAM, type SandboxPerson } from './people.ts';
import type { RunningStack } from './stack.ts';

type Json = Record<string, unknown>;
export type ViewStateValues = Record<string, Record<string, Json>>;
export type Container = { type: 'message'; messageTs: string } | { type: 'view'; viewId: string };

/** The bot's answer: Slack shows a request that failed as "didn't respond"; so do we. */
export interface RelayAnswer {
  status: number;
  body: unknown;
}

/** Slack gives up on an app after 3 s; the sandbox is kinder on a slow machine. */
const APP_TIMEOUT_MS = 10_000;

export function createRelay(deps: {
  emulator: SlackStandIn;
  clock: SandboxClock;
  stack: () => Promise<RunningStack>;
}) {
  const { emulator, clock } = deps;
  const seconds = () => Math.floor(clock.now().getTime() / 1000);
  const actionTs = () => `${(clock.now().getTime() / 1000).toFixed(6)}`;
  const user = (person: SandboxPerson) => ({
    id: person.userId,
    username: handleOf(person),
    name: handleOf(person),
    team_id: SANDBOX_TEAM.teamId,
  });
  const team = { id: SANDBOX_TEAM.teamId, domain: SANDBOX_TEAM.teamDomain };

  async function send(body: string, contentType: string): Promise<RelayAnswer> {
    const stack = await deps.stack();
    const timestamp = seconds();
    const signature = slackSignature(stack.slackSigningSecret, timestamp, body);
    const response = await fetch(`${stack.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
      body,
      signal: AbortSignal.timeout(APP_TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // A plain-text ack (a slash command's reply) stays text.
    }
    return { status: response.status, body: parsed };
  }

  const sendInteraction = (payload: Json) =>
    send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );

  const sendEvent = (event: Json) =>
    send(
      JSON.stringify({
        token: 'sandbox-verification-token',
        team_id: SANDBOX_TEAM.teamId,
        api_app_id: SANDBOX_TEAM.appId,
        event: { ...event, event_ts: event.event_ts ?? actionTs() },
        type: 'event_callback',
        event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
        event_time: seconds(),
        authorizations: [
          {
            enterprise_id: null,
            team_id: SANDBOX_TEAM.teamId,
            user_id: SANDBOX_TEAM.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
      }),
      'application/json',
    );

  /** Slack shows a slash command's or a response_url's reply to its asker only. */
  async function showReply(person: SandboxPerson, body: unknown, messageTs?: string) {
    if (body === undefined || body === '') return;
    const reply = typeof body === 'string' ? { text: body } : body;
    const url = emulator.responseUrlFor(person.userId, {
      channelId: emulator.dmChannelIdFor(person.userId),
      ...(messageTs ? { messageTs } : {}),
    });
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reply),
    });
  }

  function viewPayload(view: EmulatedView, state: ViewStateValues | undefined): Json {
    return { ...view, state: { values: state ?? {} } };
  }

  function requireView(person: SandboxPerson, viewId: string): EmulatedView {
    const view = emulator.viewFor(person.userId, viewId);
    if (!view) throw gone('That window is no longer open.');
    return view;
  }

  function requireMessage(person: SandboxPerson, ts: string) {
    const message = emulator.snapshot(person.userId).dm.find((m) => m.ts === ts);
    if (!message) throw gone('That message is gone.');
    return message;
  }

  function containerPayload(person: SandboxPerson, container: Container, state?: ViewStateValues) {
    const channelId = emulator.dmChannelIdFor(person.userId);
    if (container.type === 'view') {
      const view = requireView(person, container.viewId);
      return {
        container: { type: 'view', view_id: view.id },
        view: viewPayload(view, state),
      };
    }
    const message = requireMessage(person, container.messageTs);
    const base = {
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: channelId,
        is_ephemeral: Boolean(message.ephemeral),
      },
      channel: { id: channelId, name: 'directmessage' },
      response_url: emulator.responseUrlFor(person.userId, { channelId, messageTs: message.ts }),
    };
    // Slack leaves an ephemeral message out of the payload: the app never stored it.
    if (message.ephemeral) return base;
    return {
      ...base,
      message: {
        type: 'message',
        user: message.user,
        ...(message.user === SANDBOX_TEAM.botUserId ? { bot_id: SANDBOX_TEAM.botId } : {}),
        ts: message.ts,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        ...(message.metadata ? { metadata: message.metadata } : {}),
        team: SANDBOX_TEAM.teamId,
      },
    };
  }

  return {
    async command(person: SandboxPerson, text: string): Promise<RelayAnswer> {
      const channelId = emulator.dmChannelIdFor(person.userId);
      const answer = await send(
        new URLSearchParams({
          token: 'sandbox-verification-token',
          team_id: SANDBOX_TEAM.teamId,
          team_domain: SANDBOX_TEAM.teamDomain,
          channel_id: channelId,
          channel_name: 'directmessage',
          user_id: person.userId,
          user_name: handleOf(person),
          command: '/blindspot',
          text,
          api_app_id: SANDBOX_TEAM.appId,
          is_enterprise_install: 'false',
          response_url: emulator.responseUrlFor(person.userId, { channelId }),
          trigger_id: emulator.issueTriggerId(person.userId),
        }).toString(),
        'application/x-www-form-urlencoded',
      );
      if (answer.status === 200) await showReply(person, answer.body);
      return answer;
    },

    async message(person: SandboxPerson, text: string, threadTs?: string): Promise<RelayAnswer> {
      const posted = emulator.postUserMessage(person.userId, { text, threadTs });
      return sendEvent({
        type: 'message',
        channel: posted.channel,
        user: person.userId,
        text,
        ts: posted.ts,
        ...(threadTs ? { thread_ts: threadTs, parent_user_id: SANDBOX_TEAM.botUserId } : {}),
        channel_type: 'im',
        team: SANDBOX_TEAM.teamId,
        event_ts: posted.ts,
      });
    },

    homeOpened(person: SandboxPerson): Promise<RelayAnswer> {
      const home = emulator.snapshot(person.userId).home;
      return sendEvent({
        type: 'app_home_opened',
        user: person.userId,
        channel: emulator.dmChannelIdFor(person.userId),
        tab: 'home',
        ...(home ? { view: home } : {}),
      });
    },

    action(
      person: SandboxPerson,
      container: Container,
      action: Json,
      state?: ViewStateValues,
    ): Promise<RelayAnswer> {
      return sendInteraction({
        type: 'block_actions',
        user: user(person),
        api_app_id: SANDBOX_TEAM.appId,
        token: 'sandbox-verification-token',
        trigger_id: emulator.issueTriggerId(person.userId),
        team,
        enterprise: null,
        is_enterprise_install: false,
        ...containerPayload(person, container, state),
        ...(state && container.type === 'message' ? { state: { values: state } } : {}),
        actions: [{ ...action, action_ts: actionTs() }],
      });
    },

    async submit(person: SandboxPerson, viewId: string, state: ViewStateValues) {
      const view = requireView(person, viewId);
      const answer = await sendInteraction({
        type: 'view_submission',
        team,
        user: user(person),
        api_app_id: SANDBOX_TEAM.appId,
        token: 'sandbox-verification-token',
        trigger_id: emulator.issueTriggerId(person.userId),
        view: viewPayload(view, state),
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      });
      if (answer.status !== 200) return { answer };
      return { answer, ...emulator.applyViewResponse(person.userId, viewId, answer.body) };
    },

    async close(person: SandboxPerson, viewId: string): Promise<RelayAnswer | undefined> {
      const view = requireView(person, viewId);
      emulator.closeView(person.userId, viewId);
      // Slack tells the app only when the view asked to be told.
      if (!view.notify_on_close) return undefined;
      return sendInteraction({
        type: 'view_closed',
        team,
        user: user(person),
        api_app_id: SANDBOX_TEAM.appId,
        token: 'sandbox-verification-token',
        view: viewPayload(view, undefined),
        is_cleared: false,
        is_enterprise_install: false,
      });
    },

    async options(
      person: SandboxPerson,
      container: Container,
      query: { action_id: string; block_id: string; value: string },
    ): Promise<unknown[]> {
      const located = containerPayload(person, container);
      const answer = await sendInteraction({
        type: 'block_suggestion',
        user: user(person),
        team,
        api_app_id: SANDBOX_TEAM.appId,
        token: 'sandbox-verification-token',
        container: located.container,
        ...('view' in located ? { view: located.view } : {}),
        action_id: query.action_id,
        block_id: query.block_id,
        value: query.value,
        action_ts: actionTs(),
      });
      const body = (answer.body ?? {}) as {
        options?: unknown[];
        option_groups?: { options?: unknown[] }[];
      };
      return body.options ?? body.option_groups?.flatMap((group) => group.options ?? []) ?? [];
    },
  };
}

export type Relay = ReturnType<typeof createRelay>;

/** What the page asked about is not there (any more): a 4xx, not a fault. */
const gone = (message: string) => new AppError('sandbox_item_gone', message, 409);

function handleOf(person: SandboxPerson): string {
  return person.name.toLowerCase().replace(/[^a-z]+/g, '.');
}
