/**
 * The emulator's public types: what a test or the sandbox configures, what the emulator records,
 * and what a person would see in a Slack client.
 */

import type { ConversationsHistoryResponse } from '@slack/web-api';
import type {
  CallRateSample,
  FailNextOptions,
  KillAfterPostOptions,
  OutageMode,
  PostingRateLimits,
  RateLimitNextOptions,
  RateLimitViolations,
  ResponseUrlFailureOptions,
  ServerErrorNextOptions,
  WaitOptions,
} from './fault-types.ts';
import type { StandInInstalls } from './installs.ts';
import type { StandInOidc } from './oidc.ts';

export type * from './fault-types.ts';

/** A parsed JSON object, as Slack sends and receives them. */
export type JsonObject = Record<string, unknown>;

/** Slack's message object, as conversations.history returns it. */
export type SlackMessage = NonNullable<ConversationsHistoryResponse['messages']>[number];

/**
 * Slack answers `null` for a few fields that @slack/web-api's generated types mark optional
 * (e.g. a view's `previous_view_id`, history's `channel_actions_ts`): those `K`, and no others,
 * may be null in the emulator's answers.
 */
export type SlackNulls<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] | null };

/** Who the stand-in's workspace, app and bot user are. */
export interface SlackStandInIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
}

/** A workspace member to seed; everything but `id` has a sensible default. */
export interface SlackUserSeed {
  id: string;
  teamId?: string;
  /** The handle (`name` in Slack's user object). Defaults to one derived from `realName`. */
  name?: string;
  realName?: string;
  email?: string;
  /** IANA time zone, e.g. `Europe/Berlin`. Defaults to `America/Los_Angeles`. */
  tz?: string;
  /** Seconds east of UTC. Computed from `tz` at the time of each call when omitted. */
  tzOffset?: number;
  /** Computed from `tz` (e.g. "Central European Summer Time") when omitted. */
  tzLabel?: string;
  /** Returned by users.info only when called with `include_locale`. Defaults to `en-US`. */
  locale?: string;
  deleted?: boolean;
  isBot?: boolean;
  /**
   * The member's status, as users.profile.get, users.info and users.list report it; none by
   * default. {@link SlackStandIn.setUserStatus} changes it as the member would.
   */
  status?: {
    text?: string;
    emoji?: string;
    /** Unix seconds; 0: it does not clear. */
    expiration?: number;
  };
}

/** A user group (Slack's "subteam"): usergroups.list and usergroups.users.list read it. */
export interface SlackUserGroupSeed {
  /** S followed by capitals or digits, as Slack's ids. */
  id: string;
  handle: string;
  name: string;
  /** Member user ids. */
  users: readonly string[];
}

/** Options for {@link startSlackStandIn}. */
export interface SlackStandInOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; defaults to 127.0.0.1. */
  host?: string;
  /** The only tokens accepted. When omitted, any token starting with `xoxb-` is accepted. */
  tokens?: readonly string[];
  identity?: Partial<SlackStandInIdentity>;
  users?: readonly SlackUserSeed[];
  /** Latency added before every answer unless {@link SlackStandIn.setLatency} overrides it. */
  latencyMs?: number;
  /**
   * The emulator's clock, in milliseconds since the epoch (default `Date.now`): it dates message
   * `ts` values and view hashes, and expires trigger ids. The sandbox passes its movable clock.
   */
  now?: () => number;
}

/** What the stand-in answered. `body` is the parsed JSON, or the raw text for non-JSON answers. */
export interface RecordedSlackResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: JsonObject | string;
}

/** One Web API call as the stand-in received and answered it. */
export interface RecordedSlackCall {
  method: string;
  /**
   * The arguments, without `token`. Form values stay strings, as Slack receives them
   * (`include_locale: 'true'`), except the JSON-encoded ones such as `blocks` and `view`,
   * which are parsed back.
   */
  args: JsonObject;
  token: string | undefined;
  /** When the request arrived. */
  at: Date;
  response: RecordedSlackResponse;
}

/** One POST the app made to a `response_url`. */
export interface RecordedResponseUrlPost {
  id: string;
  url: string;
  /** Parsed JSON when the body was JSON, the raw text otherwise. */
  body: unknown;
  contentType: string | undefined;
  at: Date;
  response: { status: number; body: string };
}

