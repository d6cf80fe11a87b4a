import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/** Which installation: a workspace's (team) or an org-wide one (enterprise only). */
export interface InstallationKey {
  enterpriseId: string | null;
  teamId: string | null;
}

export interface SealedInstallation extends InstallationKey {
  id: string;
  workspaceId: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botUserId: string | null;
  botId: string | null;
  botScopes: string[];
  botTokenSealed: string;
  botRefreshTokenSealed: string | null;
  botTokenExpiresAt: Date | null;
  installerUserId: string | null;
}

const COLUMNS = [
  'id',
  'workspace_id as workspaceId',
  'slack_enterprise_id as enterpriseId',
  'slack_team_id as teamId',
  'is_enterprise_install as isEnterpriseInstall',
  'app_id as appId',
  'bot_user_id as botUserId',
  'bot_id as botId',
  'bot_scopes as botScopes',
  'bot_token_sealed as botTokenSealed',
  'bot_refresh_token_sealed as botRefreshTokenSealed',
  'bot_token_expires_at as botTokenExpiresAt',
  'installer_user_id as installerUserId',
] as const;

/** Inserts the installation, or replaces the one of the same enterprise and team (a reinstall). */
export async function upsertInstallation(
  db: Executor,
  row: Omit<SealedInstallation, 'id'>,
  now: Date,
): Promise<{ id: string; created: boolean }> {
  const values = {
    workspace_id: row.workspaceId,
    slack_enterprise_id: row.enterpriseId,
    slack_team_id: row.teamId,
    is_enterprise_install: row.isEnterpriseInstall,
    app_id: row.appId,
    bot_user_id: row.botUserId,
    bot_id: row.botId,
    bot_scopes: row.botScopes,
    bot_token_sealed: row.botTokenSealed,
    bot_refresh_token_sealed: row.botRefreshTokenSealed,
    bot_token_expires_at: row.botTokenExpiresAt,
    installer_user_id: row.installerUserId,
  };
  const saved = await db
    .insertInto('slack_installations')
    .values({ ...values, installed_at: now, updated_at: now })
    .onConflict((oc) =>
      oc
        .columns(['slack_enterprise_id', 'slack_team_id'])
        .doUpdateSet({ ...values, token_refresh_claimed_until: null, updated_at: now }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: saved.id, created: saved.created };
}

/**
 * The installation an event or a delivery belongs to. An org-wide query (Bolt's
 * `isEnterpriseInstall`) is answered by the enterprise's install, whatever workspace of it the
 * event came from. A team query by the team's own install (a team id is unique across Slack),
 * or else by the org-wide install of the enterprise the workspace is recorded in (migration
 * 0027): how the outbox, which knows only the team, finds the org's token.
 */
export async function findInstallation(
  db: Executor,
  query: InstallationKey & { isEnterpriseInstall: boolean },
  options: { forUpdate?: boolean } = {},
): Promise<SealedInstallation | undefined> {
  let select = db.selectFrom('slack_installations').select(COLUMNS);
  const teamId = query.teamId;
  if (query.isEnterpriseInstall || !teamId) {
    select = select
      .where('slack_enterprise_id', '=', query.enterpriseId ?? '')
      .where('is_enterprise_install', '=', true);
  } else {
    select = select
      .where((eb) =>
        eb.or([
          eb('slack_team_id', '=', teamId),
          eb.and([
            eb('is_enterprise_install', '=', true),
            eb(
              'slack_enterprise_id',
              '=',
              eb
                .selectFrom('workspaces')
                .select('workspaces.slack_enterprise_id')
                .where('workspaces.slack_team_id', '=', teamId),
            ),
          ]),
        ]),
      )
      // The workspace's own install before its org's (false sorts first).
      .orderBy('is_enterprise_install');
  }
  if (options.forUpdate) select = select.forUpdate();
  return select.orderBy('id').executeTakeFirst();
}

/** Forgets the tokens of a team (every row naming it); returns how many rows went. */
export async function deleteTeamInstallations(db: Executor, teamId: string): Promise<number> {
  const deleted = await db
    .deleteFrom('slack_installations')
    .where('slack_team_id', '=', teamId)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Forgets an org-wide installation. */
export async function deleteEnterpriseInstallation(
  db: Executor,
  enterpriseId: string,
): Promise<number> {
  const deleted = await db
    .deleteFrom('slack_installations')
    .where('slack_enterprise_id', '=', enterpriseId)
    .where('is_enterprise_install', '=', true)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Any one sealed token, to prove at start-up that the configured keys open what is stored. */
export async function sampleSealedToken(db: Executor): Promise<SealedInstallation | undefined> {
  return db
    .selectFrom('slack_installations')
    .select(COLUMNS)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * A batch of installations with a value sealed under a key other than `currentKeyId`, after
 * `afterId`, locked so that two rotations running at once do not reseal the same row twice.
 * SKIP LOCKED: a row another rotation holds is that rotation's to finish.
 */
export async function lockInstallationsToReseal(
  db: Executor,
  currentKeyId: string,
  afterId: string,
  limit: number,
): Promise<SealedInstallation[]> {
  const current = `v1.${currentKeyId}.%`;
  return db
    .selectFrom('slack_installations')
    .select(COLUMNS)
    .where('id', '>', afterId)
    .where((eb) =>
      eb.or([
        eb('bot_token_sealed', 'not like', current),
        eb.and([
          eb('bot_refresh_token_sealed', 'is not', null),
          eb('bot_refresh_token_sealed', 'not like', current),
        ]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function updateSealedTokens(
  db: Executor,
  id: string,
  sealed: {
    botTokenSealed: string;
    botRefreshTokenSealed: string | null;
    botTokenExpiresAt?: Date | null;
  },
  now: Date,
): Promise<void> {
  await db
    .updateTable('slack_installations')
    .set({
      bot_token_sealed: sealed.botTokenSealed,
      bot_refresh_token_sealed: sealed.botRefreshTokenSealed,
      ...(sealed.botTokenExpiresAt !== undefined
        ? { bot_token_expires_at: sealed.botTokenExpiresAt, token_refresh_claimed_until: null }
        : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Claims the right to renew the installation's token: succeeds for one caller only, while the
 * token expires before `expiringBefore` and no other claim is still in force.
 */
export async function claimTokenRefresh(
  db: Executor,
  id: string,
  expiringBefore: Date,
  claimUntil: Date,
  now: Date,
): Promise<boolean> {
  const claimed = await db
    .updateTable('slack_installations')
    .set({ token_refresh_claimed_until: claimUntil })
    .where('id', '=', id)
    .where('bot_refresh_token_sealed', 'is not', null)
    .where('bot_token_expires_at', '<', expiringBefore)
    .where((eb) =>
      eb.or([
        eb('token_refresh_claimed_until', 'is', null),
        eb('token_refresh_claimed_until', '<=', now),
      ]),
    )
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function insertOAuthState(
  db: Executor,
  stateSha256: string,
  installOptions: unknown,
  expiresAt: Date,
): Promise<void> {
  await db
    .insertInto('slack_oauth_states')
    .values({
      state_sha256: stateSha256,
      install_options: JSON.stringify(installOptions),
      expires_at: expiresAt,
    })
    .execute();
}

/** Uses the state up: a second callback with it finds nothing. Expired states are refused. */
export async function consumeOAuthState(
  db: Executor,
  stateSha256: string,
  now: Date,
): Promise<{ installOptions: unknown; expired: boolean } | undefined> {
  const row = await db
    .deleteFrom('slack_oauth_states')
    .where('state_sha256', '=', stateSha256)
    .returning(['install_options', 'expires_at'])
    .executeTakeFirst();
  if (!row) return undefined;
  return { installOptions: row.install_options, expired: row.expires_at <= now };
}

/** Sweeps states of installs abandoned on Slack's consent page. */
export async function deleteExpiredOAuthStates(db: Executor, now: Date): Promise<void> {
  await db.deleteFrom('slack_oauth_states').where('expires_at', '<=', now).execute();
}
