/**
 * Analytics for viewers and up (issue 15): engagement, topics, delivery health and activity,
 * as JSON or, with `?format=csv`, as CSV. Every number behind fewer than ANALYTICS_MIN_GROUP
 * managers comes back as `{ value: null, suppressed: true }` (docs/api/analytics.md).
 */
import type { FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { type TSchema, Type } from 'typebox';
import { activityCsv, engagementCsv, healthCsv, topicsCsv } from '../../core/analytics/csv.ts';
import { activity, deliveryHealth, engagement, topics } from '../../core/analytics/service.ts';
import { SLUG_PATTERN, TOPIC_LIMITS } from '../../core/topics/rules.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema } from '../plugins/admin-session.ts';
import { ErrorRef, LocalDate, Nullable } from '../schemas.ts';

/** ANALYTICS_MIN_GROUP's default: the k = 5. */
export const DEFAULT_MIN_GROUP = 5;

export const ANALYTICS_TAG = {
  name: 'admin-analytics',
  description:
    'Engagement, topics, delivery health and activity, with every number behind fewer than ' +
    'k managers suppressed. Add ?format=csv for CSV.',
};

const Cell = Type.Object(
  {
    value: Nullable(Type.Number()),
    suppressed: Type.Boolean({
      description:
        'True when fewer than minGroup managers are behind the number: show "fewer than k".',
    }),
  },
  {
    $id: 'AnalyticsCell',
    title: 'AnalyticsCell',
    description:
      'A number, null with suppressed: false when there is no data, or null with suppressed: ' +
      'true when it would expose fewer than minGroup managers.',
  },
);
const CellRef = Type.Ref('AnalyticsCell');

const Format = Type.Optional(
  Type.Union([Type.Literal('json'), Type.Literal('csv')], {
    description: 'csv: the same table as CSV (text/csv), a suppressed number written "<k".',
  }),
);
const Family = Type.Optional(
  Type.String({
    pattern: SLUG_PATTERN,
    maxLength: TOPIC_LIMITS.category,
    description: 'A topic family (category); unknown families are refused.',
  }),
);
const Team = Type.Optional(
  Type.String({
    pattern: '^[0-9]{1,18}$',
    description:
      'An analytics team (a Slack user group an admin chose), by the id GET ' +
      '/admin/analytics/teams lists; unknown ids are refused. Numbers that would single out ' +
      'fewer than k managers, alone or beside another team or the total, are suppressed.',
  }),
);
const rangeFields = {
  from: Type.Optional({ ...LocalDate, description: 'First day; default 12 weeks before `to`.' }),
  to: Type.Optional({ ...LocalDate, description: 'Last day (inclusive); default today (UTC).' }),
  team: Team,
  format: Format,
};
const RangeQuery = Type.Object(rangeFields, { additionalProperties: false });
const FamilyQuery = Type.Object(
  { ...rangeFields, family: Family },
  { additionalProperties: false },
);

const metaFields = {
  from: LocalDate,
  to: LocalDate,
  family: Nullable(Type.String()),
  team: Nullable(Type.String({ description: 'The team filtered by, or null for everyone' })),
  minGroup: Type.Integer({ description: 'k: the fewest managers a shown number may be behind.' }),
};

const topicMeasures = {
  sent: CellRef,
  actionRate: CellRef,
  completionRate: CellRef,
  meanUsefulness: CellRef,
  notRelevantRate: CellRef,
};

const Engagement = Type.Object({
  ...metaFields,
  weeks: Type.Array(
    Type.Object({
      week: { ...LocalDate, description: 'The Monday of the ISO week' },
      managersSubscribed: CellRef,
      notesDelivered: CellRef,
      actionShare: CellRef,
      completionRate: CellRef,
      reminderAnswerRate: CellRef,
      lapseRate: CellRef,
      unsubscribes: CellRef,
    }),
  ),
});

const Topics = Type.Object({
  ...metaFields,
  families: Type.Array(Type.Object({ family: Type.String(), ...topicMeasures })),
  topics: Type.Array(
    Type.Object({
      topicId: Type.String(),
      teamId: Type.String(),
      slug: Type.String(),
      title: Type.String(),
      family: Type.String(),
      ...topicMeasures,
    }),
  ),
});

const Health = Type.Object({
  ...metaFields,
  days: Type.Array(
    Type.Object({
      day: LocalDate,
      due: CellRef,
      onTime: CellRef,
      late: CellRef,
      missed: CellRef,
      failed: CellRef,
      slackErrors: CellRef,
      rateLimited: CellRef,
      latenessP50Ms: CellRef,
      latenessP99Ms: CellRef,
    }),
  ),
});

const Activity = Type.Object({
  ...metaFields,
  cells: Type.Array(
    Type.Object({
      isoWeekday: Type.Integer({ minimum: 1, maximum: 7 }),
      hour: Type.Integer({ minimum: 0, maximum: 23 }),
      answers: CellRef,
    }),
  ),
});

/** A 200 that is JSON, or CSV when asked with ?format=csv; both in the OpenAPI document. */
const jsonOrCsv = (schema: TSchema, description: string) => ({
  description,
  content: {
    'application/json': { schema },
    'text/csv': { schema: Type.String({ description: 'The same table as CSV' }) },
  },
});

const refused = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 503: ErrorRef };

