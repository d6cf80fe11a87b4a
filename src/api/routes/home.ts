/**
 * /api/v1/me/home: everything the calling manager's App Home shows, in one call. The bot draws
 * the tab after every click; one call instead of five is most of what a click costs
 * (docs/performance.md, "Where a Home-tab click's CPU goes").
 */
import { Type } from 'typebox';
import { homeOf } from '../../core/home/service.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireSlackUser, slackUserOf, slackUserRouteSchema } from '../plugins/authenticate.ts';
import type { RouteDependencies } from '../route-dependencies.ts';
import { ErrorRef, Nullable } from '../schemas.ts';
import { presentActionItem } from './action-items.ts';
import { SkippedNote } from './holidays.ts';
import { presentManager } from './managers.ts';
import { Progress, presentProgress } from './progress.ts';
import { presentSubscription } from './subscriptions.ts';
import { HiddenTopic, presentHiddenTopic } from './topics.ts';

const Home = Type.Object({
  manager: Nullable(Type.Ref('Manager'), {
    description: 'Null for someone Blindspot has not met yet',
  }),
  subscription: Nullable(Type.Ref('Subscription'), {
    description: 'Null until the manager signs up; the lists below are empty then',
  }),
  openItems: Type.Array(Type.Ref('ActionItem'), {
    description: 'As GET /action-items?status=open',
  }),
  progress: Nullable(Progress, { description: 'As GET /me/progress' }),
  skippedNotes: Type.Array(SkippedNote, { description: 'As GET /me/skipped-notes (the last 5)' }),
  hiddenTopics: Type.Array(HiddenTopic, { description: 'As GET /me/hidden-topics' }),
});

/** Registered after the routes whose shared schemas (Manager, Subscription, ActionItem) it uses. */
export function registerHomeRoutes(app: HttpServer, deps: RouteDependencies) {
  const { db, now } = deps;
  app.get(
    '/me/home',
    {
      onRequest: requireSlackUser(deps.serviceToken),
      schema: {
        ...slackUserRouteSchema('managers'),
        operationId: 'getMyHome',
        summary: "Everything the calling manager's App Home shows, in one read",
        description:
          'The subscription, open action items, progress, recently skipped notes and hidden ' +
          'topics, each as its own endpoint answers it. Someone Blindspot has not met is not a ' +
          '404 here: `manager` and `subscription` are null, the lists empty.',
        response: { 200: Home, 401: ErrorRef },
      },
    },
    async (request) => {
      const home = await homeOf(db, slackUserOf(request), now());
      return {
        manager: home.manager && presentManager(home.manager.row, home.manager.language),
        subscription: home.subscription && presentSubscription(home.subscription),
        openItems: home.openItems.map(presentActionItem),
        progress: home.progress && presentProgress(home.progress),
        skippedNotes: home.skippedNotes,
        hiddenTopics: home.hiddenTopics.map(presentHiddenTopic),
      };
    },
  );
}
