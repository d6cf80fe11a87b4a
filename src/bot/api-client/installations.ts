/**
 * The bot's calls for installations made with Add to Slack (issue 16): the store behind Bolt's
 * InstallProvider and `authorize`, the single-use OAuth state, and the claim that lets one
 * replica renew a rotating token. Service calls, on no Slack user's behalf.
 */
import type { components } from './schema.ts';
import { type ApiClientOptions, createTransport } from './transport.ts';

export type StoredInstallation = components['schemas']['SlackInstallation'];
export interface InstallationQuery {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

export function createInstallationApi(options: ApiClientOptions) {
  // Installation lookups sit on every event's path: they fail fast, like the rest of the client.
  const { api, unwrap, serviceHeaders } = createTransport(options);
  const headers = serviceHeaders();

  return {
    async save(installation: StoredInstallation): Promise<{ created: boolean }> {
      return unwrap(
        await api().PUT('/api/v1/slack/installations', { headers, body: installation }),
      );
    },
    async fetch(query: InstallationQuery): Promise<StoredInstallation> {
      return unwrap(
        await api().POST('/api/v1/slack/installations/lookup', { headers, body: query }),
      );
    },
    /** `claimed` for exactly one caller while the token expires within `withinSeconds`. */
    async claimRefresh(query: InstallationQuery, withinSeconds: number) {
      return unwrap(
        await api().POST('/api/v1/slack/installations/refresh-claim', {
          headers,
          body: { ...query, withinSeconds },
        }),
      );
    },
    async storeRefreshedTokens(
      query: InstallationQuery,
      tokens: { botToken: string; botRefreshToken: string; expiresAt: string },
    ): Promise<void> {
      unwrap(
        await api().PUT('/api/v1/slack/installations/tokens', {
          headers,
          body: { ...query, ...tokens },
        }),
      );
    },
    async createState(installOptions: Record<string, unknown>): Promise<string> {
      const created = unwrap(
        await api().POST('/api/v1/slack/oauth-states', { headers, body: { installOptions } }),
      );
      return created.state;
    },
    /** @throws ApiCallError with code invalid_oauth_state when unknown, used or expired. */
    async consumeState(state: string): Promise<Record<string, unknown>> {
      const used = unwrap(
        await api().POST('/api/v1/slack/oauth-states/consumption', { headers, body: { state } }),
      );
      return used.installOptions;
    },
  };
}

export type InstallationApi = ReturnType<typeof createInstallationApi>;