function sendCsv(reply: FastifyReply, name: string, csv: string) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="blindspot-${name}.csv"`)
    .send(csv);
}

export function registerAdminAnalyticsRoutes(
  app: HttpServer,
  deps: { db: Kysely<Database>; now: () => Date; minGroup?: number },
): void {
  app.addSchema(Cell);
  const { db, now } = deps;
  const k = deps.minGroup ?? DEFAULT_MIN_GROUP;
  const tag = ANALYTICS_TAG.name;

  app.get(
    '/admin/analytics/engagement',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer', tag),
        operationId: 'getEngagementAnalytics',
        summary:
          'Engagement per ISO week: reach, actions, completion, answers, lapses, unsubscribes',
        querystring: FamilyQuery,
        response: { 200: jsonOrCsv(Engagement, 'One row per ISO week of the range'), ...refused },
      },
    },
    async (request, reply) => {
      const answer = await engagement(db, request.query, now(), k);
      if (request.query.format === 'csv')
        return sendCsv(reply, 'engagement', engagementCsv(answer.weeks, k));
      return answer;
    },
  );

  app.get(
    '/admin/analytics/topics',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer', tag),
        operationId: 'getTopicAnalytics',
        summary: 'Per family and per topic over the range: sent, action, completion, usefulness',
        querystring: FamilyQuery,
        response: { 200: jsonOrCsv(Topics, 'Families, then topics'), ...refused },
      },
    },
    async (request, reply) => {
      const answer = await topics(db, request.query, now(), k);
      if (request.query.format === 'csv') {
        return sendCsv(reply, 'topics', topicsCsv(answer.families, answer.topics, k));
      }
      return answer;
    },
  );

  app.get(
    '/admin/analytics/delivery-health',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer', tag),
        operationId: 'getDeliveryHealthAnalytics',
        summary: 'Per local date: notes on time, late, missed, failed; lateness; Slack errors',
        querystring: RangeQuery,
        response: { 200: jsonOrCsv(Health, 'One row per day of the range'), ...refused },
      },
    },
    async (request, reply) => {
      const answer = await deliveryHealth(db, request.query, now(), k);
      if (request.query.format === 'csv')
        return sendCsv(reply, 'delivery-health', healthCsv(answer.days, k));
      return answer;
    },
  );

  app.get(
    '/admin/analytics/activity',
    {
      ...adminRoute('viewer'),
      schema: {
        ...adminSchema('viewer', tag),
        operationId: 'getActivityAnalytics',
        summary: "Managers' answers by local weekday and hour over the range",
        querystring: FamilyQuery,
        response: { 200: jsonOrCsv(Activity, '7 x 24 cells, Monday 00:00 first'), ...refused },
      },
    },
    async (request, reply) => {
      const answer = await activity(db, request.query, now(), k);
      if (request.query.format === 'csv')
        return sendCsv(reply, 'activity', activityCsv(answer.cells, k));
      return answer;
    },
  );
}
