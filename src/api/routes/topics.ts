/**
 * /api/v1/topic-categories, /api/v1/weekday-themes and /api/v1/me/topic-feedback: the topics as a
 * manager sees them.
 */
import { Type } from 'typebox';
import { markTopicNotRelevant } from '../../core/deliveries/feedback.ts';
import { TOPIC_CATEGORIES } from '../../core/topics/catalogue.ts';
import { weekdayLeaningsOf } from '../../core/topics/weekday-leanings.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef, Id } from '../schemas.ts';

export function registerTopicRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db } = deps;
  const onRequest = requireSlackUser(deps.serviceToken);
  const common = slackUserRouteSchema('topics');

  app.post(
    '/me/topic-feedback',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'postTopicFeedback',
        summary: 'Mark a topic "not relevant": it is not sent to this manager again',
        body: Type.Object(
          {
            topicId: Id,
            kind: Type.Literal('not_relevant'),
            deliveryId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await markTopicNotRelevant(
        db,
        slackUserOf(request),
        request.body.topicId,
        request.body.deliveryId,
        {
          requestId: request.id,
        },
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/topic-categories',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'listTopicCategories',
        summary: 'The topic categories (weekday themes) a manager can skip',
        response: { 200: Type.Array(Type.String()), 401: ErrorRef },
      },
    },
    async () => [...TOPIC_CATEGORIES],
  );
  app.get(
    '/weekday-themes',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'listWeekdayLeanings',
        summary: 'What each weekday leans to in the manager’s workspace, Monday first',
        description:
          'The workspace’s weekday themes, as the sign-up modal shows them. A theme is a ' +
          'preference: a day whose theme has no topic left that the manager has not had takes ' +
          'one of another family, so every topic comes before any comes again. A workspace ' +
          'not known yet answers the default themes it will be created with.',
        response: {
          200: Type.Array(
            Type.Object({
              isoWeekday: Type.Integer({
                minimum: 1,
                maximum: 7,
                description: '1 = Monday … 7 = Sunday',
              }),
              category: Type.String(),
            }),
          ),
          401: ErrorRef,
        },
      },
    },
    async (request) => weekdayLeaningsOf(db, slackUserOf(request).slackTeamId),
  );
}
