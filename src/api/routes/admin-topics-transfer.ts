/**
 * Export and import of a workspace's whole topic catalogue, as JSON or CSV (formats in
 * src/core/topics/transfer.ts), for editors. An import is checked whole before anything is
 * saved: a bad file gets one 400 listing every problem by line (CSV) or index (JSON) and field,
 * and nothing changes. Exporting and importing the export changes nothing.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type TSchema, Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { exportTopics, importTopics } from '../../core/topics/import.ts';
import {
  CSV_COLUMNS,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportCsv,
  exportDocument,
  MAX_IMPORT_TOPICS,
} from '../../core/topics/transfer.ts';
import { TOPIC_STATUSES } from '../../core/topics/validation.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { DateTime, ErrorRef, topicContentFields } from '../schemas.ts';
import { ReferenceInput, Slug, TeamParams } from './admin-topics-schemas.ts';

/**
 * The largest file an import takes: the API's body limit (src/http/server.ts), which the
 * gateway enforces too (config/gateway/Caddyfile). The shipped catalogue (116 topics) exports
 * to about 200 kB, so this holds several hundred topics.
 */
export const IMPORT_BODY_LIMIT = 1_048_576;

const FileTopic = Type.Object(
  {
    slug: Slug,
    status: Type.Optional(Type.Enum([...TOPIC_STATUSES], { description: 'active when left out.' })),
    ...topicContentFields,
    reference: ReferenceInput,
  },
  { additionalProperties: false },
);

const TopicFile = Type.Object(
  {
    format: Type.Optional(Type.Literal(EXPORT_FORMAT)),
    version: Type.Optional(Type.Literal(EXPORT_VERSION)),
    exportedAt: Type.Optional(DateTime),
    topics: Type.Array(FileTopic, { maxItems: MAX_IMPORT_TOPICS }),
  },
  { $id: 'TopicFile', title: 'TopicFile', additionalProperties: false },
);

const CsvFile = Type.String({
  description:
    `CSV (RFC 4180, UTF-8) with a header row naming the columns ${CSV_COLUMNS.join(', ')}, ` +
    'in any order. A cell that would start a spreadsheet formula is exported with a leading ' +
    "' (apostrophe), which the import takes off again.",
});

const ExportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Enum(['json', 'csv'], { description: 'json (the default) or csv.' }),
    ),
  },
  { additionalProperties: false },
);

const ImportCounts = Type.Object({
  created: Type.Integer({ minimum: 0, description: 'Topics whose slug was new.' }),
  updated: Type.Integer({
    minimum: 0,
    description: 'Topics whose content (a new revision) or status changed.',
  }),
  unchanged: Type.Integer({ minimum: 0, description: 'Topics the file has exactly as they are.' }),
});

const fileOf = (schema: TSchema, csv: TSchema) => ({
  content: { 'application/json': { schema }, 'text/csv': { schema: csv } },
});

/** A declared length over the limit gets a clear 413 before any of the body is read. */
async function refuseLargeFile(request: FastifyRequest): Promise<void> {
  const length = Number(request.headers['content-length']);
  if (Number.isFinite(length) && length > IMPORT_BODY_LIMIT) {
    throw new AppError(
      'payload_too_large',
      `The file is ${(length / 1_048_576).toFixed(1)} MB; an import takes at most 1 MB. ` +
        'Split the catalogue into several files by family, and import each.',
      413,
    );
  }
}

export function registerAdminTopicTransferRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  const { db, now } = deps;
  app.addSchema(TopicFile);
  if (!app.hasContentTypeParser('text/csv')) {
    // The text as it came: the import reads it, so every line number is the author's.
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
  }
  const refused = { 401: ErrorRef, 403: ErrorRef, 404: ErrorRef };

  app.get(
    '/admin/workspaces/:teamId/topics/export',
    {
      ...adminRoute('editor'),
      schema: {
        ...adminSchema('editor'),
        operationId: 'exportTopics',
        summary: 'Every topic of the workspace, retired ones too, as JSON (TopicFile) or CSV',
        params: TeamParams,
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The catalogue, as a download',
            ...fileOf(Type.Ref('TopicFile'), CsvFile),
          },
          400: ErrorRef,
          ...refused,
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'json';
      const { teamId } = request.params;
      const topics = await exportTopics(db, teamId, format, auditContextOf(request));
      const name = `blindspot-topics-${teamId}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'csv') {
        return reply.header('content-type', 'text/csv; charset=utf-8').send(exportCsv(topics));
      }
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .send(exportDocument(topics, now()));
    },
  );

  app.post(
    '/admin/workspaces/:teamId/topics/import',
    {
      ...adminRoute('editor'),
      preParsing: async (request, _reply, payload) => {
        await refuseLargeFile(request);
        return payload;
      },
      // The file is checked whole by the service, which lists every problem; the schema's
      // verdict stops at the first.
      attachValidation: true,
      schema: {
        ...adminSchema('editor'),
        operationId: 'importTopics',
        summary:
          'Create and update topics from a JSON or CSV file, by slug, all or nothing; ' +
          'a bad file is refused with every problem listed',
        description:
          'Send the export as it was (application/json, a TopicFile or a bare array of its ' +
          'topics; or text/csv). Topics are matched by slug: a new slug is created, a changed ' +
          'topic gets a new revision, an unchanged one is left alone, and topics the file does ' +
          'not name are kept. Families (categories) must already exist in the workspace. A 400 ' +
          'invalid_import lists each problem in fields, under "topics[i].field" or ' +
          '"line N: field", and nothing is saved. At most 1 MB (413).',
        params: TeamParams,
        body: fileOf(TopicFile, CsvFile),
        response: {
          200: ImportCounts,
          400: ErrorRef,
          ...refused,
          409: ErrorRef,
          413: ErrorRef,
          415: ErrorRef,
        },
      },
    },
    async (request) => {
      const failed = request.validationError;
      if (failed && failed.validationContext !== 'body') {
        throw new AppError('validation_failed', failed.message, 400);
      }
      const body: unknown = request.body;
      // By the declared type: a JSON body may itself be a string, which is not a CSV file.
      const csv = /^text\/csv\b/i.test(request.headers['content-type'] ?? '');
      const file =
        csv && typeof body === 'string'
          ? { format: 'csv' as const, text: body }
          : { format: 'json' as const, data: body };
      return importTopics(db, request.params.teamId, file, now(), auditContextOf(request));
    },
  );
}
