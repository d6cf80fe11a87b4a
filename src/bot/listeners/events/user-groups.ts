import type { App } from '@slack/bolt';
import { type ListenerDeps, onWorkspaceEvent } from '../shared.ts';

/**
 * A user group was created, renamed, disabled or its members changed: sync the workspace's
 * groups (../../user-group-sync.ts), so an analytics team follows Slack within seconds rather
 * than at the next six-hourly sync. The sync runs after the event is answered; it logs its own
 * failures, and the next poll mends what it missed.
 */
export function registerUserGroupEvents(app: App, { logger, userGroups }: ListenerDeps): void {
  for (const type of ['subteam_created', 'subteam_updated', 'subteam_members_changed'] as const) {
    app.event(
      type,
      onWorkspaceEvent<typeof type>(
        logger,
        `syncing user groups after ${type}`,
        async (_, team) => {
          void userGroups?.syncNow(team.slackTeamId);
        },
      ),
    );
  }
}
