/**
 * The emulator's workspace: its members and their DM channels with the bot, the Web API methods
 * that read them, and the dispatch of every method to the store that answers it (messages.ts,
 * views.ts). It also tells listeners what changed for whom, for the sandbox's page.
 */
import type {
  AuthTestResponse,
  ChatDeleteResponse,
  ChatPostEphemeralResponse,
  ChatPostMessageResponse,
  ChatUpdateResponse,
  ConversationsHistoryResponse,
  ConversationsOpenResponse,
  UsergroupsListResponse,
  UsergroupsUsersListResponse,
  UsersInfoResponse,
  UsersListResponse,
  UsersProfileGetResponse,
  ViewsOpenResponse,
  ViewsPublishResponse,
  ViewsPushResponse,
  ViewsUpdateResponse,
} from '@slack/web-api';
import { MessageStore, type ResponseUrlTarget } from './messages.ts';
import { flagArg, stringArg } from './requests.ts';
import type {
  ChangeScope,
  EmulatorChange,
  JsonObject,
  PersonSnapshot,
  PostedMessage,
  SlackNulls,
  SlackStandInIdentity,
  SlackUserSeed,
  StandInMethod,
} from './types.ts';
import { UserGroupStore } from './user-groups.ts';
import { DEFAULT_TIME_ZONE, timeZoneOffsetSeconds, userObject } from './users.ts';
import { userStatusChangedEvent, usersList } from './users-list.ts';
import { type ViewAnswer, ViewStore } from './views.ts';

const DEFAULT_IDENTITY: SlackStandInIdentity = {
  teamId: 'T0STANDIN',
  teamName: 'Blindspot Stand-in',
  teamDomain: 'blindspot-stand-in',
  appId: 'A0STANDIN',
  botId: 'B0STANDIN',
  botUserId: 'U0STANDINBOT',
  botName: 'blindspot',
};

/**
 * What each method answers, as @slack/web-api types Slack's answers: the handlers below must
 * return these, so a field of the wrong type fails the type check.
 */
export interface StandInAnswers {
  'auth.test': AuthTestResponse;
  'users.info': UsersInfoResponse;
  'users.list': UsersListResponse;
  'users.profile.get': UsersProfileGetResponse;
  'conversations.open': ConversationsOpenResponse;
  'conversations.history': SlackNulls<ConversationsHistoryResponse, 'channel_actions_ts'>;
  'chat.postMessage': ChatPostMessageResponse;
  'chat.update': ChatUpdateResponse;
  'chat.postEphemeral': ChatPostEphemeralResponse;
  'chat.delete': ChatDeleteResponse;
  'views.open': ViewAnswer<ViewsOpenResponse>;
  'views.push': ViewAnswer<ViewsPushResponse>;
  'views.update': ViewAnswer<ViewsUpdateResponse>;
  'views.publish': ViewAnswer<ViewsPublishResponse>;
  'usergroups.list': UsergroupsListResponse;
  'usergroups.users.list': UsergroupsUsersListResponse;
}

export class StandInWorkspace {
  readonly identity: SlackStandInIdentity;
  readonly startedAtSeconds: number;
  readonly views: ViewStore;
  readonly userGroups: UserGroupStore;
  readonly #now: () => number;
  readonly #users = new Map<string, SlackUserSeed>();
  readonly #dmChannelByUser = new Map<string, string>();
  readonly #userByDmChannel = new Map<string, string>();
  readonly #messages: MessageStore;
  readonly #changeListeners = new Set<(change: EmulatorChange) => void>();
  #idCounter = 0;
  #tsSeconds = 0;
  #tsSequence = 0;

