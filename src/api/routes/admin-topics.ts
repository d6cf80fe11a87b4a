/**
 * The admin API's topic catalogue: the list (with how often each topic was sent and how useful
 * managers found it), create, read, edit, retire and un-retire, and the revision history with
 * "restore this revision". Reading is for viewers, the rest for editors; every call is audited
 * by the service. Import and export are in ./admin-topics-transfer.ts.
 *
 * Topic bodies are checked by src/core/topics/validation.ts rather than by the schema's own
 * verdict (attachValidation), which stops at the first problem and names no field: a 400 here
 * lists every problem, each under its field in `fields`. The schema still states every limit,
 * so the OpenAPI document, and web/src/api/limits.ts made from it, tell forms the same limits.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import type { TranslationLanguage } from '../../core/languages/rules.ts';
import { restoreTopicRevision, retireTopic, unretireTopic } from '../../core/topics/history.ts';
import { listTopicsWithStats } from '../../core/topics/listing.ts';
import type { TopicContent } from '../../core/topics/rules.ts';
import {
  createTopic,
  getTopic,
  listTopicRevisions,
  rejectInvalid,
  updateTopic,
} from '../../core/topics/service.ts';
import { type ExtraKey, readTopic } from '../../core/topics/validation.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { ErrorRef, TopicContent as TopicContentSchema } from '../schemas.ts';
import {
  ListedTopic,
  NewTopicBody,
  presentRevision,
  presentTopic,
  RevisionParams,
  TeamParams,
  Topic,
  TopicChangesBody,
  TopicListQuery,
  TopicParams,
  TopicRevision,
} from './admin-topics-schemas.ts';

/**
 * The body as a topic, or a 400 listing every problem by field. A schema problem our own
 * check does not know of (none is expected) still refuses the request, in the schema's words.
 */
function topicBody(request: FastifyRequest, options: { required: boolean; extra: ExtraKey[] }) {
  const { input, problems } = readTopic(request.body, options);
  rejectInvalid(problems);
  const failed = request.validationError;
  if (failed) throw new AppError('validation_failed', failed.message, 400);
  return input;
}

/** Params and query are still checked by the schema, as on every other route. */
function rejectUnlessBody(request: FastifyRequest): void {
  const failed = request.validationError;
  if (failed && failed.validationContext !== 'body') {
    throw new AppError('validation_failed', failed.message, 400);
  }
}

