/**
 * A stand-in for Slack's Web API, for tests and for running Blindspot by hand without a workspace.
 *
 * It listens on 127.0.0.1, answers the Web API methods Blindspot uses with Slack-shaped responses,
 * records every call, lets a test inject Slack's failure modes (error codes, rate limits, 5xx,
 * latency), and hosts `response_url` endpoints for slash commands and interactions.
 *
 * Point a `WebClient` (or Bolt's `clientOptions`) at it with `slackApiUrl: standIn.url`.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  AuthTestResponse,
  ChatDeleteResponse,
  ChatPostEphemeralResponse,
  ConversationsOpenResponse,
  UsersInfoResponse,
} from '@slack/web-api';

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

/** A failure of a `response_url` POST. */
export interface ResponseUrlFailureOptions {
  status: number;
  times?: number;
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
   * Forgets calls, response_url posts, faults and per-method latency. Seeded users, DM channel ids,
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
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'chat.delete',
  'views.open',
  'views.update',
  'views.publish',
  'views.push',
] as const;

const DEFAULT_WAIT_MS = 5000;
const DEFAULT_TIME_ZONE = 'America/Los_Angeles';
const RESPONSE_URL_PATH = '/response-url/';

const DEFAULT_IDENTITY: SlackStandInIdentity = {
  teamId: 'T0STANDIN',
  teamName: 'Blindspot Stand-in',
  teamDomain: 'blindspot-stand-in',
  appId: 'A0STANDIN',
  botId: 'B0STANDIN',
  botUserId: 'U0STANDINBOT',
  botName: 'blindspot',
};

// Form-encoded callers (WebClient's default) send these arguments as JSON strings: "A JSON-based
// array of structured blocks, presented as a URL-encoded string."
// https://docs.slack.dev/reference/methods/chat.postMessage
const JSON_ENCODED_ARGUMENTS = new Set([
  'attachments',
  'blocks',
  'metadata',
  'user_auth_blocks',
  'view',
]);

type Fault =
  | { kind: 'error'; error: string; remaining: number; when?: (args: JsonObject) => boolean }
  | {
      kind: 'rate-limit';
      retryAfterSeconds: number;
      remaining: number;
      when?: (args: JsonObject) => boolean;
    }
  | {
      kind: 'server-error';
      status: number;
      remaining: number;
      when?: (args: JsonObject) => boolean;
    };

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: JsonObject | string;
}

interface ParsedApiRequest {
  args: JsonObject;
  formToken: string | undefined;
  invalidJson: boolean;
  warnings: string[];
}

interface Waiter<T> {
  matches: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  describe: () => string;
}

interface StoredView {
  view: JsonObject;
  hash: string;
}

/** Starts a stand-in and resolves once it is listening. */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const standIn = new SlackStandInServer(options);
  await standIn.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return standIn;
}

