/** The audit log, for admins: paged and filtered, or all of it (up to 10,000 rows) as CSV. */
import { Type } from 'typebox';
import {
  AUDIT_PAGE_LIMIT,
  type AuditFilter,
  auditCsv,
  type LabelledAuditEvent,
  listAuditEvents,
} from '../../core/audit/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema } from '../plugins/admin-session.ts';
import { DateTime, ErrorRef, Id, Nullable } from '../schemas.ts';
import type { AdminRouteDependencies } from './admin-shared.ts';

const AuditEvent = Type.Object(
  {
    id: Type.String(),
    at: DateTime,
    actor: Type.String({ description: '"admin:<id>", "apikey:<id>", "slack:<user>", "system"…' }),
    actorLabel: Type.String(),
    action: Type.String(),
    subjectType: Type.String(),
    subjectId: Nullable(Type.String()),
    workspaceId: Nullable(Type.String()),
    address: Nullable(Type.String()),
    requestId: Nullable(Type.String()),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEvent', title: 'AuditEvent' },
);

const filterFields = {
  action: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'An action, or a family ending in "." (e.g. "sign_in.")',
    }),
  ),
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
};

const AuditQuery = Type.Object(
  {
    ...filterFields,
    before: Type.Optional({ ...Id, description: 'The nextCursor of the previous page' }),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: AUDIT_PAGE_LIMIT.max,
        default: AUDIT_PAGE_LIMIT.default,
      }),
    ),
  },
  { additionalProperties: false },
);

const CsvQuery = Type.Object(filterFields, { additionalProperties: false });

function filterOf(query: { action?: string; actor?: string; from?: string; to?: string }) {
  const filter: AuditFilter = {};
  if (query.action !== undefined) filter.action = query.action;
  if (query.actor !== undefined) filter.actor = query.actor;
  if (query.from !== undefined) filter.from = new Date(query.from);
  if (query.to !== undefined) filter.to = new Date(query.to);
  return filter;
}

function presentEvent(event: LabelledAuditEvent) {
  return {
    id: event.id,
    at: event.at.toISOString(),
    actor: event.actor,
    actorLabel: event.actorLabel,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    workspaceId: event.workspaceId,
    address: event.address,
    requestId: event.requestId,
    details: (event.details ?? {}) as Record<string, unknown>,
  };
}

const refused = { 401: ErrorRef, 403: ErrorRef };

export function registerAdminAuditRoutes(app: HttpServer, deps: AdminRouteDependencies): void {
  app.addSchema(AuditEvent);
  const { db } = deps;
  const tag = 'admin-audit';

  app.get(
    '/admin/audit',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'listAuditEvents',
        summary: 'Audit events, newest first, a page at a time',
        querystring: AuditQuery,
        response: {
          200: Type.Object({
            events: Type.Array(Type.Ref('AuditEvent')),
            nextCursor: Nullable(Type.String()),
          }),
          400: ErrorRef,
          ...refused,
        },
      },
    },
    async (request) => {
      const { before, limit } = request.query;
      const filter = { ...filterOf(request.query), ...(before ? { beforeId: before } : {}) };
      const page = await listAuditEvents(db, filter, limit ?? AUDIT_PAGE_LIMIT.default);
      return { events: page.events.map(presentEvent), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/admin/audit.csv',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'exportAuditEvents',
        summary: `Audit events as CSV, newest first (at most ${AUDIT_PAGE_LIMIT.csv})`,
        querystring: CsvQuery,
        produces: ['text/csv'],
        response: {
          200: Type.String({ description: 'text/csv; one event a line, details as JSON' }),
          400: ErrorRef,
          ...refused,
        },
      },
    },
    async (request, reply) => {
      const page = await listAuditEvents(db, filterOf(request.query), AUDIT_PAGE_LIMIT.csv);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="blindspot-audit.csv"')
        .send(auditCsv(page.events));
    },
  );
}
