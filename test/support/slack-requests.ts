/**
 * Sends requests to an app's Slack endpoint exactly as Slack does: slash commands and
 * interactions form-encoded, Events API callbacks as JSON, all signed with the app's signing
 * secret. https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
import { randomBytes, randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type {
  BasicElementAction,
  BlockAction,
  EnvelopedEvent,
  SlashCommand,
  ViewOutput,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';
import { slackSignature } from '../../src/bot/slack-signature.ts';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';

/** What Slack's own HTTP client announces itself as. */
export const SLACKBOT_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

/** The headers Slack adds to every request it signs. */
export interface SlackSignatureHeaders {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
}

/** Input of {@link signSlackRequest}. */
export interface SlackSignatureInput {
  signingSecret: string;
  /** The raw body, byte for byte as it will be sent. */
  body: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/**
 * Signs a request body the way Slack does: `v0=` and the hex HMAC-SHA256, keyed with the signing
 * secret, of `v0:<timestamp>:<raw body>`.
 */
export function signSlackRequest(input: SlackSignatureInput): SlackSignatureHeaders {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': slackSignature(input.signingSecret, timestamp, input.body),
  };
}

/**
 * Form-encodes fields in the given order, as Slack does (spaces as `+`, `/` as `%2F`); fields
 * whose value is undefined are left out.
 */
export function encodeSlackForm(fields: Readonly<Record<string, string | undefined>>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(key, value);
  }
  return form.toString();
}

/** The parts of a stand-in the requester uses to make payloads line up with it. */
export type SlackRequesterStandIn = Pick<
  SlackStandIn,
  'newResponseUrl' | 'dmChannelIdFor' | 'identity'
>;

/** Options for {@link createSlackRequester}. */
export interface SlackRequesterOptions {
  /** Where the app listens, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  signingSecret: string;
  teamId: string;
  /**
   * The workspace is part of an Enterprise Grid org, and payloads name it. `orgWide`: the app
   * is installed for the whole org, so Slack marks each request `is_enterprise_install` and an
   * event's `authorizations` name the enterprise and no team.
   */
  enterprise?: { id: string; name?: string; orgWide?: boolean };
  /** Path of the app's Slack endpoint; defaults to `/slack/events`. */
  path?: string;
  teamDomain?: string;
  /** Defaults to the stand-in's app id. */
  apiAppId?: string;
  /** Defaults to the stand-in's bot user and bot ids. */
  botUserId?: string;
  botId?: string;
  /** The deprecated verification token Slack still puts in payloads. */
  verificationToken?: string;
  /** When given, response_urls point at it and channel ids default to its DM channels. */
  standIn?: SlackRequesterStandIn;
  /** The clock that stamps `X-Slack-Request-Timestamp`; defaults to the real one. */
  now?: () => Date;
  /** Gives up on the app after this long; defaults to 10000 ms. */
  timeoutMs?: number;
}

/** What the app answered. */
export interface SlackAppResponse {
  status: number;
  headers: Headers;
  /** The body as text. */
  body: string;
  /** Time from sending until the whole answer arrived; Slack gives up after 3 seconds. */
  elapsedMs: number;
  /** What was sent, for assertions and debugging. */
  sent: { headers: Readonly<Record<string, string>>; body: string };
  /** The body parsed as JSON; throws, quoting the body, when it is not JSON. */
  json(): unknown;
}

/** Options that every signed request accepts. */
export interface SigningOverrides {
  /** Unix seconds to stamp and sign with, e.g. six minutes ago to test stale requests. */
  timestamp?: number;
}

/** Input of {@link SlackRequester.slashCommand}. */
export interface SlashCommandInput extends SigningOverrides {
  command: string;
  text?: string;
  userId: string;
  userName?: string;
  /** Defaults to the stand-in's DM with the user, or a public channel without a stand-in. */
  channelId?: string;
  channelName?: string;
  triggerId?: string;
  responseUrl?: string;
  enterpriseId?: string;
}

