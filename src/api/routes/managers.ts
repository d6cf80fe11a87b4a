/** /api/v1/me: the calling manager, registered by the bot on their first visit. */
import { Type } from 'typebox';
import type { ManagerRow } from '../../core/managers/repository.ts';
import { getManager, registerManager } from '../../core/managers/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { DateTime, ErrorRef } from '../schemas.ts';

const Manager = Type.Object(
  {
    id: Type.String(),
    slackTeamId: Type.String(),
    slackUserId: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
    locale: Type.String({ description: 'e.g. en-US' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Manager', title: 'Manager' },
);

const ManagerProfile = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    locale: Type.String({ minLength: 2, maxLength: 16 }),
  },
  { additionalProperties: false },
);

function present(manager: ManagerRow) {
  return {
    ...manager,
    createdAt: manager.createdAt.toISOString(),
    updatedAt: manager.updatedAt.toISOString(),
  };
}

export function registerManagerRoutes(app: HttpServer, deps: RouteDependencies) {
  app.addSchema(Manager);
  const onRequest = requireSlackUser(deps.serviceToken);

  app.get(
    '/me',
    {
      onRequest,
      schema: {
        operationId: 'getMe',
        summary: 'The calling manager',
        ...slackUserRouteSchema('managers'),
        response: { 200: Type.Ref('Manager'), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => present(await getManager(deps.db, slackUserOf(request))),
  );

  app.put(
    '/me',
    {
      onRequest,
      schema: {
        operationId: 'putMe',
        summary: 'Register the calling manager, or update their time zone and locale',
        ...slackUserRouteSchema('managers'),
        body: ManagerProfile,
        response: { 200: Type.Ref('Manager'), 400: ErrorRef, 401: ErrorRef },
      },
    },
    async (request) =>
      present(
        await registerManager(deps.db, slackUserOf(request), request.body, deps.now(), {
          requestId: request.id,
        }),
      ),
  );
}
