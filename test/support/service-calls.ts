/**
 * Calls to the API as the bot makes them: with the service token and signed with the signing
 * secret (src/http/service-signature.ts), on the clock the API under test reads, since a
 * signature more than five minutes from it is refused.
 */
import type { InjectOptions } from 'fastify';
import { type ApiClient, createApiClient, signedRequest } from '../../src/bot/api-client/index.ts';
import { signRequest } from '../../src/http/service-signature.ts';

export const TEST_API_SIGNING_SECRET = 'test-api-signing-secret-6f1ed002ab5595859014';
export const TEST_SERVICE_TOKEN = 'test-service-token-0123456789abcdef0123';

/**
 * The bot's own API client, with the bot's credentials, against the API under test: it signs on
 * `clock`, which must be the API's (startTestApp's `clock`).
 */
export function botApiClient(baseUrl: string, clock: () => Date = () => new Date()): ApiClient {
  return createApiClient({
    baseUrl,
    serviceToken: TEST_SERVICE_TOKEN,
    signingSecret: TEST_API_SIGNING_SECRET,
    now: clock,
  });
}

/**
 * A fetch that signs every request carrying an Authorization header, as the bot's client does;
 * others go out as they are. `clock` is the API's clock (startTestApp's `clock`).
 */
export function serviceFetch(
  clock: () => Date = () => new Date(),
  secret = TEST_API_SIGNING_SECRET,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!request.headers.has('authorization')) return fetch(request);
    return fetch(await signedRequest(request, secret, clock()));
  };
}

/** The same for Fastify's inject: adds the signature headers to an injected request. */
export function signedInject(
  options: InjectOptions & { url: string },
  clock: () => Date = () => new Date(),
  secret = TEST_API_SIGNING_SECRET,
): InjectOptions {
  const headers = { ...(options.headers as Record<string, string> | undefined) };
  const body = options.payload === undefined ? undefined : serialized(options.payload);
  // inject() adds this for an object payload; the signed bytes are a string from here on.
  if (typeof options.payload === 'object' && !Buffer.isBuffer(options.payload)) {
    headers['content-type'] ??= 'application/json';
  }
  const signature = signRequest(
    secret,
    {
      method: options.method ?? 'GET',
      pathAndQuery: options.url,
      slackTeamId: headers['x-slack-team-id'],
      slackUserId: headers['x-slack-user-id'],
      body,
    },
    clock(),
  );
  return {
    ...options,
    ...(body !== undefined && { payload: body }),
    headers: { ...headers, ...signature },
  };
}

function serialized(payload: NonNullable<InjectOptions['payload']>): string | Buffer {
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) return payload;
  return JSON.stringify(payload);
}

/**
 * POSTs `body` as JSON with `fetcher` (a serviceFetch, so it is signed) and the bearer `token`
 * (none when null), and answers the status with the parsed JSON body.
 */
export async function servicePost<T>(
  fetcher: typeof fetch,
  url: string,
  body: unknown,
  token: string | null,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetcher(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}

/** Whom a call acts for: a Slack team and user. */
export interface SlackCaller {
  team: string;
  user: string;
}

/**
 * Calls the API under `baseUrl()` (an app started later) as the bot does for one Slack user:
 * the service token, the caller's ids and the signature. Answers the status and the parsed JSON.
 */
export function botCaller(baseUrl: () => string, clock: () => Date = () => new Date()) {
  const signed = serviceFetch(clock);
  return async (method: string, path: string, who: SlackCaller, body?: unknown) => {
    const response = await signed(`${baseUrl()}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
        'x-slack-team-id': who.team,
        'x-slack-user-id': who.user,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the answer's shape it expects
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as any };
  };
}
