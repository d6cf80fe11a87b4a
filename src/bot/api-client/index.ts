/**
 * The bot's only way into the business logic: a typed client for the HTTP API, with types
 * generated from docs/api/openapi.json (`npm run api:generate`).
 */
import { actionItemCalls } from './action-items.ts';
import { holidayCalls } from './holidays.ts';
import { ledgerCalls } from './ledgers.ts';
import type { components, paths } from './schema.ts';
import { sentReminderCalls } from './sent-reminders.ts';
import { type ApiClientOptions, type CallContext, createTransport } from './transport.ts';

export type {
  ActionItem,
  ActionItemChanges,
  AnswerRequest,
  CheckBack,
  NewActionItem,
} from './action-items.ts';
export type { HolidayPlace, SkippedNote } from './holidays.ts';
export type {
  ConfirmationStatus,
  FailureReport,
  HeldLease,
  LeaseRenewal,
  SentConfirmation,
} from './ledgers.ts';
export type { ReminderMessage, SentReminder } from './sent-reminders.ts';
export {
  ApiCallError,
  type ApiClientOptions,
  type ApiError,
  type CallContext,
  type ErrorCode,
  isNotFound,
  signedRequest,
} from './transport.ts';

export type Manager = components['schemas']['Manager'];
export type Subscription = components['schemas']['Subscription'];
export type ClaimedDelivery = components['schemas']['ClaimedDelivery'];
export type SentDelivery = components['schemas']['SentDelivery'];
export type NoteRating = 'useful' | 'not_for_me';
export type ClaimedReminder = components['schemas']['ClaimedReminder'];
export type HiddenTopic =
  paths['/api/v1/me/hidden-topics']['get']['responses']['200']['content']['application/json']['topics'][number];
export type Progress =
  paths['/api/v1/me/progress']['get']['responses']['200']['content']['application/json'];
export type Home =
  paths['/api/v1/me/home']['get']['responses']['200']['content']['application/json'];
export type SubscriptionRequest =
  paths['/api/v1/subscriptions/me']['put']['requestBody']['content']['application/json'];
export type WorkspaceDefaults =
  paths['/api/v1/workspaces/current/defaults']['get']['responses']['200']['content']['application/json'];
export type UserGroupList =
  paths['/api/v1/workspaces/current/user-groups']['put']['requestBody']['content']['application/json'];
export type MemberStatuses =
  paths['/api/v1/workspaces/current/member-statuses']['put']['requestBody']['content']['application/json'];
export type WeekdayLeaning =
  paths['/api/v1/weekday-themes']['get']['responses']['200']['content']['application/json'][number];

export function createApiClient(options: ApiClientOptions) {
  const transport = createTransport(options);
  const { api, headers, unwrap, serviceHeaders } = transport;

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
    /** Pauses; with `until` (the first day back, as the manager wrote it), away until then. */
    async pause(context: CallContext, reason?: string, until?: string): Promise<Subscription> {
      return unwrap(
        await api().POST('/api/v1/subscriptions/me/pause', {
          params: { header: headers(context) },
          body: { ...(reason && { reason }), ...(until !== undefined && { until }) },
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
    /** The manager's language: one Blindspot speaks, or null to follow Slack and the workspace. */
    async setLanguage(context: CallContext, language: 'en' | 'de' | 'fr' | null) {
      return unwrap(
        await api().PUT('/api/v1/me/language', {
          params: { header: headers(context) },
          body: { language },
        }),
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
    /** Takes back "not relevant": the topic can come again. */
    async restoreTopic(context: CallContext, topicId: string): Promise<void> {
      unwrap(
        await api().DELETE('/api/v1/me/hidden-topics/{topicId}', {
          params: { header: headers(context), path: { topicId } },
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
    /** An org-wide install went: every workspace of the enterprise it served stops. */
    async deactivateEnterprise(enterpriseId: string, reason: string, requestId?: string) {
      return unwrap(
        await api().POST('/api/v1/slack/enterprises/{enterpriseId}/deactivation', {
          params: { path: { enterpriseId } },
          headers: serviceHeaders(requestId),
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
    /** The Slack teams whose user groups are due a sync (src/bot/user-group-sync.ts). */
    async dueUserGroupSyncs(): Promise<string[]> {
      const result = unwrap(
        await api().GET('/api/v1/workspaces/user-group-syncs', { headers: serviceHeaders() }),
      );
      return result.teamIds;
    },
    /** The workspace's user groups (or Slack's refusal); answers with the chosen ones. */
    async putUserGroups(slackTeamId: string, body: UserGroupList): Promise<{ teams: string[] }> {
      return unwrap(
        await api().PUT('/api/v1/workspaces/current/user-groups', {
          params: { header: { ...serviceHeaders(), 'x-slack-team-id': slackTeamId } },
          body,
        }),
      );
    },
    async putUserGroupMembers(slackTeamId: string, groupId: string, users: string[]) {
      return unwrap(
        await api().PUT('/api/v1/workspaces/current/user-groups/{groupId}/members', {
          params: {
            header: { ...serviceHeaders(), 'x-slack-team-id': slackTeamId },
            path: { groupId },
          },
          body: { users },
        }),
      );
    },
    /**
     * The Slack teams whose members' statuses this bot should sweep now, held from other
     * replicas for a while (src/bot/status-sweep.ts).
     */
    async claimStatusSweeps(): Promise<string[]> {
      const result = unwrap(
        await api().POST('/api/v1/workspaces/status-sweeps/claims', { headers: serviceHeaders() }),
      );
      return result.teamIds;
    },
    /** Members' derived statuses; answers how many managers' statuses were written. */
    async putMemberStatuses(
      slackTeamId: string,
      body: MemberStatuses,
    ): Promise<{ updated: number }> {
      return unwrap(
        await api().PUT('/api/v1/workspaces/current/member-statuses', {
          params: { header: { ...serviceHeaders(), 'x-slack-team-id': slackTeamId } },
          body,
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
    /** The notes last sent to the manager, newest first, skipping the newest `offset`. */
    async recentDeliveries(
      context: CallContext,
      limit: number,
      offset = 0,
    ): Promise<SentDelivery[]> {
      const result = unwrap(
        await api().GET('/api/v1/me/deliveries', {
          params: { header: headers(context), query: { limit, offset } },
        }),
      );
      return result.deliveries;
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
    /** Everything the App Home shows, in one call; for someone unknown, nulls and empty lists. */
    async home(context: CallContext): Promise<Home> {
      return unwrap(await api().GET('/api/v1/me/home', { params: { header: headers(context) } }));
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
    ...actionItemCalls(transport),
    ...ledgerCalls(transport),
    ...holidayCalls(transport),
    ...sentReminderCalls(transport),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
