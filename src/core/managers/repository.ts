import { type Expression, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

export interface ManagerRow {
  id: string;
  workspaceId: string;
  slackTeamId: string;
  slackUserId: string;
  timeZone: string;
  locale: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Creates the workspace on first contact; returns its id either way. A signed request from a
 * workspace means the app is installed there, so an inactive workspace becomes active again.
 */
export async function upsertWorkspace(
  db: Executor,
  slackTeamId: string,
): Promise<{ id: string; created: boolean }> {
  const row = await db
    .insertInto('workspaces')
    .values({ slack_team_id: slackTeamId })
    .onConflict((oc) =>
      oc
        .column('slack_team_id')
        .doUpdateSet({ status: 'active', status_reason: null, updated_at: new Date() }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

export async function upsertManager(
  db: Executor,
  values: { workspaceId: string; slackUserId: string; timeZone: string; locale: string },
): Promise<{ id: string; created: boolean }> {
  // xmax = 0 only on a freshly inserted row: the cheapest way to tell insert from update.
  const row = await db
    .insertInto('managers')
    .values({
      workspace_id: values.workspaceId,
      slack_user_id: values.slackUserId,
      time_zone: values.timeZone,
      locale: values.locale,
    })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'slack_user_id']).doUpdateSet({
        time_zone: values.timeZone,
        locale: values.locale,
        updated_at: new Date(),
      }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: row.created };
}

/** The manager with these Slack ids, through the (workspace, Slack user) unique key. */
function managerBySlack(db: Executor, slackTeamId: string, slackUserId: string) {
  return db
    .selectFrom('managers')
    .innerJoin('workspaces', 'workspaces.id', 'managers.workspace_id')
    .where('workspaces.slack_team_id', '=', slackTeamId)
    .where('managers.slack_user_id', '=', slackUserId);
}

/**
 * The manager's id as a subquery, so that a read finds the manager and their rows in one round
 * trip.
 */
export function managerIdBySlack(
  db: Executor,
  slackTeamId: string,
  slackUserId: string,
): Expression<string> {
  return managerBySlack(db, slackTeamId, slackUserId).select('managers.id').$asScalar();
}

export async function findManager(
  db: Executor,
  slackTeamId: string,
  slackUserId: string,
): Promise<ManagerRow | undefined> {
  return managerBySlack(db, slackTeamId, slackUserId)
    .select([
      'managers.id',
      'managers.workspace_id as workspaceId',
      'workspaces.slack_team_id as slackTeamId',
      'managers.slack_user_id as slackUserId',
      'managers.time_zone as timeZone',
      'managers.locale',
      'managers.created_at as createdAt',
      'managers.updated_at as updatedAt',
    ])
    .executeTakeFirst();
}
