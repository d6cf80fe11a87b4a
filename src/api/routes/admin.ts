/**
 * The admin API: a workspace's topic catalogue and weekday themes. Each route declares the
 * least role it needs (../plugins/admin-session.ts): reading is for viewers, topics for
 * editors, weekday themes (a setting) for admins. Every call is recorded in the audit log.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { SLUG_PATTERN, TOPIC_LIMITS, type TopicContent } from '../../core/topics/rules.ts';
import {
  createTopic,
  getTopic,
  listTopicRevisions,
  listTopics,
  listWeekdayThemes,
  retireTopic,
  setWeekdayTheme,
  type TopicRevisionRow,
  type TopicRow,
  updateTopic,
  type WeekdayThemeRow,
} from '../../core/topics/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import {
  DateTime,
  ErrorRef,
  Nullable,
  TopicCategory,
  TopicContent as TopicContentSchema,
  topicContentFields,
} from '../schemas.ts';

const Slug = Type.String({
  pattern: SLUG_PATTERN,
  maxLength: TOPIC_LIMITS.slug,
  description: 'Stable identity of the topic in its workspace; the catalogue file seeds by it.',
});

const Topic = Type.Object(
  {
    id: Type.String(),
    slug: Slug,
    ...topicContentFields,
    revision: Type.Integer({ minimum: 1 }),
    revisionSource: Type.Enum(['seed', 'admin'], {
      description:
        'Where the current revision came from: the catalogue file (seed) or an admin. ' +
        'Re-seeding updates only seed topics.',
    }),
    retiredAt: Nullable(DateTime, {
      description: 'When the topic was retired; null while it is sent.',
    }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'Topic', title: 'Topic' },
);

const TopicRevision = Type.Object(
  {
    revision: Type.Integer({ minimum: 1 }),
    source: Type.Enum(['seed', 'admin']),
    content: Type.Ref('TopicContent'),
    createdAt: DateTime,
  },
  { $id: 'TopicRevision', title: 'TopicRevision' },
);

const WeekdayTheme = Type.Object(
  {
    isoWeekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }),
    category: TopicCategory,
    updatedAt: DateTime,
  },
  { $id: 'WeekdayTheme', title: 'WeekdayTheme' },
);

const NewTopicBody = Type.Object(
  {
    slug: Type.Optional({ ...Slug, description: 'Made from the title when left out.' }),
    ...topicContentFields,
  },
  { additionalProperties: false },
);

const TopicChangesBody = Type.Object(
  {
    category: Type.Optional(topicContentFields.category),
    title: Type.Optional(topicContentFields.title),
    summary: Type.Optional(topicContentFields.summary),
    whyItMatters: Type.Optional(topicContentFields.whyItMatters),
    example: Type.Optional(topicContentFields.example),
    reflectionQuestion: Type.Optional(topicContentFields.reflectionQuestion),
    actions: Type.Optional(topicContentFields.actions),
    reference: Type.Optional(topicContentFields.reference),
  },
  { additionalProperties: false, minProperties: 1 },
);

const TeamParams = Type.Object({
  teamId: Type.String({ pattern: '^[A-Z0-9]{2,32}$', description: 'Slack team (workspace) id' }),
});
const TopicParams = Type.Object({
  ...TeamParams.properties,
  topicId: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'Topic id' }),
});
const WeekdayParams = Type.Object({
  ...TeamParams.properties,
  isoWeekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }),
});

const TopicListQuery = Type.Object(
  {
    category: Type.Optional(TopicCategory),
    includeRetired: Type.Optional(
      Type.Boolean({ default: false, description: 'Include retired topics too.' }),
    ),
  },
  { additionalProperties: false },
);

function presentTopic(topic: TopicRow) {
  return {
    id: topic.id,
    slug: topic.slug,
    category: topic.category,
    title: topic.title,
    summary: topic.summary,
    whyItMatters: topic.whyItMatters,
    example: topic.example,
    reflectionQuestion: topic.reflectionQuestion,
    actions: topic.actions,
    reference: topic.reference,
    revision: topic.revision,
    revisionSource: topic.revisionSource,
    retiredAt: topic.retiredAt?.toISOString() ?? null,
    createdAt: topic.createdAt.toISOString(),
    updatedAt: topic.updatedAt.toISOString(),
  };
}

function presentRevision(revision: TopicRevisionRow) {
  return {
    revision: revision.revision,
    source: revision.source,
    content: revision.content,
    createdAt: revision.createdAt.toISOString(),
  };
}

function presentTheme(theme: WeekdayThemeRow) {
  return {
    isoWeekday: theme.isoWeekday,
    category: theme.category,
    updatedAt: theme.updatedAt.toISOString(),
  };
}

/** Registers the admin routes; the caller mounts them under /api/v1. */
export function registerAdminRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  app.addSchema(TopicContentSchema);
  app.addSchema(Topic);
  app.addSchema(TopicRevision);
  app.addSchema(WeekdayTheme);
  const { db, now } = deps;
  const refused = { 401: ErrorRef, 403: ErrorRef };

  app.get(
    '/admin/workspaces/:teamId/topics',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'listTopics',
        summary: "A workspace's topics, active only unless includeRetired",
        params: TeamParams,
        querystring: TopicListQuery,
        response: {
          200: Type.Object({ topics: Type.Array(Type.Ref('Topic')) }),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const topics = await listTopics(db, request.params.teamId, request.query, {
        ...auditContextOf(request),
      });
      return { topics: topics.map(presentTopic) };
    },
  );

  app.post(
    '/admin/workspaces/:teamId/topics',
    {
      ...adminRoute('editor'),
      schema: {
        ...adminSchema('editor'),
        operationId: 'createTopic',
        summary: 'Create a topic; re-seeding never overwrites it',
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
      const topic = await createTopic(db, request.params.teamId, request.body, {
        ...auditContextOf(request),
      });
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
        response: { 200: Type.Ref('Topic'), 400: ErrorRef, ...refused, 404: ErrorRef },
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
      schema: {
        ...adminSchema('editor'),
        operationId: 'updateTopic',
        summary:
          "Change some of a topic's fields, as a new revision; re-seeding then leaves it alone",
        params: TopicParams,
        body: TopicChangesBody,
        response: { 200: Type.Ref('Topic'), 400: ErrorRef, ...refused, 404: ErrorRef },
      },
    },
    async (request) => {
      const changes: Partial<TopicContent> = request.body;
      return presentTopic(
        await updateTopic(
          db,
          request.params.teamId,
          request.params.topicId,
          changes,
          now(),
          auditContextOf(request),
        ),
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
        response: { 200: Type.Ref('Topic'), 400: ErrorRef, ...refused, 404: ErrorRef },
      },
    },
    async (request) =>
      presentTopic(
        await retireTopic(
          db,
          request.params.teamId,
          request.params.topicId,
          now(),
          auditContextOf(request),
        ),
      ),
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
      const revisions = await listTopicRevisions(
        db,
        request.params.teamId,
        request.params.topicId,
        auditContextOf(request),
      );
      return { revisions: revisions.map(presentRevision) };
    },
  );

  app.get(
    '/admin/workspaces/:teamId/weekday-themes',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'listWeekdayThemes',
        summary: 'The topic category sent on each weekday, Monday first',
        params: TeamParams,
        response: {
          200: Type.Object({ weekdayThemes: Type.Array(Type.Ref('WeekdayTheme')) }),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const themes = await listWeekdayThemes(db, request.params.teamId, {
        ...auditContextOf(request),
      });
      return { weekdayThemes: themes.map(presentTheme) };
    },
  );

  app.put(
    '/admin/workspaces/:teamId/weekday-themes/:isoWeekday',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin'),
        operationId: 'setWeekdayTheme',
        summary: "Set a weekday's theme to a category that has at least one active topic",
        params: WeekdayParams,
        body: Type.Object({ category: TopicCategory }, { additionalProperties: false }),
        response: { 200: Type.Ref('WeekdayTheme'), 400: ErrorRef, ...refused, 404: ErrorRef },
      },
    },
    async (request) =>
      presentTheme(
        await setWeekdayTheme(
          db,
          request.params.teamId,
          request.params.isoWeekday,
          request.body.category,
          now(),
          auditContextOf(request),
        ),
      ),
  );
}
