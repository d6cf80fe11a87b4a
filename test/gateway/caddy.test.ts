/**
 * The production gateway, config/gateway/Caddyfile, run by a real Caddy in its HTTP-only local
 * mode in front of real service processes on loopback: two api replicas and one bot, started as
 * the containers start them (node src/entrypoints/api.ts, bot.ts), with a test database and the
 * Slack stand-in. Needs Debian's caddy (2.6); without it the file is skipped, except in CI.
 *
 * The api's per-address rate limit counts every /api request through the gateway, so each test
 * that sends some comes from a loopback address of its own (`from`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/http/service-signature.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN, TEST_SIGNING_SECRET } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';
import { createSlackRequester } from '../support/slack-requests.ts';

const root = path.resolve(import.meta.dirname, '../..');
const caddyfile = path.join(root, 'config/gateway/Caddyfile');
const hasCaddy = spawnSync('caddy', ['version']).status === 0;
const skip = !hasCaddy && !process.env.CI;
if (skip) {
  console.warn(
    'test/gateway/caddy.test.ts is skipped: caddy is not installed (Debian: apt-get install caddy). In CI it fails instead.',
  );
}

/** Per api process; the flood test goes over it. */
const RATE_LIMIT_PER_MINUTE = 10;
const MIB = 1_048_576;

type LogLine = Record<string, unknown>;

/** A child process whose stdout JSON lines are kept, for assertions on what it logged. */
interface Service {
  name: string;
  child: ChildProcess;
  lines: LogLine[];
  exited: Promise<number | null>;
  output(): string;
}

const services: Service[] = [];
let database: TestDatabase | undefined;
let standIn: SlackStandIn | undefined;
let tempDir: string | undefined;

function startService(name: string, command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  let text = '';
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    text += `${line}\n`;
    if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
  });
  child.stderr?.on('data', (chunk) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const service = { name, child, lines, exited, output: () => text };
  services.push(service);
  return service;
}

/** Polls until `check` returns a value, or fails after `timeoutMs` with what it last saw. */
async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms (${String(lastError ?? 'no value')})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits for the process to log that it listens, and returns the port it chose. */
async function portOf(service: Service): Promise<number> {
  const line = await eventually(`${service.name} listening`, () => {
    if (service.child.exitCode !== null) {
      throw new Error(`${service.name} exited: ${service.output()}`);
    }
    return service.lines.find(
      (l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening at http://127.0.0.1:'),
    );
  });
  return Number(new URL(String(line.msg).slice('Server listening at '.length)).port);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): LogLine;
}

/**
 * One HTTP request with node:http rather than fetch: the path goes out exactly as written (no
 * dot-segment clean-up), and it can leave from another loopback address, a second client.
 */
