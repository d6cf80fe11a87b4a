/**
 * The bot's only way into the business logic: a typed client for the HTTP API, with types
 * generated from docs/api/openapi.json (`npm run api:generate`).
 */
import createClient from 'openapi-fetch';
import { signRequest } from '../../http/service-signature.ts';
import type { components, paths } from './schema.ts';

export type Manager = components['schemas']['Manager'];
export type Subscription = components['schemas']['Subscription'];
export type ClaimedDelivery = components['schemas']['ClaimedDelivery'];
export type ApiError = components['schemas']['Error'];
/**
 * Every code the API (or the gateway in front of it) can answer with, from the API's own enum;
 * `unknown` when the answer was not the API's JSON at all (a proxy's HTML page, a cut body).
 */
export type ErrorCode = ApiError['code'] | 'unknown';
export type ActionItem = components['schemas']['ActionItem'];
export type SentDelivery = components['schemas']['SentDelivery'];
export type SentReminder = components['schemas']['SentReminder'];
export type NewActionItem =
  paths['/api/v1/action-items']['post']['requestBody']['content']['application/json'];
export type ActionItemChanges =
  paths['/api/v1/action-items/{id}']['patch']['requestBody']['content']['application/json'];
export type CheckBack = NonNullable<NewActionItem['checkBack']>;
export type NoteRating = 'useful' | 'not_for_me';
export type ClaimedReminder = components['schemas']['ClaimedReminder'];
/** A lease the bot holds: the row, and the attempt it claimed the row under. */
export type HeldLease =
  paths['/api/v1/deliveries/leases']['post']['requestBody']['content']['application/json']['leases'][number];
export type LeaseRenewal =
  paths['/api/v1/deliveries/leases']['post']['responses']['200']['content']['application/json']['leases'][number];
export type AnswerRequest =
  paths['/api/v1/action-items/{id}/responses']['post']['requestBody']['content']['application/json'];
export type Progress =
  paths['/api/v1/me/progress']['get']['responses']['200']['content']['application/json'];
export type SubscriptionRequest =
  paths['/api/v1/subscriptions/me']['put']['requestBody']['content']['application/json'];
/** One sent message to confirm in a batch, and what the API made of it. */
export type SentConfirmation =
  paths['/api/v1/deliveries/confirmations']['post']['requestBody']['content']['application/json']['confirmations'][number];
export type ConfirmationStatus =
  paths['/api/v1/deliveries/confirmations']['post']['responses']['200']['content']['application/json']['confirmations'][number]['status'];
export type WorkspaceDefaults =
  paths['/api/v1/workspaces/current/defaults']['get']['responses']['200']['content']['application/json'];
export type FailureReport =
  paths['/api/v1/deliveries/{id}/failure']['post']['requestBody']['content']['application/json'];
export type WeekdayLeaning =
  paths['/api/v1/weekday-themes']['get']['responses']['200']['content']['application/json'][number];

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

