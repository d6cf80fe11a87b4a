import type { App } from '@slack/bolt';
import { memberStatuses, type SlackMember } from '../../status-sweep.ts';
import { type ListenerDeps, onWorkspaceEvent } from '../shared.ts';

/**
 * A member changed their Slack status: keep what it says (out, until when) for the outbox, so a
 * manager who just set "On vacation" gets no note, and one back early gets theirs, without a read
 * per note (issue 19). Every member's change arrives; the API keeps managers' only, and only the
 * derived flag, never the text. Between events, ../../status-sweep.ts reads everyone twice a day.
 * https://docs.slack.dev/reference/events/user_status_changed
 */
export function registerUserStatusEvents(app: App, { api, logger, now }: ListenerDeps): void {
  app.event(
    'user_status_changed',
    onWorkspaceEvent<'user_status_changed'>(
      logger,
      'keeping a changed Slack status',
      async ({ event }, team) => {
        const readAt = now();
        // Deactivated members and bots are skipped, as in the sweep; a malformed user is too.
        const user: unknown = event.user;
        const members = typeof user === 'object' && user !== null ? [user as SlackMember] : [];
        const statuses = memberStatuses(members, readAt);
        if (statuses.length === 0) return;
        await api.putMemberStatuses(team.slackTeamId, { readAt: readAt.toISOString(), statuses });
      },
    ),
  );
}
