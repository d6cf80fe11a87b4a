/**
 * Reminders (and the Monday digests): the bot claims due ones under a lease and confirms each
 * with its Slack message, as it does deliveries (./lease-routes.ts). Managers answer them under
 * /action-items/:id/responses (./action-item-responses.ts); a thread reply to a reminder finds
 * it, and the items it asked about, under /me/reminders/by-message. /me/reminders/:id and
 * /me/reminders/by-item give a sent reminder as its message should read now, so the bot can show
 * there an answer given on another surface.
 */
import { Type } from 'typebox';
import {
  findReminderByMessage,
  getReminderMessage,
  latestReminderMessageAbout,
} from '../../core/reminders/sent-reminders.ts';
import {
  claimReminders,
  confirmReminder,
  confirmReminders,
  renewReminderLeases,
  reportReminderFailure,
} from '../../core/reminders/service.ts';
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
  LocalDate,
  Nullable,
  SlackChannelId,
  SlackTs,
} from '../schemas.ts';
import { registerLeaseRoutes } from './lease-routes.ts';

/** A reminder claimed under a lease, with all the bot needs to send it. */
const ItemStatus = Type.Union(
  ['open', 'done', 'partly', 'dropped', 'lapsed'].map((s) => Type.Literal(s)),
  { description: "The item's status now" },
);

const Locale = Type.String({
  description: "The manager's Slack locale, e.g. en-US: dates follow it",
});

const ClaimedReminderFields = {
  id: Type.String(),
  attempt: Type.Integer(),
  kind: Type.Union([
    Type.Literal('reminder'),
    Type.Literal('digest'),
    Type.Literal('welcome_back'),
  ]),
  dueAt: DateTime,
  localDate: LocalDate,
  slackTeamId: Type.String(),
  slackUserId: Type.String(),
  dmChannelId: Nullable(Type.String()),
  timeZone: Type.String(),
  locale: Locale,
  language: EffectiveLanguage,
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      topicTitle: Nullable(Type.String()),
      plannedOn: LocalDate,
      final: Type.Boolean({
        description: 'Lapsed after three unanswered reminders: a last word, no buttons',
      }),
    }),
  ),
  digest: Nullable(
    Type.Object({
      weekStart: LocalDate,
      topicsReceived: Type.Integer(),
      actionsPlanned: Type.Integer(),
      actionsDone: Type.Integer(),
      actionsLapsed: Type.Integer(),
    }),
  ),
};

export function registerReminderRoutes(
  app: HttpServer,
  deps: RouteDependencies & { metrics: Metrics['reminders'] },
) {
  const { db, metrics } = deps;

  registerLeaseRoutes(app, {
    prefix: '/reminders',
    tag: 'reminders',
    serviceToken: deps.serviceToken,
    now: deps.now,
    claimed: { name: 'ClaimedReminder', properties: ClaimedReminderFields, key: 'reminders' },
    claim: {
      operationId: 'claimReminders',
      summary: 'Claim due reminders (and digests) under a lease',
      run: (lease, at) => claimReminders(db, at, lease),
    },
    renew: {
      operationId: 'renewReminderLeases',
      summary: 'Renew the leases a sender holds on claimed reminders; a stale one is not renewed',
      run: (leases, leaseMs, at) => renewReminderLeases(db, leases, at, leaseMs),
    },
    confirm: {
      operationId: 'confirmReminder',
      summary: 'Record that a reminder reached Slack',
      response: Type.Object({ latenessSeconds: Type.Number() }),
      async run(id, sent, at) {
        const result = await confirmReminder(db, id, sent, at);
        if (!result.repeated) {
          metrics.sent.inc();
          metrics.lateness.observe(result.latenessSeconds);
        }
        return { latenessSeconds: result.latenessSeconds };
      },
    },
    confirmBatch: {
      operationId: 'confirmReminders',
      summary: 'Record that many reminders reached Slack, in one call',
      async run(sent, at) {
        const results = await confirmReminders(db, sent, at);
        for (const result of results) {
          if (result.status !== 'sent') continue;
          metrics.sent.inc();
          metrics.lateness.observe(result.latenessSeconds);
        }
        return results.map(({ id, status }) => ({ id, status }));
      },
    },
    reportFailure: {
      operationId: 'reportReminderFailure',
      summary: 'Report a failed reminder send',
      run: (id, report, at) => reportReminderFailure(db, id, report, at),
    },
  });

  const SentReminder = Type.Object(
    {
      id: Type.String(),
      locale: Locale,
      language: EffectiveLanguage,
      items: Type.Array(
        Type.Object({
          id: Type.String(),
          text: Type.String(),
          topicTitle: Nullable(Type.String()),
          plannedOn: LocalDate,
          answer: Nullable(
            Type.String({ description: "This reminder's answer for the item, if it has one" }),
          ),
          status: ItemStatus,
        }),
      ),
    },
    { $id: 'SentReminder', title: 'SentReminder' },
  );
  app.addSchema(SentReminder);
  const ReminderMessage = Type.Object(
    {
      id: Type.String(),
      channelId: Type.String({ description: 'The Slack channel the reminder was posted in' }),
      ts: Type.String({ description: "The reminder message's Slack ts" }),
      locale: Locale,
      language: EffectiveLanguage,
      items: Type.Array(
        Type.Object({
          id: Type.String(),
          text: Type.String(),
          topicTitle: Nullable(Type.String()),
          plannedOn: LocalDate,
          final: Type.Boolean({ description: 'The last word on a lapsed item: it had no buttons' }),
          status: ItemStatus,
          answer: Nullable(Answer),
          responseId: Nullable(Type.String()),
          snoozedUntil: Nullable(LocalDate),
        }),
      ),
    },
    {
      $id: 'ReminderMessage',
      title: 'ReminderMessage',
      description:
        'A sent reminder as its Slack message should read now: every item it asked about, with ' +
        'the answer this reminder got for it wherever it was given',
    },
  );
  app.addSchema(ReminderMessage);
  const onRequest = requireSlackUser(deps.serviceToken);
  const common = slackUserRouteSchema('reminders');
  const reminderResponses = {
    200: Type.Ref('ReminderMessage'),
    400: ErrorRef,
    401: ErrorRef,
    404: ErrorRef,
  };

  app.get(
    '/me/reminders/:id',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'getMyReminderMessage',
        summary: 'One of my sent reminders as its message should read now',
        params: IdParams,
        response: reminderResponses,
      },
    },
    (request) => getReminderMessage(db, slackUserOf(request), request.params.id),
  );

  app.get(
    '/me/reminders/by-item',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'getMyLatestReminderAbout',
        summary: 'The latest of my sent reminders that asked about an item, as it should read now',
        querystring: Type.Object({ actionItemId: Id }, { additionalProperties: false }),
        response: reminderResponses,
      },
    },
    (request) => latestReminderMessageAbout(db, slackUserOf(request), request.query.actionItemId),
  );
  app.get(
    '/me/reminders/by-message',
    {
      onRequest,
      schema: {
        ...common,
        operationId: 'findMyReminderByMessage',
        summary:
          'The sent reminder a Slack message (a thread root) is, with the items it asked about',
        querystring: Type.Object(
          { channelId: SlackChannelId, ts: SlackTs },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Ref('SentReminder'),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    (request) =>
      findReminderByMessage(db, slackUserOf(request), request.query.channelId, request.query.ts),
  );
}
