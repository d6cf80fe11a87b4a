/**
 * Deliveries: the bot claims due ones under a lease and confirms each with its Slack message
 * (./lease-routes.ts); a manager's sent deliveries are read back under /me/deliveries, for the
 * thread replies and buttons that refer to one.
 */
import { Type } from 'typebox';
import {
  findDeliveryByMessage,
  getMyDelivery,
  latestDeliverySince,
  listMyRecentDeliveries,
  rateMyDelivery,
} from '../../core/deliveries/sent-deliveries.ts';
import {
  claimDeliveries,
  confirmDeliveries,
  confirmDelivery,
  renewDeliveryLeases,
  reportDeliveryFailure,
} from '../../core/deliveries/service.ts';
import { skipDelivery } from '../../core/deliveries/skips.ts';
import type { HttpServer } from '../../http/server.ts';
import type { DeliveryMetrics } from '../../observability/metrics.ts';
import {
  requireService,
  requireSlackUser,
  SERVICE_TOKEN_SECURITY,
  slackUserOf,
  slackUserRouteSchema,
} from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import {
  DateTime,
  DeliveredTopic,
  EffectiveLanguage,
  ErrorRef,
  IdParams,
  LocalDate,
  Nullable,
  SlackChannelId,
  SlackTs,
} from '../schemas.ts';
import { registerLeaseRoutes } from './lease-routes.ts';

/** What a manager thought of a note, asked of every note whether or not they plan anything. */
const NoteRating = Type.Union([Type.Literal('useful'), Type.Literal('not_for_me')], {
  description: 'useful, or not_for_me; not_for_me does not hide the topic (not relevant does)',
});

/** A delivery claimed under a lease, with all the bot needs to send it. */
const ClaimedDeliveryFields = {
  id: Type.String(),
  attempt: Type.Integer({ description: 'Quote it when confirming or reporting a failure' }),
  dueAt: DateTime,
  localDate: LocalDate,
  late: Type.Boolean(),
  slackTeamId: Type.String(),
  slackUserId: Type.String(),
  dmChannelId: Nullable(Type.String()),
  timeZone: Type.String(),
  language: EffectiveLanguage,
  topic: DeliveredTopic,
  statusKnown: Type.Boolean({
    description:
      "The manager's kept Slack status is fresh and does not say out: post without reading " +
      'it. False: it is unknown or stale, so read it first. A note whose manager is known to ' +
      'be out is not handed out at all: the claim records it skipped_away.',
  }),
};

const SentDelivery = Type.Object(
  {
    id: Type.String(),
    topicId: Nullable(Type.String()),
    topicTitle: Nullable(Type.String()),
    sentAt: DateTime,
    channelId: Type.String(),
    ts: Type.String(),
  },
  { $id: 'SentDelivery', title: 'SentDelivery' },
);

function presentSent(delivery: Awaited<ReturnType<typeof findDeliveryByMessage>>) {
  return { ...delivery, sentAt: delivery.sentAt.toISOString() };
}

