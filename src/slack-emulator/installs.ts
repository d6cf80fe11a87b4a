/**
 * Add to Slack, as the stand-in plays it (issue 16): a test grants an install for a team (the
 * consent a person gives on Slack's page) and gets the `code` Slack would redirect with;
 * `oauth.v2.access` trades it for that team's own bot token, and, with token rotation on,
 * renews an expiring token with `grant_type=refresh_token`. One token per team, so a test can
 * check that every call used the right team's token; `auth.test` answers for the token's team,
 * and `auth.revoke` revokes it.
 *
 * An org-wide install (Enterprise Grid) is granted for an enterprise: the answer has
 * `is_enterprise_install: true`, the enterprise and `team: null`, and its one token serves
 * every workspace of the org, as Slack's does.
 * https://docs.slack.dev/reference/methods/oauth.v2.access
 * https://api.slack.com/enterprise/apps/reference
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from './types.ts';

export interface InstallGrant {
  /** The workspace installed into; none for an org-wide install. */
  teamId?: string;
  teamName?: string;
  /** The Grid org: the workspace's, or the one an org-wide install covers. */
  enterpriseId?: string;
  enterpriseName?: string;
  /** An org-wide install of the enterprise (needs `enterpriseId`, takes no `teamId`). */
  isEnterpriseInstall?: boolean;
  /** The bot scopes the person approved; defaults to those asked for. */
  scopes: readonly string[];
  installerUserId?: string;
  /**
   * Token rotation on: the installed token expires after `expiresInSeconds` (a test makes it
   * short), renewed ones after Slack's 12 hours, and each comes with a refresh token.
   */
  tokenRotation?: boolean;
  expiresInSeconds?: number;
}

export interface InstalledToken {
  /** The workspace the token serves; null for an org-wide install's, which serves them all. */
  teamId: string | null;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  token: string;
  /** Milliseconds since the epoch; none without rotation. */
  expiresAt?: number;
  revoked: boolean;
}

/** What one installation is known by: its team, or for an org-wide one its enterprise. */
function installationKey(grant: {
  teamId?: string | null;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}) {
  return grant.isEnterpriseInstall ? `E:${grant.enterpriseId}` : `T:${grant.teamId}`;
}

/** The client an app registered on the stand-in: oauth.v2.access checks it. */
export interface StandInOAuthClient {
  clientId: string;
  clientSecret: string;
}

export class StandInInstalls {
  readonly #codes = new Map<string, InstallGrant>();
  readonly #tokens = new Map<string, InstalledToken>();
  readonly #refreshTokens = new Map<string, InstallGrant>();
  #client: StandInOAuthClient | undefined;
  #sequence = 0;
  readonly #now: () => number;
  readonly #bot: { botUserId: string; botId: string; appId: string };

  constructor(now: () => number, bot: { botUserId: string; botId: string; appId: string }) {
    this.#now = now;
    this.#bot = bot;
  }

  /** The app's client id and secret; oauth.v2.access refuses any other. */
  registerClient(client: StandInOAuthClient): void {
    this.#client = client;
  }

  /** A person approved the install on Slack's page: the `code` Slack redirects back with. */
  grant(grant: InstallGrant): string {
    if (grant.isEnterpriseInstall ? !grant.enterpriseId || grant.teamId : !grant.teamId) {
      throw new Error('a grant names a team, or for an org-wide install an enterprise only');
    }
    const code = `code-${grant.teamId ?? grant.enterpriseId}-${randomBytes(8).toString('hex')}`;
    this.#codes.set(code, grant);
    return code;
  }

