/**
 * /api/v1/workspaces/current: the lifecycle of the workspace the bot calls for, and the
 * defaults its admins set for the bot to offer;
 * /api/v1/workspaces/slack-holds: the workspaces Slack asked every replica to leave alone.
 */
import { Type } from 'typebox';
import { signupDefaults } from '../../core/settings/service.ts';
import { currentSlackHolds, deactivateWorkspace } from '../../core/workspaces/service.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  requireService,
  requireSlackUser,
  SERVICE_TOKEN_SECURITY,
  SlackTeamHeaders,
  slackUserOf,
  slackUserRouteSchema,
} from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef } from '../schemas.ts';

export function registerWorkspaceRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db } = deps;

  app.post(
    '/workspaces/current/deactivation',
    {
      onRequest: requireService(deps.serviceToken),
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
        deps.now(),
        request.id,
      ),
  );

  app.get(
    '/workspaces/current/defaults',
    {
      onRequest: requireSlackUser(deps.serviceToken),
      schema: {
        ...slackUserRouteSchema('workspaces'),
        operationId: 'getWorkspaceDefaults',
        summary: "What the bot offers this workspace's managers: the admins' defaults",
        response: {
          200: Type.Object({
            weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
              description: 'Ticked in the sign-up modal',
            }),
            localTime: Type.String({ description: "'HH:MM', offered in the sign-up modal" }),
            checkBackDays: Type.Integer({
              description: 'Days until the check-back of an action planned without a choice',
            }),
          }),
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const settings = await signupDefaults(db, slackUserOf(request).slackTeamId);
      return {
        weekdays: settings.defaultWeekdays,
        localTime: settings.defaultLocalTime,
        checkBackDays: settings.checkBackDays,
      };
    },
  );

  app.get(
    '/workspaces/slack-holds',
    {
      onRequest: requireService(deps.serviceToken),
      schema: {
        tags: ['workspaces'],
        security: SERVICE_TOKEN_SECURITY,
        operationId: 'listSlackHolds',
        summary: 'The workspaces Slack rate-limited, with when each hold ends',
        description:
          'Every workspace whose Slack hold (set by a `rate_limited` failure report with ' +
          '`retryAfterSeconds`, for a delivery or a reminder) ends after now. Claims already ' +
          'skip held workspaces; a sender polls this while it sends, so rows it claimed before ' +
          "another sender's 429 wait too.",
        response: {
          200: Type.Object({
            holds: Type.Array(
              Type.Object({
                teamId: Type.String({ description: 'The Slack team id' }),
                until: Type.String({
                  format: 'date-time',
                  description: 'When sending to the workspace may resume',
                }),
              }),
            ),
          }),
          401: ErrorRef,
        },
      },
    },
    async () => {
      const holds = await currentSlackHolds(db, deps.now());
      return {
        holds: holds.map((hold) => ({ teamId: hold.teamId, until: hold.until.toISOString() })),
      };
    },
  );
}
