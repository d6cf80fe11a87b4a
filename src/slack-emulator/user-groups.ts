/**
 * User groups ("subteams"), as usergroups.list and usergroups.users.list answer them, for the
 * analytics teams (the bot reads which groups there are and who is in the chosen ones). A test
 * sets and removes groups; Slack's subteam events are sent by the test's signed requests.
 * https://docs.slack.dev/reference/methods/usergroups.list
 * https://docs.slack.dev/reference/methods/usergroups.users.list
 */
import type { UsergroupsListResponse, UsergroupsUsersListResponse } from '@slack/web-api';
import { flagArg, stringArg } from './requests.ts';
import type { JsonObject, SlackUserGroupSeed } from './types.ts';

export class UserGroupStore {
  readonly #groups = new Map<string, SlackUserGroupSeed & { disabledAt?: number }>();
  readonly #teamId: string;
  readonly #now: () => number;

  constructor(teamId: string, now: () => number) {
    this.#teamId = teamId;
    this.#now = now;
  }

  /** Adds a group, or replaces the one with the same id (enabling it again). */
  set(group: SlackUserGroupSeed): void {
    this.#groups.set(group.id, { ...group, users: [...group.users] });
  }

  /** Disables a group, as Slack's usergroups.disable does: listed only with include_disabled. */
  disable(id: string): void {
    const group = this.#groups.get(id);
    if (group) group.disabledAt = Math.floor(this.#now() / 1000);
  }

  list(args: JsonObject): UsergroupsListResponse {
    const withDisabled = flagArg(args, 'include_disabled');
    const withUsers = flagArg(args, 'include_users');
    const withCount = flagArg(args, 'include_count');
    const usergroups = [...this.#groups.values()]
      .filter((group) => withDisabled || group.disabledAt === undefined)
      .map((group) => ({
        id: group.id,
        team_id: this.#teamId,
        is_usergroup: true,
        is_subteam: true,
        name: group.name,
        handle: group.handle,
        description: '',
        is_external: false,
        date_create: 1_700_000_000,
        date_update: 1_700_000_000,
        date_delete: group.disabledAt ?? 0,
        auto_provision: false,
        created_by: 'U0STANDINADMIN',
        prefs: { channels: [], groups: [] },
        ...(withUsers ? { users: [...group.users] } : {}),
        ...(withCount ? { user_count: group.users.length } : {}),
      }));
    return { ok: true, usergroups };
  }

  usersList(args: JsonObject): UsergroupsUsersListResponse {
    const id = stringArg(args, 'usergroup');
    if (!id) return { ok: false, error: 'invalid_arguments' };
    const group = this.#groups.get(id);
    if (!group) return { ok: false, error: 'no_such_subteam' };
    if (group.disabledAt !== undefined && !flagArg(args, 'include_disabled')) {
      return { ok: false, error: 'subteam_disabled' };
    }
    return { ok: true, users: [...group.users] };
  }
}
