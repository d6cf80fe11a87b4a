/**
 * Reminders (and the Monday digests): the bot claims due ones under a lease and confirms each
 * with its Slack message, as it does deliveries (./lease-routes.ts). Managers answer them under
 * /action-items/:id/responses (./action-item-responses.ts); a thread reply to a reminder finds
 * it, and the items it asked about, under /me/reminders/by-message.
 */
import { Type } from 'typebox';
import { findReminderByMessage } from '../../core/reminders/sent-reminders.ts';
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
  DateTime,
  EffectiveLanguage,
  ErrorRef,
  LocalDate,
  Nullable,
  SlackChannelId,
  SlackTs,
} from '../schemas.ts';
import { registerLeaseRoutes } from './lease-routes.ts';

/** A reminder claimed under a lease, with all the bot needs to send it. */
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
  locale: Type.String({ description: "The manager's Slack locale, e.g. en-US: dates follow it" }),
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
      items: Type.Array(
        Type.Object({
          id: Type.String(),
          text: Type.String(),
          topicTitle: Nullable(Type.String()),
          plannedOn: LocalDate,
          answer: Nullable(
            Type.String({ description: "This reminder's answer for the item, if it has one" }),
          ),
        }),
      ),
    },
    { $id: 'SentReminder', title: 'SentReminder' },
  );
  app.addSchema(SentReminder);
  app.get(
    '/me/reminders/by-message',
    {
      onRequest: requireSlackUser(deps.serviceToken),
      schema: {
        ...slackUserRouteSchema('reminders'),
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
