/**
 * Keeps the analytics teams (issue 15, item 3) in step with Slack's user groups. Every
 * `pollIntervalMs` the bot asks the API which workspaces are due a sync (never synced, an admin
 * just saved the teams, or six hours passed); Slack's subteam events ask for one at once
 * (./listeners/events/user-groups.ts). A sync reads usergroups.list, pushes the list to the API
 * (which answers with the chosen groups), then reads and pushes each chosen group's members
 * (usergroups.users.list). Slack refusing (missing_scope on an app installed before the scope
 * was added, paid_teams_only on a free workspace) is pushed too, for the settings page to show.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../observability/logger.ts';
import type { ApiClient } from './api-client/index.ts';
import { platformCode, pollDueWorkspaces } from './workspace-poll.ts';

/** Once a minute: an admin who saved the teams sees the members within about that. */
export const DEFAULT_USER_GROUP_POLL_MS = 60_000;
const GROUP_ID = /^S[A-Z0-9]{2,30}$/;
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export interface UserGroupSyncOptions {
  api: ApiClient;
  /**
   * A client for the team that waits out Slack's rate limits; undefined when the bot holds no
   * token there (another workspace than its one token's, or one not installed).
   */
  slack: (teamId: string) => Promise<WebClient | undefined>;
  logger: Logger;
  pollIntervalMs?: number;
}

export interface UserGroupSync {
  /** Syncs the workspace now, or once more after the sync already running there. */
  syncNow(teamId: string): Promise<void>;
  stop(): Promise<void>;
}

export function startUserGroupSync(options: UserGroupSyncOptions): UserGroupSync {
  const { api, slack: slackFor } = options;
  const log = options.logger.child({ component: 'user-group-sync' });
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_USER_GROUP_POLL_MS;
  /** Per team: the sync running, and whether another was asked for meanwhile. */
  const running = new Map<string, { done: Promise<void>; again: boolean }>();

  async function syncOnce(teamId: string): Promise<void> {
    const client = await slackFor(teamId);
    if (!client) {
      // Said to the API, so the workspace is not handed out again until the next period.
      await api.putUserGroups(teamId, { error: 'not_installed' });
      return;
    }
    let listed: Awaited<ReturnType<WebClient['usergroups']['list']>>;
    try {
      listed = await client.usergroups.list({ include_disabled: false });
    } catch (error) {
      const code = platformCode(error);
      if (!code) throw error;
      await api.putUserGroups(teamId, { error: code.slice(0, 64).replaceAll(/[^a-z_]/g, '_') });
      log.warn({ teamId, code }, 'Slack refused the user groups; the settings page says why');
      return;
    }
    const groups = (listed.usergroups ?? [])
      // The API takes Slack's ids only; anything else would fail the whole list.
      .filter((group) => GROUP_ID.test(group.id ?? '') && !group.date_delete)
      .map((group) => ({
        id: String(group.id),
        handle: (group.handle ?? '').slice(0, 255),
        name: (group.name ?? group.handle ?? '').slice(0, 255),
      }));
    const { teams } = await api.putUserGroups(teamId, { groups });
    for (const groupId of teams) {
      const members = await client.usergroups.users.list({ usergroup: groupId });
      const users = (members.users ?? []).filter((user) => USER_ID.test(user));
      await api.putUserGroupMembers(teamId, groupId, users);
    }
    log.info({ teamId, groups: groups.length, teams: teams.length }, 'user groups synced');
  }

  function syncNow(teamId: string): Promise<void> {
    const current = running.get(teamId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          try {
            await syncOnce(teamId);
          } catch (error) {
            // The API hands the workspace out again at a later poll: nothing is lost.
            log.warn({ err: error, teamId }, 'could not sync the user groups; will try again');
          }
        } while (state.again && !poller.stopped);
      } finally {
        running.delete(teamId);
      }
    })();
    running.set(teamId, state);
    return state.done;
  }

  const poller = pollDueWorkspaces({
    intervalMs: pollIntervalMs,
    due: () => api.dueUserGroupSyncs(),
    each: syncNow,
    onError: (error) =>
      log.warn({ err: error }, 'could not ask which user groups to sync; will ask again'),
  });

  return {
    syncNow,
    async stop() {
      await poller.stop();
      await Promise.all([...running.values()].map((state) => state.done));
    },
  };
}