/** Input of {@link SlackRequester.blockActions}. */
export interface BlockActionsInput extends SigningOverrides {
  userId: string;
  userName?: string;
  actionId: string;
  /** Defaults to a generated id, as Slack generates one for blocks without `block_id`. */
  blockId?: string;
  value?: string;
  /** Element type; defaults to `button`. */
  actionType?: string;
  /** Extra fields of the action, e.g. `selected_option` for a static_select. */
  action?: Record<string, unknown>;
  /** For an action on a message: the channel; defaults to the stand-in's DM with the user. */
  channelId?: string;
  /** For an action on a message: its ts. */
  messageTs?: string;
  /** For an action on a message: extra fields of the message, such as its `blocks`. */
  message?: Record<string, unknown>;
  /** For an action inside a modal or Home tab; the payload then has no channel or message. */
  view?: ViewInput;
  triggerId?: string;
  responseUrl?: string;
}

/** A view as it appears in an interaction payload. */
export interface ViewInput {
  id?: string;
  type?: 'modal' | 'home';
  callbackId?: string;
  privateMetadata?: string;
  values?: ViewStateValues;
  hash?: string;
  blocks?: ViewOutput['blocks'];
  title?: string;
}

/** `view.state.values`: block id, then action id, then the element's state. */
export type ViewStateValues = Record<string, Record<string, ViewStateValue>>;

/** Input of {@link SlackRequester.viewSubmission}. */
export interface ViewSubmissionInput extends SigningOverrides {
  userId: string;
  userName?: string;
  callbackId: string;
  values: ViewStateValues;
  privateMetadata?: string;
  viewId?: string;
  hash?: string;
  blocks?: ViewOutput['blocks'];
  title?: string;
  triggerId?: string;
  responseUrls?: ViewSubmitAction['response_urls'];
}

/** An Events API event: `type` plus whatever the event carries. */
export interface SlackEventInput {
  type: string;
  [key: string]: unknown;
}

/** Options of {@link SlackRequester.event}. */
export interface EventOptions extends SigningOverrides {
  /** Marks a redelivery: Slack sends `X-Slack-Retry-Num` 1, 2, 3 with the original event_id. */
  retryNum?: number;
  /** `X-Slack-Retry-Reason`; defaults to `http_timeout` on retries. */
  retryReason?:
    | 'http_timeout'
    | 'http_error'
    | 'too_many_redirects'
    | 'connection_failed'
    | 'ssl_error'
    | 'unknown_error';
  /** The event_id to use; a retry of an event sent earlier resends that envelope unchanged. */
  eventId?: string;
}

/** Input of {@link SlackRequester.raw}. */
export interface RawRequestInput extends SigningOverrides {
  body: string;
  contentType: string;
  headers?: Record<string, string>;
  /** Sent instead of the correct signature; `null` leaves the header out. */
  signature?: string | null;
}

/** Bolt's BlockAction, except that Slack leaves out `response_url` for actions inside views. */
export type BlockActionsPayload = Omit<BlockAction<BasicElementAction>, 'response_url'> & {
  response_url?: string;
};

/** Sends Slack-signed requests to one app; see {@link createSlackRequester}. */
export interface SlackRequester {
  slashCommand(
    input: SlashCommandInput,
  ): Promise<SlackAppResponse & { payload: SlashCommand; responseUrl: string; triggerId: string }>;
  blockActions(input: BlockActionsInput): Promise<
    SlackAppResponse & {
      payload: BlockActionsPayload;
      responseUrl: string | undefined;
      triggerId: string;
    }
  >;
  viewSubmission(
    input: ViewSubmissionInput,
  ): Promise<SlackAppResponse & { payload: ViewSubmitAction; triggerId: string }>;
  event(
    event: SlackEventInput,
    options?: EventOptions,
  ): Promise<SlackAppResponse & { envelope: EnvelopedEvent<SlackEventInput>; eventId: string }>;
  urlVerification(challenge: string, options?: SigningOverrides): Promise<SlackAppResponse>;
  raw(input: RawRequestInput): Promise<SlackAppResponse>;
}

const DEFAULT_VERIFICATION_TOKEN = 'xyzz0StandInVerifyToken0';
const DEFAULT_APP_ID = 'A0STANDIN';
const DEFAULT_BOT_USER_ID = 'U0STANDINBOT';
const DEFAULT_BOT_ID = 'B0STANDIN';
const DEFAULT_PUBLIC_CHANNEL = { id: 'C0GENERAL01', name: 'general' };
// Without a stand-in, response_urls point at a reserved TLD that never resolves, so a test that
// forgot the stand-in cannot reach the real Slack.
const UNREACHABLE_HOOKS_ORIGIN = 'https://hooks.slack.invalid';

