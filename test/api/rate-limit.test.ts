/**
 * Rate limiting of /api (src/api/plugins/rate-limit.ts, @fastify/rate-limit), on the real API with
 * an injected clock: the limit, Retry-After, the refill, whose address counts, and the bot's calls
 * counted per Slack user once their signature holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerApi } from '../../src/api/app.ts';
import { clientKey, TokenBuckets } from '../../src/api/plugins/rate-limit.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { TEST_SERVICE_TOKEN } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { signedInject, TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';

const PER_MINUTE = 3;
const PER_USER_PER_MINUTE = 5;
let database: TestDatabase;
let time = Date.parse('2026-03-02T09:00:00Z');
const servers: HttpServer[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await database?.drop();
});

async function startApi(
  perMinute = PER_MINUTE,
  perUserPerMinute = PER_USER_PER_MINUTE,
): Promise<{ api: HttpServer; metrics: Metrics }> {
  const metrics = createMetrics();
  const api = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'test' }),
    metrics,
  });
  await registerApi(api, {
    db: database.db,
    serviceToken: TEST_SERVICE_TOKEN,
    signingSecret: TEST_API_SIGNING_SECRET,
    metrics,
    version: 'test',
    now: () => new Date(time),
    rateLimitPerMinute: perMinute,
    rateLimitPerUserPerMinute: perUserPerMinute,
  });
  servers.push(api);
  return { api, metrics };
}

/** An unauthenticated call: it answers 401 until the limit answers 429 first. */
function callFrom(
  api: HttpServer,
  remoteAddress: string,
  headers: Record<string, string> = {},
  url = '/api/v1/me',
) {
  const slackUser = { 'x-slack-team-id': 'T0LIMIT', 'x-slack-user-id': 'U0LIMIT' };
  return api.inject({ url, remoteAddress, headers: { ...slackUser, ...headers } });
}

async function rateLimitedCount(metrics: Metrics): Promise<number> {
  return (await metrics.httpRateLimited.get()).values[0]?.value ?? 0;
}

