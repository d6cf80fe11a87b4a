import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

/**
 * Creates the workspace on first contact; returns its id either way. A signed request from a
 * workspace means the app is installed there, so an inactive workspace becomes active again.
 * `enterpriseId`, when Slack named the workspace's Grid org, is recorded; without it the one
 * known is kept.
 */
export async function upsertWorkspace(
  db: Executor,
  slackTeamId: string,
  now: Date,
  enterpriseId?: string,
): Promise<{ id: string; created: boolean }> {
  const enterprise = enterpriseId ? { slack_enterprise_id: enterpriseId } : {};
  // xmax = 0 only on a freshly inserted row: the cheapest way to tell insert from update.
  const row = await db
    .insertInto('workspaces')
    .values({ slack_team_id: slackTeamId, ...enterprise })
    .onConflict((oc) =>
      oc
        .column('slack_team_id')
        .doUpdateSet({ status: 'active', status_reason: null, updated_at: now, ...enterprise }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

/** Marks an active workspace inactive with the reason; undefined if it was not active. */
export async function markWorkspaceInactive(
  db: Executor,
  slackTeamId: string,
  reason: string,
  now: Date,
): Promise<{ id: string } | undefined> {
  return db
    .updateTable('workspaces')
    .set({ status: 'inactive', status_reason: reason, updated_at: now })
    .where('slack_team_id', '=', slackTeamId)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
}

/**
 * Marks inactive every active workspace of the enterprise that the org-wide install served, that
 * is, each with no installation of its own (which keeps working without the org's token).
 */
export async function markEnterpriseWorkspacesInactive(
  db: Executor,
  enterpriseId: string,
  reason: string,
  now: Date,
): Promise<Array<{ id: string; slackTeamId: string }>> {
  return db
    .updateTable('workspaces')
    .set({ status: 'inactive', status_reason: reason, updated_at: now })
    .where('slack_enterprise_id', '=', enterpriseId)
    .where('status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('slack_installations')
            .select('slack_installations.id')
            .whereRef('slack_installations.slack_team_id', '=', 'workspaces.slack_team_id'),
        ),
      ),
    )
    .returning(['id', 'slack_team_id as slackTeamId'])
    .execute();
}

/** An org-wide install (again): its workspaces Blindspot knows are active again. */
export async function markEnterpriseWorkspacesActive(
  db: Executor,
  enterpriseId: string,
  now: Date,
): Promise<number> {
  const updated = await db
    .updateTable('workspaces')
    .set({ status: 'active', status_reason: null, updated_at: now })
    .where('slack_enterprise_id', '=', enterpriseId)
    .where('status', '=', 'inactive')
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/** Pauses every active subscription of the workspace; returns how many. */
export async function pauseWorkspaceSubscriptions(
  db: Executor,
  workspaceId: string,
  reason: string,
  now: Date,
): Promise<number> {
  const paused = await db
    .updateTable('subscriptions')
    .set({ status: 'paused', status_reason: reason, next_due_at: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(paused.numUpdatedRows);
}

/** Forgets the workspace's deliveries planned but not yet claimed. */
export async function deleteWorkspacePendingDeliveries(
  db: Executor,
  workspaceId: string,
): Promise<void> {
  await db
    .deleteFrom('deliveries')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'pending')
    .execute();
}

/** The workspace of a Slack team, if Blindspot knows it. */
export async function findWorkspaceByTeam(
  db: Executor,
  slackTeamId: string,
): Promise<
  | { id: string; status: 'active' | 'inactive'; name: string | null; enterpriseId: string | null }
  | undefined
> {
  return db
    .selectFrom('workspaces')
    .where('slack_team_id', '=', slackTeamId)
    .select(['id', 'status', 'name', 'slack_enterprise_id as enterpriseId'])
    .executeTakeFirst();
}

export async function workspaceExists(db: Executor, workspaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('workspaces')
    .where('id', '=', workspaceId)
    .select('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every workspace Blindspot knows, for the admin app's workspace choice; active ones first. */
export async function selectWorkspaces(
  db: Executor,
): Promise<{ slackTeamId: string; name: string | null; status: 'active' | 'inactive' }[]> {
  return db
    .selectFrom('workspaces')
    .select(['slack_team_id as slackTeamId', 'name', 'status'])
    .orderBy('status')
    .orderBy('slack_team_id')
    .execute();
}

export async function listActiveWorkspaceIds(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('workspaces')
    .where('status', '=', 'active')
    .select('id')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Records that Slack rate-limited the workspace until `until`: no claim hands out its rows
 * before then. Only ever moves the time later (GREATEST skips a NULL), so a short Retry-After
 * reported after a long one does not cut the longer pause short.
 */
export async function holdWorkspaceSlackCalls(
  db: Executor,
  workspaceId: string,
  until: Date,
): Promise<Date | undefined> {
  const row = await db
    .updateTable('workspaces')
    .set({ slack_rate_limited_until: sql<Date>`GREATEST(slack_rate_limited_until, ${until})` })
    .where('id', '=', workspaceId)
    .returning('slack_rate_limited_until')
    .executeTakeFirst();
  return row?.slack_rate_limited_until ?? undefined;
}

/**
 * The workspaces Slack holds at `now`, with the time each hold ends: what every bot replica
 * polls, so rows it claimed before another replica's 429 wait too (decision 0013). A scan of
 * `workspaces` on purpose: one row per Slack team, so a few rows to thousands (0.4 ms over 5,000
 * with EXPLAIN ANALYZE), and an index on the hold would serve only this read.
 */
export async function listWorkspaceSlackHolds(
  db: Executor,
  now: Date,
): Promise<Array<{ slackTeamId: string; until: Date }>> {
  const rows = await db
    .selectFrom('workspaces')
    .where('slack_rate_limited_until', '>', now)
    .select(['slack_team_id', 'slack_rate_limited_until'])
    .orderBy('slack_team_id')
    .execute();
  return rows.map((row) => ({
    slackTeamId: row.slack_team_id,
    until: row.slack_rate_limited_until as Date,
  }));
}
