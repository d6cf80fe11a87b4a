/**
 * /api/v1/admin/workspaces/{teamId}/people: the managers Blindspot knows in a workspace, with
 * their schedule and whether notes reach them, for admins (issue 15); and pausing or
 * unsubscribing a manager who asked an admin to, audited under the admin's name. No field here
 * carries anything a manager wrote.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { changeOnRequest, listPeople, type Person } from '../../core/people/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { DateTime, ErrorRef, Nullable } from '../schemas.ts';
import { TeamParams } from './admin-topics-schemas.ts';

const SlackUserId = Type.String({ pattern: '^[UW][A-Z0-9]{2,20}$', description: 'Slack user id' });

const PersonSchema = Type.Object(
  {
    slackUserId: SlackUserId,
    timeZone: Type.String(),
    status: Type.Union(
      ['active', 'paused', 'lapsed', 'unsubscribed', 'not_subscribed'].map((s) => Type.Literal(s)),
      { description: 'lapsed: paused by Blindspot because Slack could not deliver to them' },
    ),
    pausedBy: Nullable(
      Type.Union(['manager', 'admin', 'slack', 'workspace'].map((s) => Type.Literal(s))),
    ),
    slackError: Nullable(Type.String({ description: "Slack's error code, when lapsed" })),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 })),
    localTime: Nullable(Type.String({ description: "'HH:MM' in timeZone" })),
    lastDeliveredAt: Nullable(DateTime),
  },
  { $id: 'Person', title: 'Person' },
);

const present = (person: Person) => ({
  ...person,
  lastDeliveredAt: person.lastDeliveredAt?.toISOString() ?? null,
});

export function registerAdminPeopleRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  app.addSchema(PersonSchema);
  const refused = { 401: ErrorRef, 403: ErrorRef, 404: ErrorRef };

  app.get(
    '/admin/workspaces/:teamId/people',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'listPeople',
        summary: 'Managers with their subscription status, schedule and last delivery',
        params: TeamParams,
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(['active', 'paused', 'unsubscribed'].map((s) => Type.Literal(s))),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          after: Type.Optional(SlackUserId),
        }),
        response: {
          200: Type.Object({
            people: Type.Array(Type.Ref('Person')),
            next: Nullable(Type.String({ description: 'Pass as `after` for the next page' })),
          }),
          400: ErrorRef,
          ...refused,
        },
      },
    },
    async (request) => {
      const { status, limit, after } = request.query;
      const page = await listPeople(deps.db, request.params.teamId, {
        status: status as 'active' | 'paused' | 'unsubscribed' | undefined,
        limit: limit ?? 100,
        after,
      });
      return { people: page.people.map(present), next: page.next };
    },
  );

  for (const change of ['pause', 'unsubscribe'] as const) {
    app.post(
      `/admin/workspaces/:teamId/people/:slackUserId/${change}`,
      {
        ...adminRoute('admin'),
        schema: {
          ...adminSchema('admin'),
          operationId: change === 'pause' ? 'pausePerson' : 'unsubscribePerson',
          summary:
            change === 'pause'
              ? 'Pause a manager who asked an admin to (audited)'
              : 'Unsubscribe a manager who asked an admin to (audited)',
          params: Type.Object({ ...TeamParams.properties, slackUserId: SlackUserId }),
          response: { 200: Type.Ref('Person'), 400: ErrorRef, ...refused, 409: ErrorRef },
        },
      },
      async (request) =>
        present(
          await changeOnRequest(
            deps.db,
            { slackTeamId: request.params.teamId, slackUserId: request.params.slackUserId },
            change,
            deps.now(),
            auditContextOf(request),
          ),
        ),
    );
  }
}
