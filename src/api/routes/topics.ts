/**
 * /api/v1/topic-categories, /api/v1/weekday-themes, /api/v1/me/topic-feedback and
 * /api/v1/me/hidden-topics: the topics as a manager sees them.
 */
import { Type } from 'typebox';
import {
  type HiddenTopic as CoreHiddenTopic,
  listHiddenTopics,
  markTopicNotRelevant,
  restoreHiddenTopic,
} from '../../core/deliveries/feedback.ts';
import { TOPIC_CATEGORIES } from '../../core/topics/catalogue.ts';
import { weekdayLeaningsOf } from '../../core/topics/weekday-leanings.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { DateTime, ErrorRef, Id } from '../schemas.ts';

/** A topic the manager marked "not relevant". */
export const HiddenTopic = Type.Object({
  topicId: Type.String(),
  title: Type.String(),
  hiddenAt: DateTime,
});

export function presentHiddenTopic(topic: CoreHiddenTopic) {
  return { ...topic, hiddenAt: topic.hiddenAt.toISOString() };
}

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
    '/me/hidden-topics',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'listHiddenTopics',
        summary: 'The topics the calling manager marked "not relevant", latest first',
        response: {
          200: Type.Object({ topics: Type.Array(HiddenTopic) }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => ({
      topics: (await listHiddenTopics(db, slackUserOf(request))).map(presentHiddenTopic),
    }),
  );

  app.delete(
    '/me/hidden-topics/:topicId',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'restoreHiddenTopic',
        summary: 'Restore a hidden topic: it can be sent to the calling manager again',
        description: 'Restoring a topic that is not hidden changes nothing and answers 204 too.',
        params: Type.Object({ topicId: Id }),
        response: { 204: Type.Null(), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await restoreHiddenTopic(db, slackUserOf(request), request.params.topicId, {
        requestId: request.id,
      });
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
