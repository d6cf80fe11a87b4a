/**
 * A manager's data rights (issue 16, item 6), as the bot asks for them: POST /me/exports makes a
 * single-use download link, DELETE /me erases the manager; and GET /exports?token=, the link
 * itself, which the manager's browser opens with no other credential than the token.
 */
import { Type } from 'typebox';
import { EXPORT_TOKEN_PATTERN } from '../../core/data-rights/rules.ts';
import { createExportLink, downloadExport, eraseManager } from '../../core/data-rights/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { DateTime, ErrorRef } from '../schemas.ts';

export function registerDataRightsRoutes(
  app: HttpServer,
  deps: RouteDependencies & { publicUrl: () => string | undefined },
): void {
  const onRequest = requireSlackUser(deps.serviceToken);

  app.post(
    '/me/exports',
    {
      onRequest,
      schema: {
        operationId: 'createMyExport',
        summary:
          'A single-use link, valid 24 hours, to a JSON file of everything about the manager',
        ...slackUserRouteSchema('managers'),
        response: {
          201: Type.Object({
            url: Type.String({
              description: 'Under PUBLIC_URL; the token in it is the credential',
            }),
            expiresAt: DateTime,
          }),
          401: ErrorRef,
          404: ErrorRef,
          503: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const link = await createExportLink(
        deps.db,
        slackUserOf(request),
        deps.publicUrl(),
        deps.now(),
        { requestId: request.id },
      );
      return reply.status(201).send({ url: link.url, expiresAt: link.expiresAt.toISOString() });
    },
  );

  app.delete(
    '/me',
    {
      onRequest,
      schema: {
        operationId: 'eraseMe',
        summary: 'Erase the manager and everything Blindspot holds about them (irreversible)',
        ...slackUserRouteSchema('managers'),
        response: {
          200: Type.Object({
            erased: Type.Literal(true),
            rows: Type.Record(Type.String(), Type.Integer(), {
              description: 'Rows deleted, by table',
            }),
          }),
          401: ErrorRef,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const { rows } = await eraseManager(deps.db, slackUserOf(request), 'manager', {
        requestId: request.id,
      });
      return { erased: true as const, rows };
    },
  );

  app.get(
    '/exports',
    {
      schema: {
        operationId: 'downloadExport',
        summary: "Download a manager's export, once, within 24 hours of the link's making",
        tags: ['managers'],
        querystring: Type.Object({
          token: Type.String({ pattern: EXPORT_TOKEN_PATTERN, description: 'From the link' }),
        }),
        response: {
          200: Type.Object(
            { format: Type.String(), exportedAt: DateTime },
            { additionalProperties: true, description: 'Every table, as stored' },
          ),
          400: ErrorRef,
          404: ErrorRef,
          410: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const file = await downloadExport(deps.db, request.query.token, deps.now(), {
        requestId: request.id,
        address: request.ip,
      });
      const day = file.exportedAt.slice(0, 10);
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="blindspot-export-${day}.json"`);
      return file;
    },
  );
}
