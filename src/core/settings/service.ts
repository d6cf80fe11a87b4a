/**
 * Workspace settings (issue 15, item 6): the defaults the bot offers a new sign-up, the quiet
 * hours and daily cap the reminder planner keeps to, and the check-back used when a manager
 * plans an action without choosing one. Admins change them on the settings page; each change
 * is audited with every field's old and new value.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { invalid, notFound } from '../errors.ts';
import type { Language } from '../languages/rules.ts';
import type { RequestContext } from '../request-context.ts';
import { findWorkspaceByTeam } from '../workspaces/repository.ts';
import {
  findWorkspaceSettings,
  recheckWorkspaceDigests,
  upsertWorkspaceSettings,
  workspaceSettingsOrDefaults,
} from './repository.ts';
import {
  DEFAULT_SETTINGS,
  normalisedWeekdays,
  settingsChanges,
  settingsProblems,
  type WorkspaceSettings,
} from './rules.ts';

export type { WorkspaceSettings } from './rules.ts';

/** The workspace's settings, for its admins. */
export async function getWorkspaceSettings(
  db: Kysely<Database>,
  slackTeamId: string,
): Promise<WorkspaceSettings> {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  if (!workspace) throw notFound('workspace');
  return workspaceSettingsOrDefaults(db, workspace.id);
}

/**
 * The defaults the bot offers a manager of this workspace; a workspace Blindspot has not met
 * yet has the shipped ones.
 */
export async function signupDefaults(
  db: Kysely<Database>,
  slackTeamId: string,
): Promise<WorkspaceSettings> {
  const workspace = await findWorkspaceByTeam(db, slackTeamId);
  return workspace
    ? workspaceSettingsOrDefaults(db, workspace.id)
    : structuredClone(DEFAULT_SETTINGS);
}

/**
 * Replaces the workspace's settings, all fields at once; a `defaultLanguage` left out keeps
 * the current one (it came after the other fields, and older clients do not send it).
 * @throws AppError invalid_settings (400, with a message per field), workspace_not_found (404).
 */
export async function updateWorkspaceSettings(
  db: Kysely<Database>,
  slackTeamId: string,
  input: Omit<WorkspaceSettings, 'defaultLanguage'> & { defaultLanguage?: string },
  now: Date,
  context: RequestContext = {},
): Promise<WorkspaceSettings> {
  const problems = settingsProblems({
    ...input,
    defaultLanguage: (input.defaultLanguage ?? DEFAULT_SETTINGS.defaultLanguage) as Language,
  });
  if (Object.keys(problems).length > 0) {
    throw invalid('invalid_settings', Object.values(problems).join(' '), problems);
  }
  return db.transaction().execute(async (trx) => {
    const workspace = await findWorkspaceByTeam(trx, slackTeamId);
    if (!workspace) throw notFound('workspace');
    const before =
      (await findWorkspaceSettings(trx, workspace.id, { forUpdate: true })) ??
      structuredClone(DEFAULT_SETTINGS);
    const next: WorkspaceSettings = {
      ...input,
      defaultWeekdays: normalisedWeekdays(input.defaultWeekdays),
      quietHours: { start: input.quietHours.start, end: input.quietHours.end },
      defaultLanguage: (input.defaultLanguage as Language | undefined) ?? before.defaultLanguage,
    };
    const changes = settingsChanges(before, next);
    if (Object.keys(changes).length === 0) return before;
    await upsertWorkspaceSettings(trx, workspace.id, next, now);
    if (changes.quietHours) await recheckWorkspaceDigests(trx, workspace.id);
    await recordAuditEvent(trx, {
      workspaceId: workspace.id,
      actor: context.actor ?? 'admin',
      address: context.address,
      action: 'workspace_settings.updated',
      subjectType: 'workspace',
      subjectId: workspace.id,
      requestId: context.requestId,
      details: { changes },
    });
    return next;
  });
}
