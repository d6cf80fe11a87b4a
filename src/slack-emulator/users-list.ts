/**
 * users.list, paged as Slack pages it (the bot's status sweep reads every member's status from
 * it), and the `user_status_changed` event a member's new status makes Slack send the app.
 * https://docs.slack.dev/reference/methods/users.list
 * https://docs.slack.dev/reference/events/user_status_changed
 */
import type { UsersListResponse } from '@slack/web-api';
import { flagArg, stringArg } from './requests.ts';
import type { JsonObject, SlackStandInIdentity, SlackUserSeed } from './types.ts';
import { userObject } from './users.ts';

type Workspace = { identity: SlackStandInIdentity; startedAtSeconds: number };
type Member = NonNullable<UsersListResponse['members']>[number];

/**
 * Slack's cursors are opaque base64 strings; this one names the first member of the next page,
 * as Slack's own do (`dXNlcjpVMDYxTkZUVDI=` is `user:U061NFTT2`).
 */
const cursorFor = (userId: string) => Buffer.from(`user:${userId}`).toString('base64');

function startOf(cursor: string, members: readonly SlackUserSeed[]): number | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  if (!decoded.startsWith('user:')) return undefined;
  const index = members.findIndex((member) => member.id === decoded.slice('user:'.length));
  return index < 0 ? undefined : index;
}

/**
 * One page of the members (the bot user, deactivated members and other bots included, as Slack
 * lists them), in the order they were first seeded. Without `limit` (or 0), Slack tries to answer
 * every member at once; with one, at most that many, and `next_cursor` is '' after the last page.
 */
export function usersList(
  members: readonly SlackUserSeed[],
  args: JsonObject,
  workspace: Workspace,
  nowSeconds: number,
): UsersListResponse {
  const limit = Number(stringArg(args, 'limit') ?? '0');
  if (!Number.isInteger(limit) || limit < 0) return { ok: false, error: 'invalid_arguments' };
  const cursor = stringArg(args, 'cursor');
  const start = cursor ? startOf(cursor, members) : 0;
  if (start === undefined) return { ok: false, error: 'invalid_cursor' };
  const end = limit === 0 ? members.length : Math.min(members.length, start + limit);
  const includeLocale = flagArg(args, 'include_locale');
  const next = members[end];
  return {
    ok: true,
    members: members
      .slice(start, end)
      .map((member) => userObject(member, workspace, includeLocale) as Member),
    cache_ts: nowSeconds,
    response_metadata: { next_cursor: next ? cursorFor(next.id) : '' },
  };
}

/** The event Slack sends the app when `member`'s status changed (their user object, as now). */
export function userStatusChangedEvent(
  member: SlackUserSeed,
  workspace: Workspace,
  nowSeconds: number,
): JsonObject {
  return {
    type: 'user_status_changed',
    user: { ...userObject(member, workspace, true), updated: nowSeconds },
    cache_ts: nowSeconds,
    event_ts: `${nowSeconds}.000000`,
  };
}
