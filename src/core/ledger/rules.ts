/**
 * The lease protocol's rules, shared by every ledger (deliveries, reminders): when a row is
 * too late to send, how long to wait before the next try, and what a failed send reports.
 * Pure functions: callers pass `now`.
 */

/** Not sent within this of its due time (downtime, say), a row is recorded as missed, not sent. */
export const MISSED_AFTER_MS = 2 * 60 * 60_000;

export type FailureKind = 'rate_limited' | 'transient' | 'unreachable';

export interface FailureReport {
  /** The claim's attempt number; a report about an older claim is ignored. */
  attempt: number;
  /** Slack's error code, e.g. 'ratelimited', 'account_inactive', 'internal_error'. */
  code: string;
  kind: FailureKind;
  retryAfterSeconds?: number;
}

export interface FailureOutcome {
  status: 'retrying' | 'failed' | 'ignored';
  retryAt?: Date;
  subscriptionPaused: boolean;
}

/** How long to wait before retrying after a transient Slack failure: doubling, 5 s to 5 min. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}

/**
 * When a failed send may be tried again: after Slack's Retry-After for a rate limit, else after
 * the back-off for this attempt. The row stays claimed until then, so no one takes it sooner.
 */
export function retryAt(report: FailureReport, attempts: number, now: Date): Date {
  const delayMs =
    report.kind === 'rate_limited' && report.retryAfterSeconds !== undefined
      ? report.retryAfterSeconds * 1000
      : retryDelayMs(attempts);
  return new Date(now.getTime() + delayMs);
}

/**
 * Until when a rate limit holds the whole workspace, for every sender: Slack's Retry-After, when
 * it gave one. Slack's limits are per workspace and method (chat.postMessage also has a
 * workspace-wide ceiling, https://docs.slack.dev/apis/web-api/rate-limits), and every bot
 * replica posts to the same workspaces, so one replica's 429 is news for all of them. Slack's
 * per-channel limit (about one message a second in a channel) needs no such sharing: each row
 * is one manager's DM, held by one sender at a time, so no two replicas post to one channel at
 * once.
 */
export function workspaceHoldUntil(report: FailureReport, now: Date): Date | undefined {
  if (report.kind !== 'rate_limited' || !report.retryAfterSeconds) return undefined;
  return new Date(now.getTime() + report.retryAfterSeconds * 1000);
}

/** Rows due before this are past the window and are closed as missed. */
export function missedBefore(now: Date): Date {
  return new Date(now.getTime() - MISSED_AFTER_MS);
}

/** Seconds from when a message was wanted to when it went; never negative. */
export function latenessSeconds(wantedAt: Date, now: Date): number {
  return Math.max(0, (now.getTime() - wantedAt.getTime()) / 1000);
}
