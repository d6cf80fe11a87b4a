/**
 * SQL for the weekday themes: which topic category each ISO weekday sends, per workspace.
 */
import type { Executor } from '../../../db/executor.ts';

export interface WeekdayThemeRow {
  isoWeekday: number;
  category: string;
  updatedAt: Date;
}

export async function selectWeekdayThemes(
  db: Executor,
  workspaceId: string,
): Promise<WeekdayThemeRow[]> {
  return db
    .selectFrom('weekday_themes')
    .where('workspace_id', '=', workspaceId)
    .select(['iso_weekday as isoWeekday', 'category', 'updated_at as updatedAt'])
    .orderBy('iso_weekday')
    .execute();
}

/** Adds a theme for each weekday that has none; an existing theme is never overwritten. */
export async function insertWeekdayThemesIfAbsent(
  db: Executor,
  workspaceId: string,
  themes: Readonly<Record<number, string>>,
): Promise<number> {
  const rows = Object.entries(themes).map(([weekday, category]) => ({
    workspace_id: workspaceId,
    iso_weekday: Number(weekday),
    category,
  }));
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('weekday_themes')
    .values(rows)
    .onConflict((oc) => oc.columns(['workspace_id', 'iso_weekday']).doNothing())
    .returning('iso_weekday')
    .execute();
  return inserted.length;
}

/** Sets a weekday's theme and returns it, with the category it replaced (if any). */
export async function upsertWeekdayTheme(
  db: Executor,
  workspaceId: string,
  isoWeekday: number,
  category: string,
  now: Date,
): Promise<WeekdayThemeRow & { previousCategory: string | null }> {
  // Lock the current row before reading it, so a concurrent change cannot land between
  // reading the old category (for the audit event) and writing the new one.
  const previous = await db
    .selectFrom('weekday_themes')
    .where('workspace_id', '=', workspaceId)
    .where('iso_weekday', '=', isoWeekday)
    .select('category')
    .forUpdate()
    .executeTakeFirst();
  const row = await db
    .insertInto('weekday_themes')
    .values({ workspace_id: workspaceId, iso_weekday: isoWeekday, category })
    .onConflict((oc) =>
      oc.columns(['workspace_id', 'iso_weekday']).doUpdateSet({ category, updated_at: now }),
    )
    .returning(['iso_weekday as isoWeekday', 'category', 'updated_at as updatedAt'])
    .executeTakeFirstOrThrow();
  return { ...row, previousCategory: previous?.category ?? null };
}