export function registerDeliveryRoutes(
  app: HttpServer,
  deps: RouteDependencies & { metrics: DeliveryMetrics },
) {
  const { db, now, metrics } = deps;

  registerLeaseRoutes(app, {
    prefix: '/deliveries',
    tag: 'deliveries',
    serviceToken: deps.serviceToken,
    now,
    claimed: { name: 'ClaimedDelivery', properties: ClaimedDeliveryFields, key: 'deliveries' },
    claim: {
      operationId: 'claimDeliveries',
      summary: 'Claim due deliveries under a lease; an unconfirmed one is claimed again after it',
      async run(lease, at) {
        const result = await claimDeliveries(db, at, lease);
        metrics.missed.inc(result.missed);
        if (result.skippedAway > 0) metrics.skipped.inc({ reason: 'away' }, result.skippedAway);
        return result.deliveries;
      },
    },
    renew: {
      operationId: 'renewDeliveryLeases',
      summary: 'Renew the leases a sender holds on claimed deliveries; a stale one is not renewed',
      run: (leases, leaseMs, at) => renewDeliveryLeases(db, leases, at, leaseMs),
    },
    confirm: {
      operationId: 'confirmDelivery',
      summary: 'Record that a delivery reached Slack',
      response: Type.Object({ late: Type.Boolean(), latenessSeconds: Type.Number() }),
      conflicts: true,
      async run(id, sent, at) {
        const result = await confirmDelivery(db, id, sent, at);
        if (!result.repeated) {
          metrics.sent.inc();
          if (result.late) metrics.late.inc();
          metrics.lateness.observe(result.latenessSeconds);
        }
        return { late: result.late, latenessSeconds: result.latenessSeconds };
      },
    },
    confirmBatch: {
      operationId: 'confirmDeliveries',
      summary: 'Record that many deliveries reached Slack, in one call',
      async run(sent, at) {
        const results = await confirmDeliveries(db, sent, at);
        for (const result of results) {
          if (result.status !== 'sent') continue;
          metrics.sent.inc();
          if (result.late) metrics.late.inc();
          metrics.lateness.observe(result.latenessSeconds);
        }
        return results.map(({ id, status }) => ({ id, status }));
      },
    },
    reportFailure: {
      operationId: 'reportDeliveryFailure',
      summary: 'Report a failed send: retry later, or give up and pause the subscription',
      async run(id, report, at) {
        const outcome = await reportDeliveryFailure(db, id, report, at);
        if (outcome.status === 'failed') metrics.failed.inc({ reason: report.code });
        return outcome;
      },
    },
  });

  app.post(
    '/deliveries/:id/skip',
    {
      onRequest: requireService(deps.serviceToken),
      schema: {
        tags: ['deliveries'],
        security: SERVICE_TOKEN_SECURITY,
        operationId: 'skipDelivery',
        summary: "Record a claimed note as not sent: the manager's Slack status says they are out",
        description:
          'The sender holding the lease reports this instead of posting; the delivery becomes ' +
          '`skipped_away`, which no reminder follows and no lapse counts. Reporting it again ' +
          'is answered `skipped`; a report about an older claim is `ignored`.',
        params: IdParams,
        body: Type.Object(
          { attempt: Type.Integer({ minimum: 1 }), reason: Type.Literal('away') },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('skipped'), Type.Literal('ignored')]),
          }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const outcome = await skipDelivery(db, request.params.id, request.body, now());
      if (outcome.status === 'skipped') metrics.skipped.inc({ reason: request.body.reason });
      return outcome;
    },
  );

  app.addSchema(SentDelivery);
  const onRequest = requireSlackUser(deps.serviceToken);
  const mine = slackUserRouteSchema('deliveries');
  const sent = { 200: Type.Ref('SentDelivery'), 400: ErrorRef, 401: ErrorRef, 404: ErrorRef };

  app.get(
    '/me/deliveries/by-message',
    {
      onRequest,
      schema: {
        ...mine,
        operationId: 'findMyDeliveryByMessage',
        summary: 'The delivery a Slack message (a thread root) belongs to',
        querystring: Type.Object(
          { channelId: SlackChannelId, ts: SlackTs },
          { additionalProperties: false },
        ),
        response: sent,
      },
    },
    async (request) =>
      presentSent(
        await findDeliveryByMessage(
          db,
          slackUserOf(request),
          request.query.channelId,
          request.query.ts,
        ),
      ),
  );

  app.get(
    '/me/deliveries',
    {
      onRequest,
      schema: {
        ...mine,
        operationId: 'listMyRecentDeliveries',
        summary: 'The notes last sent to the calling manager, newest first',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }),
            offset: Type.Integer({
              minimum: 0,
              maximum: 10_000,
              default: 0,
              description: 'How many of the newest notes to skip, for the next page',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ deliveries: Type.Array(Type.Ref('SentDelivery')) }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => ({
      deliveries: (
        await listMyRecentDeliveries(
          db,
          slackUserOf(request),
          request.query.limit,
          request.query.offset,
        )
      ).map(presentSent),
    }),
  );

  app.get(
    '/me/deliveries/latest',
    {
      onRequest,
      schema: {
        ...mine,
        operationId: 'findMyLatestDelivery',
        summary: 'The latest delivery sent to the calling manager within the given hours',
        querystring: Type.Object(
          { withinHours: Type.Integer({ minimum: 1, maximum: 24 * 14 }) },
          { additionalProperties: false },
        ),
        response: sent,
      },
    },
    async (request) => {
      const since = new Date(now().getTime() - request.query.withinHours * 3_600_000);
      return presentSent(await latestDeliverySince(db, slackUserOf(request), since));
    },
  );

  app.get(
    '/me/deliveries/:id',
    {
      onRequest,
      schema: {
        ...mine,
        operationId: 'getMyDelivery',
        summary: "One of the calling manager's deliveries, with its topic",
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            channelId: Nullable(Type.String()),
            ts: Nullable(Type.String()),
            rating: Nullable(NoteRating),
            locale: Type.String({ description: "The manager's Slack locale, e.g. en-US" }),
            language: EffectiveLanguage,
            topic: DeliveredTopic,
          }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => getMyDelivery(db, slackUserOf(request), request.params.id),
  );

  app.put(
    '/me/deliveries/:id/rating',
    {
      onRequest,
      schema: {
        ...mine,
        operationId: 'rateMyDelivery',
        summary: 'Rate one of the calling manager’s notes; rating again replaces the rating',
        params: IdParams,
        body: Type.Object({ rating: NoteRating }, { additionalProperties: false }),
        response: {
          200: Type.Object({ rating: NoteRating }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) =>
      rateMyDelivery(db, slackUserOf(request), request.params.id, request.body.rating, now(), {
        requestId: request.id,
      }),
  );
}