/** A running stand-in; see {@link startSlackStandIn}. */
export interface SlackStandIn {
  /** Base URL ending in `/api/`, to be given to a WebClient or Bolt as `slackApiUrl`. */
  readonly url: string;
  /** `http://host:port`, without a path. */
  readonly origin: string;
  readonly port: number;
  readonly identity: SlackStandInIdentity;
  /** Answered Web API calls, in arrival order. */
  readonly calls: readonly RecordedSlackCall[];
  readonly responseUrlPosts: readonly RecordedResponseUrlPost[];
  /** "Sign in with Slack" (OpenID Connect): register a client, choose who approves. */
  readonly oidc: StandInOidc;
  /** Add to Slack: grant installs, see each team's tokens (oauth.v2.access, auth.test). */
  readonly installs: StandInInstalls;
  /** Adds a workspace member, or replaces the one with the same id. */
  addUser(user: SlackUserSeed): void;
  /**
   * The member sets a new status in their Slack client (an empty text and emoji clear it): what
   * users.list, users.info and users.profile.get answer from now on. Returns the
   * `user_status_changed` event Slack sends the app for it; a test sends it signed, as it sends
   * Slack's other events (test/support/slack-harness.ts, `changeSlackStatus`).
   */
  setUserStatus(userId: string, status: NonNullable<SlackUserSeed['status']>): JsonObject;
  /** Adds a user group, or replaces the one with the same id (enabled again, if disabled). */
  setUserGroup(group: SlackUserGroupSeed): void;
  /** Disables a user group (usergroups.disable): gone from usergroups.list. */
  disableUserGroup(id: string): void;
  /** The DM channel id between the bot and this user: the one conversations.open returns. */
  dmChannelIdFor(userId: string): string;
  callsTo(method: string): RecordedSlackCall[];
  /**
   * Resolves with the first call to `method` (`'*'` for any) matching `predicate`, whether already
   * recorded or still to come; rejects after the deadline with a list of the calls that were made.
   */
  waitForCall(
    method: string,
    predicate?: (call: RecordedSlackCall) => boolean,
    options?: WaitOptions,
  ): Promise<RecordedSlackCall>;
  /** `method` may be `'*'` to affect every method. */
  failNext(method: string, options: FailNextOptions): void;
  rateLimitNext(method: string, options: RateLimitNextOptions): void;
  serverErrorNext(method: string, options?: ServerErrorNextOptions): void;
  /**
   * Answers the next successful chat.postMessage matching `when`, then at once SIGKILLs `pid`
   * and calls `onPosted`: the message exists in the DM, but its sender dies before it can confirm.
   */
  killAfterPost(options: KillAfterPostOptions): void;
  /** Adds latency before answering `method` (or every method, with `'*'`). */
  setLatency(method: string, ms: number): void;
  /** A fresh URL on this stand-in that records what is POSTed to it. */
  newResponseUrl(): string;
  failNextResponseUrlPost(options: ResponseUrlFailureOptions): void;
  waitForResponseUrlPost(
    predicate?: (post: RecordedResponseUrlPost) => boolean,
    options?: WaitOptions,
  ): Promise<RecordedResponseUrlPost>;
  /** Calls `listener` after each answered call; returns a function that unsubscribes. */
  onCall(listener: (call: RecordedSlackCall) => void): () => void;
  onResponseUrlPost(listener: (post: RecordedResponseUrlPost) => void): () => void;
  /**
   * Takes Slack down in one of the {@link OutageMode}s (replacing the current one) until
   * {@link SlackStandIn.endOutage}. Calls answered during an outage are recorded; held ones are not.
   */
  startOutage(mode: OutageMode): Promise<void>;
  /** Slack is back: listening again if it had stopped; calls still held are cut off. */
  endOutage(): Promise<void>;
  readonly outage: OutageMode | undefined;
  /** Enforces Slack's posting limits from now on (`undefined` lifts them), with fresh buckets. */
  enforceRateLimits(limits: PostingRateLimits | undefined): void;
  /** Posts limited, and posts that came before a Retry-After ran out, since the limits were set. */
  rateLimitViolations(): RateLimitViolations;
  /** Web API requests per second since the start, oldest first; seconds without any are left out. */
  callRate(): CallRateSample[];
  /**
   * Forgets calls, response_url posts, faults, kill hooks and per-method latency (not an outage,
   * rate limits or the call rate, which are set for a whole scenario and ended explicitly). Seeded users, DM channel ids,
   * views and the message timestamp sequence are kept, so ids and `ts` values stay unique.
   */
  reset(): void;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;

  // What a person sees, for the sandbox: their DM with the bot, App Home and open modals.

