/**
 * Every /api/v1 route the bot calls checks the service token and the request's signature
 * (src/api/plugins/authenticate.ts) before anything else: a caller without both gets 401 before
 * its body is parsed or its input validated, so it learns nothing from validation errors; a
 * leaked token alone, a replayed request or a changed one gets 401 too. The routes come from the
 * running service's own OpenAPI document, so a route added later is covered without a change here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from '../../src/bot/api-client/index.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch, TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

let operations: Operation[];

const testApp = setUpTestApp();

beforeAll(async () => {
  const document = (await (await fetch(`${testApp.url}/api/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<string, { security?: Record<string, string[]>[]; requestBody?: unknown }>
    >;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => operation.security?.some((s) => 'serviceToken' in s))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        hasBody: operation.requestBody !== undefined,
      })),
  );
});

/**
 * A request that fails validation on every count it can: path parameters that are not ids, no
 * Slack user headers, and a body that is not even JSON.
 */
async function badRequest(operation: Operation, authorization?: string, send = fetch) {
  const path = operation.path.replace(/\{[^}]+\}/g, 'not-an-id');
  const response = await send(`${testApp.url}${path}`, {
    method: operation.method,
    headers: {
      ...(authorization && { authorization }),
      ...(operation.hasBody && { 'content-type': 'application/json' }),
    },
    body: operation.hasBody ? '{"topicId": 12, "kind": ' : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const WITHOUT_A_VALID_TOKEN: [string, string | undefined][] = [
  ['no Authorization header', undefined],
  ['a wrong bearer token', 'Bearer not-the-service-token'],
  ['the token in another scheme', `Basic ${TEST_SERVICE_TOKEN}`],
];

describe('a caller without the service token', () => {
  it('finds the routes the bot calls in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(operations).toContainEqual({
      method: 'POST',
      path: '/api/v1/me/topic-feedback',
      hasBody: true,
    });
  });

  it.each(WITHOUT_A_VALID_TOKEN)(
    'with %s, when it sends an invalid request to any of them, then 401 unauthorized, not 400',
    async (_case, authorization) => {
      for (const operation of operations) {
        const answer = await badRequest(operation, authorization);
        expect({ ...operation, status: answer.status, code: answer.body.code }).toEqual({
          ...operation,
          status: 401,
          code: 'unauthorized',
        });
        expect(answer.body.requestId).toEqual(expect.any(String));
        expect(JSON.stringify(answer.body)).not.toMatch(/body|header|params|JSON/i);
      }
    },
  );

  it('with the token alone, unsigned (a leaked token), then 401 on every one of them, not 400', async () => {
    for (const operation of operations) {
      const answer = await badRequest(operation, `Bearer ${TEST_SERVICE_TOKEN}`);
      expect({ ...operation, status: answer.status, code: answer.body.code }).toEqual({
        ...operation,
        status: 401,
        code: 'unauthorized',
      });
    }
  });

  it('while the bot, with the token and a signature, still has the same requests refused as invalid (400)', async () => {
    for (const operation of operations) {
      const answer = await badRequest(operation, `Bearer ${TEST_SERVICE_TOKEN}`, serviceFetch());
      // The Slack holds and the due user-group syncs and status sweeps take no input at all:
      // nothing to refuse, so the bot gets its answer.
      const noInput = [
        '/api/v1/workspaces/slack-holds',
        '/api/v1/workspaces/user-group-syncs',
        '/api/v1/workspaces/status-sweeps/claims',
      ];
      const status = noInput.includes(operation.path) ? 200 : 400;
      expect({ ...operation, status: answer.status }).toEqual({ ...operation, status });
    }
  });
});

const MINUTE = 60_000;
const asAlice = {
  authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
  'x-slack-team-id': 'T0SIGNED',
  'x-slack-user-id': 'U0ALICE',
};

