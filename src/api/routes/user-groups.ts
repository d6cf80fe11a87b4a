/**
 * /api/v1/workspaces/.../user-groups: the bot's side of the analytics teams (issue 15, item 3).
 * The bot asks which workspaces are due a sync, reads their user groups from Slack, pushes the
 * list (learning which are chosen), then pushes each chosen group's members. Service calls only:
 * the bot never reads the database, the API never calls Slack.
 */
import { Type } from 'typebox';
import {
  dueUserGroupSyncs,
  saveUserGroupMembers,
  saveUserGroups,
} from '../../core/user-groups/service.ts';
import { POLL, pollFoundWork } from '../../http/request-log.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  requireService,
  SERVICE_TOKEN_SECURITY,
  SlackTeamHeaders,
} from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef } from '../schemas.ts';
import { MAX_USER_GROUPS, SLACK_GROUP_ID } from './admin-analytics-teams.ts';

/** Slack's largest user groups are far smaller; the body limit (1 MiB) binds first anyway. */
const MAX_GROUP_MEMBERS = 50_000;

const service = (deps: RouteDependencies) => ({
  onRequest: requireService(deps.serviceToken),
});

export function registerUserGroupRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db } = deps;
  const schema = { tags: ['workspaces'], security: SERVICE_TOKEN_SECURITY };

  app.get(
    '/workspaces/user-group-syncs',
    {
      ...service(deps),
      config: POLL,
      schema: {
        ...schema,
        operationId: 'listDueUserGroupSyncs',
        summary: 'The workspaces whose Slack user groups the bot should read now',
        description:
          'Never synced, asked for by an admin who saved the analytics teams, or last synced ' +
          'more than six hours ago. A few at a time; the rest come in later polls.',
        response: {
          200: Type.Object({ teamIds: Type.Array(Type.String()) }),
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const teamIds = await dueUserGroupSyncs(db, deps.now());
      if (teamIds.length > 0) pollFoundWork(request);
      return { teamIds };
    },
  );

  app.put(
    '/workspaces/current/user-groups',
    {
      ...service(deps),
      schema: {
        ...schema,
        operationId: 'putUserGroups',
        summary: "The workspace's user groups as Slack lists them, or why Slack refused",
        description:
          'Replaces the list: groups Slack no longer lists are marked removed. The answer ' +
          'names the chosen groups (analytics teams), whose members the bot sends next.',
        headers: SlackTeamHeaders,
        body: Type.Union([
          Type.Object(
            {
              groups: Type.Array(
                Type.Object(
                  {
                    id: Type.String({ pattern: SLACK_GROUP_ID }),
                    handle: Type.String({ maxLength: 255 }),
                    name: Type.String({ maxLength: 255 }),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: MAX_USER_GROUPS },
              ),
            },
            { additionalProperties: false },
          ),
          Type.Object(
            { error: Type.String({ pattern: '^[a-z_]{1,64}$', description: "Slack's code" }) },
            { additionalProperties: false },
          ),
        ]),
        response: {
          200: Type.Object({
            teams: Type.Array(Type.String(), { description: 'The chosen groups, Slack ids' }),
          }),
          400: ErrorRef,
          401: ErrorRef,
        },
      },
    },
    async (request) => {
      const body = request.body;
      const teamId = String(request.headers['x-slack-team-id']);
      return saveUserGroups(
        db,
        teamId,
        'groups' in body
          ? {
              groups: body.groups.map((g) => ({
                slackGroupId: g.id,
                handle: g.handle,
                name: g.name,
              })),
            }
          : { error: body.error },
        deps.now(),
      );
    },
  );

  app.put(
    '/workspaces/current/user-groups/:groupId/members',
    {
      ...service(deps),
      schema: {
        ...schema,
        operationId: 'putUserGroupMembers',
        summary: "A chosen user group's members, as Slack lists them",
        description: 'Replaces the members. A group no longer chosen keeps none: `saved` is false.',
        headers: SlackTeamHeaders,
        params: Type.Object({ groupId: Type.String({ pattern: SLACK_GROUP_ID }) }),
        body: Type.Object(
          {
            users: Type.Array(Type.String({ pattern: '^[UW][A-Z0-9]{2,30}$' }), {
              maxItems: MAX_GROUP_MEMBERS,
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ saved: Type.Boolean() }),
          400: ErrorRef,
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) =>
      saveUserGroupMembers(
        db,
        String(request.headers['x-slack-team-id']),
        request.params.groupId,
        request.body.users,
        deps.now(),
      ),
  );
}
