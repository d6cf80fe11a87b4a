/**
 * Slack's limits on posting, enforced: chat.postMessage allows about one message per second per
 * channel with short bursts above that, and a workspace-wide ceiling on top
 * (https://docs.slack.dev/apis/web-api/rate-limits, "Posting messages"). Each is a token bucket;
 * a post that finds either empty is answered 429 with a Retry-After (whole seconds, as Slack
 * sends it) for when a token is back. The stand-in also keeps the promise's other half: it
 * counts posts that arrive while a Retry-After it gave still runs, the violations a well-behaved
 * client (every replica of it) never commits.
 */
import type { PostingRateLimits, RateLimitViolation, RateLimitViolations } from './types.ts';

/** Posting is what Slack limits per channel; the other methods Blindspot calls are tiered. */
const LIMITED_METHOD = 'chat.postMessage';

class TokenBucket {
  readonly perSecond: number;
  readonly burst: number;
  #tokens: number;
  #updatedAt: number;

  constructor(limit: { perSecond: number; burst: number }, nowMs: number) {
    this.perSecond = limit.perSecond;
    this.burst = limit.burst;
    this.#tokens = limit.burst;
    this.#updatedAt = nowMs;
  }

  /** Takes a token, or says in how many ms one is back. */
  take(nowMs: number): { ok: true } | { ok: false; waitMs: number } {
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + ((nowMs - this.#updatedAt) / 1000) * this.perSecond,
    );
    this.#updatedAt = nowMs;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: ((1 - this.#tokens) / this.perSecond) * 1000 };
  }
}

export type RateLimitVerdict =
  | { limited: false }
  | { limited: true; scope: 'channel' | 'workspace'; retryAfterSeconds: number };

export class PostingLimiter {
  readonly #limits: PostingRateLimits;
  readonly #channels = new Map<string, TokenBucket>();
  readonly #workspaces = new Map<string, TokenBucket>();
  /** When (epoch ms) each channel and workspace was last told to wait, and until when. */
  readonly #channelRetry = new Map<string, { givenAt: number; until: number }>();
  readonly #workspaceRetry = new Map<string, { givenAt: number; until: number }>();
  readonly #violations: RateLimitViolation[] = [];
  #limited = { channel: 0, workspace: 0 };

  constructor(limits: PostingRateLimits) {
    for (const [name, limit] of Object.entries(limits)) {
      if (!limit) continue;
      if (!(limit.perSecond > 0) || !(limit.burst >= 1)) {
        throw new RangeError(`${name} limit needs perSecond > 0 and burst ≥ 1`);
      }
    }
    this.#limits = limits;
  }

  /**
   * Whether this call may go through; counts it as a violation first when it arrives inside a
   * Retry-After already given for its channel or workspace.
   */
  check(method: string, teamId: string, channel: string, nowMs: number): RateLimitVerdict {
    if (method !== LIMITED_METHOD) return { limited: false };
    this.#recordViolation(teamId, channel, nowMs);
    const { perChannel, workspace } = this.#limits;
    const channelWait = perChannel
      ? this.#bucket(this.#channels, channel, perChannel, nowMs).take(nowMs)
      : { ok: true as const };
    if (!channelWait.ok) return this.#limit('channel', channel, channelWait.waitMs, nowMs);
    const workspaceWait = workspace
      ? this.#bucket(this.#workspaces, teamId, workspace, nowMs).take(nowMs)
      : { ok: true as const };
    if (!workspaceWait.ok) return this.#limit('workspace', teamId, workspaceWait.waitMs, nowMs);
    return { limited: false };
  }

  violations(): RateLimitViolations {
    return {
      limited: { ...this.#limited },
      violations: [...this.#violations],
    };
  }

  #bucket(
    buckets: Map<string, TokenBucket>,
    key: string,
    limit: { perSecond: number; burst: number },
    nowMs: number,
  ): TokenBucket {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit, nowMs);
      buckets.set(key, bucket);
    }
    return bucket;
  }

  #limit(scope: 'channel' | 'workspace', key: string, waitMs: number, nowMs: number) {
    // Slack's Retry-After is whole seconds, at least 1.
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    const retries = scope === 'channel' ? this.#channelRetry : this.#workspaceRetry;
    const until = Math.max(retries.get(key)?.until ?? 0, nowMs + retryAfterSeconds * 1000);
    retries.set(key, { givenAt: nowMs, until });
    this.#limited[scope] += 1;
    return { limited: true as const, scope, retryAfterSeconds };
  }

  #recordViolation(teamId: string, channel: string, nowMs: number): void {
    for (const [scope, retry] of [
      ['workspace', this.#workspaceRetry.get(teamId)],
      ['channel', this.#channelRetry.get(channel)],
    ] as const) {
      if (!retry || nowMs >= retry.until) continue;
      this.#violations.push({
        scope,
        teamId,
        channel,
        at: new Date(nowMs),
        sinceRateLimitMs: nowMs - retry.givenAt,
        earlyByMs: retry.until - nowMs,
      });
      return;
    }
  }
}
