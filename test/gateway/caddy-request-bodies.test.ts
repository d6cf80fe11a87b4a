/**
 * The gateway's limits on request bodies.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MIB, SIGN_IN, send, sendOversized } from '../support/gateway-client.ts';
import { eventually, type Service, setUpGateway, skip } from '../support/gateway-stack.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let api: [Service, Service];
  let bot: Service;

  beforeAll(() => {
    ({ gateway, api, bot } = stack);
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
        const answer = await send(gateway, { path: '/readyz' });
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
});