describe('per-client rate limiting of /api', () => {
  it('when a client goes over the limit, it gets a JSON 429 with Retry-After, and the metric counts it', async () => {
    const { api, metrics } = await startApi();
    for (let i = 0; i < PER_MINUTE; i++) {
      expect((await callFrom(api, '203.0.113.10')).statusCode).toBe(401);
    }
    const limited = await callFrom(api, '203.0.113.10');
    expect(limited.statusCode).toBe(429);
    // A minute's allowance of 3 refills one request every 20 s.
    expect(limited.headers['retry-after']).toBe('20');
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
    expect(limited.json()).toEqual({
      code: 'rate_limited',
      message: 'Too many requests from your address. Try again in 20 seconds.',
      requestId: limited.headers['x-request-id'],
    });
    expect(await rateLimitedCount(metrics)).toBe(1);
    const exposed = (await api.inject('/metrics')).body;
    expect(exposed).toContain('blindspot_http_rate_limited_total 1');
  });

  it('refills as the clock moves: one request per 60/limit seconds, a full minute restores all', async () => {
    const { api } = await startApi();
    for (let i = 0; i < PER_MINUTE; i++) await callFrom(api, '203.0.113.20');
    expect((await callFrom(api, '203.0.113.20')).statusCode).toBe(429);

    time += 19_000;
    const early = await callFrom(api, '203.0.113.20');
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    time += 1_000;
    expect((await callFrom(api, '203.0.113.20')).statusCode).toBe(401);
    expect((await callFrom(api, '203.0.113.20')).statusCode).toBe(429);

    time += 60_000;
    for (let i = 0; i < PER_MINUTE; i++) {
      expect((await callFrom(api, '203.0.113.20')).statusCode).toBe(401);
    }
    expect((await callFrom(api, '203.0.113.20')).statusCode).toBe(429);
  });

  it('counts each client on its own: another address still gets through', async () => {
    const { api } = await startApi();
    for (let i = 0; i <= PER_MINUTE; i++) await callFrom(api, '203.0.113.30');
    expect((await callFrom(api, '203.0.113.30')).statusCode).toBe(429);
    expect((await callFrom(api, '203.0.113.31')).statusCode).toBe(401);
  });

  it('takes the client from X-Forwarded-For only when the gateway (a private or loopback peer) sent it', async () => {
    const { api } = await startApi();
    // Behind the gateway: the peer is the gateway, the client is in X-Forwarded-For.
    for (let i = 0; i < PER_MINUTE; i++) {
      await callFrom(api, '172.18.0.5', { 'x-forwarded-for': '198.51.100.1' });
    }
    expect(
      (await callFrom(api, '172.18.0.5', { 'x-forwarded-for': '198.51.100.1' })).statusCode,
    ).toBe(429);
    expect(
      (await callFrom(api, '172.18.0.5', { 'x-forwarded-for': '198.51.100.2' })).statusCode,
    ).toBe(401);

    // A client on the internet cannot name itself someone new with each request.
    for (let i = 0; i < PER_MINUTE; i++) {
      await callFrom(api, '203.0.113.40', { 'x-forwarded-for': `192.0.2.${i}` });
    }
    const forged = await callFrom(api, '203.0.113.40', { 'x-forwarded-for': '192.0.2.99' });
    expect(forged.statusCode).toBe(429);
  });

  it("counts the bot's calls per Slack user, not by its one address, with their own limit", async () => {
    const { api } = await startApi();
    const asBot = (user: string) =>
      api.inject(
        signedInject(
          {
            url: '/api/v1/topic-categories',
            remoteAddress: '172.18.0.9',
            headers: {
              authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
              'x-slack-team-id': 'T0LIMIT',
              'x-slack-user-id': user,
            },
          },
          () => new Date(time),
        ),
      );
    // Far past the per-address limit from one address: each user has an allowance of their own.
    for (let i = 0; i < PER_USER_PER_MINUTE; i++) {
      expect((await asBot('U0BUSY')).statusCode).toBe(200);
      expect((await asBot(`U0OTHER${i}`)).statusCode).toBe(200);
    }
    const limited = await asBot('U0BUSY');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      code: 'rate_limited',
      message: 'Too many requests for this Slack user. Try again in 12 seconds.',
      requestId: limited.headers['x-request-id'],
    });
    expect(limited.headers['retry-after']).toBe('12');
    expect((await asBot('U0QUIET')).statusCode).toBe(200);
    // Unauthenticated callers from the bot's address still meet the per-address limit.
    for (let i = 0; i < PER_MINUTE; i++) await callFrom(api, '172.18.0.9');
    expect((await callFrom(api, '172.18.0.9')).statusCode).toBe(429);
    expect((await asBot('U0QUIET')).statusCode).toBe(200);
  });

  it("does not let the token without a valid signature spend a manager's allowance", async () => {
    const { api } = await startApi();
    const unsigned = {
      authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
      'x-slack-user-id': 'U0VICTIM',
    };
    for (let i = 0; i < PER_USER_PER_MINUTE * 2; i++) {
      const answer = await callFrom(api, '203.0.113.80', unsigned, '/api/v1/topic-categories');
      expect(answer.statusCode).toBe(401);
    }
    const victim = await api.inject(
      signedInject(
        {
          url: '/api/v1/topic-categories',
          headers: { ...unsigned, 'x-slack-team-id': 'T0LIMIT' },
        },
        () => new Date(time),
      ),
    );
    expect(victim.statusCode).toBe(200);
  });

  it('is off for the bot at 0, while the per-address limit stays', async () => {
    const { api } = await startApi(PER_MINUTE, 0);
    for (let i = 0; i < PER_USER_PER_MINUTE * 2; i++) {
      const answer = await api.inject(
        signedInject(
          {
            url: '/api/v1/topic-categories',
            headers: {
              authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
              'x-slack-team-id': 'T0LIMIT',
              'x-slack-user-id': 'U0BUSY',
            },
          },
          () => new Date(time),
        ),
      );
      expect(answer.statusCode).toBe(200);
    }
    for (let i = 0; i < PER_MINUTE; i++) await callFrom(api, '203.0.113.90');
    expect((await callFrom(api, '203.0.113.90')).statusCode).toBe(429);
  });

  it('never limits health checks or metrics: they are not /api routes', async () => {
    const { api } = await startApi();
    for (let i = 0; i <= PER_MINUTE; i++) await callFrom(api, '203.0.113.50');
    expect((await callFrom(api, '203.0.113.50')).statusCode).toBe(429);
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      for (let i = 0; i <= PER_MINUTE; i++) {
        expect((await callFrom(api, '203.0.113.50', {}, url)).statusCode, url).toBe(200);
      }
    }
  });

  it('limits a route reached through an encoded path, since it goes by the matched route', async () => {
    const { api } = await startApi();
    for (let i = 0; i < PER_MINUTE; i++) {
      expect((await callFrom(api, '203.0.113.60', {}, '/%61pi/v1/me')).statusCode).toBe(401);
    }
    expect((await callFrom(api, '203.0.113.60', {}, '/api/v1/me')).statusCode).toBe(429);
  });

  it('is off at 0', async () => {
    const { api } = await startApi(0, 0);
    for (let i = 0; i < 20; i++) {
      expect((await callFrom(api, '203.0.113.70')).statusCode).toBe(401);
    }
  });
});

describe('the buckets behind it', () => {
  it('counts an IPv6 client by its /64, and an IPv4-mapped address as IPv4', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientKey('198.51.100.7')).toBe('198.51.100.7');
  });

  it('remembers a bounded number of clients, forgetting the one seen longest ago', () => {
    const buckets = new TokenBuckets(3);
    for (const key of ['a', 'b', 'c']) expect(buckets.take(key, 0, 1).allowed).toBe(true);
    // 'a' is used again (and refused), so 'b' is now the one seen longest ago.
    expect(buckets.take('a', 0, 1).allowed).toBe(false);
    expect(buckets.take('d', 0, 1).allowed).toBe(true);
    expect(buckets.size).toBe(3);
    expect(buckets.take('a', 0, 1).allowed).toBe(false);
    expect(buckets.take('b', 0, 1).allowed).toBe(true);
  });

  it('does not drain a bucket when the clock steps back', () => {
    const buckets = new TokenBuckets();
    expect(buckets.take('a', 10_000, 60).allowed).toBe(true);
    expect(buckets.take('a', 0, 60)).toEqual({ allowed: true, tokens: 58 });
  });
});
