/** /api/v1/subscriptions/me: the calling manager's schedule, as the bot's modal and App Home use it. */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { markTopicNotRelevant } from '../../core/deliveries/feedback.ts';
import { sendNow } from '../../core/deliveries/service.ts';
import {
  getSubscription,
  pause,
  resume,
  type SubscriptionRow,
  subscribe,
  unsubscribe,
} from '../../core/subscriptions/service.ts';
import { TOPIC_CATEGORIES } from '../../core/topics/catalogue.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  requireSlackUser,
  SERVICE_TOKEN_SECURITY,
  SlackUserHeaders,
  slackUserOf,
} from '../plugins/authenticate.ts';

const IsoWeekday = Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' });

const Subscription = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([
      Type.Literal('active'),
      Type.Literal('paused'),
      Type.Literal('unsubscribed'),
    ]),
    statusReason: Type.Union([Type.String(), Type.Null()], {
      description:
        "Why it is paused: the manager's words, or 'slack:<error>' when Slack could not reach them",
    }),
    weekdays: Type.Array(IsoWeekday),
    localTime: Type.String({ description: "'HH:MM', in timeZone" }),
    timeZone: Type.String(),
    skippedCategories: Type.Array(Type.String()),
    nextDeliveryAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    weeklyDigest: Type.Boolean({ description: 'A Monday summary of last week' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Subscription', title: 'Subscription' },
);

const SubscriptionRequest = Type.Object(
  {
    weekdays: Type.Array(IsoWeekday, { maxItems: 7 }),
    localTime: Type.String({ maxLength: 5 }),
    timeZone: Type.String({ maxLength: 64 }),
    skippedCategories: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10 })),
  },
  { additionalProperties: false },
);

const ErrorRef = Type.Ref('Error');

function present(subscription: SubscriptionRow) {
  return {
    id: subscription.id,
    status: subscription.status,
    statusReason: subscription.statusReason,
    weekdays: subscription.weekdays,
    localTime: subscription.localTime,
    timeZone: subscription.timeZone,
    skippedCategories: subscription.skippedCategories,
    nextDeliveryAt: subscription.nextDueAt?.toISOString() ?? null,
    weeklyDigest: subscription.weeklyDigest,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}

export function registerSubscriptionRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; serviceToken: string; now: () => Date },
) {
  app.addSchema(Subscription);
  const { db, now } = deps;
  const preHandler = requireSlackUser(deps.serviceToken);
  const common = {
    tags: ['subscriptions'],
    security: SERVICE_TOKEN_SECURITY,
    headers: SlackUserHeaders,
  };
  const answers = { 200: Type.Ref('Subscription'), 401: ErrorRef, 404: ErrorRef, 409: ErrorRef };

  app.get(
    '/subscriptions/me',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'getMySubscription',
        summary: "The calling manager's subscription",
        response: answers,
      },
    },
    async (request) => present(await getSubscription(db, slackUserOf(request))),
  );

  app.put(
    '/subscriptions/me',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'putMySubscription',
        summary: 'Sign up, or change the schedule; the subscription is active afterwards',
        body: SubscriptionRequest,
        response: { ...answers, 400: ErrorRef },
      },
    },
    async (request) =>
      present(
        await subscribe(
          db,
          slackUserOf(request),
          { ...request.body, skippedCategories: request.body.skippedCategories ?? [] },
          now(),
          { requestId: request.id },
        ),
      ),
  );

  app.post(
    '/subscriptions/me/pause',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'pauseMySubscription',
        summary: 'Pause deliveries until resumed',
        body: Type.Optional(
          Type.Object(
            { reason: Type.Optional(Type.String({ maxLength: 200 })) },
            { additionalProperties: false },
          ),
        ),
        response: answers,
      },
    },
    async (request) =>
      present(
        await pause(db, slackUserOf(request), request.body?.reason ?? 'paused by you', {
          requestId: request.id,
        }),
      ),
  );

  app.post(
    '/subscriptions/me/resume',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'resumeMySubscription',
        summary: 'Resume deliveries',
        response: answers,
      },
    },
    async (request) =>
      present(await resume(db, slackUserOf(request), now(), { requestId: request.id })),
  );

  app.delete(
    '/subscriptions/me',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'deleteMySubscription',
        summary: 'Unsubscribe: no more deliveries',
        response: answers,
      },
    },
    async (request) =>
      present(await unsubscribe(db, slackUserOf(request), { requestId: request.id })),
  );

  app.post(
    '/subscriptions/me/send-now',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'sendMeOneNow',
        summary: "Send today's blind spot now (at most one a day)",
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('queued'), Type.Literal('already_sent')]),
            deliveryId: Type.String(),
          }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request) => sendNow(db, slackUserOf(request), now(), { requestId: request.id }),
  );

  app.post(
    '/me/topic-feedback',
    {
      preHandler,
      schema: {
        ...common,
        tags: ['topics'],
        operationId: 'postTopicFeedback',
        summary: 'Mark a topic "not relevant": it is not sent to this manager again',
        body: Type.Object(
          {
            topicId: Type.String({ pattern: '^[0-9]{1,18}$' }),
            kind: Type.Literal('not_relevant'),
            deliveryId: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
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
      preHandler,
      schema: {
        ...common,
        tags: ['topics'],
        operationId: 'listTopicCategories',
        summary: 'The topic categories (weekday themes) a manager can skip',
        response: { 200: Type.Array(Type.String()), 401: ErrorRef },
      },
    },
    async () => [...TOPIC_CATEGORIES],
  );
}
