/**
 * Erasure by an admin (issue 16, item 6), irreversible and audited under the admin's name:
 * one manager who asked an admin to (role admin, as pausing on request), after typing the
 * manager's Slack user id; a whole workspace (role owner: it removes every person and topic),
 * after typing the workspace's name, or its team id when Slack never gave a name.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { eraseManager, eraseWorkspace } from '../../core/data-rights/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { ErrorRef } from '../schemas.ts';
import { TeamParams } from './admin-topics-schemas.ts';

const Confirmation = Type.Object(
  { confirmation: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export function registerAdminDataRightsRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database> },
): void {
  const refused = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef };

  app.post(
    '/admin/workspaces/:teamId/people/:slackUserId/erasure',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'erasePerson',
        summary: 'Erase a manager who asked an admin to; `confirmation` is their Slack user id',
        params: Type.Object({
          ...TeamParams.properties,
          slackUserId: Type.String({ pattern: '^[UW][A-Z0-9]{2,20}$' }),
        }),
        body: Confirmation,
        response: {
          200: Type.Object({ erased: Type.Literal(true) }),
          ...refused,
        },
      },
    },
    async (request) => {
      const { teamId, slackUserId } = request.params;
      await eraseManager(
        deps.db,
        { slackTeamId: teamId, slackUserId },
        { admin: true, confirmation: request.body.confirmation },
        auditContextOf(request),
      );
      return { erased: true as const };
    },
  );

  app.post(
    '/admin/workspaces/:teamId/erasure',
    {
      ...adminRoute('owner'),
      schema: {
        ...adminSchema('owner'),
        operationId: 'eraseWorkspace',
        summary: "Erase a workspace and everyone in it; `confirmation` is the workspace's name",
        params: TeamParams,
        body: Confirmation,
        response: {
          200: Type.Object({ erased: Type.Literal(true), managers: Type.Integer() }),
          ...refused,
        },
      },
    },
    async (request) => {
      const { managers } = await eraseWorkspace(
        deps.db,
        request.params.teamId,
        request.body.confirmation,
        auditContextOf(request),
      );
      return { erased: true as const, managers };
    },
  );
}
