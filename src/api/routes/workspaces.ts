/** /api/v1/workspaces/current: the lifecycle of the workspace the bot calls for. */
import { Type } from 'typebox';
import { deactivateWorkspace } from '../../core/workspaces/service.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  requireService,
  SERVICE_TOKEN_SECURITY,
  SlackTeamHeaders,
} from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef } from '../schemas.ts';

export function registerWorkspaceRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db } = deps;

  app.post(
    '/workspaces/current/deactivation',
    {
      onRequest: requireService(deps.serviceToken),
      schema: {
        tags: ['workspaces'],
        security: SERVICE_TOKEN_SECURITY,
        operationId: 'deactivateWorkspace',
        summary: 'The app was uninstalled or its tokens revoked: stop all deliveries',
        headers: SlackTeamHeaders,
        body: Type.Object(
          { reason: Type.String({ pattern: '^[a-z_]{1,64}$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ deactivated: Type.Boolean() }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) =>
      deactivateWorkspace(
        db,
        String(request.headers['x-slack-team-id']),
        request.body.reason,
        deps.now(),
        request.id,
      ),
  );
}
