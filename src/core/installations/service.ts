/**
 * Slack installations made with "Add to Slack" (issue 16): stored with their tokens sealed,
 * opened only to answer the bot, renewed by one replica at a time when token rotation is on.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, notFound } from '../errors.ts';
import { ENCRYPTION_KEYS_VARIABLE, type Keyring } from '../secrets/keyring.ts';
import { markEnterpriseWorkspacesActive } from '../workspaces/repository.ts';
import { ensureWorkspace, recordEnterpriseWorkspace } from '../workspaces/service.ts';
import {
  claimTokenRefresh,
  consumeOAuthState,
  deleteExpiredOAuthStates,
  findInstallation,
  type InstallationKey,
  insertOAuthState,
  type SealedInstallation,
  sampleSealedToken,
  updateSealedTokens,
  upsertInstallation,
} from './repository.ts';

/** An install under way must come back from Slack's consent page within this time. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export interface Installation extends InstallationKey {
  isEnterpriseInstall: boolean;
  appId: string | null;
  botUserId: string | null;
  botId: string | null;
  botScopes: string[];
  botToken: string;
  botRefreshToken: string | null;
  botTokenExpiresAt: Date | null;
  installerUserId: string | null;
}

export type InstallationQuery = InstallationKey & { isEnterpriseInstall: boolean };

type SealedColumn = 'bot_token' | 'bot_refresh_token';

/** The associated data that binds a sealed value to its row and column. */
export function sealedBinding(column: SealedColumn, key: InstallationKey): string {
  return `slack_installations.${column}:${key.enterpriseId ?? '-'}:${key.teamId ?? '-'}`;
}

function requireKeyring(keyring: Keyring | undefined): Keyring {
  if (!keyring) {
    throw new AppError(
      'installations_disabled',
      `Installing into many workspaces needs ${ENCRYPTION_KEYS_VARIABLE} on the API.`,
      409,
    );
  }
  return keyring;
}

function open(keyring: Keyring, row: SealedInstallation): Installation {
  const { botTokenSealed, botRefreshTokenSealed, id: _id, workspaceId: _w, ...rest } = row;
  return {
    ...rest,
    botToken: keyring.open(botTokenSealed, sealedBinding('bot_token', row)),
    botRefreshToken:
      botRefreshTokenSealed === null
        ? null
        : keyring.open(botRefreshTokenSealed, sealedBinding('bot_refresh_token', row)),
  };
}

/**
 * Stores an installation (a reinstall replaces the tokens and scopes) and makes its workspace
 * active again, with its topics on first install, in one transaction. An org-wide install has
 * no workspace of its own: the workspaces of its enterprise are recorded as each is first seen
 * (fetchInstallation), and those already known are made active again.
 */
export async function saveInstallation(
  db: Kysely<Database>,
  keyring: Keyring | undefined,
  installation: Installation,
  now: Date,
  requestId?: string,
): Promise<{ created: boolean }> {
  const ring = requireKeyring(keyring);
  return db.transaction().execute(async (trx) => {
    const workspaceId = installation.teamId
      ? await ensureWorkspace(trx, installation.teamId, now, installation.enterpriseId ?? undefined)
      : null;
    if (installation.isEnterpriseInstall && installation.enterpriseId) {
      await markEnterpriseWorkspacesActive(trx, installation.enterpriseId, now);
    }
    const { botToken, botRefreshToken, ...rest } = installation;
    const saved = await upsertInstallation(
      trx,
      {
        ...rest,
        workspaceId,
        botTokenSealed: ring.seal(botToken, sealedBinding('bot_token', installation)),
        botRefreshTokenSealed:
          botRefreshToken === null
            ? null
            : ring.seal(botRefreshToken, sealedBinding('bot_refresh_token', installation)),
      },
      now,
    );
    await recordAuditEvent(trx, {
      workspaceId,
      actor: installation.installerUserId ? `slack:${installation.installerUserId}` : 'system',
      action: saved.created ? 'slack.installed' : 'slack.reinstalled',
      subjectType: 'slack_installation',
      subjectId: saved.id,
      requestId,
      details: {
        enterpriseId: installation.enterpriseId,
        teamId: installation.teamId,
        scopes: installation.botScopes,
        tokenRotation: installation.botRefreshToken !== null,
      },
    });
    return { created: saved.created };
  });
}

