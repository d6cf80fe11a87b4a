/**
 * Rate limiting of the REST API (/api/...) with @fastify/rate-limit. The gateway would be the
 * usual place, but Debian's Caddy has no rate_limit module; docs/decisions/0009-rate-limiting-in-the-api.md.
 *
 * Two limits, each a token bucket that holds up to a minute's allowance and refills evenly, so a
 * caller may burst and then settles at the limit:
 * - per client address (API_RATE_LIMIT_PER_MINUTE), for every caller without the service token:
 *   anonymous callers, admins, scripts. Checked in onRequest, before anything else is done.
 * - per Slack user (API_RATE_LIMIT_PER_USER_PER_MINUTE), for the bot's calls on a manager's
 *   behalf: they all come from the bot's one address, so they are told apart by the user they act
 *   for, and one compromised or looping caller cannot flood the API. Checked once the call's
 *   signature has been verified (preValidation), so a token without the signing secret cannot
 *   spend a real manager's allowance.
 * The bot's calls on no one's behalf (claims, confirmations, lease renewals of the delivery and
 * reminder ledgers) are not limited: their number follows the number of notes due, and they can
 * only touch rows the caller holds a lease on. Health checks, metrics and Slack's requests are not
 * /api routes. The count is per process: with two api replicas behind the gateway's round robin,
 * a caller gets up to twice the limit.
 */
import fastifyRateLimit, {
  type FastifyRateLimitStore,
  type FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientKey } from '../../core/client-address.ts';
import { AppError } from '../../core/errors.ts';
import type { HttpServer } from '../../http/server.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { presentsServiceToken } from './authenticate.ts';

export { clientKey } from '../../core/client-address.ts';

/** Callers remembered at once, per limit; past it, the one seen longest ago is forgotten. */
const DEFAULT_MAX_CLIENTS = 10_000;
const MINUTE_MS = 60_000;

export interface RateLimitOptions {
  /** API_RATE_LIMIT_PER_MINUTE: requests one client address may make per minute; 0: off. */
  perMinute: number;
  /** API_RATE_LIMIT_PER_USER_PER_MINUTE: the bot's calls for one Slack user; 0: off. */
  perUserPerMinute: number;
  /** Requests carrying it (the bot's) are counted per Slack user, not per address. */
  serviceToken: string;
  metrics: Pick<Metrics, 'httpRateLimited'>;
  now: () => Date;
  maxClients?: number;
}

export type TakeResult =
  | { allowed: true; tokens: number }
  | { allowed: false; tokens: number; retryAfterMs: number };

/**
 * Token buckets by key, in a Map kept in least-recently-used order (a key is re-inserted on each
 * use), so memory stays bounded however many addresses a client sprays from.
 */
export class TokenBuckets {
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(maxKeys = DEFAULT_MAX_CLIENTS) {
    this.#maxKeys = maxKeys;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token from `key`'s bucket of `capacity`, which refills fully every `windowMs`. */
  take(key: string, nowMs: number, capacity: number, windowMs = MINUTE_MS): TakeResult {
    const tokensPerMs = capacity / windowMs;
    const bucket = this.#buckets.get(key);
    let tokens = capacity;
    if (bucket) {
      // max(0, ...): a clock that steps back must not drain the bucket.
      const refill = Math.max(0, nowMs - bucket.at) * tokensPerMs;
      tokens = Math.min(capacity, bucket.tokens + refill);
      this.#buckets.delete(key);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.#buckets.set(key, { tokens, at: nowMs });
    if (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (allowed) return { allowed: true, tokens };
    return { allowed: false, tokens, retryAfterMs: (1 - tokens) / tokensPerMs };
  }
}

/**
 * A store for @fastify/rate-limit that keeps token buckets on the injected clock (its own
 * LocalStore is a fixed window on Date.now(), and tests move time rather than wait). The plugin
 * asks for a count and a time to live: a refused request reports one over `max` and the time
 * until a token is back, which the plugin sends as Retry-After.
 */
export function tokenBucketStore(now: () => Date, maxKeys?: number): FastifyRateLimitStoreCtor {
  class TokenBucketStore implements FastifyRateLimitStore {
    readonly #buckets = new TokenBuckets(maxKeys);
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void {
      const taken = this.#buckets.take(key, now().getTime(), max, timeWindow);
      const perMs = max / timeWindow;
      callback(
        null,
        taken.allowed
          ? { current: max - Math.floor(taken.tokens), ttl: (max - taken.tokens) / perMs }
          : { current: max + 1, ttl: taken.retryAfterMs },
      );
    }
    /** Each limit made from the plugin gets buckets of its own. */
    child(): FastifyRateLimitStore {
      return new TokenBucketStore();
    }
  }
  return TokenBucketStore;
}

/** The Slack user a verified service call acts for, as its counting key; none for the others. */
function slackUserKey(request: FastifyRequest): string | undefined {
  const team = request.headers['x-slack-team-id'];
  const user = request.headers['x-slack-user-id'];
  if (typeof team !== 'string' || typeof user !== 'string') return undefined;
  return `${team}:${user}`;
}

/** The matched route's template, not the raw URL: an encoded path (/%61pi/...) still counts. */
function isApiRoute(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith('/api/') ?? false;
}

type Limit = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Adds the limits to every /api route of `app`. Call it before the routes are registered. */
export async function registerRateLimit(app: HttpServer, options: RateLimitOptions): Promise<void> {
  if (options.perMinute <= 0 && options.perUserPerMinute <= 0) return;
  await app.register(fastifyRateLimit, {
    // Applied by the hooks below rather than to every route, so /healthz, /metrics and
    // /slack/events stay out and each caller meets only the limit that fits it.
    global: false,
    store: tokenBucketStore(options.now, options.maxClients),
    timeWindow: MINUTE_MS,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    onExceeded: () => options.metrics.httpRateLimited.inc(),
  });
  const refusal = (whose: string) => (_request: FastifyRequest, context: { ttl: number }) => {
    const seconds = Math.ceil(context.ttl / 1000);
    return new AppError(
      'rate_limited',
      `Too many requests ${whose}. Try again in ${seconds} seconds.`,
      429,
    );
  };
  const isService = presentsServiceToken(options.serviceToken);

  if (options.perMinute > 0) {
    const byAddress = app.rateLimit({
      max: options.perMinute,
      keyGenerator: (request) => `address ${clientKey(request.ip)}`,
      errorResponseBuilder: refusal('from your address'),
    }) as unknown as Limit;
    app.addHook('onRequest', async (request, reply) => {
      if (isApiRoute(request) && !isService(request)) await byAddress(request, reply);
    });
  }

  if (options.perUserPerMinute > 0) {
    const byUser = app.rateLimit({
      max: options.perUserPerMinute,
      keyGenerator: (request) => `user ${slackUserKey(request)}`,
      errorResponseBuilder: refusal('for this Slack user'),
    }) as unknown as Limit;
    // Registered after registerServiceAuthentication's preValidation hook, so `verified` is set.
    app.addHook('preValidation', async (request, reply) => {
      if (!isApiRoute(request) || !request.serviceSignature?.verified) return;
      if (slackUserKey(request) !== undefined) await byUser(request, reply);
    });
  }
}
