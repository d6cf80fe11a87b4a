import type { App } from '@slack/bolt';
import type { ApiClient } from '../../api-client/index.ts';

/**
 * The app was removed from a workspace, or its tokens revoked: stop all deliveries there.
 * Slack retries an event we fail to acknowledge; deactivation is idempotent, so a retry is safe.
 */
export function registerAppLifecycle(app: App, api: ApiClient): void {
  for (const type of ['app_uninstalled', 'tokens_revoked'] as const) {
    app.event(type, async ({ body, context, logger }) => {
      const requestId = typeof context.requestId === 'string' ? context.requestId : undefined;
      await api.deactivateWorkspace(body.team_id, type, requestId);
      logger.info(`workspace deactivated after ${type}`);
    });
  }
}
