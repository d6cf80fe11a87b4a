/**
 * /api/v1/action-items/:id/responses: a manager's answers to "did you do it?", from a reminder's
 * buttons or the item itself, and the reflection added to an answer afterwards.
 */
import { Type } from 'typebox';
import {
  answerActionItem,
  changeAnswer,
  type ResponseRow,
  reflectOnAnswer,
} from '../../core/action-items/responses.ts';
import type { HttpServer } from '../../http/server.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { Answer, DateTime, ErrorRef, Id, IdParams, Nullable } from '../schemas.ts';

const ResponseSchema = Type.Object(
  {
    id: Type.String(),
    answer: Answer,
    reflection: Nullable(Type.String()),
    usefulness: Nullable(Type.Integer()),
    answeredAt: DateTime,
  },
  { $id: 'Response', title: 'Response' },
);

function presentResponse(r: ResponseRow) {
  return { ...r, answeredAt: r.answeredAt.toISOString() };
}

export function registerActionItemResponseRoutes(
  app: HttpServer,
  deps: RouteDependencies & { metrics: Metrics['reminders'] },
) {
  app.addSchema(ResponseSchema);
  const { db, now, metrics } = deps;
  const onRequest = requireSlackUser(deps.serviceToken);
  const common = slackUserRouteSchema('action-items');

  app.post(
    '/action-items/:id/responses',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'answerActionItem',
        summary:
          'Answer "did you do it?"; the same reminder and item answered twice records once (200)',
        params: IdParams,
        body: Type.Object(
          {
            answer: Answer,
            reminderId: Type.Optional(Id),
            until: Type.Optional(
              Type.String({
                format: 'date',
                description: "For 'snoozed': the local date to ask again",
              }),
            ),
            snoozeFor: Type.Optional(
              Type.Union([Type.Literal('1d'), Type.Literal('1w')], {
                description: "For 'snoozed': tomorrow, or in a week",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ response: Type.Ref('Response'), recorded: Type.Boolean() }),
          201: Type.Object({ response: Type.Ref('Response'), recorded: Type.Boolean() }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const result = await answerActionItem(
        db,
        slackUserOf(request),
        request.params.id,
        request.body,
        now(),
        {
          requestId: request.id,
        },
      );
      if (result.recorded) {
        metrics.answered.inc({ answer: request.body.answer });
        if (result.secondsSinceReminder !== null)
          metrics.timeToAnswer.observe(result.secondsSinceReminder);
      }
      return reply
        .status(result.recorded ? 201 : 200)
        .send({ response: presentResponse(result.response), recorded: result.recorded });
    },
  );

  app.put(
    '/action-items/:id/responses/:responseId/answer',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'changeAnswer',
        summary: 'Change an answer to "did you do it?"; the item moves on as the new answer says',
        description:
          'Within a week of the answer, and while no later answer about the item followed it; ' +
          'otherwise 409 `answer_locked`. The same answer again changes nothing.',
        params: Type.Object({ id: Id, responseId: Id }),
        body: Type.Object(
          {
            answer: Answer,
            until: Type.Optional(
              Type.String({
                format: 'date',
                description: "For 'snoozed': the local date to ask again",
              }),
            ),
            snoozeFor: Type.Optional(
              Type.Union([Type.Literal('1d'), Type.Literal('1w')], {
                description: "For 'snoozed': tomorrow, or in a week",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Ref('Response'),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    // Not counted in blindspot_reminders_answered_total: the reminder was answered already.
    async (request) =>
      presentResponse(
        await changeAnswer(
          db,
          slackUserOf(request),
          request.params.id,
          request.params.responseId,
          request.body,
          now(),
          { requestId: request.id },
        ),
      ),
  );

  app.patch(
    '/action-items/:id/responses/:responseId',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'reflectOnAnswer',
        summary: 'Add a one-line reflection and how useful the topic was (1–5) to an answer',
        params: Type.Object({ id: Id, responseId: Id }),
        body: Type.Object(
          {
            reflection: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
            usefulness: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5 }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('Response'), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) =>
      presentResponse(
        await reflectOnAnswer(
          db,
          slackUserOf(request),
          request.params.id,
          request.params.responseId,
          request.body,
          { requestId: request.id },
        ),
      ),
  );
}