  /** Every token the stand-in issued, newest last. */
  get tokens(): readonly InstalledToken[] {
    return [...this.#tokens.values()];
  }

  /** The installed token, if `token` is one the stand-in issued: its team, and whether usable. */
  lookUp(token: string): InstalledToken | undefined {
    return this.#tokens.get(token);
  }

  /** Whether an issued token may be used now (not revoked, not expired). */
  isUsable(token: InstalledToken): boolean {
    return !token.revoked && (token.expiresAt === undefined || token.expiresAt > this.#now());
  }

  /** Revokes every token of the team, as an uninstall does. */
  revokeTeam(teamId: string): void {
    for (const token of this.#tokens.values()) if (token.teamId === teamId) token.revoked = true;
  }

  /** Revokes the org-wide install's tokens, as uninstalling it from the org does. */
  revokeEnterpriseInstall(enterpriseId: string): void {
    for (const token of this.#tokens.values()) {
      if (token.isEnterpriseInstall && token.enterpriseId === enterpriseId) token.revoked = true;
    }
  }

  /**
   * What auth.test says of whom the token acts for. An org-wide token names the enterprise
   * where a workspace token names its team.
   */
  identify(token: InstalledToken): JsonObject {
    return {
      team_id: token.teamId ?? token.enterpriseId ?? null,
      ...(token.enterpriseId ? { enterprise_id: token.enterpriseId } : {}),
      is_enterprise_install: token.isEnterpriseInstall,
    };
  }

  /** The answer to auth.revoke: the token stops working at once, as Slack's does. */
  revoke(token: string): JsonObject {
    const installed = this.#tokens.get(token);
    if (!installed) return { ok: false, error: 'invalid_auth' };
    installed.revoked = true;
    return { ok: true, revoked: true };
  }

  /** The answer to oauth.v2.access. */
  access(args: JsonObject): JsonObject {
    const client = this.#client;
    if (!client || args.client_id !== client.clientId) {
      return { ok: false, error: 'invalid_client_id' };
    }
    if (args.client_secret !== client.clientSecret)
      return { ok: false, error: 'bad_client_secret' };
    if (args.grant_type === 'refresh_token') {
      const grant = this.#refreshTokens.get(String(args.refresh_token ?? ''));
      if (!grant) return { ok: false, error: 'invalid_refresh_token' };
      return this.#issue(grant, String(args.refresh_token));
    }
    const code = String(args.code ?? '');
    const grant = this.#codes.get(code);
    // A code is good once, as Slack's are.
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.#codes.delete(code);
    return this.#issue(grant);
  }

  #issue(grant: InstallGrant, refreshToken?: string): JsonObject {
    this.#sequence += 1;
    const secret = randomBytes(12).toString('hex');
    const rotating = grant.tokenRotation === true;
    const orgWide = grant.isEnterpriseInstall === true;
    const owner = grant.teamId ?? grant.enterpriseId;
    const token = `${rotating ? 'xoxe.' : ''}xoxb-${owner}-${this.#sequence}-${secret}`;
    const expiresIn = refreshToken ? 43_200 : (grant.expiresInSeconds ?? 43_200);
    if (refreshToken) {
      // The token renewed is spent: only the newest of the installation works.
      const key = installationKey(grant);
      for (const old of this.#tokens.values()) if (installationKey(old) === key) old.revoked = true;
    }
    this.#tokens.set(token, {
      teamId: orgWide ? null : (grant.teamId ?? null),
      enterpriseId: grant.enterpriseId,
      isEnterpriseInstall: orgWide,
      token,
      expiresAt: rotating ? this.#now() + expiresIn * 1000 : undefined,
      revoked: false,
    });
    const refresh = rotating ? (refreshToken ?? `xoxe-1-${owner}-${secret}`) : undefined;
    if (refresh) this.#refreshTokens.set(refresh, grant);
    return {
      ok: true,
      app_id: this.#bot.appId,
      authed_user: { id: grant.installerUserId ?? 'U0INSTALLER' },
      scope: grant.scopes.join(','),
      token_type: 'bot',
      access_token: token,
      bot_user_id: this.#bot.botUserId,
      team: orgWide ? null : { id: grant.teamId, name: grant.teamName ?? grant.teamId },
      enterprise: grant.enterpriseId
        ? { id: grant.enterpriseId, name: grant.enterpriseName ?? grant.enterpriseId }
        : null,
      is_enterprise_install: orgWide,
      ...(refresh ? { refresh_token: refresh, expires_in: expiresIn } : {}),
    };
  }
}