class SlackStandInServer implements SlackStandIn {
  readonly identity: SlackStandInIdentity;
  #origin = '';
  #port = 0;
  readonly #server = createServer((req, res) => {
    void this.#handle(req, res);
  });
  readonly #events = new EventEmitter();
  readonly #closing = new AbortController();
  readonly #validTokens: ReadonlySet<string> | undefined;
  readonly #defaultLatencyMs: number;
  readonly #latencyByMethod = new Map<string, number>();
  readonly #faults = new Map<string, Fault[]>();
  readonly #responseUrlFaults: { status: number; remaining: number }[] = [];
  readonly #calls: RecordedSlackCall[] = [];
  /** Arrival number of each entry of #calls, kept apart so recorded calls stay plain data. */
  readonly #callArrivals: number[] = [];
  readonly #responseUrlPosts: RecordedResponseUrlPost[] = [];
  readonly #callWaiters = new Set<Waiter<RecordedSlackCall>>();
  readonly #postWaiters = new Set<Waiter<RecordedResponseUrlPost>>();
  readonly #users = new Map<string, SlackUserSeed>();
  readonly #dmChannelByUser = new Map<string, string>();
  readonly #userByDmChannel = new Map<string, string>();
  readonly #messages = new Map<string, JsonObject>();
  readonly #views = new Map<string, StoredView>();
  readonly #homeViewByUser = new Map<string, string>();
  readonly #startedAtSeconds = Math.floor(Date.now() / 1000);
  #arrivals = 0;
  #idCounter = 0;
  #tsSeconds = 0;
  #tsSequence = 0;
  #closed = false;

  constructor(options: SlackStandInOptions) {
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.#validTokens = options.tokens ? new Set(options.tokens) : undefined;
    this.#defaultLatencyMs = options.latencyMs ?? 0;
    this.addUser({
      id: this.identity.botUserId,
      name: this.identity.botName,
      realName: this.identity.botName,
      isBot: true,
    });
    for (const user of options.users ?? []) this.addUser(user);
  }

  async listen(port: number, host: string): Promise<void> {
    this.#server.listen(port, host);
    await once(this.#server, 'listening');
    const address = this.#server.address() as AddressInfo;
    this.#port = address.port;
    this.#origin = `http://${host}:${address.port}`;
  }

  get url(): string {
    return `${this.#origin}/api/`;
  }

  get origin(): string {
    return this.#origin;
  }

  get port(): number {
    return this.#port;
  }

  get calls(): readonly RecordedSlackCall[] {
    return this.#calls;
  }

  get responseUrlPosts(): readonly RecordedResponseUrlPost[] {
    return this.#responseUrlPosts;
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

  callsTo(method: string): RecordedSlackCall[] {
    return this.#calls.filter((call) => call.method === method);
  }

  waitForCall(
    method: string,
    predicate: (call: RecordedSlackCall) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<RecordedSlackCall> {
    const matches = (call: RecordedSlackCall) =>
      (method === '*' || call.method === method) && predicate(call);
    return this.#waitFor(this.#calls, this.#callWaiters, matches, options, () => {
      const what = method === '*' ? 'call' : `${method} call`;
      return `no ${what} matching the predicate arrived.\n${this.#describeCalls()}`;
    });
  }

  failNext(method: string, options: FailNextOptions): void {
    this.#addFault(method, { kind: 'error', error: options.error, ...faultCount(options) });
  }

  rateLimitNext(method: string, options: RateLimitNextOptions): void {
    this.#addFault(method, {
      kind: 'rate-limit',
      retryAfterSeconds: options.retryAfterSeconds,
      ...faultCount(options),
    });
  }

  serverErrorNext(method: string, options: ServerErrorNextOptions = {}): void {
    this.#addFault(method, {
      kind: 'server-error',
      status: options.status ?? 500,
      ...faultCount(options),
    });
  }

  setLatency(method: string, ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`Latency must be 0 ms or more, got ${ms}`);
    this.#latencyByMethod.set(method, ms);
  }

  newResponseUrl(): string {
    return `${this.#origin}${RESPONSE_URL_PATH}${randomBytes(12).toString('hex')}`;
  }

  failNextResponseUrlPost(options: ResponseUrlFailureOptions): void {
    this.#responseUrlFaults.push({
      status: options.status,
      remaining: faultCount(options).remaining,
    });
  }

  waitForResponseUrlPost(
    predicate: (post: RecordedResponseUrlPost) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<RecordedResponseUrlPost> {
    return this.#waitFor(this.#responseUrlPosts, this.#postWaiters, predicate, options, () => {
      const posts = this.#responseUrlPosts.map(
        (post, index) => `  ${index + 1}. ${post.url} ${truncate(JSON.stringify(post.body))}`,
      );
      return `no response_url POST matching the predicate arrived.\nPosts so far (${posts.length}):${
        posts.length > 0 ? `\n${posts.join('\n')}` : ' none'
      }`;
    });
  }

  onCall(listener: (call: RecordedSlackCall) => void): () => void {
    this.#events.on('call', listener);
    return () => this.#events.off('call', listener);
  }

  onResponseUrlPost(listener: (post: RecordedResponseUrlPost) => void): () => void {
    this.#events.on('response-url-post', listener);
    return () => this.#events.off('response-url-post', listener);
  }

  reset(): void {
    this.#calls.length = 0;
    this.#callArrivals.length = 0;
    this.#responseUrlPosts.length = 0;
    this.#faults.clear();
    this.#responseUrlFaults.length = 0;
    this.#latencyByMethod.clear();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort();
    const closedError = (waiter: { describe: () => string }) =>
      new Error(`The Slack stand-in was closed while waiting: ${waiter.describe()}`);
    for (const waiter of this.#callWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError(waiter));
    }
    for (const waiter of this.#postWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError(waiter));
    }
    this.#callWaiters.clear();
    this.#postWaiters.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {
      // The client may have hung up while we were adding latency; nothing left to tell it.
    });
    const arrivedAt = new Date();
    const arrival = this.#arrivals++;
    const requestUrl = new URL(req.url ?? '/', this.#origin);
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch {
      return;
    }

    if (requestUrl.pathname.startsWith(RESPONSE_URL_PATH)) {
      this.#handleResponseUrlPost(req, res, requestUrl, rawBody, arrivedAt);
      return;
    }
    if (!requestUrl.pathname.startsWith('/api/')) {
      send(res, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' });
      return;
    }

    const method = decodeURIComponent(requestUrl.pathname.slice('/api/'.length));
    const parsed = parseApiRequest(req.headers['content-type'], rawBody, requestUrl.searchParams);
    const token = bearerToken(req.headers.authorization) ?? parsed.formToken;
    const answer = this.#answerOrReportFailure(method, parsed, token);

    const latencyMs =
      this.#latencyByMethod.get(method) ?? this.#latencyByMethod.get('*') ?? this.#defaultLatencyMs;
    if (latencyMs > 0) {
      try {
        await delay(latencyMs, undefined, { signal: this.#closing.signal });
      } catch {
        return;
      }
    }

    send(res, answer);
    this.#record(arrival, {
      method,
      args: parsed.args,
      token,
      at: arrivedAt,
      response: { status: answer.status, headers: answer.headers, body: answer.body },
    });
  }

  #handleResponseUrlPost(
    req: IncomingMessage,
    res: ServerResponse,
    requestUrl: URL,
    rawBody: string,
    arrivedAt: Date,
  ): void {
    const contentType = req.headers['content-type'];
    const fault = this.#responseUrlFaults[0];
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#responseUrlFaults.shift();
    }
    const status = fault?.status ?? 200;
    // Slack answers a response_url POST with the plain text "ok", not a JSON object.
    // https://github.com/pyslackers/slack-sansio/pull/42
    const responseBody = fault ? (STATUS_CODES[status] ?? 'error') : 'ok';
    send(res, { status, headers: { 'content-type': 'text/plain' }, body: responseBody });

    const post: RecordedResponseUrlPost = {
      id: requestUrl.pathname.slice(RESPONSE_URL_PATH.length),
      url: `${this.#origin}${requestUrl.pathname}`,
      body: mediaType(contentType) === 'application/json' ? parseJsonOrText(rawBody) : rawBody,
      contentType,
      at: arrivedAt,
      response: { status, body: responseBody },
    };
    this.#responseUrlPosts.push(post);
    this.#settleWaiters(this.#postWaiters, post);
    this.#events.emit('response-url-post', post);
  }

  #record(arrival: number, call: RecordedSlackCall): void {
    // Calls are answered after their latency, so a later arrival can finish first; keep the list
    // in arrival order all the same.
    let index = this.#calls.length;
    while (index > 0 && (this.#callArrivals[index - 1] ?? 0) > arrival) index -= 1;
    this.#calls.splice(index, 0, call);
    this.#callArrivals.splice(index, 0, arrival);
    this.#settleWaiters(this.#callWaiters, call);
    this.#events.emit('call', call);
  }

  // ---------------------------------------------------------------------------------------------
  // Answers

  #answerOrReportFailure(
    method: string,
    request: ParsedApiRequest,
    token: string | undefined,
  ): Answer {
    try {
      return this.#answer(method, request, token);
    } catch (error) {
      // A throwing `when` predicate is a bug in the test; answer 500 so it shows up in `calls`.
      const message = error instanceof Error ? error.message : String(error);
      return {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `Slack stand-in failed: ${message}`,
      };
    }
  }

  #answer(method: string, request: ParsedApiRequest, token: string | undefined): Answer {
    const fault = this.#takeFault(method, request.args);
    if (fault) return answerForFault(fault);
    if (!isStandInMethod(method)) return slackJson({ ok: false, error: 'unknown_method' });
    if (request.invalidJson) return slackJson({ ok: false, error: 'invalid_json' });
    if (!token) return slackJson({ ok: false, error: 'not_authed' });
    if (!this.#isValidToken(token)) return slackJson({ ok: false, error: 'invalid_auth' });

    const body = this.#methodHandlers[method](request.args);
    if (body.ok === true && request.warnings.length > 0) {
      // Slack reports request problems it tolerated both as `warning` and in response_metadata.
      // https://docs.slack.dev/changelog/2016-09-28-response-metadata-is-on-the-way
      body.warning = request.warnings.join(',');
      body.response_metadata = { warnings: request.warnings };
    }
    return slackJson(body);
  }

  readonly #methodHandlers: Record<
    (typeof STAND_IN_METHODS)[number],
    (args: JsonObject) => JsonObject
  > = {
    'auth.test': () => this.#authTest(),
    'users.info': (args) => this.#usersInfo(args),
    'conversations.open': (args) => this.#conversationsOpen(args),
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
      user: this.#userObject(user, flagArg(args, 'include_locale')),
    } satisfies UsersInfoResponse;
  }

  #userObject(user: SlackUserSeed, includeLocale: boolean): NonNullable<UsersInfoResponse['user']> {
    const now = new Date();
    const tz = user.tz ?? DEFAULT_TIME_ZONE;
    const realName = user.realName ?? `User ${user.id}`;
    const [firstName = realName, ...otherNames] = realName.split(' ');
    const isBot = user.isBot ?? false;
    return {
      id: user.id,
      team_id: user.teamId ?? this.identity.teamId,
      name: user.name ?? realName.toLowerCase().replaceAll(/\s+/g, '.'),
      deleted: user.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz,
      tz_label: user.tzLabel ?? timeZoneLabel(tz, now),
      tz_offset: user.tzOffset ?? timeZoneOffsetSeconds(tz, now),
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: '',
        display_name_normalized: '',
        first_name: firstName,
        last_name: otherNames.join(' '),
        title: '',
        phone: '',
        skype: '',
        status_text: '',
        status_emoji: '',
        status_expiration: 0,
        avatar_hash: 'g0000000000',
        image_48: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=48`,
        image_72: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=72`,
        team: user.teamId ?? this.identity.teamId,
        ...(user.email ? { email: user.email } : {}),
        ...(isBot ? { bot_id: this.identity.botId, api_app_id: this.identity.appId } : {}),
      },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: isBot,
      is_app_user: false,
      updated: this.#startedAtSeconds,
      is_email_confirmed: !isBot,
      who_can_share_contact_card: 'EVERYONE',
      ...(includeLocale ? { locale: user.locale ?? 'en-US' } : {}),
    };
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
          created: this.#startedAtSeconds,
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
        updated: this.#startedAtSeconds,
        team_id: this.identity.teamId,
      },
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs, parent_user_id: this.identity.botUserId } : {}),
    };
    this.#messages.set(messageKey(channel, ts), message);
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

  // ---------------------------------------------------------------------------------------------
  // Helpers

  #isValidToken(token: string): boolean {
    return this.#validTokens ? this.#validTokens.has(token) : token.startsWith('xoxb-');
  }

  #addFault(method: string, fault: Fault): void {
    const queue = this.#faults.get(method) ?? [];
    queue.push(fault);
    this.#faults.set(method, queue);
  }

  #takeFault(method: string, args: JsonObject): Fault | undefined {
    for (const key of [method, '*']) {
      const queue = this.#faults.get(key) ?? [];
      const index = queue.findIndex((fault) => !fault.when || fault.when(args));
      const fault = queue[index];
      if (!fault) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) queue.splice(index, 1);
      return fault;
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

  #waitFor<T>(
    recorded: readonly T[],
    waiters: Set<Waiter<T>>,
    matches: (item: T) => boolean,
    options: WaitOptions,
    describeTimeout: () => string,
  ): Promise<T> {
    const found = recorded.find(matches);
    if (found) return Promise.resolve(found);
    if (this.#closed) return Promise.reject(new Error('The Slack stand-in is closed.'));
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        matches,
        resolve,
        reject,
        describe: describeTimeout,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms: ${describeTimeout()}`));
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }

  #settleWaiters<T>(waiters: Set<Waiter<T>>, item: T): void {
    for (const waiter of waiters) {
      if (!waiter.matches(item)) continue;
      clearTimeout(waiter.timer);
      waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  #describeCalls(): string {
    if (this.#calls.length === 0) return 'Calls so far: none';
    const lines = this.#calls.map((call, index) => {
      const { body } = call.response;
      const outcome =
        typeof body === 'string' ? body : body.ok === true ? 'ok' : String(body.error ?? 'error');
      return `  ${index + 1}. ${call.method} ${truncate(JSON.stringify(call.args))} -> ${call.response.status} ${outcome}`;
    });
    return `Calls so far (${this.#calls.length}):\n${lines.join('\n')}`;
  }
}

function isStandInMethod(method: string): method is (typeof STAND_IN_METHODS)[number] {
  return (STAND_IN_METHODS as readonly string[]).includes(method);
}

function faultCount(options: { times?: number; when?: (args: JsonObject) => boolean }): {
  remaining: number;
  when?: (args: JsonObject) => boolean;
} {
  const times = options.times ?? 1;
  if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
    throw new RangeError(`times must be a positive integer or Infinity, got ${times}`);
  }
  return options.when ? { remaining: times, when: options.when } : { remaining: times };
}

function answerForFault(fault: Fault): Answer {
  switch (fault.kind) {
    case 'error':
      // Slack reports method errors with HTTP 200 and `ok: false`.
      // https://docs.slack.dev/apis/web-api
      return slackJson({ ok: false, error: fault.error });
    case 'rate-limit':
      // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 and a Retry-After in seconds;
      // the body carries the `ratelimited` error (https://github.com/slackapi/python-slack-sdk/issues/805).
      return {
        status: 429,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'retry-after': String(fault.retryAfterSeconds),
        },
        body: { ok: false, error: 'ratelimited' },
      };
    case 'server-error':
      return {
        status: fault.status,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `${fault.status} ${STATUS_CODES[fault.status] ?? 'Server Error'}`,
      };
  }
}

