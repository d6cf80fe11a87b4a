/**
 * The stand-in's workspace: its members, DM channels, messages and views, and the answers of the
 * Web API methods that read and change them.
 */
import { randomBytes } from 'node:crypto';
import type {
  AuthTestResponse,
  ChatDeleteResponse,
  ChatPostEphemeralResponse,
  ConversationsOpenResponse,
  UsersInfoResponse,
} from '@slack/web-api';
import { historyPage } from './history.ts';
import { flagArg, hasMessageContent, objectArg, stringArg } from './requests.ts';
import type { JsonObject, SlackStandInIdentity, SlackUserSeed, StandInMethod } from './types.ts';
import { DEFAULT_TIME_ZONE, timeZoneOffsetSeconds, userObject } from './users.ts';

const DEFAULT_IDENTITY: SlackStandInIdentity = {
  teamId: 'T0STANDIN',
  teamName: 'Blindspot Stand-in',
  teamDomain: 'blindspot-stand-in',
  appId: 'A0STANDIN',
  botId: 'B0STANDIN',
  botUserId: 'U0STANDINBOT',
  botName: 'blindspot',
};

interface StoredView {
  view: JsonObject;
  hash: string;
}

export class StandInWorkspace {
  readonly identity: SlackStandInIdentity;
  readonly startedAtSeconds = Math.floor(Date.now() / 1000);
  readonly #users = new Map<string, SlackUserSeed>();
  readonly #dmChannelByUser = new Map<string, string>();
  readonly #userByDmChannel = new Map<string, string>();
  readonly #messages = new Map<string, JsonObject>();
  readonly #views = new Map<string, StoredView>();
  readonly #homeViewByUser = new Map<string, string>();
  #idCounter = 0;
  #tsSeconds = 0;
  #tsSequence = 0;

  constructor(
    identity: Partial<SlackStandInIdentity> | undefined,
    users: readonly SlackUserSeed[],
  ) {
    this.identity = { ...DEFAULT_IDENTITY, ...identity };
    this.addUser({
      id: this.identity.botUserId,
      name: this.identity.botName,
      realName: this.identity.botName,
      isBot: true,
    });
    for (const user of users) this.addUser(user);
  }

  addUser(user: SlackUserSeed): void {
    // Fail at seeding time, not in the middle of a users.info call, when the zone is misspelt.
    timeZoneOffsetSeconds(user.tz ?? DEFAULT_TIME_ZONE, new Date());
    this.#users.set(user.id, user);
  }

  dmChannelIdFor(userId: string): string {
    const existing = this.#dmChannelByUser.get(userId);
    if (existing) return existing;
    const channelId = this.#newId('D');
    this.#dmChannelByUser.set(userId, channelId);
    this.#userByDmChannel.set(channelId, userId);
    return channelId;
  }

  /** The answer of a Web API method to a call that passed the token and fault checks. */
  answer(method: StandInMethod, args: JsonObject): JsonObject {
    return this.#methodHandlers[method](args);
  }