function send(
  base: string,
  options: {
    path: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Send the body chunked, without a Content-Length. */
    chunked?: boolean;
    from?: string;
  },
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const body = options.body;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        localAddress: options.from ?? '127.0.0.1',
        agent: false,
        headers: {
          ...(body !== undefined && !options.chunked
            ? { 'content-length': String(Buffer.byteLength(body)) }
            : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text,
            json: () => JSON.parse(text) as LogLine,
          });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timed out: ${options.path}`)));
    // end(body) alone would add a Content-Length; a write first makes Node send it chunked.
    if (body !== undefined && options.chunked) req.write(body);
    req.end(options.chunked ? undefined : body);
  });
}

/**
 * Sends a body over the gateway's limit. Caddy answers 413, stops reading and closes the
 * connection (Go's server waits 500 ms after its answer before closing): on a loaded machine the
 * close can reach the client as a reset before it has read the answer, which a real client would
 * retry. So does this, a few times; a reset every time still fails.
 */
async function sendOversized(base: string, options: Parameters<typeof send>[1]): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(base, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw error;
    }
  }
}

const asBot = {
  authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
  'x-slack-team-id': 'T0GATEWAY',
  'x-slack-user-id': 'U0GATEWAY',
};

/** The bot's headers for one request, signed as the bot signs it. */
function signedAsBot(method: string, path: string, body?: string): Record<string, string> {
  const request = {
    method,
    pathAndQuery: path,
    slackTeamId: asBot['x-slack-team-id'],
    slackUserId: asBot['x-slack-user-id'],
    body,
  };
  return { ...asBot, ...signRequest(TEST_API_SIGNING_SECRET, request, new Date()) };
}

/** Imported by the api as an owner's API key: a signed-in admin, for the docs. */
const ADMIN_API_KEY = 'gateway-test-admin-api-key-0123456789abcdef';

/** A public admin route that reads its body: what the internet may POST to the api. */
const SIGN_IN = '/api/v1/admin/auth/sign-in';

describe.skipIf(skip)('the Caddy gateway in front of api and bot processes', () => {
  let gateway: string;
  let metricsUrl: string;
  let api: [Service, Service];
  let apiPorts: number[];
  let bot: Service;
  let caddy: Service;

  beforeAll(async () => {
    if (!hasCaddy)
      throw new Error('caddy is not installed; CI must install it (apt-get install caddy)');
    database = await createTestDatabase();
    standIn = await startSlackStandIn();
    tempDir = await mkdtemp(path.join(tmpdir(), 'blindspot-gateway-'));
    // Only what the processes need: nothing from this process's own environment leaks in.
    const base = { PATH: process.env.PATH, HOME: tempDir, NODE_ENV: 'production' };
    const node = process.execPath;
    const apiEnv = {
      ...base,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: database.url,
      API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      API_SIGNING_SECRET: TEST_API_SIGNING_SECRET,
      ADMIN_API_KEY,
      API_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT_PER_MINUTE),
      DB_POOL_MAX: '3',
    };
    api = [
      startService('api-1', node, ['src/entrypoints/api.ts'], apiEnv),
      startService('api-2', node, ['src/entrypoints/api.ts'], apiEnv),
    ];
    apiPorts = await Promise.all(api.map(portOf));

    const gatewayPort = await freePort();
    const metricsPort = await freePort();
    gateway = `http://127.0.0.1:${gatewayPort}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    // The bot reaches the api on the internal network, as in compose (API_URL: http://api:3000),
    // not through the gateway, which does not route the bot's API routes.
    bot = startService('bot', node, ['src/entrypoints/bot.ts'], {
      ...base,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: standIn.url,
      API_URL: `http://127.0.0.1:${apiPorts[0]}`,
      API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      API_SIGNING_SECRET: TEST_API_SIGNING_SECRET,
    });
    const botPort = await portOf(bot);

    caddy = startService(
      'caddy',
      'caddy',
      ['run', '--config', caddyfile, '--adapter', 'caddyfile'],
      {
        PATH: process.env.PATH,
        // Caddy keeps certificates and an autosaved config under these; keep them in tempDir.
        HOME: tempDir,
        XDG_DATA_HOME: path.join(tempDir, 'data'),
        XDG_CONFIG_HOME: path.join(tempDir, 'config'),
        DOMAIN: gateway,
        UPSTREAMS: 'list',
        API_UPSTREAMS: apiPorts.map((port) => `127.0.0.1:${port}`).join(' '),
        BOT_UPSTREAMS: `127.0.0.1:${botPort}`,
        METRICS_ADDRESS: `http://127.0.0.1:${metricsPort}`,
        // Off: parallel test files must not race for :2019.
        CADDY_ADMIN: 'off',
        CADDY_BIND: '127.0.0.1',
      },
    );
    await eventually('the gateway serving /healthz', async () => {
      if (caddy.child.exitCode !== null) throw new Error(`caddy exited: ${caddy.output()}`);
      return (await send(gateway, { path: '/healthz' })).status === 200 ? true : undefined;
    });
  });

  afterAll(async () => {
    for (const service of services) {
      if (service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGKILL');
      }
    }
    await Promise.all(services.map((service) => service.exited));
    await standIn?.close();
    await database?.drop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
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
      const answer = await send(gateway, {
        path: '/readyz',
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

  // Last: it stops a replica.
  describe('load balancing', () => {
    it('still answers when one of the two api replicas is stopped: reads at once, writes once the health check has seen it', async () => {
      const [stopped, survivor] = api;
      stopped.child.kill('SIGKILL');
      await stopped.exited;

      // A GET that finds its replica gone is retried on the other one.
      const reads: Answer[] = [];
      for (let i = 0; i < 10; i++) {
        reads.push(await send(gateway, { path: '/readyz' }));
        reads.push(await send(gateway, { path: '/api/v1/admin/auth/setup', from: '127.0.0.9' }));
      }
      expect(reads.map((answer) => answer.status)).toEqual(reads.map(() => 200));

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

      await eventually('the surviving replica logging every request', () =>
        [...reads, ...writes].every((answer) =>
          survivor.lines.some((l) => l.requestId === answer.headers['x-request-id']),
        )
          ? true
          : undefined,
      );
    });
  });
});

describe.skipIf(skip)('the Caddyfile itself', () => {
  const caddyEnv = async (extra: Record<string, string>) => {
    const home = await mkdtemp(path.join(tmpdir(), 'blindspot-caddy-'));
    return {
      home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_CONFIG_HOME: path.join(home, 'config'),
        ...extra,
      },
    };
  };

  it('validates as production runs it: HTTPS for DOMAIN, replicas from DNS', async () => {
    const { home, env } = await caddyEnv({ DOMAIN: 'blindspot.example.com' });
    try {
      const validated = spawnSync(
        'caddy',
        ['validate', '--config', caddyfile, '--adapter', 'caddyfile'],
        { env, encoding: 'utf8' },
      );
      expect(validated.status, validated.stderr).toBe(0);
      const adapted = spawnSync(
        'caddy',
        ['adapt', '--config', caddyfile, '--adapter', 'caddyfile'],
        {
          env,
          encoding: 'utf8',
        },
      );
      expect(adapted.status, adapted.stderr).toBe(0);
      const config = JSON.parse(adapted.stdout) as {
        admin: { listen: string };
        apps: { http: { servers: Record<string, { listen: string[] } & Record<string, unknown>> } };
      };
      expect(config.admin.listen).toBe('localhost:2019');
      const servers = Object.values(config.apps.http.servers);
      const listeners = servers.flatMap((s) => s.listen);
      expect(listeners.sort()).toEqual(['0.0.0.0:443', '0.0.0.0:9180']);
      // Slow clients are cut off on every listener (Caddy's JSON durations are nanoseconds).
      const SECOND_NS = 1e9;
      for (const server of servers) {
        expect(server).toMatchObject({
          read_header_timeout: 10 * SECOND_NS,
          read_timeout: 30 * SECOND_NS,
          idle_timeout: 120 * SECOND_NS,
        });
      }
      expect(adapted.stdout).toContain('"dynamic_upstreams":{"name":"api","port":"3000"');
      expect(adapted.stdout).toContain('"dynamic_upstreams":{"name":"bot","port":"3000"');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('is formatted as caddy fmt writes it', async () => {
    const formatted = spawnSync('caddy', ['fmt', caddyfile], { encoding: 'utf8' });
    expect(formatted.status, formatted.stderr).toBe(0);
    expect(formatted.stdout).toBe(await readFile(caddyfile, 'utf8'));
  });
});
