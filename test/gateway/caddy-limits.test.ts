/**
 * What the gateway holds back and spreads: request bodies over their limits, rate limiting of
 * /api, its own /metrics, and load balancing over the two api replicas, one of them stopped
 * (last, as it stops one). One file, one gateway: a gateway with its processes takes seconds
 * to start.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  asBot,
  MIB,
  SIGN_IN,
  send,
  sendOversized,
  signedAsBot,
} from '../support/gateway-client.ts';
import {
  eventually,
  RATE_LIMIT_PER_MINUTE,
  type Service,
  setUpGateway,
  skip,
} from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let api: [Service, Service];
  let apiPorts: number[];
  let bot: Service;
  let caddy: Service;
  let metricsUrl: string;

  beforeAll(() => {
    ({ gateway, api, apiPorts, bot, caddy, metricsUrl } = stack);
  });

  /** The api replica that logged a line with this request id, if any did. */
  const apiLinesFor = (requestId: string) =>
    api.flatMap((service) => service.lines.filter((line) => line.requestId === requestId));
  describe('request bodies', () => {
    it('refuses a body over 1 MiB with a JSON 413, for the api and for Slack, before any service sees it', async () => {
      for (const route of [SIGN_IN, '/slack/events']) {
        const answer = await sendOversized(gateway, {
          path: route,
          headers: { 'content-type': 'application/json' },
          body: 'x'.repeat(MIB + 1),
        });
        expect(answer.status, route).toBe(413);
        expect(answer.json()).toEqual({
          code: 'payload_too_large',
          message: 'The request body is larger than 1 MiB.',
          requestId: answer.headers['x-request-id'],
        });
        const requestId = String(answer.headers['x-request-id']);
        expect(apiLinesFor(requestId)).toEqual([]);
        expect(bot.lines.filter((line) => line.requestId === requestId)).toEqual([]);
      }
      // Exactly 1 MiB still goes through, and the api judges it (it is not JSON).
      const atLimit = await send(gateway, {
        path: SIGN_IN,
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(MIB),
        from: '127.0.0.7',
      });
      expect(atLimit.status).toBe(400);
      expect(atLimit.json()).toMatchObject({ code: 'invalid_body' });
    });

    it('refuses a body streamed without a Content-Length once it passes 1 MiB, with the same JSON 413', async () => {
      for (const route of [SIGN_IN, '/slack/events']) {
        const answer = await sendOversized(gateway, {
          path: route,
          headers: { 'content-type': 'application/json' },
          body: 'x'.repeat(2 * MIB),
          chunked: true,
          from: '127.0.0.4',
        });
        expect(answer.status, route).toBe(413);
        expect(answer.json()).toEqual({
          code: 'payload_too_large',
          message: 'The request body is larger than 1 MiB.',
          requestId: answer.headers['x-request-id'],
        });
      }
      // A small streamed body, and a POST with no body at all (curl -X POST), go through: the
      // api reads the body and judges the credentials in it.
      const small = await send(gateway, {
        path: SIGN_IN,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'streamed@example.com', password: 'not-the-password-1' }),
        chunked: true,
        from: '127.0.0.8',
      });
      expect(small.status).toBe(401);
      expect(small.json()).toMatchObject({ code: 'invalid_credentials' });
      const unsigned = await send(gateway, { path: '/slack/events', method: 'POST' });
      expect(unsigned.status).toBe(401);
    });

    it('keeps both replicas in rotation after refused bodies', async () => {
      // Refused bodies of every kind, several per replica: none may take a replica out of
      // rotation (the reason the Caddyfile has no passive health checks). Streamed ones reach the
      // services, whose rate limit counts them: they come from an address of their own.
      for (let i = 0; i < 4; i++) {
        await sendOversized(gateway, { path: SIGN_IN, body: 'x'.repeat(MIB + 1) });
        for (const method of ['POST', 'GET', 'DELETE']) {
          for (const route of [SIGN_IN, '/api/v1/admin/accounts', '/slack/events']) {
            const streamed = await sendOversized(gateway, {
              path: route,
              method,
              body: 'x'.repeat(2 * MIB),
              chunked: true,
              from: '127.0.0.4',
            });
            expect(streamed.status, `${method} ${route}`).toBeLessThan(500);
          }
        }
      }
      const requestIds: string[] = [];
      for (let i = 0; i < 10; i++) {
        // A route the api logs at info, unlike /readyz (src/http/request-log.ts).
        const answer = await send(gateway, { path: '/api/v1/admin/auth/setup', from: '127.0.0.5' });
        expect(answer.status).toBe(200);
        requestIds.push(String(answer.headers['x-request-id']));
      }
      const servedBy = await eventually('both replicas logging their share', () => {
        const names = requestIds.map(
          (id) => api.find((service) => service.lines.some((l) => l.requestId === id))?.name,
        );
        return names.every(Boolean) ? new Set(names) : undefined;
      });
      expect([...servedBy].sort()).toEqual(['api-1', 'api-2']);
    });
  });

  describe('rate limiting of /api', () => {
    it('answers a flood from one client with a JSON 429 and Retry-After; other clients and the bot get through', async () => {
      const flooder = '127.0.0.2';
      let limited: Answer | undefined;
      // Two replicas, each allowing RATE_LIMIT_PER_MINUTE: the flood is refused by the 3rd round.
      for (let i = 0; i < RATE_LIMIT_PER_MINUTE * 3 && !limited; i++) {
        const answer = await send(gateway, {
          path: '/api/v1/admin/accounts',
          from: flooder,
          // A forged X-Forwarded-For does not help: the gateway replaces it.
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
        // Until the limit, the API's own answer: no session, so 401.
        if (answer.status === 429) limited = answer;
        else expect(answer.status).toBe(401);
      }
      expect(limited, 'no 429 within the flood').toBeDefined();
      const answer = limited as Answer;
      expect(answer.json()).toEqual({
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many requests from your address/),
        requestId: answer.headers['x-request-id'],
      });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);

      const neighbour = await send(gateway, { path: '/api/v1/admin/accounts', from: '127.0.0.3' });
      expect(neighbour.status).toBe(401);
      // The bot's signed calls, on the internal network, are counted per Slack user instead.
      const bot = await send(`http://127.0.0.1:${apiPorts[0]}`, {
        path: '/api/v1/topic-categories',
        from: flooder,
        headers: signedAsBot('GET', '/api/v1/topic-categories'),
      });
      expect(bot.status).toBe(200);
      // Health checks are not /api: never limited.
      expect((await send(gateway, { path: '/readyz', from: flooder })).status).toBe(200);
    });
  });

  describe('/metrics', () => {
    it('is not reachable through the gateway, however the path is spelled', async () => {
      const spellings = [
        '/metrics',
        '/metrics/',
        '/metrics?format=prometheus',
        '/METRICS',
        '//metrics',
        '/api/../metrics',
        '/api/%2e%2e/metrics',
        '/api/..%2fmetrics',
        '/api/v1/../../metrics',
        '/slack/../metrics',
        '/slack/events/../../metrics',
        '/healthz/../metrics',
        '/admin/../metrics',
        '/./metrics',
        '/%6detrics',
      ];
      for (const spelling of spellings) {
        const answer = await send(gateway, { path: spelling, headers: asBot });
        expect(answer.status, spelling).toBe(404);
        expect(answer.body, spelling).not.toContain('# HELP');
      }
      // Another Host gets no site at all.
      const otherHost = await send(gateway, { path: '/metrics', headers: { host: 'api:3000' } });
      expect(otherHost.body).not.toContain('# HELP');
    });

    it("serves Caddy's own metrics on the internal listener", async () => {
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('# TYPE caddy_http_requests_total counter');
      expect(text).toMatch(
        /caddy_reverse_proxy_upstreams_healthy\{upstream="127\.0\.0\.1:\d+"\} 1/,
      );
    });
  });

  describe('load balancing', () => {
    it('still answers when one of the two api replicas is stopped: reads at once, writes once the health check has seen it', async () => {
      const [stopped, survivor] = api;
      stopped.child.kill('SIGKILL');
      await stopped.exited;

      // A GET that finds its replica gone is retried on the other one.
      const probes: Answer[] = [];
      const reads: Answer[] = [];
      for (let i = 0; i < 10; i++) {
        probes.push(await send(gateway, { path: '/readyz' }));
        reads.push(await send(gateway, { path: '/api/v1/admin/auth/setup', from: '127.0.0.9' }));
      }
      expect([...probes, ...reads].map((answer) => answer.status)).toEqual(
        [...probes, ...reads].map(() => 200),
      );

      // Caddy cannot retry a POST (caddy#5454), so writes wait for the active health check
      // (every second) to take the stopped replica out of rotation.
      const stoppedUpstream = `"host":"127.0.0.1:${apiPorts[0]}"`;
      await eventually('an active health check failing on the stopped replica', () =>
        caddy
          .output()
          .split('\n')
          .find(
            (line) =>
              line.includes('"msg":"HTTP request failed"') && line.includes(stoppedUpstream),
          ),
      );
      const writes: Answer[] = [];
      for (let i = 0; i < 10; i++) {
        writes.push(
          await send(gateway, {
            path: SIGN_IN,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              email: `nobody-${i}@example.com`,
              password: 'not-the-password-1',
            }),
            // An address and an account each: the sign-in throttle would answer 429 after a few.
            from: `127.0.1.${i + 1}`,
          }),
        );
      }
      expect(writes.map((answer) => answer.status)).toEqual(writes.map(() => 401));

      // The probes are logged at debug, below this api's level (src/http/request-log.ts).
      await eventually('the surviving replica logging every other request', () =>
        [...reads, ...writes].every((answer) =>
          survivor.lines.some((l) => l.requestId === answer.headers['x-request-id']),
        )
          ? true
          : undefined,
      );
    });
  });
});
