/**
 * The emulator's fault and limit types: the failures a test can inject (errors, 429s, 5xx,
 * outages, a sender killed after posting) and the posting limits it models, with what it
 * recorded about them. Split from ./types.ts, which re-exports them.
 */

import type { JsonObject } from './types.ts';
/** How long to wait for something to happen. */
export interface WaitOptions {
  /** Defaults to 5000 ms. */
  timeoutMs?: number;
}

/** Options common to every injected fault. */
export interface FaultOptions {
  /** How many matching calls the fault applies to; defaults to 1. `Infinity` lasts until reset(). */
  times?: number;
  /** Only calls whose arguments satisfy this are affected; others pass through untouched. */
  when?: (args: JsonObject) => boolean;
}

/** A Slack error code answered as `{ ok: false, error }` with HTTP 200. */
export interface FailNextOptions extends FaultOptions {
  error: string;
}

/** An HTTP 429 with `Retry-After`. */
export interface RateLimitNextOptions extends FaultOptions {
  retryAfterSeconds: number;
}

/** An HTTP 5xx such as Slack's load balancers give during an incident. */
export interface ServerErrorNextOptions extends FaultOptions {
  status?: 500 | 502 | 503 | 504;
}

/** A sender killed between Slack taking its message and the sender learning the message's ts. */
export interface KillAfterPostOptions {
  /** Only a chat.postMessage whose arguments satisfy this triggers the hook; by default, the next. */
  when?: (args: JsonObject) => boolean;
  /** The process to SIGKILL once the answer is written (e.g. a bot's `child.pid`). */
  pid?: number;
  /** Called right after the answer is written (and the kill sent), with what was posted. */
  onPosted?: (post: { args: JsonObject; body: JsonObject }) => void;
}

/** A failure of a `response_url` POST. */
export interface ResponseUrlFailureOptions {
  status: number;
  times?: number;
}

/**
 * How Slack is down: every Web API call answered 503 (an incident at its load balancers); calls
 * accepted and never answered (the client's own timeout ends them); or connections refused (the
 * stand-in stops listening, and listens again on the same port when the outage ends).
 */
export type OutageMode = 'server-error' | 'timeout' | 'refuse';

/** A token bucket: a steady rate, and how many may come at once after a quiet spell. */
export interface TokenBucketLimit {
  perSecond: number;
  burst: number;
}

/** Limits on chat.postMessage, Slack's "about one message per second per channel, with bursts". */
export interface PostingRateLimits {
  perChannel?: TokenBucketLimit;
  /** Every post in the workspace, whatever the channel. */
  workspace?: TokenBucketLimit;
}

/** A post that arrived while a Retry-After the stand-in gave its workspace or channel still ran. */
export interface RateLimitViolation {
  scope: 'channel' | 'workspace';
  teamId: string;
  channel: string;
  at: Date;
  /** From the 429 to this post: a few ms means the post was already on its way. */
  sinceRateLimitMs: number;
  /** How long before the Retry-After ran out it came. */
  earlyByMs: number;
}

export interface RateLimitViolations {
  /** Posts answered 429, by which limit was reached. */
  limited: { channel: number; workspace: number };
  violations: RateLimitViolation[];
}

/** Web API requests that arrived in one second (whatever they were answered, if at all). */
export interface CallRateSample {
  /** The second, as Unix time. */
  second: number;
  calls: number;
}
