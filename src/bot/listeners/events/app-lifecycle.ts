import type { App } from '@slack/bolt';
import { type ListenerDeps, onWorkspaceEvent } from '../shared.ts';

/**
 * The app was removed from a workspace, or its tokens revoked: stop all deliveries there. For
 * an org-wide (Enterprise Grid) install, whose event names the enterprise in `authorizations`
 * (Bolt's `context.isEnterpriseInstall`), every workspace of the org that it served stops at
 * once. Slack may deliver the same event again; deactivation is idempotent, so that is safe.
 */
export function registerAppLifecycle(app: App, { api, logger }: ListenerDeps): void {
  for (const type of ['app_uninstalled', 'tokens_revoked'] as const) {
    app.event(
      type,
      onWorkspaceEvent<typeof type>(
        logger,
        `deactivating the workspace after ${type}`,
        async ({ context }, team) => {
          if (context.isEnterpriseInstall && context.enterpriseId) {
            const stopped = await api.deactivateEnterprise(
              context.enterpriseId,
              type,
              team.requestId,
            );
            logger.info(
              {
                requestId: team.requestId,
                slackEnterpriseId: context.enterpriseId,
                workspacesDeactivated: stopped.workspacesDeactivated,
              },
              `org-wide install removed after ${type}`,
            );
            return;
          }
          await api.deactivateWorkspace(team.slackTeamId, type, team.requestId);
          logger.info({ requestId: team.requestId }, `workspace deactivated after ${type}`);
        },
      ),
    );
  }
}
