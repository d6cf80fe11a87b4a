/**
 * Analytics teams (issue 15, item 3): /api/v1/admin/workspaces/{teamId}/analytics-teams, where
 * an admin chooses which of the workspace's Slack user groups the analytics can be filtered by
 * (saving asks the bot to read their members from Slack), and /api/v1/admin/analytics/teams,
 * the chosen teams a viewer can filter by.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { analyticsTeams, chooseTeams, userGroupChoices } from '../../core/user-groups/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { ErrorRef, Nullable } from '../schemas.ts';
import { ANALYTICS_TAG, DEFAULT_MIN_GROUP } from './admin-analytics.ts';
import { TeamParams } from './admin-topics-schemas.ts';

/** Slack's user group ids: "S" and capitals or digits. */
export const SLACK_GROUP_ID = '^S[A-Z0-9]{2,30}$';
/** More groups than any workspace has: Slack's own list is not paged. */
export const MAX_USER_GROUPS = 5_000;

const Choices = Type.Object(
  {
    groups: Type.Array(
      Type.Object({
        id: Type.String({ description: 'The team id the analytics filter takes, once chosen' }),
        slackGroupId: Type.String({ description: "Slack's user group id, S…" }),
        handle: Type.String({ description: 'The @handle, without the @' }),
        name: Type.String(),
        isTeam: Type.Boolean({ description: 'Chosen as an analytics team' }),
        removed: Type.Boolean({ description: 'Slack no longer lists it (deleted or disabled)' }),
        members: Type.Integer({ description: 'Members read from Slack (chosen groups only)' }),
        managers: Type.Integer({ description: 'Of those, the ones signed up to Blindspot' }),
        membersSyncedAt: Nullable(Type.String({ format: 'date-time' })),
      }),
    ),
    sync: Type.Object({
      syncedAt: Nullable(Type.String({ format: 'date-time' }), {
        description: 'When the bot last read the groups from Slack',
      }),
      requested: Type.Boolean({ description: 'A sync is asked for; the bot picks it up soon' }),
      error: Nullable(Type.String(), {
        description: "Slack's error code when the last sync failed, e.g. missing_scope",
      }),
    }),
  },
  { $id: 'AnalyticsTeamChoices', title: 'AnalyticsTeamChoices' },
);

export function registerAdminAnalyticsTeamRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date; minGroup?: number },
): void {
  app.addSchema(Choices);
  const k = deps.minGroup ?? DEFAULT_MIN_GROUP;
  const refused = { 401: ErrorRef, 403: ErrorRef, 404: ErrorRef };

  app.get(
    '/admin/analytics/teams',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer', ANALYTICS_TAG.name),
        operationId: 'listAnalyticsTeams',
        summary: 'The teams (chosen Slack user groups) the analytics can be filtered by',
        description:
          'Teams with fewer than k (minGroup) managers signed up are left out: the filter ' +
          'refuses them with `team_too_small`.',
        response: {
          200: Type.Object({
            teams: Type.Array(
              Type.Object({
                id: Type.String({ description: 'What the `team` filter takes' }),
                teamId: Type.String({ description: 'The Slack workspace' }),
                slackGroupId: Type.String(),
                handle: Type.String(),
                name: Type.String(),
              }),
            ),
          }),
          401: ErrorRef,
          403: ErrorRef,
        },
      },
    },
    async () => ({ teams: await analyticsTeams(deps.db, k) }),
  );

  app.get(
    '/admin/workspaces/:teamId/analytics-teams',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'getAnalyticsTeamChoices',
        summary: "The workspace's Slack user groups, which are analytics teams, the last sync",
        params: TeamParams,
        response: { 200: Type.Ref('AnalyticsTeamChoices'), 400: ErrorRef, ...refused },
      },
    },
    async (request) => userGroupChoices(deps.db, request.params.teamId),
  );

  app.put(
    '/admin/workspaces/:teamId/analytics-teams',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'chooseAnalyticsTeams',
        summary: 'Make exactly these user groups the analytics teams (audited); the bot syncs',
        description:
          'Groups not listed stop being teams and their members are forgotten. The bot reads ' +
          "the chosen groups' members from Slack at its next poll (within a minute). A 400 " +
          '`unknown_team` names ids that are not groups Slack still lists.',
        params: TeamParams,
        body: Type.Object(
          {
            groupIds: Type.Array(Type.String({ pattern: SLACK_GROUP_ID }), {
              maxItems: MAX_USER_GROUPS,
              description: "Slack's user group ids",
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('AnalyticsTeamChoices'), 400: ErrorRef, ...refused },
      },
    },
    async (request) =>
      chooseTeams(
        deps.db,
        request.params.teamId,
        request.body.groupIds,
        deps.now(),
        auditContextOf(request),
      ),
  );
}
