/**
 * Which workspaces the outbox must not post to yet, because Slack answered 429 there (decision
 * 0013). Its own 429s count at once. Every replica's count through the API: the claim already
 * skips a held workspace, but rows this replica claimed a moment before another replica's 429
 * are in hand, so before each post the outbox asks the API for the current holds, at most once
 * every `pollMs` on its clock. A post therefore goes out no later than `pollMs` (plus an API
 * call) after another replica's 429 was recorded: the bound npm run faults checks. The API is
 * asked only while the outbox is sending, and one answer serves every send of the interval.
 */
import type { Logger } from '../observability/logger.ts';
import type { ApiClient } from './api-client/index.ts';

/**
 * How stale the outbox's view of other replicas' holds may be when it posts. A quarter of a
 * second keeps the posts a workspace gets after a 429 to a handful (two replicas at Slack's
 * latency), at four small reads a second per sending replica.
 */
export const DEFAULT_HOLD_POLL_MS = 250;

export interface WorkspaceHolds {
  /** Slack answered this replica 429 in the workspace: hold it here until `until` (epoch ms). */
  hold(teamId: string, until: number): void;
  /**
   * How long sends to the workspace must still wait, in ms (zero or less: send now), counting
   * every replica's holds as the API had them at most `pollMs` ago. Never throws: when the API
   * cannot be asked, what is known still counts, and the next try is one interval later.
   */
  remainingMs(teamId: string): Promise<number>;
}

export function trackWorkspaceHolds(options: {
  api: ApiClient;
  log: Logger;
  now: () => Date;
  pollMs: number;
}): WorkspaceHolds {
  const { api, log, now, pollMs } = options;
  /** Team id to the end of its hold, epoch ms. */
  const until = new Map<string, number>();
  /** When the last read of the holds started, on `now`: the API had them at least that fresh. */
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;
  let failing = false;

  function hold(teamId: string, end: number) {
    until.set(teamId, Math.max(until.get(teamId) ?? 0, end));
  }

  function read(): Promise<void> {
    reading ??= (async () => {
      const startedAt = now().getTime();
      try {
        for (const held of await api.listSlackHolds()) hold(held.teamId, Date.parse(held.until));
        for (const [teamId, end] of until) if (end <= startedAt) until.delete(teamId);
        if (failing) log.info('reading the Slack holds again');
        failing = false;
      } catch (error) {
        // Claims still skip held workspaces; only rows already in hand go on unchecked.
        if (!failing) log.warn({ err: error }, 'could not read the Slack holds; sending on');
        failing = true;
      } finally {
        // Also after a failure: one try per interval, not one per post.
        readAt = startedAt;
      }
    })().finally(() => {
      reading = undefined;
    });
    return reading;
  }

  return {
    hold,
    async remainingMs(teamId) {
      if (now().getTime() - readAt >= pollMs) await read();
      return (until.get(teamId) ?? 0) - now().getTime();
    },
  };
}
