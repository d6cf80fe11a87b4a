/**
 * The payloads Slack sends to an app, field for field and in Slack's order: slash commands,
 * block actions, view submissions and Events API envelopes, for one workspace (and its
 * Enterprise Grid org) and one app. slack-requests.ts encodes, signs and sends them.
 * https://docs.slack.dev/interactivity/handling-user-interaction
 */
import { randomBytes, randomInt } from 'node:crypto';
import type {
  BasicElementAction,
  BlockAction,
  SlashCommand,
  ViewOutput,
  ViewStateValue,
  ViewSubmitAction,
} from '@slack/bolt';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';

/** The parts of a stand-in the payloads use to line up with it. */
export type SlackRequesterStandIn = Pick<
  SlackStandIn,
  'newResponseUrl' | 'dmChannelIdFor' | 'identity'
>;

/** Who the payloads come from and are for: the workspace, its org, and the app. */
export interface SlackPayloadOptions {
  teamId: string;
  /**
   * The workspace is part of an Enterprise Grid org, and payloads name it. `orgWide`: the app
   * is installed for the whole org, so Slack marks each request `is_enterprise_install` and an
   * event's `authorizations` name the enterprise and no team.
   */
  enterprise?: { id: string; name?: string; orgWide?: boolean };
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
  /** The clock that stamps the payloads' times (and the requests'); defaults to the real one. */
  now?: () => Date;
}

/** A slash command's fields. */
export interface SlashCommandInput {
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

/** A block action's fields. */
export interface BlockActionsInput {
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

/** A view submission's fields. */
export interface ViewSubmissionInput {
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

/** Bolt's BlockAction, except that Slack leaves out `response_url` for actions inside views. */
export type BlockActionsPayload = Omit<BlockAction<BasicElementAction>, 'response_url'> & {
  response_url?: string;
};

const DEFAULT_VERIFICATION_TOKEN = 'xyzz0StandInVerifyToken0';
const DEFAULT_APP_ID = 'A0STANDIN';
const DEFAULT_BOT_USER_ID = 'U0STANDINBOT';
const DEFAULT_BOT_ID = 'B0STANDIN';
const DEFAULT_PUBLIC_CHANNEL = { id: 'C0GENERAL01', name: 'general' };
// Without a stand-in, response_urls point at a reserved TLD that never resolves, so a test that
// forgot the stand-in cannot reach the real Slack.
const UNREACHABLE_HOOKS_ORIGIN = 'https://hooks.slack.invalid';

/** Builds the payloads Slack would send to the app for `options.teamId`. */
export function slackPayloads(options: SlackPayloadOptions) {
  const now = options.now ?? (() => new Date());
  const standIn = options.standIn;
  const teamDomain = options.teamDomain ?? standIn?.identity.teamDomain ?? 'blindspot-stand-in';
  const apiAppId = options.apiAppId ?? standIn?.identity.appId ?? DEFAULT_APP_ID;
  const botUserId = options.botUserId ?? standIn?.identity.botUserId ?? DEFAULT_BOT_USER_ID;
  const botId = options.botId ?? standIn?.identity.botId ?? DEFAULT_BOT_ID;
  const verificationToken = options.verificationToken ?? DEFAULT_VERIFICATION_TOKEN;

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
    slashCommand(input: SlashCommandInput) {
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
      return { payload, responseUrl, triggerId };
    },

    blockActions(input: BlockActionsInput) {
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
      return { payload, responseUrl, triggerId };
    },

    viewSubmission(input: ViewSubmissionInput) {
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
      return { payload, triggerId };
    },

    /** The Events API envelope of `event`, delivered as `eventId`. */
    eventEnvelope(event: SlackEventInput, eventId: string) {
      return {
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
      };
    },

    /** The challenge Slack sends when the app's request URL is set. */
    urlVerification(challenge: string) {
      return { token: verificationToken, challenge, type: 'url_verification' };
    },
  };
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

/** An Events API event_id as Slack makes them: `Ev` and ten upper-case letters or digits. */
export function newEventId(): string {
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
