/** /api/v1/me: the calling manager, registered by the bot on their first visit. */
import { Type } from 'typebox';
import {
  chooseLanguage,
  type ManagerLanguage,
  managerLanguage,
} from '../../core/languages/service.ts';
import type { ManagerRow } from '../../core/managers/repository.ts';
import { getManager, registerManager } from '../../core/managers/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { DateTime, EffectiveLanguage, ErrorRef, LanguageChoice, Nullable } from '../schemas.ts';

const Manager = Type.Object(
  {
    id: Type.String(),
    slackTeamId: Type.String(),
    slackUserId: Type.String(),
    timeZone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
    locale: Type.String({ description: 'e.g. en-US' }),
    language: EffectiveLanguage,
    chosenLanguage: Nullable(EffectiveLanguage, {
      description: 'The language the manager chose; null when Slack and the workspace decide',
    }),
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

const LanguageChoiceBody = Type.Object(
  { language: LanguageChoice },
  { additionalProperties: false },
);

async function present(db: RouteDependencies['db'], manager: ManagerRow) {
  return presentManager(manager, await managerLanguage(db, manager.id));
}

/** A manager as the API shows them (`Manager`), their language already read. */
export function presentManager(manager: ManagerRow, { language, chosen }: ManagerLanguage) {
  return {
    ...manager,
    language,
    chosenLanguage: chosen,
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
    async (request) => present(deps.db, await getManager(deps.db, slackUserOf(request))),
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
        deps.db,
        await registerManager(deps.db, slackUserOf(request), request.body, deps.now(), {
          requestId: request.id,
        }),
      ),
  );

  app.put(
    '/me/language',
    {
      onRequest,
      schema: {
        operationId: 'putMyLanguage',
        summary: 'Choose the language the calling manager reads, or follow Slack again (null)',
        description:
          'The effective language is the chosen one, else the Slack locale’s language when ' +
          'Blindspot speaks it (de-DE → de), else the workspace default, else en. A language ' +
          'Blindspot does not speak is a 400 `invalid_language`, and nothing is saved. Audited ' +
          'as manager.language_changed when the choice changes.',
        ...slackUserRouteSchema('managers'),
        body: LanguageChoiceBody,
        response: {
          200: Type.Object({
            language: EffectiveLanguage,
            chosenLanguage: Nullable(EffectiveLanguage),
          }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const result = await chooseLanguage(
        deps.db,
        slackUserOf(request),
        request.body.language,
        deps.now(),
        { requestId: request.id },
      );
      return { language: result.language, chosenLanguage: result.chosen };
    },
  );
}
