/**
 * Slack user groups as analytics teams (issue 15, item 3). An admin chooses which of a
 * workspace's user groups are teams; the bot reads the groups and the chosen ones' members from
 * Slack and pushes them here, on a schedule, on Slack's subteam events, and soon after an admin
 * saves a choice (saving asks for a sync, which the bot's next poll picks up). The analytics
 * filter by team joins these members to the managers (src/core/analytics/team-filter.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid, notFound } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { findWorkspaceByTeam, upsertWorkspace } from '../workspaces/repository.ts';
import {
  type AnalyticsTeam,
  findChosenGroup,
  recordSync,
  replaceMembers,
  replaceUserGroups,
  requestSync,
  type SlackGroup,
  selectAnalyticsTeams,
  selectDueSyncs,
  selectListedGroupIds,
  selectSyncState,
  selectUserGroups,
  setTeams,
  type UserGroupRow,
} from './repository.ts';

export type { AnalyticsTeam, SlackGroup } from './repository.ts';

/**
 * How often a workspace's groups are read again without being asked: Slack's subteam events
 * keep them current in between, so this only mends events that were missed.
 */
export const USER_GROUP_SYNC_PERIOD_MS = 6 * 3_600_000;
/** Workspaces handed to the bot per poll: the rest wait for the next. */
const DUE_SYNCS_PER_POLL = 20;

export interface UserGroupChoice extends Omit<UserGroupRow, 'membersSyncedAt'> {
  membersSyncedAt: string | null;
}

export interface UserGroupChoices {
  groups: UserGroupChoice[];
  sync: { syncedAt: string | null; requested: boolean; error: string | null };
}

async function workspaceOf(db: Kysely<Database>, slackTeamId: string) {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  if (!workspace) throw notFound('workspace');
  return workspace;
}

/** The workspace's user groups, which are teams, and how the last sync went (admins). */
export async function userGroupChoices(
  db: Kysely<Database>,
  slackTeamId: string,
): Promise<UserGroupChoices> {
  const workspace = await workspaceOf(db, slackTeamId);
  const [groups, sync] = await Promise.all([
    selectUserGroups(db, workspace.id),
    selectSyncState(db, workspace.id),
  ]);
  return {
    groups: groups.map((group) => ({
      ...group,
      membersSyncedAt: group.membersSyncedAt?.toISOString() ?? null,
    })),
    sync: {
      syncedAt: sync?.syncedAt?.toISOString() ?? null,
      requested: sync?.requested ?? true,
      error: sync?.error ?? null,
    },
  };
}

/**
 * Makes exactly these groups the workspace's analytics teams (audited), and asks the bot to
 * read their members now.
 * @throws AppError unknown_team (400) for an id that is not a group Slack still lists.
 */
export async function chooseTeams(
  db: Kysely<Database>,
  slackTeamId: string,
  slackGroupIds: readonly string[],
  now: Date,
  context: RequestContext = {},
): Promise<UserGroupChoices> {
  const wanted = [...new Set(slackGroupIds)];
  await db.transaction().execute(async (trx) => {
    const workspace = await findWorkspaceByTeam(trx, slackTeamId);
    if (!workspace) throw notFound('workspace');
    const listed = new Set(await selectListedGroupIds(trx, workspace.id, wanted));
    const unknown = wanted.filter((id) => !listed.has(id));
    if (unknown.length > 0) {
      throw invalid(
        'unknown_team',
        `Not a user group of this workspace in Slack: ${unknown.join(', ')}.`,
        { groupIds: unknown.join(', ') },
      );
    }
    const changes = await setTeams(trx, workspace.id, wanted, now);
    await requestSync(trx, workspace.id);
    if (changes.added.length + changes.removed.length === 0) return;
    await recordAuditEvent(trx, {
      workspaceId: workspace.id,
      actor: context.actor ?? 'admin',
      address: context.address,
      action: 'analytics_teams.updated',
      subjectType: 'workspace',
      subjectId: workspace.id,
      requestId: context.requestId,
      details: changes,
    });
  });
  return userGroupChoices(db, slackTeamId);
}

/** The Slack teams whose user groups the bot should read now. */
export function dueUserGroupSyncs(db: Kysely<Database>, now: Date): Promise<string[]> {
  return selectDueSyncs(
    db,
    new Date(now.getTime() - USER_GROUP_SYNC_PERIOD_MS),
    DUE_SYNCS_PER_POLL,
  );
}

/**
 * The bot read the workspace's groups (or Slack refused, with `error`). Returns the chosen
 * groups, whose members the bot reads next.
 */
export async function saveUserGroups(
  db: Kysely<Database>,
  slackTeamId: string,
  input: { groups?: readonly SlackGroup[]; error?: string },
  now: Date,
): Promise<{ teams: string[] }> {
  return db.transaction().execute(async (trx) => {
    // Found as it is: a sync failing on a revoked token must not make its workspace active.
    const workspace =
      (await findWorkspaceByTeam(trx, slackTeamId)) ??
      (await upsertWorkspace(trx, slackTeamId, now));
    if (input.groups === undefined) {
      await recordSync(trx, workspace.id, now, input.error ?? 'unknown_error');
      return { teams: [] };
    }
    const teams = await replaceUserGroups(trx, workspace.id, input.groups, now);
    await recordSync(trx, workspace.id, now, null);
    return { teams };
  });
}

/**
 * The bot read a chosen group's members. A group that is no longer chosen keeps none: the
 * answer says whether they were saved.
 */
export async function saveUserGroupMembers(
  db: Kysely<Database>,
  slackTeamId: string,
  slackGroupId: string,
  slackUserIds: readonly string[],
  now: Date,
): Promise<{ saved: boolean }> {
  return db.transaction().execute(async (trx) => {
    const workspace = await findWorkspaceByTeam(trx, slackTeamId);
    if (!workspace) throw notFound('workspace');
    const group = await findChosenGroup(trx, workspace.id, slackGroupId);
    if (!group) return { saved: false };
    await replaceMembers(trx, { id: group.id, workspaceId: workspace.id }, slackUserIds, now);
    return { saved: true };
  });
}

/** The teams the analytics can be filtered by (viewers and up): those of at least k managers. */
export function analyticsTeams(db: Kysely<Database>, k: number): Promise<AnalyticsTeam[]> {
  return selectAnalyticsTeams(db, k);
}
