/**
 * The Slack user groups of each workspace (migration 0028): the groups the bot last read, which
 * of them an admin chose as analytics teams, the chosen ones' members, and each workspace's
 * sync state.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

export interface UserGroupRow {
  id: string;
  slackGroupId: string;
  handle: string;
  name: string;
  isTeam: boolean;
  removed: boolean;
  membersSyncedAt: Date | null;
  /** Members as Slack listed them at the last sync (chosen groups only). */
  members: number;
  /** Of those, the ones who are Blindspot managers: the only ones kept. */
  managers: number;
}

export async function selectUserGroups(db: Executor, workspaceId: string): Promise<UserGroupRow[]> {
  const { rows } = await sql<UserGroupRow>`
    SELECT g.id::text AS id, g.slack_group_id AS "slackGroupId", g.handle, g.name,
           g.is_team AS "isTeam", g.removed, g.members_synced_at AS "membersSyncedAt",
           coalesce(g.member_count, 0) AS members, count(m.manager_id)::int AS managers
      FROM slack_user_groups g
      LEFT JOIN slack_user_group_members m ON m.group_id = g.id
     WHERE g.workspace_id = ${workspaceId}
     GROUP BY g.id
     ORDER BY g.removed, lower(g.name), g.slack_group_id
  `.execute(db);
  return rows;
}

export interface SyncState {
  syncedAt: Date | null;
  requested: boolean;
  error: string | null;
}

export async function selectSyncState(
  db: Executor,
  workspaceId: string,
): Promise<SyncState | undefined> {
  return db
    .selectFrom('slack_user_group_syncs')
    .where('workspace_id', '=', workspaceId)
    .select(['synced_at as syncedAt', 'requested', 'error'])
    .executeTakeFirst();
}

/** Asks the bot to sync the workspace's groups at its next poll. */
export async function requestSync(db: Executor, workspaceId: string): Promise<void> {
  await db
    .insertInto('slack_user_group_syncs')
    .values({ workspace_id: workspaceId, requested: true })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ requested: true }))
    .execute();
}

/** Records a finished sync (or Slack's error code), which answers any request made before it. */
export async function recordSync(
  db: Executor,
  workspaceId: string,
  now: Date,
  error: string | null,
): Promise<void> {
  const row = { synced_at: now, requested: false, error };
  await db
    .insertInto('slack_user_group_syncs')
    .values({ workspace_id: workspaceId, ...row })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
    .execute();
}

/**
 * Active workspaces whose groups are due a sync: never synced, asked for by an admin, or last
 * synced before `staleBefore`. Oldest first, at most `limit`.
 */
export async function selectDueSyncs(
  db: Executor,
  staleBefore: Date,
  limit: number,
): Promise<string[]> {
  const { rows } = await sql<{ teamId: string }>`
    SELECT w.slack_team_id AS "teamId"
      FROM workspaces w
      LEFT JOIN slack_user_group_syncs s ON s.workspace_id = w.id
     WHERE w.status = 'active'
       AND (s.workspace_id IS NULL OR s.requested OR s.synced_at IS NULL
            OR s.synced_at < ${staleBefore})
     ORDER BY s.requested DESC NULLS FIRST, s.synced_at NULLS FIRST, w.id
     LIMIT ${limit}
  `.execute(db);
  return rows.map((row) => row.teamId);
}

export interface SlackGroup {
  slackGroupId: string;
  handle: string;
  name: string;
}

/**
 * Replaces the workspace's list of groups with Slack's: new ones added, names updated, those
 * Slack no longer lists marked removed (and their members forgotten). Returns the ids of the
 * chosen groups still in Slack.
 */
