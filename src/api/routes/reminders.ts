/**
 * Reminders: the bot claims and confirms them as it does deliveries; managers answer them, and
 * read their history and progress.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { answerActionItem, reflectOnAnswer } from '../../core/action-items/responses.ts';
import { actionItemHistory, progressOf } from '../../core/progress/service.ts';
import {
  claimReminders,
  confirmReminder,
  reportReminderFailure,
} from '../../core/reminders/service.ts';
import { setWeeklyDigest } from '../../core/subscriptions/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import type { Metrics } from '../../observability/metrics.ts';
import {
  requireService,
  requireSlackUser,
  SERVICE_TOKEN_SECURITY,
  SlackUserHeaders,
  slackUserOf,
} from '../plugins/authenticate.ts';

const Id = Type.String({ pattern: '^[0-9]{1,18}$' });
const AnswerType = Type.Union(
  ['done', 'partly', 'not_yet', 'snoozed', 'dropped'].map((a) => Type.Literal(a)),
);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const ClaimedReminder = Type.Object(
  {
    id: Type.String(),
    attempt: Type.Integer(),
    kind: Type.Union([Type.Literal('reminder'), Type.Literal('digest')]),
    dueAt: Type.String({ format: 'date-time' }),
    localDate: Type.String({ format: 'date' }),
    slackTeamId: Type.String(),
    slackUserId: Type.String(),
    dmChannelId: Nullable(Type.String()),
    timeZone: Type.String(),
    items: Type.Array(
      Type.Object({
        id: Type.String(),
        text: Type.String(),
        topicTitle: Nullable(Type.String()),
        plannedOn: Type.String({ format: 'date' }),
        final: Type.Boolean({
          description: 'Lapsed after three unanswered reminders: a last word, no buttons',
        }),
      }),
    ),
    digest: Nullable(
      Type.Object({
        weekStart: Type.String({ format: 'date' }),
        topicsReceived: Type.Integer(),
        actionsPlanned: Type.Integer(),
        actionsDone: Type.Integer(),
        actionsLapsed: Type.Integer(),
      }),
    ),
  },
  { $id: 'ClaimedReminder', title: 'ClaimedReminder' },
);

const ResponseSchema = Type.Object(
  {
    id: Type.String(),
    answer: AnswerType,
    reflection: Nullable(Type.String()),
    usefulness: Nullable(Type.Integer()),
    answeredAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Response', title: 'Response' },
);

const ErrorRef = Type.Ref('Error');

function presentResponse(r: {
  id: string;
  answer: string;
  reflection: string | null;
  usefulness: number | null;
  answeredAt: Date;
}) {
  return { ...r, answeredAt: r.answeredAt.toISOString() } as {
    id: string;
    answer: 'done' | 'partly' | 'not_yet' | 'snoozed' | 'dropped';
    reflection: string | null;
    usefulness: number | null;
    answeredAt: string;
  };
}

export function registerReminderRoutes(
  app: HttpServer,
  deps: {
    db: Kysely<Database>;
    serviceToken: string;
    now: () => Date;
    metrics: Metrics['reminders'];
  },
) {
  app.addSchema(ClaimedReminder);
  app.addSchema(ResponseSchema);
  const { db, now, metrics } = deps;
  const service = requireService(deps.serviceToken);
  const asUser = requireSlackUser(deps.serviceToken);
  const bot = { tags: ['reminders'], security: SERVICE_TOKEN_SECURITY };
  const user = { ...bot, headers: SlackUserHeaders };
  const ReminderParams = Type.Object({ id: Id });
  const ItemParams = Type.Object({ id: Id });

  app.post(
    '/reminders/claims',
    {
      preHandler: service,
      schema: {
        ...bot,
        operationId: 'claimReminders',
        summary: 'Claim due reminders (and digests) under a lease',
        body: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500 }),
            leaseSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ reminders: Type.Array(Type.Ref('ClaimedReminder')) }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const reminders = await claimReminders(db, now(), {
        limit: request.body.limit,
        leaseMs: request.body.leaseSeconds * 1000,
      });
      return { reminders: reminders.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() })) };
    },
  );

  app.post(
    '/reminders/:id/confirmation',
    {
      preHandler: service,
      schema: {
        ...bot,
        operationId: 'confirmReminder',
        summary: 'Record that a reminder reached Slack',
        params: ReminderParams,
        body: Type.Object(
          {
            attempt: Type.Integer({ minimum: 1 }),
            channelId: Type.String({ pattern: '^[A-Z0-9]{2,32}$' }),
            ts: Type.String({ pattern: '^[0-9]+\\.[0-9]+$' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ latenessSeconds: Type.Number() }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const result = await confirmReminder(db, request.params.id, request.body, now());
      if (!result.repeated) {
        metrics.sent.inc();
        metrics.lateness.observe(result.latenessSeconds);
      }
      return { latenessSeconds: result.latenessSeconds };
    },
  );

  app.post(
    '/reminders/:id/failure',
    {
      preHandler: service,
      schema: {
        ...bot,
        operationId: 'reportReminderFailure',
        summary: 'Report a failed reminder send',
        params: ReminderParams,
        body: Type.Object(
          {
            attempt: Type.Integer({ minimum: 1 }),
            code: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }),
            kind: Type.Union([
              Type.Literal('rate_limited'),
              Type.Literal('transient'),
              Type.Literal('unreachable'),
            ]),
            retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            status: Type.Union([
              Type.Literal('retrying'),
              Type.Literal('failed'),
              Type.Literal('ignored'),
            ]),
            retryAt: Type.Optional(Type.String({ format: 'date-time' })),
            subscriptionPaused: Type.Boolean(),
          }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const outcome = await reportReminderFailure(db, request.params.id, request.body, now());
      return { ...outcome, retryAt: outcome.retryAt?.toISOString() };
    },
  );

  app.post(
    '/action-items/:id/responses',
    {
      preHandler: asUser,
      schema: {
        ...user,
        tags: ['action-items'],
        operationId: 'answerActionItem',
        summary:
          'Answer "did you do it?"; the same reminder and item answered twice records once (200)',
        params: ItemParams,
        body: Type.Object(
          {
            answer: AnswerType,
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

  app.patch(
    '/action-items/:id/responses/:responseId',
    {
      preHandler: asUser,
      schema: {
        ...user,
        tags: ['action-items'],
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
        ),
      ),
  );

  app.get(
    '/action-items/:id/history',
    {
      preHandler: asUser,
      schema: {
        ...user,
        tags: ['action-items'],
        operationId: 'getActionItemHistory',
        summary: 'When the item was planned, each reminder sent, and each answer',
        params: ItemParams,
        response: {
          200: Type.Object({
            events: Type.Array(
              Type.Object({
                at: Type.String({ format: 'date-time' }),
                kind: Type.Union([
                  Type.Literal('planned'),
                  Type.Literal('reminded'),
                  Type.Literal('answered'),
                ]),
                answer: Type.Optional(AnswerType),
                reflection: Type.Optional(Nullable(Type.String())),
                usefulness: Type.Optional(Nullable(Type.Integer())),
              }),
            ),
          }),
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

  app.get(
    '/me/progress',
    {
      preHandler: asUser,
      schema: {
        ...user,
        tags: ['action-items'],
        operationId: 'getMyProgress',
        summary: 'Completion rate over the last 8 weeks, the weekly streak, open and recent items',
        response: {
          200: Type.Object({
            completionRate: Nullable(
              Type.Number({
                description: 'Share of items planned in the last 8 weeks that are done',
              }),
            ),
            planned: Type.Integer(),
            done: Type.Integer(),
            streakWeeks: Type.Integer({
              description: 'Consecutive weeks with at least one action done',
            }),
            open: Type.Array(
              Type.Object({
                id: Type.String(),
                text: Type.String(),
                checkBackOn: Type.String({ format: 'date' }),
                topicTitle: Nullable(Type.String()),
              }),
            ),
            recentlyCompleted: Type.Array(
              Type.Object({
                id: Type.String(),
                text: Type.String(),
                completedAt: Type.String({ format: 'date-time' }),
                reflection: Nullable(Type.String()),
                topicTitle: Nullable(Type.String()),
              }),
            ),
          }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const progress = await progressOf(db, slackUserOf(request), now());
      return {
        ...progress,
        recentlyCompleted: progress.recentlyCompleted.map((r) => ({
          ...r,
          completedAt: r.completedAt.toISOString(),
        })),
      };
    },
  );

  app.put(
    '/subscriptions/me/weekly-digest',
    {
      preHandler: asUser,
      schema: {
        ...user,
        tags: ['subscriptions'],
        operationId: 'setWeeklyDigest',
        summary: 'Turn the Monday digest of last week on or off',
        body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Type.Object({ enabled: Type.Boolean() }), 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => {
      await setWeeklyDigest(db, slackUserOf(request), request.body.enabled);
      return { enabled: request.body.enabled };
    },
  );
}