/** Registers the topic routes; the caller mounts them under /api/v1. */
export function registerAdminTopicRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date; minGroup: number },
): void {
  app.addSchema(TopicContentSchema);
  app.addSchema(Topic);
  app.addSchema(ListedTopic);
  app.addSchema(TopicRevision);
  const { db, now, minGroup } = deps;
  const refused = { 401: ErrorRef, 403: ErrorRef };
  const one = { 200: Type.Ref('Topic'), 400: ErrorRef, ...refused, 404: ErrorRef };

  app.get(
    '/admin/workspaces/:teamId/topics',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'listTopics',
        summary: "A workspace's topics, searchable and filterable, with times sent and usefulness",
        params: TeamParams,
        querystring: TopicListQuery,
        response: {
          200: Type.Object({
            topics: Type.Array(Type.Ref('ListedTopic')),
            minGroup: Type.Integer({
              description: 'k: a statistic behind fewer than k managers comes back suppressed',
            }),
          }),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
          503: ErrorRef,
        },
      },
    },
    async (request) => {
      const { status, q, ...query } = request.query;
      const topics = await listTopicsWithStats(
        db,
        request.params.teamId,
        {
          ...query,
          search: q,
          status: status as 'active' | 'retired' | 'all' | undefined,
          missing: query.missing as TranslationLanguage | undefined,
        },
        now(),
        minGroup,
        auditContextOf(request),
      );
      return {
        topics: topics.map((topic) => ({
          ...presentTopic(topic),
          timesSent: topic.timesSent,
          meanUsefulness: topic.meanUsefulness,
          translations: topic.translations,
          missingTranslations: topic.missingTranslations,
        })),
        minGroup,
      };
    },
  );

  app.post(
    '/admin/workspaces/:teamId/topics',
    {
      ...adminRoute('editor'),
      attachValidation: true,
      schema: {
        ...adminSchema('editor'),
        operationId: 'createTopic',
        summary:
          'Create a topic, complete (it is sent from now on); re-seeding never overwrites it',
        params: TeamParams,
        body: NewTopicBody,
        response: {
          201: Type.Ref('Topic'),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      rejectUnlessBody(request);
      const input = topicBody(request, { required: true, extra: ['slug'] });
      const topic = await createTopic(
        db,
        request.params.teamId,
        { ...(input.content as TopicContent), slug: input.slug },
        auditContextOf(request),
      );
      return reply.status(201).send(presentTopic(topic));
    },
  );

  app.get(
    '/admin/workspaces/:teamId/topics/:topicId',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'getTopic',
        summary: 'One topic, retired or not',
        params: TopicParams,
        response: one,
      },
    },
    async (request) =>
      presentTopic(
        await getTopic(db, request.params.teamId, request.params.topicId, auditContextOf(request)),
      ),
  );

  app.patch(
    '/admin/workspaces/:teamId/topics/:topicId',
    {
      ...adminRoute('editor'),
      attachValidation: true,
      schema: {
        ...adminSchema('editor'),
        operationId: 'updateTopic',
        summary:
          "Change some of a topic's fields, as a new revision; re-seeding then leaves it alone",
        params: TopicParams,
        body: TopicChangesBody,
        response: one,
      },
    },
    async (request) => {
      rejectUnlessBody(request);
      const { content } = topicBody(request, { required: false, extra: [] });
      const { teamId, topicId } = request.params;
      return presentTopic(
        await updateTopic(db, teamId, topicId, content, now(), auditContextOf(request)),
      );
    },
  );

  app.post(
    '/admin/workspaces/:teamId/topics/:topicId/retire',
    {
      ...adminRoute('editor'),
      schema: {
        ...adminSchema('editor'),
        operationId: 'retireTopic',
        summary: 'Stop sending a topic; retiring a retired topic changes nothing',
        params: TopicParams,
        response: one,
      },
    },
    async (request) => {
      const { teamId, topicId } = request.params;
      return presentTopic(await retireTopic(db, teamId, topicId, now(), auditContextOf(request)));
    },
  );

  app.post(
    '/admin/workspaces/:teamId/topics/:topicId/restore',
    {
      ...adminRoute('editor'),
      schema: {
        ...adminSchema('editor'),
        operationId: 'unretireTopic',
        summary: 'Send a retired topic again; restoring an active topic changes nothing',
        params: TopicParams,
        response: one,
      },
    },
    async (request) => {
      const { teamId, topicId } = request.params;
      return presentTopic(await unretireTopic(db, teamId, topicId, now(), auditContextOf(request)));
    },
  );

  app.get(
    '/admin/workspaces/:teamId/topics/:topicId/revisions',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'listTopicRevisions',
        summary: 'Every version of a topic, oldest first, from seeding and from admins',
        params: TopicParams,
        response: {
          200: Type.Object({ revisions: Type.Array(Type.Ref('TopicRevision')) }),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const { teamId, topicId } = request.params;
      const revisions = await listTopicRevisions(db, teamId, topicId, auditContextOf(request));
      return { revisions: revisions.map(presentRevision) };
    },
  );

  app.post(
    '/admin/workspaces/:teamId/topics/:topicId/revisions/:revision/restore',
    {
      ...adminRoute('editor'),
      schema: {
        ...adminSchema('editor'),
        operationId: 'restoreTopicRevision',
        summary:
          "Make a past revision's content current, as a new revision (history is kept); " +
          'a retired topic stays retired',
        params: RevisionParams,
        response: one,
      },
    },
    async (request) => {
      const { teamId, topicId, revision } = request.params;
      return presentTopic(
        await restoreTopicRevision(db, teamId, topicId, revision, now(), auditContextOf(request)),
      );
    },
  );
}
