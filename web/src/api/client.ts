/**
 * The admin app's only way to the API: a typed client generated from docs/api/openapi.json
 * (`npm run api:generate` writes schema.ts). It sends the session's CSRF token on every
 * state-changing call, turns the API's `{ code, message, fields }` errors into `ApiError`, and
 * announces an expired or revoked session so the app can return to sign-in.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type ErrorBody = components['schemas']['Error'];
/** Every code the API answers with, or `unknown` when the answer was not the API's JSON. */
export type ErrorCode = ErrorBody['code'] | 'unknown';

/** A failed call, with the API's code and, for invalid input, the problem per field. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly fields: Readonly<Record<string, string>>;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, body: Partial<ErrorBody> | undefined, retryAfter?: string | null) {
    super(body?.message ?? `The server answered ${status}. Please try again.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? 'unknown';
    this.fields = body?.fields ?? {};
    this.requestId = body?.requestId;
    this.retryAfterSeconds = retryAfter ? Number(retryAfter) : undefined;
  }
}

let csrfToken: string | undefined;

/** Remembers the session's CSRF token (from GET /auth/session or a sign-in answer). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type SessionEndedListener = () => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

/** Called when a call that needed a session was refused because it has expired or was revoked. */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/** Calls that are made without a session: their 401 is an answer, not an ended session. */
const SESSIONLESS = [
  '/auth/session',
  '/auth/sign-in',
  '/auth/setup',
  '/auth/passkeys/authentication',
];

const csrfAndSessionEnd: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401) return response;
    const path = new URL(request.url).pathname.replace('/api/v1/admin', '');
    if (SESSIONLESS.some((prefix) => path.startsWith(prefix))) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as Partial<ErrorBody> | undefined;
    if (body?.code === 'unauthenticated') {
      csrfToken = undefined;
      for (const listener of sessionEndedListeners) listener();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(csrfAndSessionEnd);

/** The answer's body when it succeeded; an `ApiError` otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiError(
    result.response.status,
    result.error as Partial<ErrorBody> | undefined,
    result.response.headers.get('retry-after'),
  );
}

/** A message for people: the API's own words, plus the request id to quote for a 5xx. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'too_many_attempts' || error.status === 429) {
      const wait = error.retryAfterSeconds;
      return wait ? `Too many attempts. Try again in ${wait} seconds.` : error.message;
    }
    if (error.status >= 500 && error.requestId) {
      return `${error.message} (request id ${error.requestId})`;
    }
    return error.message;
  }
  return 'The server could not be reached. Check your connection and try again.';
}
