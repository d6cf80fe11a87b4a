import type { App } from '@slack/bolt';
import type { ApiClient } from '../../api-client/index.ts';
import { callContext, publishHome } from '../shared.ts';

/** Opening the Home tab shows where the manager stands. Bolt acknowledges events itself. */
export function registerAppHome(app: App, api: ApiClient): void {
  app.event('app_home_opened', async ({ event, body, client, context, logger }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(client, api, callContext(body.team_id, event.user, context));
    } catch (error) {
      logger.error(`publishing the App Home failed: ${(error as Error).message}`);
    }
  });
}