/** A request as the bot would sign it at `signedAt`, then changed by `tamper` before it is sent. */
async function sendSigned(
  path: string,
  init: RequestInit,
  options: { signedAt?: Date; secret?: string; tamper?: (request: Request) => Request } = {},
) {
  const signed = await signedRequest(
    new Request(`${testApp.url}${path}`, init),
    options.secret ?? TEST_API_SIGNING_SECRET,
    options.signedAt ?? new Date(),
  );
  const response = await fetch(options.tamper ? options.tamper(signed) : signed);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function withHeader(name: string, value: string | ((current: string) => string)) {
  return (request: Request) => {
    const headers = new Headers(request.headers);
    headers.set(name, typeof value === 'string' ? value : value(headers.get(name) ?? ''));
    return new Request(request, { headers });
  };
}

const signUp = (body: string) =>
  ({
    method: 'PUT',
    headers: { ...asAlice, 'content-type': 'application/json' },
    body,
  }) satisfies RequestInit;

describe('the signature on the bot calls', () => {
  it('admits a call signed with the secret, read or write', async () => {
    const put = await sendSigned('/api/v1/me', signUp('{"timeZone":"UTC","locale":"en-US"}'));
    expect(put.status).toBe(200);
    const get = await sendSigned('/api/v1/me', { headers: asAlice });
    expect(get).toMatchObject({ status: 200, body: { slackUserId: 'U0ALICE' } });
  });

  it('refuses a signature made with another secret', async () => {
    const answer = await sendSigned(
      '/api/v1/me',
      { headers: asAlice },
      { secret: 'another-signing-secret-0123456789abcdef' },
    );
    expect(answer).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it('refuses a request replayed more than five minutes after it was signed, or signed ahead', async () => {
    const now = Date.now();
    for (const skew of [-6 * MINUTE, 6 * MINUTE]) {
      const answer = await sendSigned(
        '/api/v1/me',
        { headers: asAlice },
        { signedAt: new Date(now + skew) },
      );
      expect(answer.status, `signed ${skew / MINUTE} minutes off`).toBe(401);
    }
    // Within the window either way, it holds: the clocks of the bot and the API may differ a bit.
    for (const skew of [-4 * MINUTE, 4 * MINUTE]) {
      const answer = await sendSigned(
        '/api/v1/me',
        { headers: asAlice },
        { signedAt: new Date(now + skew) },
      );
      expect(answer.status, `signed ${skew / MINUTE} minutes off`).toBe(200);
    }
  });

  it('refuses a signed request whose user, team, timestamp or path was changed', async () => {
    const tampered = {
      'another user': withHeader('x-slack-user-id', 'U0MALLORY'),
      'another team': withHeader('x-slack-team-id', 'T0OTHER'),
      // A second after the one signed, whenever the signing fell.
      'a later timestamp': withHeader('x-blindspot-timestamp', (signed) =>
        String(Number(signed) + 1),
      ),
      'a garbled signature': withHeader('x-blindspot-signature', 'v1=not-hex'),
      'another path': (request: Request) =>
        new Request(request.url.replace('/api/v1/me', '/api/v1/me/progress'), request),
    };
    for (const [change, tamper] of Object.entries(tampered)) {
      const answer = await sendSigned('/api/v1/me', { headers: asAlice }, { tamper });
      expect({ change, status: answer.status, code: answer.body.code }).toEqual({
        change,
        status: 401,
        code: 'unauthorized',
      });
    }
  });

  it('refuses a signed write whose body was changed, before validating it', async () => {
    const tamper = (request: Request) =>
      new Request(request, { body: '{"timeZone":"Europe/Paris","locale":"en-US"}' });
    const changed = await sendSigned('/api/v1/me', signUp('{"timeZone":"UTC","locale":"en-US"}'), {
      tamper,
    });
    expect(changed).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    // An invalid body changed the same way: 401, not the 400 that would describe the schema.
    const invalid = await sendSigned('/api/v1/me', signUp('{"timeZone":"UTC","locale":"en-US"}'), {
      tamper: (request) => new Request(request, { body: '{"timeZone":12}' }),
    });
    expect(invalid).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });
});

describe('a request from the internet, which the gateway marks with X-Blindspot-Gateway', () => {
  const fromGateway = { 'x-blindspot-gateway': '1' };

  it("finds none of the bot's routes, even with the token and a valid signature: 404", async () => {
    const signed = serviceFetch();
    for (const [method, path] of [
      ['GET', '/api/v1/me'],
      ['POST', '/api/v1/deliveries/claims'],
    ] as const) {
      const body = method === 'POST' ? '{"limit":1,"leaseSeconds":30}' : undefined;
      const response = await signed(`${testApp.url}${path}`, {
        method,
        headers: { ...asAlice, ...fromGateway, 'content-type': 'application/json' },
        body,
      });
      expect(response.status, path).toBe(404);
      expect(await response.json(), path).toMatchObject({
        code: 'route_not_found',
        message: `No route ${method} ${path}.`,
      });
    }
  });

  it('gets /readyz as its status alone, and no API docs without an admin session', async () => {
    const ready = await fetch(`${testApp.url}/readyz`, { headers: fromGateway });
    expect(await ready.json()).toEqual({ status: 'ready' });
    const inside = await fetch(`${testApp.url}/readyz`);
    expect(await inside.json()).toHaveProperty('deliveries');
    for (const path of ['/api/openapi.json', '/api/docs/']) {
      const answer = await fetch(`${testApp.url}${path}`, { headers: fromGateway });
      expect(answer.status, path).toBe(404);
      expect((await fetch(`${testApp.url}${path}`)).status, path).toBe(200);
    }
    // /healthz stays public.
    expect((await fetch(`${testApp.url}/healthz`, { headers: fromGateway })).status).toBe(200);
  });
});
