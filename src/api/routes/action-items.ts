/**
 * /api/v1/action-items: a manager's planned actions. Every route acts for the calling manager
 * only; another manager's item answers 404, exactly like one that does not exist.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  type ActionItemRow,
  createActionItem,
  deleteActionItem,
  getActionItem,
  listActionItems,
  updateActionItem,
} from '../../core/action-items/service.ts';
import {
  findDeliveryByMessage,
  getMyDelivery,
  latestDeliverySince,
} from '../../core/deliveries/sent-deliveries.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import type { Metrics } from '../../observability/metrics.ts';
import {
  requireSlackUser,
  SERVICE_TOKEN_SECURITY,
  SlackUserHeaders,
  slackUserOf,
} from '../plugins/authenticate.ts';

const Id = Type.String({ pattern: '^[0-9]{1,18}$' });
const Status = Type.Union(
  ['open', 'done', 'partly', 'dropped', 'lapsed'].map((s) => Type.Literal(s)),
);
const Source = Type.Union(['modal', 'thread', 'dm', 'api'].map((s) => Type.Literal(s)));

const ActionItem = Type.Object(
  {
    id: Type.String(),
    text: Type.String({ description: 'Exactly as the manager wrote it' }),
    note: Type.Union([Type.String(), Type.Null()]),
    status: Status,
    source: Source,
    checkBackOn: Type.String({ format: 'date', description: "The manager's local date" }),
    deliveryId: Type.Union([Type.String(), Type.Null()]),
    topic: Type.Union([Type.Object({ id: Type.String(), title: Type.String() }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ActionItem', title: 'ActionItem' },
);

/** Either a preset ('2d', '1w', '2w') or a local date. */
const CheckBack = Type.Union([
  Type.Object(
    { in: Type.Union([Type.Literal('2d'), Type.Literal('1w'), Type.Literal('2w')]) },
    { additionalProperties: false },
  ),
  Type.Object({ on: Type.String({ maxLength: 10 }) }, { additionalProperties: false }),
]);

// Lengths are checked by the business rules, in characters as a person counts them; these
// bounds only stop absurd payloads.
const Text = Type.String({ maxLength: 4000 });
const Note = Type.String({ maxLength: 8000 });

const SentDelivery = Type.Object(
  {
    id: Type.String(),
    topicId: Type.Union([Type.String(), Type.Null()]),
    topicTitle: Type.Union([Type.String(), Type.Null()]),
    sentAt: Type.String({ format: 'date-time' }),
    channelId: Type.String(),
    ts: Type.String(),
  },
  { $id: 'SentDelivery', title: 'SentDelivery' },
);

const ErrorRef = Type.Ref('Error');

function present(item: ActionItemRow) {
  return {
    id: item.id,
    text: item.text,
    note: item.note,
    status: item.status,
    source: item.source,
    checkBackOn: item.checkBackOn,
    deliveryId: item.deliveryId,
    topic: item.topicId && item.topicTitle ? { id: item.topicId, title: item.topicTitle } : null,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    completedAt: item.completedAt?.toISOString() ?? null,
  };
}

function presentDelivery(delivery: Awaited<ReturnType<typeof findDeliveryByMessage>>) {
  return { ...delivery, sentAt: delivery.sentAt.toISOString() };
}

