/**
 * The bot's only way into the business logic: a typed client for the HTTP API, with types
 * generated from docs/api/openapi.json (`npm run api:generate`).
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type Manager = components['schemas']['Manager'];
export type ApiError = components['schemas']['Error'];

/** The bot must answer Slack within 3 s; an API call that takes longer has failed. */
const API_TIMEOUT_MS = 2_500;

export interface ApiClientOptions {
  /** Base URL of the API, e.g. http://api:3000, or a function for a port known only later. */
  baseUrl: string | (() => string);
  serviceToken: string;
  fetch?: typeof fetch;
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
  readonly code: string;
  constructor(status: number, body: Partial<ApiError> | undefined) {
    super(body?.message ?? `the API answered ${status}`);
    this.name = 'ApiCallError';
    this.status = status;
    this.code = body?.code ?? 'unknown';
  }
}

export function createApiClient(options: ApiClientOptions) {
  const baseFetch = options.fetch ?? fetch;
  let client: ReturnType<typeof createClient<paths>> | undefined;
  // Created on first use: in all-in-one mode the API's port is known only once it listens.
  const api = () => {
    client ??= createClient<paths>({
      baseUrl: typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl,
      fetch: (request: Request) =>
        baseFetch(request, { signal: AbortSignal.timeout(API_TIMEOUT_MS) }),
    });
    return client;
  };

  function headers(context: CallContext) {
    return {
      authorization: `Bearer ${options.serviceToken}`,
      'x-slack-team-id': context.slackTeamId,
      'x-slack-user-id': context.slackUserId,
      ...(context.requestId ? { 'x-request-id': context.requestId } : {}),
    };
  }

  function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
    if (result.data !== undefined) return result.data;
    throw new ApiCallError(result.response.status, result.error as Partial<ApiError>);
  }

  return {
    async getMe(context: CallContext): Promise<Manager> {
      return unwrap(await api().GET('/api/v1/me', { params: { header: headers(context) } }));
    },
    async putMe(
      context: CallContext,
      profile: { timeZone: string; locale: string },
    ): Promise<Manager> {
      return unwrap(
        await api().PUT('/api/v1/me', { params: { header: headers(context) }, body: profile }),
      );
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
