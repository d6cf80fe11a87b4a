/**
 * The workspace_settings table (migration 0018): one row per workspace whose admin saved the
 * settings page. A workspace without a row reads as the defaults.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { DEFAULT_SETTINGS, type WorkspaceSettings } from './rules.ts';

/** The workspace's settings, locked for a change when asked; undefined when never saved. */
export async function findWorkspaceSettings(
  db: Executor,
  workspaceId: string,
  options: { forUpdate?: boolean } = {},
): Promise<WorkspaceSettings | undefined> {
  let query = db
    .selectFrom('workspace_settings')
    .where('workspace_id', '=', workspaceId)
    .select([
      'default_weekdays as defaultWeekdays',
      sql<string>`to_char(default_local_time, 'HH24:MI')`.as('defaultLocalTime'),
      sql<string>`to_char(quiet_start, 'HH24:MI')`.as('quietStart'),
      sql<string>`to_char(quiet_end, 'HH24:MI')`.as('quietEnd'),
      'daily_dm_cap as dailyDmCap',
      'check_back_days as checkBackDays',
      'weekly_digest as weeklyDigest',
      'default_language as defaultLanguage',
    ]);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { quietStart, quietEnd, ...rest } = row;
  return { ...rest, quietHours: { start: quietStart, end: quietEnd } };
}

/** The workspace's settings, or the defaults when its admins never saved any. */
export async function workspaceSettingsOrDefaults(
  db: Executor,
  workspaceId: string,
): Promise<WorkspaceSettings> {
  return (await findWorkspaceSettings(db, workspaceId)) ?? structuredClone(DEFAULT_SETTINGS);
}

export async function upsertWorkspaceSettings(
  db: Executor,
  workspaceId: string,
  settings: WorkspaceSettings,
  now: Date,
): Promise<void> {
  const row = {
    default_weekdays: settings.defaultWeekdays,
    default_local_time: settings.defaultLocalTime,
    quiet_start: settings.quietHours.start,
    quiet_end: settings.quietHours.end,
    daily_dm_cap: settings.dailyDmCap,
    check_back_days: settings.checkBackDays,
    weekly_digest: settings.weeklyDigest,
    default_language: settings.defaultLanguage,
    updated_at: now,
  };
  await db
    .insertInto('workspace_settings')
    .values({ workspace_id: workspaceId, ...row })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(row))
    .execute();
}

/**
 * Asks the reminder planner to look at every digest of the workspace again on its next tick:
 * a stored next time was computed under the old quiet hours (see migration 0017).
 */
export async function recheckWorkspaceDigests(db: Executor, workspaceId: string): Promise<void> {
  await db
    .updateTable('subscriptions')
    .set({ next_digest_at: sql<Date>`'-infinity'::timestamptz` })
    .where('workspace_id', '=', workspaceId)
    .where('weekly_digest', '=', true)
    .execute();
}
