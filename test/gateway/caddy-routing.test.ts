/**
 * What the gateway routes where (the admin API and docs, the bot's routes, health and the
 * admin app), the request ids it gives each request, and the security headers it adds. One
 * file, one gateway: the access log test reads an Authorization header that the routing tests
 * sent through Caddy, and a gateway with its processes takes seconds to start.
 *
 * The gateway and the processes behind it: test/support/gateway-stack.ts; needs Debian's caddy
 * (2.6), else the file is skipped, except in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_SERVICE_TOKEN, TEST_SIGNING_SECRET } from '../support/app.ts';
import {
  ADMIN_API_KEY,
  MIB,
  SIGN_IN,
  send,
  sendOversized,
  signedAsBot,
} from '../support/gateway-client.ts';
import { eventually, type Service, setUpGateway, skip } from '../support/gateway-stack.ts';
import { createSlackRequester } from '../support/slack-requests.ts';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  const stack = setUpGateway();
  let gateway: string;
  let api: [Service, Service];
  let apiPorts: number[];
  let bot: Service;
  let caddy: Service;

  beforeAll(() => {
    ({ gateway, api, apiPorts, bot, caddy } = stack);
  });

  /** The api replica that logged a line with this request id, if any did. */
  const apiLinesFor = (requestId: string) =>
    api.flatMap((service) => service.lines.filter((line) => line.requestId === requestId));

  describe('routing', () => {
    it('sends the admin API and the API docs to an api replica', async () => {
      const from = '127.0.0.5';
      const setup = await send(gateway, { path: '/api/v1/admin/auth/setup', from });
      expect(setup.status).toBe(200);
      await eventually(
        'the api logging the request',
        () => apiLinesFor(String(setup.headers['x-request-id']))[0],
      );
      // The docs reach the api, which shows them to signed-in admins only: its own 404, not the
      // gateway's. Directly, on the internal network, they are there.
      for (const route of ['/api/openapi.json', '/api/docs', '/api/docs/']) {
        const answer = await send(gateway, { path: route, from });
        expect(answer.status, route).toBe(404);
        expect(answer.json(), route).toMatchObject({ message: `No route GET ${route}.` });
      }
      // A manager's export link (issue 16) reaches the api: its own JSON 404 for a token it
      // never issued, not the gateway's.
      const link = await send(gateway, { path: `/api/v1/exports?token=${'A'.repeat(43)}`, from });
      expect(link.status).toBe(404);
      expect(link.json()).toMatchObject({ code: 'export_not_found' });
      const direct = await send(`http://127.0.0.1:${apiPorts[0]}`, { path: '/api/openapi.json' });
      expect(direct.status).toBe(200);
      expect(direct.json().openapi).toBe('3.1.0');
      // An admin (here by API key; a session cookie works the same) reads them from outside.
      const admin = { authorization: `Bearer ${ADMIN_API_KEY}` };
      const document = await send(gateway, { path: '/api/openapi.json', from, headers: admin });
      expect(document.status).toBe(200);
      expect(document.json().openapi).toBe('3.1.0');
      const ui = await send(gateway, { path: '/api/docs/', from, headers: admin });
      expect(ui.status).toBe(200);
      expect(ui.headers['content-type']).toMatch(/^text\/html/);
      const wrongKey = { authorization: 'Bearer not-an-admin-key-0123456789abcdef' };
      const refused = await send(gateway, { path: '/api/openapi.json', from, headers: wrongKey });
      expect(refused.status).toBe(404);
    });

    it("does not route the bot's API: its routes answer 404 however they are spelled", async () => {
      const from = '127.0.0.6';
      const botOnly: [string, string][] = [
        ['GET', '/api/v1/me'],
        ['GET', '/api/v1/me/progress'],
        ['GET', '/api/v1/topic-categories'],
        ['POST', '/api/v1/deliveries/claims'],
        ['POST', '/api/v1/workspaces/current/deactivation'],
        ['GET', '/API/V1/ME'],
        ['GET', '/api/v1/admin/../me'],
        ['GET', '/api/v1/admin/%2e%2e/me'],
        // Caddy cleans this to /api/v1/admin/responses and routes it; the api, which sees the
        // raw path, matches a bot route and refuses it as coming from the internet.
        ['POST', '/api/v1/action-items/..%2fadmin/responses'],
      ];
      for (const [method, route] of botOnly) {
        const body = method === 'POST' ? '{"limit":1,"leaseSeconds":30}' : undefined;
        const answer = await send(gateway, {
          path: route,
          method,
          body,
          from,
          // With the token and a valid signature, as a leaked pair would be: still 404.
          headers: {
            ...signedAsBot(method, route, body),
            ...(body && { 'content-type': 'application/json' }),
          },
        });
        expect(answer.status, `${method} ${route}`).toBe(404);
        expect(answer.json(), `${method} ${route}`).toMatchObject({ code: 'route_not_found' });
      }
      // That last path is a bot route to the api's router: sent directly, it is matched, and its
      // id refused as invalid. So the 404 above was the api's gateway rule, not a missing route.
      const dotted = '/api/v1/action-items/..%2fadmin/responses';
      const body = '{"itemStatus":"done"}';
      const matched = await send(`http://127.0.0.1:${apiPorts[0]}`, {
        path: dotted,
        body,
        headers: { ...signedAsBot('POST', dotted, body), 'content-type': 'application/json' },
      });
      expect(matched.status).toBe(400);
      // The same call on the internal network, as the bot makes it, is answered.
      const direct = await send(`http://127.0.0.1:${apiPorts[0]}`, {
        path: '/api/v1/topic-categories',
        headers: signedAsBot('GET', '/api/v1/topic-categories'),
      });
      expect(direct.status).toBe(200);
      expect(JSON.parse(direct.body)).toEqual(expect.any(Array));
    });

    it('sends /slack/events to the bot, which answers a signed url_verification', async () => {
      const slack = createSlackRequester({
        baseUrl: gateway,
        signingSecret: TEST_SIGNING_SECRET,
        teamId: 'T0GATEWAY',
      });
      const verified = await slack.urlVerification('gateway-challenge-7');
      expect(verified.status).toBe(200);
      expect(verified.json()).toEqual({ challenge: 'gateway-challenge-7' });
      const requestId = String(verified.headers.get('x-request-id'));
      await eventually('the bot logging the request', () =>
        bot.lines.find((line) => line.requestId === requestId),
      );
      expect(apiLinesFor(requestId)).toEqual([]);

      const forged = await slack.raw({
        body: '{"type":"url_verification","challenge":"x"}',
        contentType: 'application/json',
        signature: 'v0=0000',
      });
      expect(forged.status).toBe(401);
    });

    it('sends /healthz, /readyz and /admin to the api', async () => {
      expect((await send(gateway, { path: '/healthz' })).status).toBe(200);
      const ready = await send(gateway, { path: '/readyz' });
      expect(ready.status).toBe(200);
      // From the internet, the status alone: the backlog is for the internal network.
      expect(ready.json()).toEqual({ status: 'ready' });
      const inside = await send(`http://127.0.0.1:${apiPorts[0]}`, { path: '/readyz' });
      expect(inside.json()).toMatchObject({ status: 'ready', deliveries: { status: 'ok' } });
      // A client cannot pass for the internal network: the gateway sets its own header.
      const forged = await send(gateway, {
        path: '/readyz',
        headers: { 'x-blindspot-gateway': '' },
      });
      expect(forged.json()).toEqual({ status: 'ready' });
      const admin = await send(gateway, { path: '/admin' });
      // The api's answer (the admin app), not the gateway's.
      expect(admin.status).toBeLessThan(500);
      expect(admin.body).not.toContain('No such route.');
      await eventually(
        'the api logging the request',
        () => apiLinesFor(String(admin.headers['x-request-id']))[0],
      );
    });

    it('answers anything else with the JSON 404 of the gateway itself', async () => {
      for (const route of ['/', '/nope', '/slackers', '/apis', '/admins']) {
        const answer = await send(gateway, { path: route });
        expect(answer.status, route).toBe(404);
        expect(answer.headers['content-type']).toBe('application/json');
        expect(answer.json()).toEqual({
          code: 'route_not_found',
          message: 'No such route.',
          requestId: answer.headers['x-request-id'],
        });
      }
    });
  });

  describe('request ids', () => {
    it('gives each request a fresh id, passes it upstream, and echoes it', async () => {
      // Not /readyz: a probe's path is logged at debug (src/http/request-log.ts), and the api
      // here logs at info.
      const answer = await send(gateway, {
        path: '/admin',
        headers: { 'x-request-id': 'picked-by-the-client' },
      });
      const requestId = String(answer.headers['x-request-id']);
      expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const lines = await eventually('the api logging the request', () => {
        const found = apiLinesFor(requestId);
        return found.some((line) => line.msg === 'request completed') ? found : undefined;
      });
      expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
      expect(apiLinesFor('picked-by-the-client')).toEqual([]);
    });

    it('writes a JSON access log line per request, with the id it sent back', async () => {
      const answer = await send(gateway, { path: '/healthz' });
      const requestId = String(answer.headers['x-request-id']);
      const line = await eventually('caddy logging the request', () =>
        caddy.lines.find(
          (l) =>
            l.msg === 'handled request' &&
            (l.resp_headers as Record<string, string[]> | undefined)?.['X-Request-Id']?.[0] ===
              requestId,
        ),
      );
      expect(line).toMatchObject({
        logger: expect.stringMatching(/^http\.log\.access/),
        status: 200,
        request: { method: 'GET', uri: '/healthz', remote_ip: '127.0.0.1' },
      });
      // Caddy logs Authorization empty; the bot's token has passed through it by now.
      expect(caddy.output()).toContain('"Authorization":[]');
      expect(caddy.output()).not.toContain(TEST_SERVICE_TOKEN);
    });

    it('logs no query string: the one-time tokens in admin links stay out of every log', async () => {
      const secrets = ['invite-token-4f1d9c2b7a', 'oidc-code-83be01d5c6', 'oidc-state-5a07e9f2d1'];
      const paths = [
        `/admin/invite?token=${secrets[0]}`,
        `/api/v1/admin/auth/slack/callback?code=${secrets[1]}&state=${secrets[2]}`,
      ];
      for (const route of paths) {
        const answer = await send(gateway, { path: route, from: '127.0.0.11' });
        const requestId = String(answer.headers['x-request-id']);
        const access = await eventually('caddy logging the request', () =>
          caddy.lines.find(
            (l) =>
              l.msg === 'handled request' &&
              (l.resp_headers as Record<string, string[]> | undefined)?.['X-Request-Id']?.[0] ===
                requestId,
          ),
        );
        expect(access.request).toMatchObject({ uri: `${route.split('?')[0]}?[redacted]` });
        const incoming = await eventually('the api logging the request', () =>
          apiLinesFor(requestId).find((line) => line.msg === 'incoming request'),
        );
        expect(incoming.req).toMatchObject({ url: `${route.split('?')[0]}?[redacted]` });
      }
      const logged = [caddy, ...api].map((service) => service.output()).join('\n');
      expect(secrets.filter((secret) => logged.includes(secret))).toEqual([]);
    });
  });

  describe('security headers', () => {
    it("pass the admin app's strict CSP through unchanged", async () => {
      for (const route of ['/admin', '/admin/accounts', '/api/v1/admin/auth/setup']) {
        const answer = await send(gateway, { path: route, from: '127.0.0.10' });
        const direct = await send(`http://127.0.0.1:${apiPorts[1]}`, {
          path: route,
          from: '127.0.0.10',
        });
        const policy = String(answer.headers['content-security-policy']);
        expect(policy, route).toContain("script-src 'self'");
        expect(policy, route).toContain("default-src 'self'");
        expect(policy, route).toContain("frame-ancestors 'none'");
        expect(policy, route).toBe(direct.headers['content-security-policy']);
      }
    });

    it('are on proxied answers and on the gateway own errors, and Server is gone', async () => {
      const answers = [
        await send(gateway, { path: '/healthz' }),
        await send(gateway, { path: '/nope' }),
        await sendOversized(gateway, { path: SIGN_IN, body: 'x'.repeat(MIB + 1) }),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 404, 413]);
      for (const answer of answers) {
        expect(answer.headers).toMatchObject({
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'content-security-policy': "frame-ancestors 'none'",
          'referrer-policy': 'no-referrer',
        });
        expect(answer.headers.server).toBeUndefined();
      }
    });
  });
});