export function registerActionItemRoutes(
  app: HttpServer,
  deps: {
    db: Kysely<Database>;
    serviceToken: string;
    now: () => Date;
    metrics: Metrics['actionItems'];
  },
) {
  app.addSchema(ActionItem);
  app.addSchema(SentDelivery);
  const { db, now, metrics } = deps;
  const preHandler = requireSlackUser(deps.serviceToken);
  const common = {
    tags: ['action-items'],
    security: SERVICE_TOKEN_SECURITY,
    headers: SlackUserHeaders,
  };
  const ItemParams = Type.Object({ id: Id });

  app.post(
    '/action-items',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'createActionItem',
        summary: 'Plan an action; with a sourceKey seen before, returns that item (200) instead',
        body: Type.Object(
          {
            text: Text,
            note: Type.Optional(Note),
            checkBack: Type.Optional(CheckBack),
            source: Source,
            sourceKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            deliveryId: Type.Optional(Id),
            topicId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Ref('ActionItem'),
          201: Type.Ref('ActionItem'),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const { item, created } = await createActionItem(
        db,
        slackUserOf(request),
        request.body,
        now(),
        {
          requestId: request.id,
        },
      );
      if (created) metrics.created.inc({ source: item.source });
      return reply.status(created ? 201 : 200).send(present(item));
    },
  );

  app.get(
    '/action-items',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'listActionItems',
        summary: "The calling manager's action items, newest first",
        querystring: Type.Object(
          {
            status: Type.Optional(Status),
            deliveryId: Type.Optional(Id),
            sourceKey: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('ActionItem')) }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => ({
      items: (await listActionItems(db, slackUserOf(request), request.query)).map(present),
    }),
  );

  app.get(
    '/action-items/:id',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'getActionItem',
        summary: 'One action item',
        params: ItemParams,
        response: { 200: Type.Ref('ActionItem'), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => present(await getActionItem(db, slackUserOf(request), request.params.id)),
  );

  app.patch(
    '/action-items/:id',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'updateActionItem',
        summary: 'Change the text, note or check-back date, or mark it done',
        params: ItemParams,
        body: Type.Object(
          {
            text: Type.Optional(Text),
            note: Type.Optional(Type.Union([Note, Type.Null()])),
            checkBack: Type.Optional(CheckBack),
            status: Type.Optional(
              Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('dropped')]),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Ref('ActionItem'), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      const item = await updateActionItem(
        db,
        slackUserOf(request),
        request.params.id,
        request.body,
        now(),
        {
          requestId: request.id,
        },
      );
      metrics.edited.inc();
      return present(item);
    },
  );

  app.delete(
    '/action-items/:id',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'deleteActionItem',
        summary: 'Delete an action item',
        params: ItemParams,
        response: { 204: Type.Null(), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await deleteActionItem(db, slackUserOf(request), request.params.id, {
        requestId: request.id,
      });
      metrics.deleted.inc();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/deliveries/by-message',
    {
      preHandler,
      schema: {
        ...common,
        tags: ['deliveries'],
        operationId: 'findMyDeliveryByMessage',
        summary: 'The delivery a Slack message (a thread root) belongs to',
        querystring: Type.Object(
          {
            channelId: Type.String({ pattern: '^[A-Z0-9]{2,32}$' }),
            ts: Type.String({ pattern: '^[0-9]+\\.[0-9]+$' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('SentDelivery'), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) =>
      presentDelivery(
        await findDeliveryByMessage(
          db,
          slackUserOf(request),
          request.query.channelId,
          request.query.ts,
        ),
      ),
  );

  app.get(
    '/me/deliveries/latest',
    {
      preHandler,
      schema: {
        ...common,
        tags: ['deliveries'],
        operationId: 'findMyLatestDelivery',
        summary: 'The latest delivery sent to the calling manager within the given hours',
        querystring: Type.Object(
          { withinHours: Type.Integer({ minimum: 1, maximum: 24 * 14 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('SentDelivery'), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      const since = new Date(now().getTime() - request.query.withinHours * 3_600_000);
      return presentDelivery(await latestDeliverySince(db, slackUserOf(request), since));
    },
  );

  app.get(
    '/me/deliveries/:id',
    {
      preHandler,
      schema: {
        ...common,
        tags: ['deliveries'],
        operationId: 'getMyDelivery',
        summary: "One of the calling manager's deliveries, with its topic",
        params: ItemParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            channelId: Type.Union([Type.String(), Type.Null()]),
            ts: Type.Union([Type.String(), Type.Null()]),
            topic: Type.Object({
              id: Type.String(),
              slug: Type.String(),
              category: Type.String(),
              title: Type.String(),
              summary: Type.String(),
              whyItMatters: Type.String(),
              example: Type.String(),
              reflectionQuestion: Type.String(),
              actions: Type.Array(Type.String()),
              reference: Type.String(),
            }),
          }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => getMyDelivery(db, slackUserOf(request), request.params.id),
  );
}
