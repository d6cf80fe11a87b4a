/**
 * TypeBox schemas that more than one route file uses. A route file defines only the schemas
 * of its own resource; each shape here is written once so the OpenAPI document and the bot's
 * generated client see one definition.
 */
import { type TSchema, type TSchemaOptions, Type } from 'typebox';
import { LANGUAGES } from '../core/languages/rules.ts';
import { ACTIONS_PER_TOPIC, SLUG_PATTERN, TOPIC_LIMITS } from '../core/topics/rules.ts';

/** A database id: a bigint, carried as a string of digits. */
export const Id = Type.String({ pattern: '^[0-9]{1,18}$' });
/** The path parameters of a route on one resource: `/…/:id`. */
export const IdParams = Type.Object({ id: Id });

export const Nullable = <T extends TSchema>(schema: T, options?: TSchemaOptions) =>
  Type.Union([schema, Type.Null()], options);

/** The error body, src/http/errors.ts: every error response refers to it. */
export const ErrorRef = Type.Ref('Error');

export const DateTime = Type.String({ format: 'date-time' });
export const LocalDate = Type.String({ format: 'date' });

export const SlackChannelId = Type.String({ pattern: '^[A-Z0-9]{2,32}$' });
/** A Slack message timestamp, which is also its id in its channel: "1712345678.000100". */
export const SlackTs = Type.String({ pattern: '^[0-9]+\\.[0-9]+$' });

/** A manager's answer to "did you do it?". */
export const Answer = Type.Union([
  Type.Literal('done'),
  Type.Literal('partly'),
  Type.Literal('not_yet'),
  Type.Literal('snoozed'),
  Type.Literal('dropped'),
]);

/**
 * The language a manager reads (issue 18, item 2): their own choice, else their Slack locale's
 * language when Blindspot speaks it, else the workspace default, else English. In answers to
 * the bot; the topic text in the same answer is in it wherever the topic has that translation.
 */
export const EffectiveLanguage = Type.Union(
  LANGUAGES.map((language) => Type.Literal(language)),
  {
    description:
      "The language the manager reads: their choice, else their Slack locale's, else the workspace default, else en",
  },
);

/**
 * A language a manager chooses, in a request body: en, de or fr, or null to follow Slack and
 * the workspace. Any other text passes the schema and is refused by the service, which names
 * the languages there are (`invalid_language`, `invalid_subscription`). Null comes first:
 * with the server's type coercion, a string branch tried first would read null as "".
 */
export const LanguageChoice = Type.Union([Type.Null(), Type.String({ maxLength: 16 })], {
  description: 'en, de or fr; null to follow the Slack locale, then the workspace default',
});

/**
 * A topic as the bot sends it (in a claimed delivery, or a delivery read again). A response
 * only: the limits an admin's edit must meet are in `topicContentFields`.
 */
export const DeliveredTopic = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  category: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  whyItMatters: Type.String(),
  example: Type.String(),
  reflectionQuestion: Type.String(),
  actions: Type.Array(Type.String()),
  reference: Type.String(),
});

export const TopicCategory = Type.String({
  pattern: SLUG_PATTERN,
  maxLength: TOPIC_LIMITS.category,
  description: 'Lower-case words joined by hyphens, e.g. "team-climate-and-growth".',
});

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });

/** The editable fields of a topic, with the limits an edit must meet. */
export const topicContentFields = {
  category: TopicCategory,
  title: Text(TOPIC_LIMITS.title),
  summary: Text(TOPIC_LIMITS.summary, 'The gist, as the first lines of the Slack message.'),
  whyItMatters: Text(TOPIC_LIMITS.whyItMatters),
  example: Text(TOPIC_LIMITS.example),
  reflectionQuestion: Text(TOPIC_LIMITS.reflectionQuestion),
  actions: Type.Array(Text(TOPIC_LIMITS.action), {
    minItems: ACTIONS_PER_TOPIC,
    maxItems: ACTIONS_PER_TOPIC,
    description: `Exactly ${ACTIONS_PER_TOPIC} small, concrete things to try.`,
  }),
  reference: Text(TOPIC_LIMITS.reference, 'The source, as citation text.'),
};

export const TopicContent = Type.Object(topicContentFields, {
  $id: 'TopicContent',
  title: 'TopicContent',
});

/** The bodies of the lease protocol that deliveries and reminders share (./routes/lease-routes.ts). */
export const ClaimBody = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500 }),
    leaseSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
  },
  { additionalProperties: false },
);

/** The leases a sender holds, each named by its row and the attempt it claimed. */
export const LeaseRenewalBody = Type.Object(
  {
    // As many as a claim may hand out: a sender renews all it holds in one call.
    leases: Type.Array(
      Type.Object(
        { id: Id, attempt: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
    leaseSeconds: Type.Integer({ minimum: 5, maximum: 600 }),
  },
  { additionalProperties: false },
);

/** Per lease asked about, in order: renewed until when, or not (the sender should drop it). */
export const LeaseRenewals = Type.Object({
  leases: Type.Array(
    Type.Object({
      id: Type.String(),
      attempt: Type.Integer(),
      renewed: Type.Boolean(),
      leaseExpiresAt: Nullable(DateTime),
    }),
  ),
});

export const ConfirmationBody = Type.Object(
  {
    attempt: Type.Integer({ minimum: 1 }),
    channelId: SlackChannelId,
    ts: SlackTs,
  },
  { additionalProperties: false },
);

/** Many confirmations at once: what a sender posted since its last batch. */
export const ConfirmationBatchBody = Type.Object(
  {
    confirmations: Type.Array(
      Type.Object(
        { id: Id, attempt: Type.Integer({ minimum: 1 }), channelId: SlackChannelId, ts: SlackTs },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

/** Per confirmation, in the order asked: one unknown or conflicting row fails none of the rest. */
export const ConfirmationBatch = Type.Object({
  confirmations: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.Union(
        [
          Type.Literal('sent'),
          Type.Literal('repeated'),
          Type.Literal('conflict'),
          Type.Literal('not_found'),
        ],
        {
          description:
            '`sent`: recorded now. `repeated`: already recorded with this message. ' +
            '`conflict`: already recorded with another message. `not_found`: no such row.',
        },
      ),
    }),
  ),
});

export const FailureBody = Type.Object(
  {
    attempt: Type.Integer({ minimum: 1 }),
    code: Type.String({ pattern: '^[a-z0-9_]{1,64}$' }),
    kind: Type.Union([
      Type.Literal('rate_limited'),
      Type.Literal('transient'),
      Type.Literal('unreachable'),
    ]),
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
  },
  { additionalProperties: false },
);

export const FailureOutcome = Type.Object({
  status: Type.Union([Type.Literal('retrying'), Type.Literal('failed'), Type.Literal('ignored')]),
  retryAt: Type.Optional(DateTime),
  subscriptionPaused: Type.Boolean(),
});
