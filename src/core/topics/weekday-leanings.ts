/**
 * What each weekday leans to, as a manager sees it in the sign-up modal: the workspace's weekday
 * themes. A theme is a preference of the rotation (src/core/deliveries/rules.ts), not a wall: a
 * day whose theme has nothing left for the manager takes another family.
 *
 * Unlike the admin's listing (listWeekdayThemes in ./service.ts), this is no admin action and is
 * not audited.
 */
import type { Executor } from '../../db/executor.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import { DEFAULT_WEEKDAY_THEMES } from './catalogue.ts';
import { selectWeekdayThemes } from './repositories/weekday-themes.ts';

export interface WeekdayLeaning {
  /** 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  category: string;
}

/**
 * The weekday themes of the manager's workspace, Monday first. The first manager of a workspace
 * opens the sign-up modal before the workspace exists (it is created with their sign-up, seeded
 * with the default themes), so an unknown workspace answers the defaults.
 */
export async function weekdayLeaningsOf(
  db: Executor,
  slackTeamId: string,
): Promise<WeekdayLeaning[]> {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  if (!workspace) {
    return Object.entries(DEFAULT_WEEKDAY_THEMES).map(([day, category]) => ({
      isoWeekday: Number(day),
      category,
    }));
  }
  const themes = await selectWeekdayThemes(db, workspace.id);
  return themes.map(({ isoWeekday, category }) => ({ isoWeekday, category }));
}
