/** /api/v1/me/progress: how the calling manager is doing with the actions they planned. */
import { Type } from 'typebox';
import { type Progress as CoreProgress, progressOf } from '../../core/progress/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { DateTime, ErrorRef, LocalDate, Nullable } from '../schemas.ts';

export const Progress = Type.Object({
  completionRate: Nullable(
    Type.Number({
      description: 'Share of items planned in the last 8 weeks that are done',
    }),
  ),
  planned: Type.Integer(),
  done: Type.Integer(),
  streakWeeks: Type.Integer({
    description: 'Consecutive weeks with at least one action done',
  }),
  open: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      checkBackOn: LocalDate,
      topicTitle: Nullable(Type.String()),
    }),
  ),
  recentlyCompleted: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      completedAt: DateTime,
      reflection: Nullable(Type.String()),
      topicTitle: Nullable(Type.String()),
    }),
  ),
});

export function registerProgressRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db, now } = deps;

  app.get(
    '/me/progress',
    {
      onRequest: requireSlackUser(deps.serviceToken),
      schema: {
        ...slackUserRouteSchema('progress'),
        operationId: 'getMyProgress',
        summary: 'Completion rate over the last 8 weeks, the weekly streak, open and recent items',
        response: { 200: Progress, 401: ErrorRef, 404: ErrorRef },
      },
    },
    async (request) => presentProgress(await progressOf(db, slackUserOf(request), now())),
  );
}

/** A manager's progress as the API shows it (`Progress`). */
export function presentProgress(progress: CoreProgress) {
  return {
    ...progress,
    recentlyCompleted: progress.recentlyCompleted.map((r) => ({
      ...r,
      completedAt: r.completedAt.toISOString(),
    })),
  };
}