function slackJson(body: JsonObject): Answer {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, answer.headers);
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseApiRequest(
  contentType: string | undefined,
  rawBody: string,
  query: URLSearchParams,
): ParsedApiRequest {
  const args: JsonObject = {};
  const warnings: string[] = [];
  let formToken: string | undefined;
  let invalidJson = false;
  const type = mediaType(contentType);
  const declaresCharset = /;\s*charset=/i.test(contentType ?? '');

  const takeFormFields = (fields: URLSearchParams) => {
    for (const [key, value] of fields) {
      if (key === 'token') formToken = value;
      else args[key] = JSON_ENCODED_ARGUMENTS.has(key) ? parseJsonOrText(value) : value;
    }
  };

  takeFormFields(query);
  if (type === 'application/json') {
    // JSON bodies need the charset, or Slack warns `missing_charset`; and a token inside a JSON
    // body is ignored: it must come in the Authorization header.
    // https://docs.slack.dev/changelog/2017-10-keeping-up-with-the-jsons
    if (!declaresCharset) warnings.push('missing_charset');
    if (rawBody.trim() !== '') {
      const parsed = parseJsonOrText(rawBody);
      if (isJsonObject(parsed)) {
        for (const [key, value] of Object.entries(parsed)) if (key !== 'token') args[key] = value;
      } else {
        invalidJson = true;
      }
    }
  } else {
    // Form bodies must not declare a charset; Slack warns `superfluous_charset` when they do.
    // https://github.com/slackapi/python-slack-sdk/issues/692
    if (type === 'application/x-www-form-urlencoded' && declaresCharset) {
      warnings.push('superfluous_charset');
    }
    takeFormFields(new URLSearchParams(rawBody));
  }
  return { args, formToken, invalidJson, warnings };
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

function stringArg(args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function flagArg(args: JsonObject, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

function objectArg(args: JsonObject, key: string): JsonObject | undefined {
  const value = args[key];
  return isJsonObject(value) ? value : undefined;
}

function hasMessageContent(args: JsonObject): boolean {
  return (
    stringArg(args, 'text') !== undefined ||
    (Array.isArray(args.blocks) && args.blocks.length > 0) ||
    (Array.isArray(args.attachments) && args.attachments.length > 0)
  );
}

function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function truncate(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function timeZoneLabel(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'long' }).formatToParts(
    at,
  );
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

function timeZoneOffsetSeconds(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    timeZoneName: 'longOffset',
  }).formatToParts(at);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  const [, sign, hours, minutes] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
}
