/**
 * /api/v1/action-items: a manager's planned actions, and each one's history. Every route acts
 * for the calling manager only; another manager's item answers 404, exactly like one that does
 * not exist. Answers to an item are in ./action-item-responses.ts.
 */
import { Type } from 'typebox';
import {
  type ActionItemRow,
  createActionItem,
  deleteActionItem,
  getActionItem,
  listActionItems,
  restoreActionItem,
  updateActionItem,
} from '../../core/action-items/service.ts';
import { effectiveLanguage } from '../../core/languages/rules.ts';
import { actionItemHistory } from '../../core/progress/service.ts';
import type { HttpServer } from '../../http/server.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import {
  Answer,
  DateTime,
  EffectiveLanguage,
  ErrorRef,
  Id,
  IdParams,
  Nullable,
} from '../schemas.ts';

const Status = Type.Union(
  ['open', 'done', 'partly', 'dropped', 'lapsed'].map((s) => Type.Literal(s)),
);
const Source = Type.Union(['modal', 'thread', 'dm', 'api'].map((s) => Type.Literal(s)));

const ActionItem = Type.Object(
  {
    id: Type.String(),
    text: Type.String({ description: 'Exactly as the manager wrote it' }),
    note: Nullable(Type.String()),
    status: Status,
    source: Source,
    checkBackOn: Type.String({ format: 'date', description: "The manager's local date" }),
    deliveryId: Nullable(Type.String()),
    topic: Nullable(Type.Object({ id: Type.String(), title: Type.String() })),
    locale: Type.String({
      description: "The manager's Slack locale, e.g. en-US: the bot writes the item's dates in it",
    }),
    language: EffectiveLanguage,
    createdAt: DateTime,
    updatedAt: DateTime,
    completedAt: Nullable(DateTime),
  },
  { $id: 'ActionItem', title: 'ActionItem' },
);

/** Either a preset ('3d', '1w', '2w'; '2d' for buttons sent before '3d') or a local date. */
const CheckBack = Type.Union([
  Type.Object(
    {
      in: Type.Union([
        Type.Literal('2d'),
        Type.Literal('3d'),
        Type.Literal('1w'),
        Type.Literal('2w'),
      ]),
    },
    { additionalProperties: false },
  ),
  Type.Object({ on: Type.String({ maxLength: 10 }) }, { additionalProperties: false }),
]);

// Lengths are checked by the business rules, in characters as a person counts them; these
// bounds only stop absurd payloads.
const Text = Type.String({ maxLength: 4000 });
const Note = Type.String({ maxLength: 8000 });

const HistoryEvent = Type.Object({
  at: DateTime,
  kind: Type.Union([Type.Literal('planned'), Type.Literal('reminded'), Type.Literal('answered')]),
  answer: Type.Optional(Answer),
  reflection: Type.Optional(Nullable(Type.String())),
  usefulness: Type.Optional(Nullable(Type.Integer())),
});

/** An action item as the API shows it (`ActionItem`). */
export function presentActionItem(item: ActionItemRow) {
  return {
    id: item.id,
    text: item.text,
    note: item.note,
    status: item.status,
    source: item.source,
    checkBackOn: item.checkBackOn,
    deliveryId: item.deliveryId,
    topic: item.topicId && item.topicTitle ? { id: item.topicId, title: item.topicTitle } : null,
    locale: item.locale,
    language: effectiveLanguage({
      chosen: item.chosenLanguage,
      slackLocale: item.locale,
      workspaceDefault: item.workspaceLanguage,
    }),
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
    completedAt: item.completedAt?.toISOString() ?? null,
  };
}

export function registerActionItemRoutes(
  app: HttpServer,
  deps: RouteDependencies & { metrics: Metrics['actionItems'] },
) {
  app.addSchema(ActionItem);
  const { db, now, metrics } = deps;
  const onRequest = requireSlackUser(deps.serviceToken);
  const common = slackUserRouteSchema('action-items');

  app.post(
    '/action-items',
    {
      onRequest,
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
      return reply.status(created ? 201 : 200).send(presentActionItem(item));
    },
  );

  app.get(
    '/action-items',
    {
      onRequest,
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
      items: (await listActionItems(db, slackUserOf(request), request.query)).map(
        presentActionItem,
      ),
    }),
  );

  app.get(
    '/action-items/:id',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'getActionItem',
        summary: 'One action item',
        params: IdParams,
        response: { 200: Type.Ref('ActionItem'), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) =>
      presentActionItem(await getActionItem(db, slackUserOf(request), request.params.id)),
  );

  app.patch(
    '/action-items/:id',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'updateActionItem',
        summary: 'Change the text, note or check-back date, or mark it done',
        params: IdParams,
        body: Type.Object(
          {
            text: Type.Optional(Text),
            note: Type.Optional(Nullable(Note)),
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
      return presentActionItem(item);
    },
  );

  app.delete(
    '/action-items/:id',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'deleteActionItem',
        summary: 'Delete an action item; for a minute after, it can be restored (undo)',
        params: IdParams,
        response: { 204: Type.Null(), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await deleteActionItem(db, slackUserOf(request), request.params.id, now(), {
        requestId: request.id,
      });
      metrics.deleted.inc();
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/action-items/:id/restore',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'restoreActionItem',
        summary: 'Undo a deletion: the item comes back as it was, within a minute of deleting it',
        description:
          'After the minute, or for an item that was not deleted, 409 `undo_expired`: the copy ' +
          'kept for the undo is purged once the minute has passed.',
        params: IdParams,
        response: { 200: Type.Ref('ActionItem'), 401: ErrorRef, 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request) =>
      presentActionItem(
        await restoreActionItem(db, slackUserOf(request), request.params.id, now(), {
          requestId: request.id,
        }),
      ),
  );

  app.get(
    '/action-items/:id/history',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'getActionItemHistory',
        summary: 'When the item was planned, each reminder sent, and each answer',
        params: IdParams,
        response: {
          200: Type.Object({ events: Type.Array(HistoryEvent) }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => ({
      events: (await actionItemHistory(db, slackUserOf(request), request.params.id)).map((e) => ({
        ...e,
        at: e.at.toISOString(),
      })),
    }),
  );
}