export async function replaceUserGroups(
  db: Executor,
  workspaceId: string,
  groups: readonly SlackGroup[],
  now: Date,
): Promise<string[]> {
  if (groups.length > 0) {
    await db
      .insertInto('slack_user_groups')
      .values(
        groups.map((group) => ({
          workspace_id: workspaceId,
          slack_group_id: group.slackGroupId,
          handle: group.handle,
          name: group.name,
          removed: false,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'slack_group_id']).doUpdateSet({
          handle: sql`excluded.handle`,
          name: sql`excluded.name`,
          removed: false,
          updated_at: now,
        }),
      )
      .execute();
  }
  const listed = groups.map((group) => group.slackGroupId);
  const gone = await db
    .updateTable('slack_user_groups')
    .set({ removed: true, members_synced_at: null, member_count: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('removed', '=', false)
    .$if(listed.length > 0, (query) => query.where('slack_group_id', 'not in', listed))
    .returning('id')
    .execute();
  await deleteMembers(
    db,
    gone.map((row) => row.id),
  );
  const chosen = await db
    .selectFrom('slack_user_groups')
    .where('workspace_id', '=', workspaceId)
    .where('is_team', '=', true)
    .where('removed', '=', false)
    .select('slack_group_id')
    .orderBy('slack_group_id')
    .execute();
  return chosen.map((row) => row.slack_group_id);
}

export async function deleteMembers(db: Executor, groupIds: readonly string[]): Promise<void> {
  if (groupIds.length === 0) return;
  await db.deleteFrom('slack_user_group_members').where('group_id', 'in', groupIds).execute();
}

/** The chosen group with this Slack id, locked for its members' replacement. */
export async function findChosenGroup(
  db: Executor,
  workspaceId: string,
  slackGroupId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('slack_user_groups')
    .where('workspace_id', '=', workspaceId)
    .where('slack_group_id', '=', slackGroupId)
    .where('is_team', '=', true)
    .where('removed', '=', false)
    .select('id')
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Replaces the group's members with those of `slackUserIds` who are managers of the workspace
 * (one array parameter, however large the group); Slack's count is kept beside them.
 */
export async function replaceMembers(
  db: Executor,
  group: { id: string; workspaceId: string },
  slackUserIds: readonly string[],
  now: Date,
): Promise<void> {
  await deleteMembers(db, [group.id]);
  const unique = [...new Set(slackUserIds)];
  await sql`
    INSERT INTO slack_user_group_members (group_id, manager_id)
    SELECT ${group.id}, m.id FROM managers m
     WHERE m.workspace_id = ${group.workspaceId} AND m.slack_user_id = ANY(${unique}::text[])
  `.execute(db);
  await db
    .updateTable('slack_user_groups')
    .set({ members_synced_at: now, member_count: unique.length, updated_at: now })
    .where('id', '=', group.id)
    .execute();
}

/**
 * Makes exactly `slackGroupIds` the workspace's teams; returns the groups whose choice changed,
 * by Slack id and name. Unchosen groups' members are forgotten.
 */
export async function setTeams(
  db: Executor,
  workspaceId: string,
  slackGroupIds: readonly string[],
  now: Date,
): Promise<{ added: string[]; removed: string[] }> {
  const changed = await db
    .updateTable('slack_user_groups')
    .set({
      is_team: sql<boolean>`slack_group_id = ANY(${[...slackGroupIds]}::text[])`,
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where(sql<boolean>`is_team <> (slack_group_id = ANY(${[...slackGroupIds]}::text[]))`)
    .returning(['id', 'slack_group_id as slackGroupId', 'is_team as isTeam'])
    .execute();
  const unchosen = changed.filter((row) => !row.isTeam);
  await deleteMembers(
    db,
    unchosen.map((row) => row.id),
  );
  if (unchosen.length > 0) {
    await db
      .updateTable('slack_user_groups')
      .set({ members_synced_at: null, member_count: null })
      .where(
        'id',
        'in',
        unchosen.map((row) => row.id),
      )
      .execute();
  }
  return {
    added: changed.filter((row) => row.isTeam).map((row) => row.slackGroupId),
    removed: unchosen.map((row) => row.slackGroupId),
  };
}

/** Which of these Slack ids are groups of the workspace still in Slack. */
export async function selectListedGroupIds(
  db: Executor,
  workspaceId: string,
  slackGroupIds: readonly string[],
): Promise<string[]> {
  if (slackGroupIds.length === 0) return [];
  const rows = await db
    .selectFrom('slack_user_groups')
    .where('workspace_id', '=', workspaceId)
    .where('removed', '=', false)
    .where('slack_group_id', 'in', slackGroupIds)
    .select('slack_group_id')
    .execute();
  return rows.map((row) => row.slack_group_id);
}

export interface AnalyticsTeam {
  id: string;
  teamId: string;
  slackGroupId: string;
  handle: string;
  name: string;
}

/**
 * Every chosen team still in Slack with at least `minManagers` managers in it, across
 * workspaces: the teams the analytics filter takes (src/core/analytics/query.ts).
 */
export async function selectAnalyticsTeams(
  db: Executor,
  minManagers: number,
): Promise<AnalyticsTeam[]> {
  const { rows } = await sql<AnalyticsTeam>`
    SELECT g.id::text AS id, w.slack_team_id AS "teamId", g.slack_group_id AS "slackGroupId",
           g.handle, g.name
      FROM slack_user_groups g
      JOIN workspaces w ON w.id = g.workspace_id
      JOIN slack_user_group_members m ON m.group_id = g.id
     WHERE g.is_team AND NOT g.removed
     GROUP BY g.id, w.slack_team_id
    HAVING count(*) >= ${minManagers}
     ORDER BY lower(g.name), w.slack_team_id, g.slack_group_id
  `.execute(db);
  return rows;
}