/**
 * The installation to answer an event or a delivery with. When an org-wide install answers for
 * one of its workspaces, that workspace is recorded as the org's, so that what the bot later
 * sends there on its own (the outbox's notes) finds the same token.
 */
export async function fetchInstallation(
  db: Kysely<Database>,
  keyring: Keyring | undefined,
  query: InstallationQuery,
  now: Date,
): Promise<Installation> {
  const ring = requireKeyring(keyring);
  const row = await findInstallation(db, query);
  if (!row) throw notFound('installation');
  const installation = open(ring, row);
  const { teamId } = query;
  // Bolt falls back to the enterprise's id where a payload names no workspace: not a team.
  if (query.isEnterpriseInstall && row.enterpriseId && teamId && teamId !== row.enterpriseId) {
    await recordEnterpriseWorkspace(db, teamId, row.enterpriseId, now);
  }
  return installation;
}

/** How long one replica may take to renew a token before another may try. */
const REFRESH_CLAIM_MS = 30_000;

/**
 * Asks to renew the installation's token. `claimed` is true for exactly one caller while the
 * token expires within `withinMs`; that caller renews it with Slack and stores the result with
 * `storeRefreshedTokens`. Everyone else gets the current installation (still valid until it
 * expires) and `claimed: false`.
 */
export async function claimInstallationRefresh(
  db: Executor,
  keyring: Keyring | undefined,
  query: InstallationQuery,
  withinMs: number,
  now: Date,
): Promise<{ claimed: boolean; installation: Installation }> {
  const ring = requireKeyring(keyring);
  const row = await findInstallation(db, query);
  if (!row) throw notFound('installation');
  const claimed = await claimTokenRefresh(
    db,
    row.id,
    new Date(now.getTime() + withinMs),
    new Date(now.getTime() + REFRESH_CLAIM_MS),
    now,
  );
  return { claimed, installation: open(ring, row) };
}

/** Stores the pair Slack gave for a refresh, and releases the claim. */
export async function storeRefreshedTokens(
  db: Executor,
  keyring: Keyring | undefined,
  query: InstallationQuery,
  tokens: { botToken: string; botRefreshToken: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  const ring = requireKeyring(keyring);
  const row = await findInstallation(db, query);
  if (!row) throw notFound('installation');
  await updateSealedTokens(
    db,
    row.id,
    {
      botTokenSealed: ring.seal(tokens.botToken, sealedBinding('bot_token', row)),
      botRefreshTokenSealed: ring.seal(
        tokens.botRefreshToken,
        sealedBinding('bot_refresh_token', row),
      ),
      botTokenExpiresAt: tokens.expiresAt,
    },
    now,
  );
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

/** A fresh single-use OAuth state, remembered with what the install was started with. */
export async function createOAuthState(
  db: Executor,
  installOptions: unknown,
  now: Date,
): Promise<string> {
  await deleteExpiredOAuthStates(db, now);
  const state = randomBytes(32).toString('base64url');
  await insertOAuthState(
    db,
    hashState(state),
    installOptions,
    new Date(now.getTime() + OAUTH_STATE_TTL_MS),
  );
  return state;
}

/** Uses the state up. @throws AppError invalid_oauth_state when unknown, used or expired. */
export async function useOAuthState(db: Executor, state: string, now: Date): Promise<unknown> {
  const found = await consumeOAuthState(db, hashState(state), now);
  if (!found || found.expired) {
    throw new AppError(
      'invalid_oauth_state',
      'This install link is not valid: it was used already, has expired, or was not ours.',
      400,
    );
  }
  return found.installOptions;
}

/**
 * Proves at start-up that the configured keys open what the database holds: a restored backup
 * with the wrong key fails here, with the variable named, instead of on the first event.
 * @throws Error naming BLINDSPOT_ENCRYPTION_KEYS.
 */
export async function checkKeysOpenStoredTokens(
  db: Executor,
  keyring: Keyring | undefined,
): Promise<void> {
  const row = await sampleSealedToken(db);
  if (!row) return;
  if (!keyring) {
    throw new Error(
      `the database holds Slack installations, but ${ENCRYPTION_KEYS_VARIABLE} is not set: set the keys they were sealed under`,
    );
  }
  open(keyring, row);
}
