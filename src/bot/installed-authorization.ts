/**
 * Tokens per workspace when Blindspot is installed with Add to Slack (issue 16): Bolt's
 * `authorize` and the outbox ask the API for the installation of the event's (or delivery's)
 * team on every use, so an uninstall stops everything at once. An event from a workspace of an
 * org-wide (Enterprise Grid) install asks for the enterprise's installation, as Bolt's
 * InstallProvider does; the API then records the workspace as the org's, so that the outbox,
 * which knows only the team, gets the org's token too. A rotating token about to expire
 * is renewed by the one replica the API lets claim it; the others go on with the current token,
 * which is still valid, or wait for the new one when it is not.
 */
import { type Authorize, type CodedError, ErrorCode } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../observability/logger.ts';
import { ApiCallError } from './api-client/index.ts';
import type {
  InstallationApi,
  InstallationQuery,
  StoredInstallation,
} from './api-client/installations.ts';
import { queryOf } from './slack-install.ts';

/** Renew a token this long before it expires (Slack's tokens last 12 hours). */
const RENEW_WITHIN_SECONDS = 30 * 60;
/** How long a replica that lost the claim waits for an expired token's renewal. */
const WAIT_FOR_RENEWAL_MS = 2_000;
const WAIT_STEP_MS = 100;

export interface InstalledAuthorizationOptions {
  installations: InstallationApi;
  clientId: string;
  clientSecret: string;
  /** Options of the client that calls oauth.v2.access to renew tokens (Slack's API URL). */
  clientOptions: WebClientOptions;
  logger: Logger;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Waits between polls; tests may pass one that resolves at once. */
  sleep?: (ms: number) => Promise<void>;
}

export function installedAuthorization(options: InstalledAuthorizationOptions) {
  const { installations, logger, now } = options;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const oauthClient = new WebClient(undefined, options.clientOptions);

  const expiresAtMs = (installation: StoredInstallation) =>
    installation.botTokenExpiresAt ? Date.parse(installation.botTokenExpiresAt) : undefined;
  const needsRenewal = (installation: StoredInstallation) => {
    const expiresAt = expiresAtMs(installation);
    return (
      installation.botRefreshToken !== null &&
      expiresAt !== undefined &&
      expiresAt - now() < RENEW_WITHIN_SECONDS * 1000
    );
  };

  async function renew(query: InstallationQuery): Promise<StoredInstallation> {
    const claim = await installations.claimRefresh(query, RENEW_WITHIN_SECONDS);
    const current = claim.installation;
    if (claim.claimed && current.botRefreshToken) {
      const renewed = await oauthClient.oauth.v2.access({
        client_id: options.clientId,
        client_secret: options.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: current.botRefreshToken,
      });
      const tokens = {
        botToken: String(renewed.access_token),
        botRefreshToken: String(renewed.refresh_token),
        expiresAt: new Date(now() + Number(renewed.expires_in) * 1000).toISOString(),
      };
      await installations.storeRefreshedTokens(query, tokens);
      logger.info(
        { slackTeamId: query.teamId, slackEnterpriseId: query.enterpriseId },
        'renewed a rotating Slack token',
      );
      return { ...current, ...tokens, botTokenExpiresAt: tokens.expiresAt };
    }
    // Another replica renews it. Until it expires, the current token still works.
    let latest = current;
    const deadline = now() + WAIT_FOR_RENEWAL_MS;
    while ((expiresAtMs(latest) ?? Number.POSITIVE_INFINITY) <= now() && now() < deadline) {
      await sleep(WAIT_STEP_MS);
      latest = await installations.fetch(query);
    }
    return latest;
  }

  /** The installation with a token good to use now. @throws ApiCallError 404 when none. */
  async function installationFor(query: InstallationQuery): Promise<StoredInstallation> {
    const installation = await installations.fetch(query);
    return needsRenewal(installation) ? renew(query) : installation;
  }

  const authorize: Authorize<boolean> = async (source) => {
    const installation = await installationFor(queryOf(source));
    return {
      botToken: installation.botToken,
      botUserId: installation.botUserId ?? undefined,
      botId: installation.botId ?? undefined,
      teamId: installation.teamId ?? undefined,
      enterpriseId: installation.enterpriseId ?? undefined,
    };
  };

  /** The outbox's client for a team: the team's own token, or its org-wide install's. */
  const clientFor = (clientOptions: WebClientOptions) => async (teamId: string) => {
    const installation = await installationFor({
      teamId,
      enterpriseId: null,
      isEnterpriseInstall: false,
    });
    return new WebClient(installation.botToken, clientOptions);
  };

  return { authorize, clientFor };
}

/**
 * Bolt's error handler: an event from a workspace with no installation (uninstalled, or never
 * installed) is acknowledged and dropped, since a 5xx would only make Slack retry it. Any other
 * error, including an API that cannot be reached, still fails the request so Slack retries.
 */
export function dropEventsOfUnknownTeams(logger: Logger) {
  return async ({ error, body }: { error: CodedError; body: unknown }): Promise<void> => {
    const original = (error as { original?: unknown }).original;
    if (
      error.code === ErrorCode.AuthorizationError &&
      original instanceof ApiCallError &&
      original.status === 404
    ) {
      logger.warn(
        { slackTeamId: teamIdOf(body), slackEnterpriseId: enterpriseIdOf(body) },
        'dropped a Slack request from a workspace with no installation',
      );
      return;
    }
    throw error;
  };
}

function teamIdOf(body: unknown): string | undefined {
  const b = body as { team_id?: unknown; team?: { id?: unknown }; user?: { team_id?: unknown } };
  const id = b.team_id ?? b.team?.id ?? b.user?.team_id;
  return typeof id === 'string' ? id : undefined;
}

function enterpriseIdOf(body: unknown): string | undefined {
  const b = body as { enterprise_id?: unknown; enterprise?: { id?: unknown } };
  const id = b.enterprise_id ?? b.enterprise?.id;
  return typeof id === 'string' ? id : undefined;
}
