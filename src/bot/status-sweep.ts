/**
 * Keeps what managers' Slack statuses say (out, and until when) without a read per note (issue
 * 19): every `pollIntervalMs` the bot claims from the API the workspaces due a sweep (never swept,
 * or twelve hours passed), pages through users.list there and pushes each page's statuses, reduced
 * by awayFromStatus, to the API, which keeps those of managers only. Between sweeps Slack's
 * user_status_changed event (./listeners/events/user-status.ts) keeps them fresh.
 *
 * users.list is Tier 2 (20+ a minute): a 10,000-member workspace is 50 pages of 200, which the
 * client paces by waiting out Slack's 429s, as the user-group sync's does. The API holds a
 * workspace it hands out for fifteen minutes, so two bot replicas never sweep it at once, and one
 * whose sweep fails (Slack refusing: missing_scope, account_inactive; or the API down) is handed
 * out again only after that: a refusal that lasts costs a call every quarter of an hour, not
 * one a minute. What a failed sweep pushed before it failed is kept: each page is true as of
 * when it was read.
 * https://docs.slack.dev/reference/methods/users.list
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../observability/logger.ts';
import type { ApiClient } from './api-client/index.ts';
import { awayFromStatus } from './away-status-rules.ts';
import { platformCode, pollDueWorkspaces } from './workspace-poll.ts';

/** Once a minute: a workspace just installed is swept within about that. */
export const DEFAULT_STATUS_SWEEP_POLL_MS = 60_000;
/** Slack's advice for paged methods: "no more than 200 results at a time". */
export const STATUS_SWEEP_PAGE_SIZE = 200;
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;
/** Slackbot is no bot by users.list's `is_bot`, and never a manager. */
const SLACKBOT = 'USLACKBOT';

export interface StatusSweepOptions {
  api: Pick<ApiClient, 'claimStatusSweeps' | 'putMemberStatuses'>;
  /**
   * A client for the team that waits out Slack's rate limits; undefined when the bot holds no
   * token there (another workspace than its one token's, or one not installed).
   */
  slack: (teamId: string) => Promise<WebClient | undefined>;
  logger: Logger;
  /** The clock statuses are read on (their expiry, readAt); tests inject it. */
  now: () => Date;
  pollIntervalMs?: number;
}

export interface StatusSweep {
  /** Sweeps the workspace now (or waits for the sweep already running there). */
  sweepNow(teamId: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A member as users.list lists them and user_status_changed carries them. Typed loosely: an event
 * is input from outside, and a field of the wrong type must not crash the rule.
 */
export interface SlackMember {
  id?: unknown;
  deleted?: unknown;
  is_bot?: unknown;
  profile?: { status_text?: unknown; status_emoji?: unknown; status_expiration?: unknown };
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * What is kept of these members' statuses, in the API's shape: humans' derived flags only (no
 * deactivated members, bots or Slackbot), never the text or emoji.
 */
export function memberStatuses(members: readonly SlackMember[], now: Date) {
  return members.flatMap((member) => {
    const id = text(member.id) ?? '';
    if (!USER_ID.test(id) || id === SLACKBOT || member.deleted === true || member.is_bot === true) {
      return [];
    }
    const expiration = member.profile?.status_expiration;
    const { away, until } = awayFromStatus(
      {
        statusText: text(member.profile?.status_text),
        statusEmoji: text(member.profile?.status_emoji),
        statusExpiration: typeof expiration === 'number' ? expiration : undefined,
      },
      now,
    );
    return [{ slackUserId: id, away, ...(until ? { until: until.toISOString() } : {}) }];
  });
}

export function startStatusSweep(options: StatusSweepOptions): StatusSweep {
  const { api, slack: slackFor, now } = options;
  const log = options.logger.child({ component: 'status-sweep' });
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_STATUS_SWEEP_POLL_MS;
  const running = new Map<string, Promise<void>>();

  async function sweepOnce(teamId: string): Promise<void> {
    const client = await slackFor(teamId);
    if (!client) throw new Error('the bot holds no token for this workspace');
    let cursor: string | undefined;
    let members = 0;
    let updated = 0;
    let pages = 0;
    do {
      if (poller.stopped) return;
      // Read before the call: a user_status_changed event that lands while the page is on its way
      // carries a later readAt, and the API keeps the newer of the two.
      const readAt = now();
      const page = await client.users.list({ limit: STATUS_SWEEP_PAGE_SIZE, cursor });
      cursor = page.response_metadata?.next_cursor || undefined;
      const statuses = memberStatuses(page.members ?? [], readAt);
      members += statuses.length;
      pages += 1;
      // A page of bots only says nothing, unless it is the last, which marks the sweep done.
      if (statuses.length === 0 && cursor) continue;
      const answer = await api.putMemberStatuses(teamId, {
        readAt: readAt.toISOString(),
        statuses,
        sweepDone: !cursor,
      });
      updated += answer.updated;
    } while (cursor);
    log.info({ teamId, pages, members, managers: updated }, 'member statuses swept');
  }

  function sweepNow(teamId: string): Promise<void> {
    const current = running.get(teamId);
    if (current) return current;
    const done = (async () => {
      try {
        await sweepOnce(teamId);
      } catch (error) {
        // The API hands the workspace out again once its hold ends.
        const code = platformCode(error);
        log.warn(
          { err: code ? undefined : error, code, teamId },
          'could not sweep the member statuses; will try again',
        );
      } finally {
        running.delete(teamId);
      }
    })();
    running.set(teamId, done);
    return done;
  }

  const poller = pollDueWorkspaces({
    intervalMs: pollIntervalMs,
    due: () => api.claimStatusSweeps(),
    each: sweepNow,
    onError: (error) =>
      log.warn({ err: error }, 'could not ask which member statuses to sweep; will ask again'),
  });

  return {
    sweepNow,
    async stop() {
      await poller.stop();
      await Promise.all(running.values());
    },
  };
}
