/**
 * The bot's side of the delivery pipeline: claim due deliveries under a lease, then confirm
 * each with its Slack message, or report why it failed. Service token only: these calls act
 * for no single manager.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  claimDeliveries,
  confirmDelivery,
  reportDeliveryFailure,
} from '../../core/deliveries/service.ts';
import { deactivateWorkspace } from '../../core/workspaces/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import type { DeliveryMetrics } from '../../observability/metrics.ts';
import {
  requireService,
  SERVICE_TOKEN_SECURITY,
  SlackTeamHeaders,
} from '../plugins/authenticate.ts';

const Topic = Type.Object({
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
});

const ClaimedDelivery = Type.Object(
  {
    id: Type.String(),
    attempt: Type.Integer({ description: 'Quote it when confirming or reporting a failure' }),
    dueAt: Type.String({ format: 'date-time' }),
    localDate: Type.String({ format: 'date' }),
    late: Type.Boolean(),
    slackTeamId: Type.String(),
    slackUserId: Type.String(),
    dmChannelId: Type.Union([Type.String(), Type.Null()]),
    timeZone: Type.String(),
    topic: Topic,
  },
  { $id: 'ClaimedDelivery', title: 'ClaimedDelivery' },
);

const DeliveryId = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
const ErrorRef = Type.Ref('Error');

export function registerDeliveryRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; serviceToken: string; now: () => Date; metrics: DeliveryMetrics },
) {
  app.addSchema(ClaimedDelivery);
  const { db, now, metrics } = deps;
  const preHandler = requireService(deps.serviceToken);
  const common = { tags: ['deliveries'], security: SERVICE_TOKEN_SECURITY };

  app.post(
    '/deliveries/claims',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'claimDeliveries',
        summary: 'Claim due deliveries under a lease; an unconfirmed one is claimed again after it',
        body: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 500 }),
            leaseSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ deliveries: Type.Array(Type.Ref('ClaimedDelivery')) }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const result = await claimDeliveries(db, now(), {
        limit: request.body.limit,
        leaseMs: request.body.leaseSeconds * 1000,
      });
      metrics.missed.inc(result.missed);
      return {
        deliveries: result.deliveries.map((d) => ({
          ...d,
          dueAt: d.dueAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/deliveries/:id/confirmation',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'confirmDelivery',
        summary: 'Record that a delivery reached Slack',
        params: DeliveryId,
        body: Type.Object(
          {
            attempt: Type.Integer({ minimum: 1 }),
            channelId: Type.String({ pattern: '^[A-Z0-9]{2,32}$' }),
            ts: Type.String({ pattern: '^[0-9]+\\.[0-9]+$' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ late: Type.Boolean(), latenessSeconds: Type.Number() }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request) => {
      const result = await confirmDelivery(db, request.params.id, request.body, now());
      if (!result.repeated) {
        metrics.sent.inc();
        if (result.late) metrics.late.inc();
        metrics.lateness.observe(result.latenessSeconds);
      }
      return { late: result.late, latenessSeconds: result.latenessSeconds };
    },
  );

  app.post(
    '/deliveries/:id/failure',
    {
      preHandler,
      schema: {
        ...common,
        operationId: 'reportDeliveryFailure',
        summary: 'Report a failed send: retry later, or give up and pause the subscription',
        params: DeliveryId,
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
      const outcome = await reportDeliveryFailure(db, request.params.id, request.body, now());
      if (outcome.status === 'failed') metrics.failed.inc({ reason: request.body.code });
      return { ...outcome, retryAt: outcome.retryAt?.toISOString() };
    },
  );

  app.post(
    '/workspaces/current/deactivation',
    {
      preHandler,
      schema: {
        tags: ['workspaces'],
        security: SERVICE_TOKEN_SECURITY,
        operationId: 'deactivateWorkspace',
        summary: 'The app was uninstalled or its tokens revoked: stop all deliveries',
        headers: SlackTeamHeaders,
        body: Type.Object(
          { reason: Type.String({ pattern: '^[a-z_]{1,64}$' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ deactivated: Type.Boolean() }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) =>
      deactivateWorkspace(
        db,
        String(request.headers['x-slack-team-id']),
        request.body.reason,
        request.id,
      ),
  );
}
