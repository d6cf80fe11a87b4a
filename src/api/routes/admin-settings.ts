/**
 * /api/v1/admin/workspaces/{teamId}/settings: the workspace defaults an admin sets (issue 15,
 * item 6) — what the sign-up modal offers, quiet hours and the daily cap for reminders, the
 * check-back default and the weekly digest default. Saving is audited field by field.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { LANGUAGES } from '../../core/languages/rules.ts';
import { getWorkspaceSettings, updateWorkspaceSettings } from '../../core/settings/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { ErrorRef } from '../schemas.ts';
import { TeamParams } from './admin-topics-schemas.ts';

// Ranges are left to the rules (src/core/settings/rules.ts), so a bad value comes back as
// `invalid_settings` with a message beside its field rather than as a schema error.
const Time = (example: string) =>
  Type.String({ maxLength: 5, description: `'HH:MM', 24-hour, e.g. ${example}` });

const settingsFields = {
  defaultWeekdays: Type.Array(Type.Integer(), {
    maxItems: 7,
    description: 'ISO weekdays (1 = Monday) ticked in the sign-up modal',
  }),
  defaultLocalTime: Time('09:00'),
  quietHours: Type.Object(
    { start: Time('20:00'), end: Time('08:00') },
    {
      additionalProperties: false,
      description: 'No reminder or digest in this local window; it may cross midnight',
    },
  ),
  dailyDmCap: Type.Integer({
    description: 'Blindspot DMs a manager may get in a day, topic notes included, 2 to 10',
  }),
  checkBackDays: Type.Integer({
    description: 'Days until the check-back of an action planned without a choice, 1 to 30',
  }),
  weeklyDigest: Type.Boolean({ description: 'Whether a new sign-up gets the weekly digest' }),
};

// A string rather than an enum, for the same reason as the ranges: an unknown language comes
// back as `invalid_settings` naming the field.
const DefaultLanguage = Type.String({
  maxLength: 16,
  description: `The language of a manager who chose none and whose Slack locale Blindspot does not speak: ${LANGUAGES.join(', ')}`,
});

const WorkspaceSettingsSchema = Type.Object(
  { ...settingsFields, defaultLanguage: DefaultLanguage },
  { $id: 'WorkspaceSettings', title: 'WorkspaceSettings', additionalProperties: false },
);

/** What a save sends: every field, except that a missing defaultLanguage keeps the current one. */
const WorkspaceSettingsInput = Type.Object(
  { ...settingsFields, defaultLanguage: Type.Optional(DefaultLanguage) },
  { additionalProperties: false },
);

export function registerAdminSettingsRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  app.addSchema(WorkspaceSettingsSchema);
  const refused = { 401: ErrorRef, 403: ErrorRef, 404: ErrorRef };

  app.get(
    '/admin/workspaces/:teamId/settings',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'getWorkspaceSettings',
        summary: "The workspace's defaults: sign-up schedule, quiet hours, daily cap, check-back",
        params: TeamParams,
        response: { 200: Type.Ref('WorkspaceSettings'), 400: ErrorRef, ...refused },
      },
    },
    async (request) => getWorkspaceSettings(deps.db, request.params.teamId),
  );

  app.put(
    '/admin/workspaces/:teamId/settings',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'updateWorkspaceSettings',
        summary: "Replace the workspace's defaults (audited, each field from → to)",
        description:
          'A 400 `invalid_settings` carries `fields`, a message per field (`quietHours.start` ' +
          'and `quietHours.end` for the quiet hours); nothing is saved then.',
        params: TeamParams,
        body: WorkspaceSettingsInput,
        response: { 200: Type.Ref('WorkspaceSettings'), 400: ErrorRef, ...refused },
      },
    },
    async (request) =>
      updateWorkspaceSettings(
        deps.db,
        request.params.teamId,
        request.body,
        deps.now(),
        auditContextOf(request),
      ),
  );
}
