/**
 * /api/v1/workspaces/.../member-statuses: the bot's side of the kept Slack statuses (issue 19,
 * items 1–2). The bot claims the workspaces due a sweep, pages their members from Slack
 * (users.list) and pushes each page's derived statuses; between sweeps it pushes the one
 * status a user_status_changed event brings. Service calls only: the API never calls Slack.
 */
import { Type } from 'typebox';
import { claimStatusSweeps, saveMemberStatuses } from '../../core/member-statuses/service.ts';
import { POLL, pollFoundWork } from '../../http/request-log.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  requireService,
  SERVICE_TOKEN_SECURITY,
  SlackTeamHeaders,
} from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef } from '../schemas.ts';

/** Five pages of users.list at Slack's recommended 200: a page is one call, with room over. */
const MAX_STATUSES_PER_CALL = 1000;

const MemberStatus = Type.Object(
  {
    slackUserId: Type.String({ pattern: '^[UW][A-Z0-9]{2,30}$' }),
    away: Type.Boolean({ description: "The status says the member is out (the bot's rule)" }),
    until: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'When the "out" status clears; absent when Slack set no expiration',
      }),
    ),
  },
  { additionalProperties: false },
);

export function registerMemberStatusRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db } = deps;
  const onRequest = requireService(deps.serviceToken);
  const schema = { tags: ['workspaces'], security: SERVICE_TOKEN_SECURITY };

  app.post(
    '/workspaces/status-sweeps/claims',
    {
      onRequest,
      config: POLL,
      schema: {
        ...schema,
        operationId: 'claimStatusSweeps',
        summary: "The workspaces whose members' Slack statuses this bot should sweep now",
        description:
          'Active workspaces never swept, or last swept more than twelve hours ago, a few at a ' +
          'time. Each is held from other bot replicas for fifteen minutes: one whose sweep does ' +
          'not finish by then (Slack refusing, a bot that stopped) is handed out again.',
        response: {
          200: Type.Object({ teamIds: Type.Array(Type.String()) }),
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const teamIds = await claimStatusSweeps(db, deps.now());
      if (teamIds.length > 0) pollFoundWork(request);
      return { teamIds };
    },
  );

  app.put(
    '/workspaces/current/member-statuses',
    {
      onRequest,
      schema: {
        ...schema,
        operationId: 'putMemberStatuses',
        summary: "Members' Slack statuses as the bot derived them: away or not, until when",
        description:
          'Only managers are kept; everyone else is dropped, and no status text is sent. A ' +
          'status read before the one kept (`readAt`) is not written, so an event newer than ' +
          'a sweep page wins. `sweepDone` on the last page of a sweep makes the workspace due ' +
          'again only twelve hours later. `updated` counts the managers whose status was ' +
          'written.',
        headers: SlackTeamHeaders,
        body: Type.Object(
          {
            readAt: Type.String({
              format: 'date-time',
              description: 'When the bot read these statuses from Slack',
            }),
            statuses: Type.Array(MemberStatus, { maxItems: MAX_STATUSES_PER_CALL }),
            sweepDone: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ updated: Type.Integer({ minimum: 0 }) }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const { readAt, statuses, sweepDone } = request.body;
      return saveMemberStatuses(
        db,
        String(request.headers['x-slack-team-id']),
        {
          readAt: new Date(readAt),
          statuses: statuses.map((status) => ({
            slackUserId: status.slackUserId,
            away: status.away,
            ...(status.until !== undefined && { until: new Date(status.until) }),
          })),
          sweepDone,
        },
        deps.now(),
      );
    },
  );
}
