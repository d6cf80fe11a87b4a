/** The stand-in's public types: what a test configures, and what the stand-in records. */

import type { StandInOidc } from './oidc.ts';

/** A parsed JSON object, as Slack sends and receives them. */
export type JsonObject = Record<string, unknown>;

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

/** How long to wait for something to happen. */
export interface WaitOptions {
  /** Defaults to 5000 ms. */
  timeoutMs?: number;
}

/** Options common to every injected fault. */
export interface FaultOptions {
  /** How many matching calls the fault applies to; defaults to 1. `Infinity` lasts until reset(). */
  times?: number;
  /** Only calls whose arguments satisfy this are affected; others pass through untouched. */
  when?: (args: JsonObject) => boolean;
}

/** A Slack error code answered as `{ ok: false, error }` with HTTP 200. */
export interface FailNextOptions extends FaultOptions {
  error: string;
}

/** An HTTP 429 with `Retry-After`. */
export interface RateLimitNextOptions extends FaultOptions {
  retryAfterSeconds: number;
}

/** An HTTP 5xx such as Slack's load balancers give during an incident. */
export interface ServerErrorNextOptions extends FaultOptions {
  status?: 500 | 502 | 503 | 504;
}

/** A sender killed between Slack taking its message and the sender learning the message's ts. */
export interface KillAfterPostOptions {
  /** Only a chat.postMessage whose arguments satisfy this triggers the hook; by default, the next. */
  when?: (args: JsonObject) => boolean;
  /** The process to SIGKILL once the answer is written (e.g. a bot's `child.pid`). */
  pid?: number;
  /** Called right after the answer is written (and the kill sent), with what was posted. */
  onPosted?: (post: { args: JsonObject; body: JsonObject }) => void;
}

/** A failure of a `response_url` POST. */
export interface ResponseUrlFailureOptions {
  status: number;
  times?: number;
}

/**
 * How Slack is down: every Web API call answered 503 (an incident at its load balancers); calls
 * accepted and never answered (the client's own timeout ends them); or connections refused (the
 * stand-in stops listening, and listens again on the same port when the outage ends).
 */
export type OutageMode = 'server-error' | 'timeout' | 'refuse';

/** A token bucket: a steady rate, and how many may come at once after a quiet spell. */
export interface TokenBucketLimit {
  perSecond: number;
  burst: number;
}

/** Limits on chat.postMessage, Slack's "about one message per second per channel, with bursts". */
export interface PostingRateLimits {
  perChannel?: TokenBucketLimit;
  /** Every post in the workspace, whatever the channel. */
  workspace?: TokenBucketLimit;
}

/** A post that arrived while a Retry-After the stand-in gave its workspace or channel still ran. */
export interface RateLimitViolation {
  scope: 'channel' | 'workspace';
  teamId: string;
  channel: string;
  at: Date;
  /** From the 429 to this post: a few ms means the post was already on its way. */
  sinceRateLimitMs: number;
  /** How long before the Retry-After ran out it came. */
  earlyByMs: number;
}

export interface RateLimitViolations {
  /** Posts answered 429, by which limit was reached. */
  limited: { channel: number; workspace: number };
  violations: RateLimitViolation[];
}

/** Web API requests that arrived in one second (whatever they were answered, if at all). */
export interface CallRateSample {
  /** The second, as Unix time. */
  second: number;
  calls: number;
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
  /** Adds a workspace member, or replaces the one with the same id. */
  /** "Sign in with Slack" (OpenID Connect): register a client, choose who approves. */
  readonly oidc: StandInOidc;
  addUser(user: SlackUserSeed): void;
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
}

/** The Web API methods the stand-in answers. */
export const STAND_IN_METHODS = [
  'auth.test',
  'users.info',
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
] as const;
export type StandInMethod = (typeof STAND_IN_METHODS)[number];

export function isStandInMethod(method: string): method is StandInMethod {
  return (STAND_IN_METHODS as readonly string[]).includes(method);
}