export function createApiClient(options: ApiClientOptions) {
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
    async getSubscription(context: CallContext): Promise<Subscription> {
      return unwrap(
        await api().GET('/api/v1/subscriptions/me', { params: { header: headers(context) } }),
      );
    },
    async putSubscription(context: CallContext, body: SubscriptionRequest): Promise<Subscription> {
      return unwrap(
        await api().PUT('/api/v1/subscriptions/me', { params: { header: headers(context) }, body }),
      );
    },
    async pause(context: CallContext, reason?: string): Promise<Subscription> {
      return unwrap(
        await api().POST('/api/v1/subscriptions/me/pause', {
          params: { header: headers(context) },
          body: reason ? { reason } : {},
        }),
      );
    },
    async resume(context: CallContext): Promise<Subscription> {
      return unwrap(
        await api().POST('/api/v1/subscriptions/me/resume', {
          params: { header: headers(context) },
        }),
      );
    },
    async unsubscribe(context: CallContext): Promise<Subscription> {
      return unwrap(
        await api().DELETE('/api/v1/subscriptions/me', { params: { header: headers(context) } }),
      );
    },
    async sendNow(context: CallContext) {
      return unwrap(
        await api().POST('/api/v1/subscriptions/me/send-now', {
          params: { header: headers(context) },
        }),
      );
    },
    async markNotRelevant(
      context: CallContext,
      topicId: string,
      deliveryId?: string,
    ): Promise<void> {
      unwrap(
        await api().POST('/api/v1/me/topic-feedback', {
          params: { header: headers(context) },
          body: { topicId, kind: 'not_relevant', ...(deliveryId && { deliveryId }) },
        }),
      );
    },
    async topicCategories(context: CallContext): Promise<string[]> {
      return unwrap(
        await api().GET('/api/v1/topic-categories', { params: { header: headers(context) } }),
      );
    },
    /** What each weekday leans to (its theme), Monday first. */
    async weekdayLeanings(context: CallContext): Promise<WeekdayLeaning[]> {
      return unwrap(
        await api().GET('/api/v1/weekday-themes', { params: { header: headers(context) } }),
      );
    },
    /** What the workspace's admins chose for the bot to offer (settings page). */
    async workspaceDefaults(context: CallContext): Promise<WorkspaceDefaults> {
      return unwrap(
        await api().GET('/api/v1/workspaces/current/defaults', {
          params: { header: headers(context) },
        }),
      );
    },
    async deactivateWorkspace(slackTeamId: string, reason: string, requestId?: string) {
      return unwrap(
        await api().POST('/api/v1/workspaces/current/deactivation', {
          params: { header: { ...serviceHeaders(requestId), 'x-slack-team-id': slackTeamId } },
          body: { reason },
        }),
      );
    },
    /** The workspaces Slack rate-limited (any replica's 429), with when each hold ends. */
    async listSlackHolds(): Promise<Array<{ teamId: string; until: string }>> {
      const result = unwrap(
        await api().GET('/api/v1/workspaces/slack-holds', { headers: serviceHeaders() }),
      );
      return result.holds;
    },
    /** Saves an item; `created` is false when its source key was seen before. */
    async createActionItem(context: CallContext, item: NewActionItem) {
      const result = await api().POST('/api/v1/action-items', {
        params: { header: headers(context) },
        body: item,
      });
      return { item: unwrap(result) as ActionItem, created: result.response.status === 201 };
    },
    async listActionItems(
      context: CallContext,
      query: { status?: ActionItem['status']; deliveryId?: string; sourceKey?: string } = {},
    ): Promise<ActionItem[]> {
      const result = unwrap(
        await api().GET('/api/v1/action-items', { params: { header: headers(context), query } }),
      );
      return result.items;
    },
    async getActionItem(context: CallContext, id: string): Promise<ActionItem> {
      return unwrap(
        await api().GET('/api/v1/action-items/{id}', {
          params: { header: headers(context), path: { id } },
        }),
      );
    },
    async updateActionItem(
      context: CallContext,
      id: string,
      changes: ActionItemChanges,
    ): Promise<ActionItem> {
      return unwrap(
        await api().PATCH('/api/v1/action-items/{id}', {
          params: { header: headers(context), path: { id } },
          body: changes,
        }),
      );
    },
    async deleteActionItem(context: CallContext, id: string): Promise<void> {
      unwrap(
        await api().DELETE('/api/v1/action-items/{id}', {
          params: { header: headers(context), path: { id } },
        }),
      );
    },
    async findDeliveryByMessage(
      context: CallContext,
      channelId: string,
      ts: string,
    ): Promise<SentDelivery> {
      return unwrap(
        await api().GET('/api/v1/me/deliveries/by-message', {
          params: { header: headers(context), query: { channelId, ts } },
        }),
      );
    },
    async findReminderByMessage(
      context: CallContext,
      channelId: string,
      ts: string,
    ): Promise<SentReminder> {
      return unwrap(
        await api().GET('/api/v1/me/reminders/by-message', {
          params: { header: headers(context), query: { channelId, ts } },
        }),
      );
    },
    async latestDelivery(context: CallContext, withinHours: number): Promise<SentDelivery> {
      return unwrap(
        await api().GET('/api/v1/me/deliveries/latest', {
          params: { header: headers(context), query: { withinHours } },
        }),
      );
    },
    async getMyDelivery(context: CallContext, id: string) {
      return unwrap(
        await api().GET('/api/v1/me/deliveries/{id}', {
          params: { header: headers(context), path: { id } },
        }),
      );
    },
    async rateNote(context: CallContext, deliveryId: string, rating: NoteRating) {
      return unwrap(
        await api().PUT('/api/v1/me/deliveries/{id}/rating', {
          params: { header: headers(context), path: { id: deliveryId } },
          body: { rating },
        }),
      );
    },
    async answer(context: CallContext, itemId: string, answer: AnswerRequest) {
      return unwrap(
        await api().POST('/api/v1/action-items/{id}/responses', {
          params: { header: headers(context), path: { id: itemId } },
          body: answer,
        }),
      );
    },
    async reflect(
      context: CallContext,
      itemId: string,
      responseId: string,
      reflection: { reflection?: string | null; usefulness?: number | null },
    ) {
      return unwrap(
        await api().PATCH('/api/v1/action-items/{id}/responses/{responseId}', {
          params: { header: headers(context), path: { id: itemId, responseId } },
          body: reflection,
        }),
      );
    },
    /** A single-use download link, valid a day, to everything Blindspot holds about the caller. */
    async createExport(context: CallContext): Promise<{ url: string; expiresAt: string }> {
      return unwrap(
        await api().POST('/api/v1/me/exports', { params: { header: headers(context) } }),
      );
    },
    /** Erases the caller and everything about them. Irreversible: ask them first. */
    async eraseMe(context: CallContext) {
      return unwrap(await api().DELETE('/api/v1/me', { params: { header: headers(context) } }));
    },
    async progress(context: CallContext): Promise<Progress> {
      return unwrap(
        await api().GET('/api/v1/me/progress', { params: { header: headers(context) } }),
      );
    },
    async setWeeklyDigest(context: CallContext, enabled: boolean) {
      return unwrap(
        await api().PUT('/api/v1/subscriptions/me/weekly-digest', {
          params: { header: headers(context) },
          body: { enabled },
        }),
      );
    },
    async claimReminders(limit: number, leaseSeconds: number): Promise<ClaimedReminder[]> {
      const result = unwrap(
        await api().POST('/api/v1/reminders/claims', {
          headers: serviceHeaders(),
          body: { limit, leaseSeconds },
        }),
      );
      return result.reminders;
    },
    /** Confirms many sent reminders in one call; answers each in the order asked. */
    async confirmReminders(confirmations: SentConfirmation[]) {
      const result = unwrap(
        await api().POST('/api/v1/reminders/confirmations', {
          headers: serviceHeaders(),
          body: { confirmations },
        }),
      );
      return result.confirmations;
    },
    async reportReminderFailure(id: string, report: FailureReport) {
      return unwrap(
        await api().POST('/api/v1/reminders/{id}/failure', {
          params: { path: { id } },
          headers: serviceHeaders(),
          body: report,
        }),
      );
    },
    /** Renews the leases the bot holds on claimed reminders; see renewDeliveryLeases. */
    async renewReminderLeases(leases: HeldLease[], leaseSeconds: number): Promise<LeaseRenewal[]> {
      const result = unwrap(
        await api().POST('/api/v1/reminders/leases', {
          headers: serviceHeaders(),
          body: { leases, leaseSeconds },
        }),
      );
      return result.leases;
    },
    /**
     * Renews, in one call, the leases the bot holds on claimed deliveries (at most 500). A lease
     * answered `renewed: false` is no longer the bot's: another sender may hold the row.
     */
    async renewDeliveryLeases(leases: HeldLease[], leaseSeconds: number): Promise<LeaseRenewal[]> {
      const result = unwrap(
        await api().POST('/api/v1/deliveries/leases', {
          headers: serviceHeaders(),
          body: { leases, leaseSeconds },
        }),
      );
      return result.leases;
    },
    async claimDeliveries(limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
      const result = unwrap(
        await api().POST('/api/v1/deliveries/claims', {
          headers: serviceHeaders(),
          body: { limit, leaseSeconds },
        }),
      );
      return result.deliveries;
    },
    /** Confirms many sent deliveries in one call; answers each in the order asked. */
    async confirmDeliveries(confirmations: SentConfirmation[]) {
      const result = unwrap(
        await api().POST('/api/v1/deliveries/confirmations', {
          headers: serviceHeaders(),
          body: { confirmations },
        }),
      );
      return result.confirmations;
    },
    async reportDeliveryFailure(id: string, report: FailureReport) {
      return unwrap(
        await api().POST('/api/v1/deliveries/{id}/failure', {
          params: { path: { id } },
          headers: serviceHeaders(),
          body: report,
        }),
      );
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
