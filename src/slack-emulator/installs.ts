/**
 * Add to Slack, as the stand-in plays it (issue 16): a test grants an install for a team (the
 * consent a person gives on Slack's page) and gets the `code` Slack would redirect with;
 * `oauth.v2.access` trades it for that team's own bot token, and, with token rotation on,
 * renews an expiring token with `grant_type=refresh_token`. One token per team, so a test can
 * check that every call used the right team's token; `auth.test` answers for the token's team,
 * and `auth.revoke` revokes it.
 * https://docs.slack.dev/reference/methods/oauth.v2.access
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject } from './types.ts';

export interface InstallGrant {
  teamId: string;
  teamName?: string;
  enterpriseId?: string;
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
  teamId: string;
  enterpriseId?: string;
  token: string;
  /** Milliseconds since the epoch; none without rotation. */
  expiresAt?: number;
  revoked: boolean;
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
    const code = `code-${grant.teamId}-${randomBytes(8).toString('hex')}`;
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
    const token = `${rotating ? 'xoxe.' : ''}xoxb-${grant.teamId}-${this.#sequence}-${secret}`;
    const expiresIn = refreshToken ? 43_200 : (grant.expiresInSeconds ?? 43_200);
    if (refreshToken) {
      // The token renewed is spent: only the newest works.
      for (const old of this.#tokens.values()) if (old.teamId === grant.teamId) old.revoked = true;
    }
    this.#tokens.set(token, {
      teamId: grant.teamId,
      enterpriseId: grant.enterpriseId,
      token,
      expiresAt: rotating ? this.#now() + expiresIn * 1000 : undefined,
      revoked: false,
    });
    const refresh = rotating ? (refreshToken ?? `xoxe-1-${grant.teamId}-${secret}`) : undefined;
    if (refresh) this.#refreshTokens.set(refresh, grant);
    return {
      ok: true,
      app_id: this.#bot.appId,
      authed_user: { id: grant.installerUserId ?? 'U0INSTALLER' },
      scope: grant.scopes.join(','),
      token_type: 'bot',
      access_token: token,
      bot_user_id: this.#bot.botUserId,
      team: { id: grant.teamId, name: grant.teamName ?? grant.teamId },
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId } : null,
      is_enterprise_install: false,
      ...(refresh ? { refresh_token: refresh, expires_in: expiresIn } : {}),
    };
  }
}