  /**
   * Calls `listener` after each change to what a person sees (a message in their DM, their Home
   * tab, their modals), whether a Web API call, a response_url POST or a method below made it.
   * Returns a function that unsubscribes.
   */
  onChange(listener: (change: EmulatorChange) => void): () => void;
  /** The person's DM with the bot (oldest first), Home tab and modal stack (top last). */
  snapshot(userId: string): PersonSnapshot;
  /**
   * A trigger id for an interaction by this person: views.open and views.push with it open the
   * modal for them. It expires after {@link TRIGGER_ID_TTL_MS}.
   */
  issueTriggerId(userId: string): string;
  /** Stores a message the person typed in their DM with the bot (or a thread in it). */
  postUserMessage(userId: string, message: { text: string; threadTs?: string }): PostedMessage;
  /**
   * A response_url whose POSTs are applied as Slack applies them: an ephemeral reply to the
   * person (the default), an `in_channel` message, or the message `messageTs` replaced
   * (`replace_original`) or deleted (`delete_original`). Its POSTs are recorded like any other.
   */
  responseUrlFor(userId: string, target: { channelId: string; messageTs?: string }): string;
  /** Applies the app's answer to a view_submission of `viewId`, as Slack does. */
  applyViewResponse(userId: string, viewId: string, ackBody: unknown): ViewResponseOutcome;
  /**
   * The person pressed Close: closes the view (the whole stack when it has `clear_on_close`).
   * Returns the views closed, top first; none when it was not open.
   */
  closeView(userId: string, viewId: string): EmulatedView[];
  /** The view, when it is the person's Home tab or one of their open modals. */
  viewFor(userId: string, viewId: string): EmulatedView | undefined;
  /**
   * Forgets every person's messages, views, trigger ids and response URLs, and the recorded calls
   * (the sandbox's Reset). Members, DM channel ids and the `ts` sequence are kept.
   */
  resetAll(): void;
}

/** The emulator, by the name the sandbox knows it by. */
export type SlackEmulator = SlackStandIn;
export type SlackEmulatorOptions = SlackStandInOptions;

/** How long a trigger id opens a modal. Slack allows 3 s; a person's browser may be slower. */
export const TRIGGER_ID_TTL_MS = 30_000;

/** The part of a person's Slack client that changed. */
export type ChangeScope = 'dm' | 'home' | 'modals';

export interface EmulatorChange {
  userId: string;
  scope: ChangeScope;
}

/** A message as a person sees it in their DM with the bot. */
export interface EmulatedMessage {
  ts: string;
  channel: string;
  /** The bot's user id, or the person's. */
  user: string;
  text: string;
  blocks?: unknown[];
  /** Set on thread replies (and on a thread's parent, where it equals `ts`). */
  threadTs?: string;
  /** Shown to this person only ("Only visible to you"); in no conversation history. */
  ephemeral?: boolean;
  /** Changed since it was posted (chat.update, or a response_url's replace_original). */
  edited?: boolean;
  metadata?: unknown;
}

/** A `plain_text` text object, as in a modal's title and buttons. */
export interface PlainTextObject {
  type: string;
  text: string;
  emoji?: boolean;
}

/** A view as Slack returns it from views.open, views.update and views.publish. */
export interface EmulatedView {
  id: string;
  team_id: string;
  type: string;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  state: { values: Record<string, unknown> };
  hash: string;
  /** `null` when the app sent none, as Slack answers. */
  title: PlainTextObject | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
  close: PlainTextObject | null;
  submit: PlainTextObject | null;
  previous_view_id: string | null;
  root_view_id: string;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

export interface PersonSnapshot {
  dm: EmulatedMessage[];
  home: EmulatedView | null;
  modals: EmulatedView[];
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** What became of the app's answer to a view_submission. */
export interface ViewResponseOutcome {
  /** `response_action: 'errors'`: a message per input `block_id`; the view stays open. */
  errors?: Record<string, string>;
  /**
   * Why the answer could not be applied (the view is not open, or Slack would reject the answer);
   * the views stay as they were. Slack shows the person a generic error in this case.
   */
  problem?: string;
}

/** The Web API methods the stand-in answers. */
export const STAND_IN_METHODS = [
  'auth.test',
  'users.info',
  'users.list',
  'users.profile.get',
  'conversations.open',
  'conversations.history',
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.delete',
  'views.open',
  'views.update',
  'views.publish',
  'views.push',
  'usergroups.list',
  'usergroups.users.list',
] as const;
export type StandInMethod = (typeof STAND_IN_METHODS)[number];

export function isStandInMethod(method: string): method is StandInMethod {
  return (STAND_IN_METHODS as readonly string[]).includes(method);
}
