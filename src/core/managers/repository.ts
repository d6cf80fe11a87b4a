import { type Expression, sql } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
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

export async function upsertManager(
  db: Executor,
  values: { workspaceId: string; slackUserId: string; timeZone: string; locale: string },
  now: Date,
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
        updated_at: now,
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
  return (await managerBySlackIds(db, slackTeamId, slackUserId))[0];
}

/** Most API requests start here: compiled once (src/db/compiled-once.ts). */
export const managerBySlackIds = compiledOnce((db, slackTeamId: string, slackUserId: string) =>
  managerQuery(db, slackTeamId, slackUserId),
);

/** findManager's query, to be run or extended by another (core/home). */
export function managerQuery(db: Executor, slackTeamId: string, slackUserId: string) {
  return managerBySlack(db, slackTeamId, slackUserId).select([
    'managers.id',
    'managers.workspace_id as workspaceId',
    'workspaces.slack_team_id as slackTeamId',
    'managers.slack_user_id as slackUserId',
    'managers.time_zone as timeZone',
    'managers.locale',
    'managers.created_at as createdAt',
    'managers.updated_at as updatedAt',
  ]);
}

/** The manager's zone follows their schedule's (check-back dates count in it). */
export async function setManagerTimeZone(
  db: Executor,
  managerId: string,
  timeZone: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('managers')
    .set({ time_zone: timeZone, updated_at: now })
    .where('id', '=', managerId)
    .where('time_zone', '<>', timeZone)
    .execute();
}

/** Remembers the manager's DM channel from a message sent there; writes only on a change. */
export async function recordDmChannel(
  db: Executor,
  managerId: string,
  channelId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('managers')
    .set({ dm_channel_id: channelId, updated_at: now })
    .where('id', '=', managerId)
    .where((eb) => eb.or([eb('dm_channel_id', 'is', null), eb('dm_channel_id', '<>', channelId)]))
    .execute();
}

/** recordDmChannel for many managers in one statement (a batch of confirmed messages). */
export async function recordDmChannels(
  db: Executor,
  channels: ReadonlyArray<{ managerId: string; channelId: string }>,
  now: Date,
): Promise<void> {
  if (channels.length === 0) return;
  await sql`
    UPDATE managers m SET dm_channel_id = c.channel_id, updated_at = ${now}
    FROM unnest(${channels.map((c) => c.managerId)}::bigint[],
      ${channels.map((c) => c.channelId)}::text[]) AS c(id, channel_id)
    WHERE m.id = c.id AND m.dm_channel_id IS DISTINCT FROM c.channel_id`.execute(db);
}

/** Sets (or, with null, clears) the place whose public holidays the manager keeps. */
export async function setManagerHolidayPlace(
  db: Executor,
  managerId: string,
  place: { country: string; region: string | null } | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('managers')
    .set({
      holiday_country: place?.country ?? null,
      holiday_region: place?.region ?? null,
      updated_at: now,
    })
    .where('id', '=', managerId)
    .execute();
}

/** The place whose public holidays the manager keeps, or undefined when none. */
export async function findManagerHolidayPlace(
  db: Executor,
  managerId: string,
): Promise<{ country: string; region: string | null } | undefined> {
  const row = await db
    .selectFrom('managers')
    .where('id', '=', managerId)
    .select(['holiday_country', 'holiday_region'])
    .executeTakeFirst();
  if (!row?.holiday_country) return undefined;
  return { country: row.holiday_country, region: row.holiday_region };
}