/** Creates a requester that signs with `signingSecret` and POSTs to `${baseUrl}/slack/events`. */
export function createSlackRequester(options: SlackRequesterOptions): SlackRequester {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}${options.path ?? '/slack/events'}`;
  const now = options.now ?? (() => new Date());
  const standIn = options.standIn;
  const teamDomain = options.teamDomain ?? standIn?.identity.teamDomain ?? 'blindspot-stand-in';
  const apiAppId = options.apiAppId ?? standIn?.identity.appId ?? DEFAULT_APP_ID;
  const botUserId = options.botUserId ?? standIn?.identity.botUserId ?? DEFAULT_BOT_USER_ID;
  const botId = options.botId ?? standIn?.identity.botId ?? DEFAULT_BOT_ID;
  const verificationToken = options.verificationToken ?? DEFAULT_VERIFICATION_TOKEN;
  const sentEvents = new Map<string, { event: SlackEventInput; body: string }>();
  let lastEventId: string | undefined;

  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  const grid = options.enterprise
    ? { id: options.enterprise.id, name: options.enterprise.name ?? options.enterprise.id }
    : undefined;
  const orgWide = options.enterprise?.orgWide === true;
  // How interaction payloads name the team and its org.
  const team = {
    id: options.teamId,
    domain: teamDomain,
    ...(grid ? { enterprise_id: grid.id, enterprise_name: grid.name } : {}),
  };
  const enterprise = grid ? { enterprise: grid } : {};

  const responseUrlFor = (kind: 'commands' | 'actions') =>
    standIn
      ? standIn.newResponseUrl()
      : `${UNREACHABLE_HOOKS_ORIGIN}/${kind}/${options.teamId}/${randomDigits(12)}/${randomBytes(12).toString('hex')}`;

  const channelFor = (userId: string, channelId: string | undefined, channelName?: string) => {
    const id = channelId ?? standIn?.dmChannelIdFor(userId) ?? DEFAULT_PUBLIC_CHANNEL.id;
    // Slack names a DM "directmessage" in slash command and interaction payloads.
    const name =
      channelName ??
      (id.startsWith('D')
        ? 'directmessage'
        : id === DEFAULT_PUBLIC_CHANNEL.id
          ? DEFAULT_PUBLIC_CHANNEL.name
          : 'channel');
    return { id, name };
  };

  const send = async (request: {
    body: string;
    contentType: string;
    timestamp?: number;
    headers?: Record<string, string>;
    signature?: string | null;
  }): Promise<SlackAppResponse> => {
    const timestamp = request.timestamp ?? nowSeconds();
    const signed = signSlackRequest({
      signingSecret: options.signingSecret,
      body: request.body,
      timestamp,
    });
    const headers: Record<string, string> = {
      'Content-Type': request.contentType,
      'User-Agent': SLACKBOT_USER_AGENT,
      'X-Slack-Request-Timestamp': signed['X-Slack-Request-Timestamp'],
      ...(request.signature === null
        ? {}
        : { 'X-Slack-Signature': request.signature ?? signed['X-Slack-Signature'] }),
      ...request.headers,
    };
    const startedAt = performance.now();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers,
      body: request.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body,
      elapsedMs: performance.now() - startedAt,
      sent: { headers, body: request.body },
      json: () => {
        try {
          return JSON.parse(body) as unknown;
        } catch {
          throw new Error(
            `The app answered ${response.status} with a body that is not JSON: ${body}`,
          );
        }
      },
    };
  };

  const sendForm = (fields: Record<string, string | undefined>, timestamp?: number) =>
    send({
      body: encodeSlackForm(fields),
      contentType: 'application/x-www-form-urlencoded',
      timestamp,
    });

  // Interactions arrive as a form with a single `payload` field holding JSON.
  // https://docs.slack.dev/interactivity/handling-user-interaction
  const sendInteraction = (payload: object, timestamp?: number) =>
    sendForm({ payload: JSON.stringify(payload) }, timestamp);

  const user = (userId: string, userName: string | undefined) => ({
    id: userId,
    username: userName ?? userNameFor(userId),
    name: userName ?? userNameFor(userId),
    team_id: options.teamId,
  });

  const viewOutput = (input: ViewInput & { id: string }): ViewOutput => ({
    id: input.id,
    team_id: options.teamId,
    type: input.type ?? 'modal',
    blocks: input.blocks ?? [],
    private_metadata: input.privateMetadata ?? '',
    callback_id: input.callbackId ?? '',
    state: { values: input.values ?? {} },
    hash: input.hash ?? `${nowSeconds()}.${randomBytes(4).toString('hex')}`,
    title: { type: 'plain_text', text: input.title ?? 'Blindspot', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: input.type === 'home' ? null : { type: 'plain_text', text: 'Cancel', emoji: true },
    submit: input.type === 'home' ? null : { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: input.id,
    app_id: apiAppId,
    external_id: '',
    app_installed_team_id: options.teamId,
    bot_id: botId,
  });

  return {
    async slashCommand(input) {
      const channel = channelFor(input.userId, input.channelId, input.channelName);
      const responseUrl = input.responseUrl ?? responseUrlFor('commands');
      const triggerId = input.triggerId ?? newTriggerId();
      const payload: SlashCommand = {
        token: verificationToken,
        team_id: options.teamId,
        team_domain: teamDomain,
        ...((input.enterpriseId ?? grid?.id)
          ? { enterprise_id: input.enterpriseId ?? grid?.id }
          : {}),
        ...(grid ? { enterprise_name: grid.name } : {}),
        channel_id: channel.id,
        channel_name: channel.name,
        user_id: input.userId,
        user_name: input.userName ?? userNameFor(input.userId),
        command: input.command,
        text: input.text ?? '',
        api_app_id: apiAppId,
        is_enterprise_install: String(orgWide),
        response_url: responseUrl,
        trigger_id: triggerId,
      };
      const response = await sendForm(payload, input.timestamp);
      return { ...response, payload, responseUrl, triggerId };
    },

    async blockActions(input) {
      const triggerId = input.triggerId ?? newTriggerId();
      const action: BasicElementAction & Record<string, unknown> = {
        type: input.actionType ?? 'button',
        block_id: input.blockId ?? randomBytes(3).toString('base64url'),
        action_id: input.actionId,
        ...(input.value !== undefined ? { value: input.value } : {}),
        ...((input.actionType ?? 'button') === 'button'
          ? { text: { type: 'plain_text', text: input.value ?? input.actionId, emoji: true } }
          : {}),
        action_ts: `${nowSeconds()}.${randomDigits(6)}`,
        ...input.action,
      };
      const base = {
        type: 'block_actions' as const,
        user: user(input.userId, input.userName),
        api_app_id: apiAppId,
        token: verificationToken,
        trigger_id: triggerId,
        team,
        ...enterprise,
        is_enterprise_install: orgWide,
        actions: [action],
      };
      let payload: BlockActionsPayload;
      let responseUrl: string | undefined;
      if (input.view) {
        const view = viewOutput({ ...input.view, id: input.view.id ?? newViewId() });
        // Actions inside views carry no response_url: there is no message to respond to.
        payload = {
          ...base,
          container: { type: 'view', view_id: view.id },
          view,
          state: { values: view.state.values },
        };
      } else {
        const channel = channelFor(input.userId, input.channelId);
        const messageTs = input.messageTs ?? `${nowSeconds()}.000100`;
        responseUrl = input.responseUrl ?? responseUrlFor('actions');
        payload = {
          ...base,
          container: {
            type: 'message',
            message_ts: messageTs,
            channel_id: channel.id,
            is_ephemeral: false,
          },
          channel,
          message: {
            type: 'message',
            user: botUserId,
            bot_id: botId,
            app_id: apiAppId,
            team: options.teamId,
            text: '',
            ...input.message,
            ts: messageTs,
          },
          state: { values: {} },
          response_url: responseUrl,
        };
      }
      const response = await sendInteraction(payload, input.timestamp);
      return { ...response, payload, responseUrl, triggerId };
    },

    async viewSubmission(input) {
      const triggerId = input.triggerId ?? newTriggerId();
      const payload: ViewSubmitAction = {
        type: 'view_submission',
        team,
        ...enterprise,
        user: user(input.userId, input.userName),
        api_app_id: apiAppId,
        token: verificationToken,
        trigger_id: triggerId,
        view: viewOutput({
          id: input.viewId ?? newViewId(),
          type: 'modal',
          callbackId: input.callbackId,
          privateMetadata: input.privateMetadata,
          values: input.values,
          hash: input.hash,
          blocks: input.blocks,
          title: input.title,
        }),
        response_urls: input.responseUrls ?? [],
        is_enterprise_install: orgWide,
      };
      const response = await sendInteraction(payload, input.timestamp);
      return { ...response, payload, triggerId };
    },

    async event(event, eventOptions = {}) {
      const retryHeaders: Record<string, string> =
        eventOptions.retryNum === undefined
          ? {}
          : {
              'X-Slack-Retry-Num': String(eventOptions.retryNum),
              'X-Slack-Retry-Reason': eventOptions.retryReason ?? 'http_timeout',
            };
      const eventId =
        eventOptions.eventId ??
        (eventOptions.retryNum === undefined ? newEventId() : originalEventId(event));
      // A retry is the same delivery again: same envelope, same event_id and event_time.
      const original = sentEvents.get(eventId);
      const body =
        original?.body ??
        JSON.stringify({
          token: verificationToken,
          team_id: options.teamId,
          ...(grid ? { enterprise_id: grid.id } : {}),
          api_app_id: apiAppId,
          event,
          type: 'event_callback',
          event_id: eventId,
          event_time: nowSeconds(),
          authorizations: [
            {
              enterprise_id: grid?.id ?? null,
              // An org-wide install is the org's, not the workspace's the event happened in.
              team_id: orgWide ? null : options.teamId,
              user_id: botUserId,
              is_bot: true,
              is_enterprise_install: orgWide,
            },
          ],
          is_ext_shared_channel: false,
          event_context: eventContext(event, options.teamId, apiAppId),
        });
      sentEvents.set(eventId, { event, body });
      lastEventId = eventId;
      const response = await send({
        body,
        contentType: 'application/json',
        timestamp: eventOptions.timestamp,
        headers: retryHeaders,
      });
      return {
        ...response,
        envelope: JSON.parse(body) as EnvelopedEvent<SlackEventInput>,
        eventId,
      };
    },

    urlVerification(challenge, overrides = {}) {
      const body = JSON.stringify({
        token: verificationToken,
        challenge,
        type: 'url_verification',
      });
      return send({ body, contentType: 'application/json', timestamp: overrides.timestamp });
    },

    raw(input) {
      return send(input);
    },
  };

  function originalEventId(event: SlackEventInput): string {
    for (const [eventId, sent] of [...sentEvents].reverse()) {
      if (isDeepStrictEqual(sent.event, event)) return eventId;
    }
    throw new Error(
      `A retry needs the original delivery: pass eventId, or send the same event first (last event_id sent: ${lastEventId ?? 'none'}).`,
    );
  }
}

function userNameFor(userId: string): string {
  return `user.${userId.toLowerCase()}`;
}

function randomDigits(count: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < count) digits += String(randomInt(0, 10));
  return digits;
}

/** Slack's trigger ids look like `13345224609.738474920.8088930838d88f008e0`. */
function newTriggerId(): string {
  return `${randomDigits(11)}.${randomDigits(9)}.${randomBytes(16).toString('hex')}`;
}

function newViewId(): string {
  return `V0${randomBytes(5).toString('hex').toUpperCase().slice(0, 8)}`;
}

function newEventId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let id = 'Ev';
  for (let index = 0; index < 10; index += 1) id += alphabet[randomInt(0, alphabet.length)];
  return id;
}

/** Slack's event_context is an opaque `4-` prefixed base64 string; this one encodes the basics. */
function eventContext(event: SlackEventInput, teamId: string, appId: string): string {
  const channel = typeof event.channel === 'string' ? event.channel : undefined;
  const context = { et: event.type, tid: teamId, aid: appId, ...(channel ? { cid: channel } : {}) };
  return `4-${Buffer.from(JSON.stringify(context)).toString('base64url')}`;
}