  readonly #methodHandlers: Record<StandInMethod, (args: JsonObject) => JsonObject> = {
    'auth.test': () => this.#authTest(),
    'users.info': (args) => this.#usersInfo(args),
    'conversations.open': (args) => this.#conversationsOpen(args),
    'conversations.history': (args) => this.#conversationsHistory(args),
    'chat.postMessage': (args) => this.#chatPostMessage(args),
    'chat.update': (args) => this.#chatUpdate(args),
    'chat.postEphemeral': (args) => this.#chatPostEphemeral(args),
    'chat.delete': (args) => this.#chatDelete(args),
    'views.open': (args) => this.#viewsOpen(args),
    'views.push': (args) => this.#viewsOpen(args),
    'views.update': (args) => this.#viewsUpdate(args),
    'views.publish': (args) => this.#viewsPublish(args),
  };

  #authTest(): JsonObject {
    const { identity } = this;
    return {
      ok: true,
      url: `https://${identity.teamDomain}.slack.com/`,
      team: identity.teamName,
      user: identity.botName,
      team_id: identity.teamId,
      user_id: identity.botUserId,
      bot_id: identity.botId,
      is_enterprise_install: false,
    } satisfies AuthTestResponse;
  }

  #usersInfo(args: JsonObject): JsonObject {
    const userId = stringArg(args, 'user');
    const user = userId ? this.#users.get(userId) : undefined;
    if (!user) return { ok: false, error: 'user_not_found' };
    return {
      ok: true,
      user: userObject(user, this, flagArg(args, 'include_locale')),
    } satisfies UsersInfoResponse;
  }

  #conversationsOpen(args: JsonObject): JsonObject {
    const channel = stringArg(args, 'channel');
    if (channel) {
      if (!this.#userByDmChannel.has(channel)) return { ok: false, error: 'channel_not_found' };
      return { ok: true, no_op: true, already_open: true, channel: { id: channel } };
    }
    const userIds = (stringArg(args, 'users') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (userIds.length === 0) return { ok: false, error: 'users_list_not_supplied' };
    // Group DMs are not modelled; say so rather than answer with a made-up Slack error.
    if (userIds.length > 1) return { ok: false, error: 'not_supported_by_stand_in' };
    const userId = userIds[0] ?? '';
    const user = this.#users.get(userId);
    if (!user) return { ok: false, error: 'user_not_found' };
    // Opening a DM with a deactivated member fails, as documented for conversations.open.
    // https://docs.slack.dev/reference/methods/conversations.open
    if (user.deleted) return { ok: false, error: 'user_disabled' };
    const alreadyOpen = this.#dmChannelByUser.has(userId);
    const channelId = this.dmChannelIdFor(userId);
    const channelObject = flagArg(args, 'return_im')
      ? {
          id: channelId,
          created: this.startedAtSeconds,
          is_im: true,
          is_org_shared: false,
          context_team_id: this.identity.teamId,
          user: userId,
          last_read: '0000000000.000000',
          unread_count: 0,
          unread_count_display: 0,
          is_open: true,
          priority: 0,
        }
      : { id: channelId };
    return {
      ok: true,
      ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
      channel: channelObject,
    } satisfies ConversationsOpenResponse;
  }

  #conversationsHistory(args: JsonObject): JsonObject {
    const channel = stringArg(args, 'channel');
    // History is read by conversation id only: a user id is not a channel here.
    if (!channel || /^[UW]/.test(channel) || !this.#resolveChannel(channel)) {
      return { ok: false, error: 'channel_not_found' };
    }
    const prefix = messageKey(channel, '');
    const inChannel = [...this.#messages]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, message]) => message);
    return historyPage(inChannel, args);
  }

  /**
   * Resolves a `channel` argument the way Slack does: a user id posts to the bot's DM with them
   * and the response names the DM channel; a D-id must be a DM the stand-in handed out.
   */
  #resolveChannel(channel: string | undefined): string | undefined {
    if (!channel) return undefined;
    if (/^[UW]/.test(channel)) {
      return this.#users.has(channel) ? this.dmChannelIdFor(channel) : undefined;
    }
    if (channel.startsWith('D') && !this.#userByDmChannel.has(channel)) return undefined;
    return channel;
  }

  #chatPostMessage(args: JsonObject): JsonObject {
    const channel = this.#resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!hasMessageContent(args)) return { ok: false, error: 'no_text' };
    // Posting to a deactivated member's DM succeeds: Slack keeps the conversation, so only
    // users.info's `deleted` tells the app. https://github.com/slackapi/python-slack-sdk/issues/1156
    const ts = this.#nextTs();
    const threadTs = stringArg(args, 'thread_ts');
    const message: JsonObject = {
      user: this.identity.botUserId,
      type: 'message',
      ts,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
      text: stringArg(args, 'text') ?? '',
      team: this.identity.teamId,
      bot_profile: {
        id: this.identity.botId,
        app_id: this.identity.appId,
        name: this.identity.botName,
        icons: { image_48: `https://a.slack-edge.com/${this.identity.botId}_48.png` },
        deleted: false,
        updated: this.startedAtSeconds,
        team_id: this.identity.teamId,
      },
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs, parent_user_id: this.identity.botUserId } : {}),
    };
    const metadata = objectArg(args, 'metadata');
    // Kept with the message for conversations.history, which shows it only when asked to.
    this.#messages.set(messageKey(channel, ts), metadata ? { ...message, metadata } : message);
    return { ok: true, channel, ts, message };
  }

  #chatUpdate(args: JsonObject): JsonObject {
    const channel = this.#resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    if (!ts) return { ok: false, error: 'message_not_found' };
    if (!hasMessageContent(args)) return { ok: false, error: 'no_text' };
    const text = stringArg(args, 'text') ?? '';
    const message: JsonObject = {
      ...(this.#messages.get(messageKey(channel, ts)) ?? {
        type: 'message',
        user: this.identity.botUserId,
        bot_id: this.identity.botId,
        app_id: this.identity.appId,
        team: this.identity.teamId,
        ts,
      }),
      text,
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
    };
    this.#messages.set(messageKey(channel, ts), message);
    return { ok: true, channel, ts, text, message };
  }

  #chatPostEphemeral(args: JsonObject): JsonObject {
    const channel = this.#resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!stringArg(args, 'user')) return { ok: false, error: 'invalid_arguments' };
    if (!hasMessageContent(args)) return { ok: false, error: 'no_text' };
    return { ok: true, message_ts: this.#nextTs() } satisfies ChatPostEphemeralResponse;
  }

  #chatDelete(args: JsonObject): JsonObject {
    const channel = this.#resolveChannel(stringArg(args, 'channel'));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ts = stringArg(args, 'ts');
    if (!ts) return { ok: false, error: 'message_not_found' };
    this.#messages.delete(messageKey(channel, ts));
    return { ok: true, channel, ts } satisfies ChatDeleteResponse;
  }

  /** views.open and views.push: the stand-in does not track modal stacks, so each view is a root. */
  #viewsOpen(args: JsonObject): JsonObject {
    const view = objectArg(args, 'view');
    const trigger = stringArg(args, 'trigger_id') ?? stringArg(args, 'interactivity_pointer');
    if (!view || !trigger) return { ok: false, error: 'invalid_arguments' };
    const id = this.#newId('V');
    return { ok: true, view: this.#storeView(id, view, id, null) };
  }

  #viewsUpdate(args: JsonObject): JsonObject {
    const view = objectArg(args, 'view');
    const viewId =
      stringArg(args, 'view_id') ?? this.#viewIdForExternalId(stringArg(args, 'external_id'));
    if (!view || !viewId) return { ok: false, error: 'invalid_arguments' };
    const stored = this.#views.get(viewId);
    const hash = stringArg(args, 'hash');
    // views.update refuses a stale `hash`, so two updates racing each other cannot both win.
    // https://docs.slack.dev/surfaces/modals#handling_race_conditions
    if (stored && hash && hash !== stored.hash) return { ok: false, error: 'hash_conflict' };
    const rootViewId =
      typeof stored?.view.root_view_id === 'string' ? stored.view.root_view_id : viewId;
    const previousViewId =
      typeof stored?.view.previous_view_id === 'string' ? stored.view.previous_view_id : null;
    return { ok: true, view: this.#storeView(viewId, view, rootViewId, previousViewId) };
  }

  #viewsPublish(args: JsonObject): JsonObject {
    const view = objectArg(args, 'view');
    const userId = stringArg(args, 'user_id');
    if (!view || !userId) return { ok: false, error: 'invalid_arguments' };
    const stored = this.#views.get(this.#homeViewByUser.get(userId) ?? '');
    const hash = stringArg(args, 'hash');
    if (stored && hash && hash !== stored.hash) return { ok: false, error: 'hash_conflict' };
    // A member's Home tab keeps one view id across publishes.
    const id = this.#homeViewByUser.get(userId) ?? this.#newId('V');
    this.#homeViewByUser.set(userId, id);
    return { ok: true, view: this.#storeView(id, view, id, null) };
  }

  #storeView(
    id: string,
    view: JsonObject,
    rootViewId: string,
    previousViewId: string | null,
  ): JsonObject {
    const hash = `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
    const output: JsonObject = {
      id,
      team_id: this.identity.teamId,
      type: view.type ?? 'modal',
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: previousViewId,
      root_view_id: rootViewId,
      app_id: this.identity.appId,
      external_id: view.external_id ?? '',
      app_installed_team_id: this.identity.teamId,
      bot_id: this.identity.botId,
    };
    this.#views.set(id, { view: output, hash });
    return output;
  }

  #viewIdForExternalId(externalId: string | undefined): string | undefined {
    if (!externalId) return undefined;
    for (const [id, stored] of this.#views) {
      if (stored.view.external_id === externalId) return id;
    }
    return undefined;
  }

  #nextTs(): string {
    // Slack's ts is "<unix seconds>.<6 digits>", unique per channel and increasing.
    const nowSeconds = Math.floor(Date.now() / 1000);
    if (nowSeconds > this.#tsSeconds) {
      this.#tsSeconds = nowSeconds;
      this.#tsSequence = 0;
    }
    this.#tsSequence += 1;
    if (this.#tsSequence > 9999) {
      this.#tsSeconds += 1;
      this.#tsSequence = 1;
    }
    return `${this.#tsSeconds}.${String(this.#tsSequence * 100).padStart(6, '0')}`;
  }

  #newId(prefix: string): string {
    this.#idCounter += 1;
    return `${prefix}0${this.#idCounter.toString(36).toUpperCase().padStart(8, '0')}`;
  }
}

function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}