  constructor(
    identity: Partial<SlackStandInIdentity> | undefined,
    users: readonly SlackUserSeed[],
    now: () => number = Date.now,
  ) {
    this.identity = { ...DEFAULT_IDENTITY, ...identity };
    this.#now = now;
    this.startedAtSeconds = Math.floor(now() / 1000);
    this.#messages = new MessageStore({
      identity: this.identity,
      startedAtSeconds: this.startedAtSeconds,
      resolveChannel: (channel) => this.resolveChannel(channel),
      dmOwner: (channel) => this.#userByDmChannel.get(channel),
      nextTs: () => this.#nextTs(),
      changed: (userId, scope) => this.changed(userId, scope),
    });
    this.userGroups = new UserGroupStore(this.identity.teamId, now);
    this.views = new ViewStore({
      identity: this.identity,
      newId: (prefix) => this.#newId(prefix),
      now: this.#now,
      changed: (userId, scope) => this.changed(userId, scope),
    });
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

  /** The member changed their status: returns the `user_status_changed` event Slack sends. */
  setUserStatus(userId: string, status: NonNullable<SlackUserSeed['status']>): JsonObject {
    const user = this.#users.get(userId);
    if (!user) throw new Error(`No member ${userId} in the Slack emulator`);
    const changed = { ...user, status: { ...status } };
    this.#users.set(userId, changed);
    return userStatusChangedEvent(changed, this, Math.floor(this.#now() / 1000));
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
    // A fresh object: the server adds warnings to it.
    return { ...this.#methodHandlers[method](args) };
  }

  readonly #methodHandlers: { [M in StandInMethod]: (args: JsonObject) => StandInAnswers[M] } = {
    'auth.test': () => this.#authTest(),
    'users.info': (args) => this.#usersInfo(args),
    'users.list': (args) =>
      usersList([...this.#users.values()], args, this, Math.floor(this.#now() / 1000)),
    'users.profile.get': (args) => this.#usersProfileGet(args),
    'conversations.open': (args) => this.#conversationsOpen(args),
    'conversations.history': (args) => this.#conversationsHistory(args),
    'chat.postMessage': (args) => this.#messages.postMessage(args),
    'chat.update': (args) => this.#messages.update(args),
    'chat.postEphemeral': (args) => this.#messages.postEphemeral(args),
    'chat.delete': (args) => this.#messages.delete(args),
    'views.open': (args) => this.views.open(args, false),
    'views.push': (args) => this.views.open(args, true),
    'views.update': (args) => this.views.update(args),
    'views.publish': (args) => this.views.publish(args),
    'usergroups.list': (args) => this.userGroups.list(args),
    'usergroups.users.list': (args) => this.userGroups.usersList(args),
  };

  #authTest(): AuthTestResponse {
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

  #usersInfo(args: JsonObject): UsersInfoResponse {
    const userId = stringArg(args, 'user');
    const user = userId ? this.#users.get(userId) : undefined;
    if (!user) return { ok: false, error: 'user_not_found' };
    return {
      ok: true,
      user: userObject(user, this, flagArg(args, 'include_locale')),
    } satisfies UsersInfoResponse;
  }

  /** A member's profile, status included; without `user`, the caller's (the bot's). */
  #usersProfileGet(args: JsonObject): UsersProfileGetResponse {
    const userId = stringArg(args, 'user') ?? this.identity.botUserId;
    const user = this.#users.get(userId);
    if (!user) return { ok: false, error: 'user_not_found' };
    return {
      ok: true,
      profile: userObject(user, this, false).profile,
    } satisfies UsersProfileGetResponse;
  }

  #conversationsOpen(args: JsonObject): ConversationsOpenResponse {
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

  #conversationsHistory(args: JsonObject): StandInAnswers['conversations.history'] {
    const channel = stringArg(args, 'channel');
    // History is read by conversation id only: a user id is not a channel here.
    if (!channel || /^[UW]/.test(channel) || !this.resolveChannel(channel)) {
      return { ok: false, error: 'channel_not_found' };
    }
    return this.#messages.history(channel, args);
  }

  /**
   * Resolves a `channel` argument the way Slack does: a user id posts to the bot's DM with them
   * and the response names the DM channel; a D-id must be a DM the stand-in handed out.
   */
  resolveChannel(channel: string | undefined): string | undefined {
    if (!channel) return undefined;
    if (/^[UW]/.test(channel)) {
      return this.#users.has(channel) ? this.dmChannelIdFor(channel) : undefined;
    }
    if (channel.startsWith('D') && !this.#userByDmChannel.has(channel)) return undefined;
    return channel;
  }

  // ---------------------------------------------------------------------------------------------
  // What a person sees, for the sandbox

  onChange(listener: (change: EmulatorChange) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  changed(userId: string, scope: ChangeScope): void {
    for (const listener of [...this.#changeListeners]) {
      try {
        listener({ userId, scope });
      } catch (error) {
        // A failing listener must not turn a Slack answer into an error: the change happened.
        process.emitWarning(`A Slack emulator change listener failed: ${String(error)}`);
      }
    }
  }

  snapshot(userId: string): PersonSnapshot {
    return {
      dm: this.#messages.seenBy(userId, this.dmChannelIdFor(userId)),
      home: this.views.home(userId),
      modals: this.views.modals(userId),
    };
  }

  postUserMessage(userId: string, message: { text: string; threadTs?: string }): PostedMessage {
    if (!this.#users.has(userId)) throw new Error(`No member ${userId} in the Slack emulator`);
    return this.#messages.postAsMember(userId, this.dmChannelIdFor(userId), message);
  }

  applyResponseUrlPost(target: ResponseUrlTarget, body: unknown): { status: number; body: string } {
    return this.#messages.applyResponseUrlPost(target, body);
  }

  /**
   * Forgets messages and views; members and DM channel ids stay. With no message left, the ts
   * sequence starts over too: the sandbox's clock goes back to real time on a reset, and a new
   * message must not carry a time from the future it left.
   */
  clearSurfaces(): void {
    this.#tsSeconds = 0;
    this.#tsSequence = 0;
    const people = new Set(this.views.people());
    for (const channel of this.#messages.channels()) {
      const owner = this.#userByDmChannel.get(channel);
      if (owner) people.add(owner);
    }
    this.#messages.clear();
    this.views.clear();
    for (const userId of people) {
      for (const scope of ['dm', 'home', 'modals'] as const) this.changed(userId, scope);
    }
  }

  #nextTs(): string {
    // Slack's ts is "<unix seconds>.<6 digits>", unique per channel and increasing.
    const nowSeconds = Math.floor(this.#now() / 1000);
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
