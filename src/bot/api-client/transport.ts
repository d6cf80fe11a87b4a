/**
 * How the bot's API clients reach the API: every call signed (src/http/service-signature.ts)
 * and bounded in time, its errors turned into ApiCallError, and the headers that say on whose
 * behalf it is made. Shared by ./index.ts, ./ledgers.ts and ./installations.ts.
 */
import createClient from 'openapi-fetch';
import { signRequest } from '../../http/service-signature.ts';
import type { components, paths } from './schema.ts';

export type ApiError = components['schemas']['Error'];
/**
 * Every code the API (or the gateway in front of it) can answer with, from the API's own enum;
 * `unknown` when the answer was not the API's JSON at all (a proxy's HTML page, a cut body).
 */
export type ErrorCode = ApiError['code'] | 'unknown';

/** The bot must answer Slack within 3 s; an API call that takes longer has failed. */
const API_TIMEOUT_MS = 2_500;

export interface ApiClientOptions {
  /** Base URL of the API, e.g. http://api:3000, or a function for a port known only later. */
  baseUrl: string | (() => string);
  serviceToken: string;
  /** API_SIGNING_SECRET: every call is signed with it (src/http/service-signature.ts). */
  signingSecret: string;
  fetch?: typeof fetch;
  /** The clock the signatures' timestamps are read from; tests inject their own. */
  now?: () => Date;
}

/**
 * Adds the signature headers to a request, over exactly the bytes it will send: the body is
 * read once here and sent as those same bytes.
 */
export async function signedRequest(
  request: Request,
  signingSecret: string,
  now: Date,
): Promise<Request> {
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  const signature = signRequest(
    signingSecret,
    {
      method: request.method,
      pathAndQuery: `${url.pathname}${url.search}`,
      slackTeamId: headers.get('x-slack-team-id') ?? undefined,
      slackUserId: headers.get('x-slack-user-id') ?? undefined,
      body,
    },
    now,
  );
  for (const [name, value] of Object.entries(signature)) headers.set(name, value);
  return new Request(url, { method: request.method, headers, body, signal: request.signal });
}

/** Whom a call acts for, and the request id that ties it to the Slack request. */
export interface CallContext {
  slackTeamId: string;
  slackUserId: string;
  requestId?: string;
}

/** A failed API call, carrying the API's error code for the bot to choose its words. */
export class ApiCallError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** For invalid input: the problem with each field, by field name. */
  readonly fields: Readonly<Record<string, string>>;
  constructor(status: number, body: Partial<ApiError> | undefined) {
    super(body?.message ?? `the API answered ${status}`);
    this.name = 'ApiCallError';
    this.status = status;
    this.code = body?.code ?? 'unknown';
    this.fields = body?.fields ?? {};
  }
}

/** True when the API said "no such thing" (for example: not signed up yet). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiCallError && error.status === 404;
}

export function createTransport(options: ApiClientOptions) {
  const baseFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  let client: ReturnType<typeof createClient<paths>> | undefined;
  // Created on first use: in all-in-one mode the API's port is known only once it listens.
  const api = () => {
    client ??= createClient<paths>({
      baseUrl: typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl,
      fetch: async (request: Request) =>
        baseFetch(await signedRequest(request, options.signingSecret, now()), {
          signal: AbortSignal.timeout(API_TIMEOUT_MS),
        }),
    });
    return client;
  };

  /** For calls made on behalf of one Slack user: the API checks the signature covers them. */
  function headers(context: CallContext) {
    return {
      authorization: `Bearer ${options.serviceToken}`,
      'x-slack-team-id': context.slackTeamId,
      'x-slack-user-id': context.slackUserId,
      ...(context.requestId ? { 'x-request-id': context.requestId } : {}),
    };
  }

  function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
    if (result.response.ok) return result.data as T;
    throw new ApiCallError(result.response.status, result.error as Partial<ApiError>);
  }

  /** For calls made on no one's behalf: only the service token. */
  function serviceHeaders(requestId?: string) {
    return {
      authorization: `Bearer ${options.serviceToken}`,
      ...(requestId ? { 'x-request-id': requestId } : {}),
    };
  }

  return { api, headers, unwrap, serviceHeaders };
}

export type Transport = ReturnType<typeof createTransport>;
