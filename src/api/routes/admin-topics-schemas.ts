/**
 * The schemas of the topic routes (./admin-topics.ts, ./admin-topics-transfer.ts) and how a
 * topic is presented in them. Every limit comes from src/core/topics/rules.ts, so the OpenAPI
 * document states the limits the business layer enforces.
 */
import { Type } from 'typebox';
import { TRANSLATION_LANGUAGES } from '../../core/languages/rules.ts';
import { TOPIC_SORTS } from '../../core/topics/listing.ts';
import {
  DOI_PATTERN,
  HTTPS_URL_PATTERN,
  ISBN_PATTERN,
  REFERENCE_KINDS,
} from '../../core/topics/references.ts';
import { ID_PATTERN, SLUG_PATTERN, TOPIC_LIMITS } from '../../core/topics/rules.ts';
import type { TopicRevisionRow, TopicRow } from '../../core/topics/service.ts';
import { TOPIC_STATUSES } from '../../core/topics/validation.ts';
import { DateTime, Nullable, TopicCategory, topicContentFields } from '../schemas.ts';

export const Slug = Type.String({
  pattern: SLUG_PATTERN,
  maxLength: TOPIC_LIMITS.slug,
  description: 'Stable identity of the topic in its workspace; the catalogue file seeds by it.',
});

const topicFields = {
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
};
export const Topic = Type.Object(topicFields, { $id: 'Topic', title: 'Topic' });

export const StatCell = Type.Object(
  { value: Nullable(Type.Number()), suppressed: Type.Boolean() },
  {
    description:
      'As the topic analytics show it over two years: null with suppressed true when fewer ' +
      'than ANALYTICS_MIN_GROUP managers are behind it.',
  },
);
const TranslationLanguageSchema = Type.Enum([...TRANSLATION_LANGUAGES], {
  description: 'A language topics are translated into (English is the topic itself)',
});

export const ListedTopic = Type.Object(
  {
    ...topicFields,
    timesSent: StatCell,
    meanUsefulness: StatCell,
    translations: Type.Array(TranslationLanguageSchema, {
      description: 'The languages this topic is translated into',
    }),
    missingTranslations: Type.Array(TranslationLanguageSchema, {
      description: 'The languages it lacks: managers reading them get this topic in English',
    }),
  },
  { $id: 'ListedTopic', title: 'ListedTopic' },
);

export const TopicRevision = Type.Object(
  {
    revision: Type.Integer({ minimum: 1 }),
    source: Type.Enum(['seed', 'admin']),
    content: Type.Ref('TopicContent'),
    createdAt: DateTime,
  },
  { $id: 'TopicRevision', title: 'TopicRevision' },
);

/** A reference as the catalogue writes it (data/topics/catalogue.json). */
const StructuredReference = Type.Object(
  {
    kind: Type.Union(REFERENCE_KINDS.map((kind) => Type.Literal(kind))),
    authors: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    year: Type.Integer({ minimum: 1800, maximum: 2100 }),
    title: Type.String({ minLength: 1 }),
    venue: Type.Optional(Type.String({ minLength: 1 })),
    volume: Type.Optional(Type.String({ minLength: 1 })),
    pages: Type.Optional(Type.String({ minLength: 1 })),
    doi: Type.Optional(Type.String({ pattern: DOI_PATTERN })),
    isbn: Type.Optional(Type.String({ pattern: ISBN_PATTERN })),
    url: Type.Optional(Type.String({ pattern: HTTPS_URL_PATTERN })),
  },
  {
    additionalProperties: false,
    description: 'Exactly one of doi, isbn and url; stored as citation text ending in the link.',
  },
);

/**
 * What an import file's topic may give as its reference: citation text (what export writes),
 * or the catalogue's structured form, stored as its citation text.
 */
export const ReferenceInput = Type.Union([topicContentFields.reference, StructuredReference]);

export const NewTopicBody = Type.Object(
  {
    slug: Type.Optional({ ...Slug, description: 'Made from the title when left out.' }),
    ...topicContentFields,
  },
  { additionalProperties: false },
);

export const TopicChangesBody = Type.Object(
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

export const TeamParams = Type.Object({
  teamId: Type.String({ pattern: '^[A-Z0-9]{2,32}$', description: 'Slack team (workspace) id' }),
});
export const TopicParams = Type.Object({
  ...TeamParams.properties,
  topicId: Type.String({ pattern: ID_PATTERN.source, description: 'Topic id' }),
});
export const RevisionParams = Type.Object({
  ...TopicParams.properties,
  revision: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Revision number' }),
});

export const TopicListQuery = Type.Object(
  {
    category: Type.Optional(TopicCategory),
    status: Type.Optional(
      Type.Enum([...TOPIC_STATUSES, 'all'], {
        description: 'active (the default), retired, or all. Overrides includeRetired.',
      }),
    ),
    includeRetired: Type.Optional(
      Type.Boolean({ default: false, description: 'Include retired topics too.' }),
    ),
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Words each found in the slug, title, summary or reference (any case).',
      }),
    ),
    sort: Type.Optional(
      Type.Enum([...TOPIC_SORTS], {
        description:
          'category (then slug, the default), title, updated (newest first), timesSent or ' +
          'usefulness (most first; hidden numbers last).',
      }),
    ),
    minUsefulness: Type.Optional(
      Type.Number({ minimum: 1, maximum: 5, description: 'Shown mean usefulness at least this.' }),
    ),
    minTimesSent: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Shown times sent.' }),
    ),
    missing: Type.Optional(
      Type.Enum([...TRANSLATION_LANGUAGES], {
        description: 'Only topics without a translation into this language (de or fr).',
      }),
    ),
  },
  { additionalProperties: false },
);

export function presentTopic(topic: TopicRow) {
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

export function presentRevision(revision: TopicRevisionRow) {
  return {
    revision: revision.revision,
    source: revision.source,
    content: revision.content,
    createdAt: revision.createdAt.toISOString(),
  };
}
