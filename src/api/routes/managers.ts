import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import type { ManagerRow } from '../../core/managers/repository.ts';
import { getManager, registerManager } from '../../core/managers/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  requireSlackUser,
  SERVICE_TOKEN_SECURITY,
  SlackUserHeaders,
  slackUserOf,
} from '../plugins/authenticate.ts';

const Manager = Type.Object(
  {
    id: Type.String(),
    slackTeamId: Type.String(),
    slackUserId: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
    locale: Type.String({ description: 'e.g. en-US' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
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

const ErrorRef = Type.Ref('Error');

function present(manager: ManagerRow) {
  return {
    ...manager,
    createdAt: manager.createdAt.toISOString(),
    updatedAt: manager.updatedAt.toISOString(),
  };
}

export function registerMeRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; serviceToken: string },
) {
  app.addSchema(Manager);
  const preHandler = requireSlackUser(deps.serviceToken);

  app.get(
    '/me',
    {
      preHandler,
      schema: {
        operationId: 'getMe',
        summary: 'The calling manager',
        tags: ['managers'],
        security: SERVICE_TOKEN_SECURITY,
        headers: SlackUserHeaders,
        response: { 200: Type.Ref('Manager'), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => present(await getManager(deps.db, slackUserOf(request))),
  );

  app.put(
    '/me',
    {
      preHandler,
      schema: {
        operationId: 'putMe',
        summary: 'Register the calling manager, or update their time zone and locale',
        tags: ['managers'],
        security: SERVICE_TOKEN_SECURITY,
        headers: SlackUserHeaders,
        body: ManagerProfile,
        response: { 200: Type.Ref('Manager'), 400: ErrorRef, 401: ErrorRef },
      },
    },
    async (request) =>
      present(
        await registerManager(deps.db, slackUserOf(request), request.body, {
          requestId: request.id,
        }),
      ),
  );
}
