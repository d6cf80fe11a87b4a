/**
 * The admin API: a workspace's topic catalogue and weekday themes. Each route declares the
 * least role it needs (../plugins/admin-session.ts): reading is for viewers, topics for
 * editors, weekday themes (a setting) for admins. Every call is recorded in the audit log.
 * The topic routes are in ./admin-topics.ts and ./admin-topics-transfer.ts.
 */
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import {
  listWeekdayThemes,
  setWeekdayTheme,
  type WeekdayThemeRow,
} from '../../core/topics/service.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { DateTime, ErrorRef, TopicCategory } from '../schemas.ts';
import { registerAdminTopicTranslationRoutes } from './admin-topic-translations.ts';
import { registerAdminTopicRoutes } from './admin-topics.ts';
import { TeamParams } from './admin-topics-schemas.ts';
import { registerAdminTopicTransferRoutes } from './admin-topics-transfer.ts';

/** ANALYTICS_MIN_GROUP's default, the k = 5, for the topic list's numbers. */
const DEFAULT_MIN_GROUP = 5;

const WeekdayTheme = Type.Object(
  {
    isoWeekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }),
    category: TopicCategory,
    updatedAt: DateTime,
  },
  { $id: 'WeekdayTheme', title: 'WeekdayTheme' },
);

const WeekdayParams = Type.Object({
  ...TeamParams.properties,
  isoWeekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }),
});

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
  deps: { db: Kysely<Database>; now: () => Date; minGroup?: number },
): void {
  registerAdminTopicRoutes(app, { ...deps, minGroup: deps.minGroup ?? DEFAULT_MIN_GROUP });
  registerAdminTopicTransferRoutes(app, deps);
  registerAdminTopicTranslationRoutes(app, deps);
  app.addSchema(WeekdayTheme);
  const { db, now } = deps;
  const refused = { 401: ErrorRef, 403: ErrorRef };

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
