/**
 * /api/v1/admin/workspaces/{teamId}/topics/{topicId}/translations: a topic's text in German
 * and French (issue 18, item 2). Reading is for viewers, writing and deleting for editors; the
 * service audits every call. A body is checked by the service rather than by the schema's
 * verdict (as for topics, ./admin-topics.ts), so a 400 names every problem under its field;
 * the schema still states every limit for the OpenAPI document and the web app's forms.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { TRANSLATION_LANGUAGES } from '../../core/languages/rules.ts';
import {
  deleteTopicTranslation,
  listTopicTranslations,
  putTopicTranslation,
  type TranslationRow,
} from '../../core/topics/translation-service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { DateTime, ErrorRef, topicContentFields } from '../schemas.ts';
import { TopicParams } from './admin-topics-schemas.ts';

const Language = Type.String({
  maxLength: 16,
  description: `${TRANSLATION_LANGUAGES.join(' or ')}; another is a 400 invalid_language`,
});

const TranslationParams = Type.Object({ ...TopicParams.properties, language: Language });

const translatedFields = {
  title: topicContentFields.title,
  summary: topicContentFields.summary,
  whyItMatters: topicContentFields.whyItMatters,
  example: topicContentFields.example,
  reflectionQuestion: topicContentFields.reflectionQuestion,
  actions: topicContentFields.actions,
};

const TopicTranslation = Type.Object(
  {
    topicId: Type.String(),
    language: Type.Enum([...TRANSLATION_LANGUAGES]),
    ...translatedFields,
    source: Type.Enum(['seed', 'admin'], {
      description:
        'Who wrote the current text: the shipped translation files (seed) or an admin. ' +
        'Re-seeding replaces only seed translations.',
    }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: 'TopicTranslation', title: 'TopicTranslation' },
);

const TranslationBody = Type.Object(translatedFields, { additionalProperties: false });

function present(row: TranslationRow) {
  return {
    topicId: row.topicId,
    language: row.language,
    title: row.title,
    summary: row.summary,
    whyItMatters: row.whyItMatters,
    example: row.example,
    reflectionQuestion: row.reflectionQuestion,
    actions: row.actions,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function registerAdminTopicTranslationRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date },
): void {
  app.addSchema(TopicTranslation);
  const { db, now } = deps;
  const refused = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef };

  app.get(
    '/admin/workspaces/:teamId/topics/:topicId/translations',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer'),
        operationId: 'listTopicTranslations',
        summary: "A topic's translations, and the languages it still lacks",
        params: TopicParams,
        response: {
          200: Type.Object({
            translations: Type.Array(Type.Ref('TopicTranslation')),
            missing: Type.Array(Type.Enum([...TRANSLATION_LANGUAGES]), {
              description: 'Managers reading these languages get the topic in English',
            }),
          }),
          ...refused,
        },
      },
    },
    async (request) => {
      const { teamId, topicId } = request.params;
      const result = await listTopicTranslations(db, teamId, topicId, auditContextOf(request));
      return { translations: result.translations.map(present), missing: result.missing };
    },
  );

  app.put(
    '/admin/workspaces/:teamId/topics/:topicId/translations/:language',
    {
      ...adminRoute('editor'),
      attachValidation: true,
      schema: {
        ...adminSchema('editor'),
        operationId: 'putTopicTranslation',
        summary: "Create or replace a topic's translation (every field, the English limits)",
        description:
          'The same limits as an English topic, the whole note included; a 400 `invalid_topic` ' +
          'carries `fields`, a message per field, and nothing is saved. 201 when created, 200 ' +
          'when replaced. Re-seeding never overwrites a translation written here.',
        params: TranslationParams,
        body: TranslationBody,
        response: {
          200: Type.Ref('TopicTranslation'),
          201: Type.Ref('TopicTranslation'),
          ...refused,
        },
      },
    },
    async (request, reply) => {
      const failed = request.validationError;
      if (failed && failed.validationContext !== 'body') {
        throw new AppError('validation_failed', failed.message, 400);
      }
      const { teamId, topicId, language } = request.params;
      const { translation, created } = await putTopicTranslation(
        db,
        teamId,
        topicId,
        language,
        request.body,
        now(),
        auditContextOf(request),
      );
      return reply.status(created ? 201 : 200).send(present(translation));
    },
  );

  app.delete(
    '/admin/workspaces/:teamId/topics/:topicId/translations/:language',
    {
      ...adminRoute('editor'),
      schema: {
        ...adminSchema('editor'),
        operationId: 'deleteTopicTranslation',
        summary: "Delete a topic's translation: its readers get the English text",
        params: TranslationParams,
        response: { 204: Type.Null(), ...refused },
      },
    },
    async (request, reply) => {
      const { teamId, topicId, language } = request.params;
      await deleteTopicTranslation(db, teamId, topicId, language, auditContextOf(request));
      return reply.status(204).send(null);
    },
  );
}
