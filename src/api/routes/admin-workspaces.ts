/**
 * The workspaces the admin app can manage: every Slack team that installed Blindspot. The
 * topic and weekday-theme routes are per workspace (/admin/workspaces/:teamId/...), and a
 * session carries no workspace, so the app asks here which ones there are. Viewers may read it.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { listWorkspaces } from '../../core/workspaces/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema } from '../plugins/admin-session.ts';
import { ErrorRef, Nullable } from '../schemas.ts';

const AdminWorkspace = Type.Object(
  {
    teamId: Type.String({ description: 'Slack team (workspace) id' }),
    name: Nullable(Type.String(), { description: "The workspace's name, when Slack told us." }),
    status: Type.Enum(['active', 'inactive'], {
      description: 'inactive: the app was uninstalled or its tokens revoked.',
    }),
  },
  { $id: 'AdminWorkspace', title: 'AdminWorkspace' },
);

/** Registers the route; the caller mounts it under /api/v1. */
export function registerAdminWorkspaceRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database> },
): void {
  app.addSchema(AdminWorkspace);
  app.get(
    '/admin/workspaces',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'listAdminWorkspaces',
        summary: 'The Slack workspaces Blindspot is installed in, active ones first',
        response: {
          200: Type.Object({ workspaces: Type.Array(Type.Ref('AdminWorkspace')) }),
          401: ErrorRef,
          403: ErrorRef,
        },
      },
    },
    async () => {
      const rows = await listWorkspaces(deps.db);
      return {
        workspaces: rows.map((row) => ({
          teamId: row.slackTeamId,
          name: row.name,
          status: row.status,
        })),
      };
    },
  );
}
