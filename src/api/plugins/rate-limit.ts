/**
 * Per-client rate limiting of the REST API (/api/...). The gateway would be the usual place,
 * but Debian's Caddy has no rate_limit module; docs/decisions/0009-rate-limiting-in-the-api.md.
 *
 * Each client address has a token bucket that holds up to a minute's allowance and refills
 * evenly, so a client may burst and then settles at the limit. The bot's calls, which carry the
 * service token, are never limited: they all come from the bot's one address, on behalf of
 * every manager. Health checks, metrics and Slack's requests are not /api routes, so they are
 * never limited either. The count is per process: with two api replicas behind the gateway's
 * round robin, a client gets up to twice the limit.
 */
import { AppError } from '../../core/errors.ts';
import type { HttpServer } from '../../http/server.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { presentsServiceToken } from './authenticate.ts';

/** Clients remembered at once; past it, the one seen longest ago is forgotten. About 1 MB. */
const DEFAULT_MAX_CLIENTS = 10_000;

export interface RateLimitOptions {
  /** API_RATE_LIMIT_PER_MINUTE: requests one client may make per minute; 0 turns it off. */
  perMinute: number;
  /** Requests carrying it (the bot's) are never limited. */
  serviceToken: string;
  metrics: Pick<Metrics, 'httpRateLimited'>;
  now: () => Date;
  maxClients?: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token buckets by key, in a Map kept in least-recently-used order (a key is re-inserted on each
 * use), so memory stays bounded however many addresses a client sprays from.
 */
export class TokenBuckets {
  readonly #capacity: number;
  readonly #tokensPerMs: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(perMinute: number, maxKeys = DEFAULT_MAX_CLIENTS) {
    this.#capacity = perMinute;
    this.#tokensPerMs = perMinute / 60_000;
    this.#maxKeys = maxKeys;
  }

  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, nowMs: number): TakeResult {
    const bucket = this.#buckets.get(key);
    let tokens = this.#capacity;
    if (bucket) {
      // max(0, ...): a clock that steps back must not drain the bucket.
      const refill = Math.max(0, nowMs - bucket.at) * this.#tokensPerMs;
      tokens = Math.min(this.#capacity, bucket.tokens + refill);
      this.#buckets.delete(key);
    }
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    this.#buckets.set(key, { tokens, at: nowMs });
    if (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    if (allowed) return { allowed: true };
    return {
      allowed: false,
      retryAfterSeconds: Math.ceil((1 - tokens) / this.#tokensPerMs / 1000),
    };
  }
}

/**
 * The key a client is counted under: its IPv4 address, or its IPv6 /64, since one IPv6 host
 * usually holds a whole /64 and could otherwise take a fresh address per request.
 */
export function clientKey(ip: string): string {
  const address = ip.split('%')[0] ?? ip;
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** Adds the limit to every /api route of `app`. Call it before the routes are registered. */
export function registerRateLimit(app: HttpServer, options: RateLimitOptions): void {
  if (options.perMinute <= 0) return;
  const buckets = new TokenBuckets(options.perMinute, options.maxClients);
  const isService = presentsServiceToken(options.serviceToken);
  app.addHook('onRequest', async (request, reply) => {
    // The matched route's template, not the raw URL: an encoded path (/%61pi/...) that the
    // router decodes to an /api route is still limited.
    if (!request.routeOptions.url?.startsWith('/api/') || isService(request)) return;
    const result = buckets.take(clientKey(request.ip), options.now().getTime());
    if (result.allowed) return;
    options.metrics.httpRateLimited.inc();
    reply.header('retry-after', String(result.retryAfterSeconds));
    throw new AppError(
      'rate_limited',
      `Too many requests from your address. Try again in ${result.retryAfterSeconds} seconds.`,
      429,
    );
  });
}
