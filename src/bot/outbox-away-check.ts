/**
 * Just before the outbox posts a note, it asks Slack whether the manager's status says they
 * are out (./away-status-rules.ts); if it does, the note is not posted and the API records the
 * day as skipped_away (issue 18, item 3). Reminders and digests are not checked: they wait in
 * the DM for whenever the manager looks. Since the API keeps statuses (issue 19, items 1–2),
 * this is only the fallback: a note whose manager's status is known fresh comes with
 * `statusKnown` and is posted without it, and one whose manager is known out is not handed out.
 *
 * The status is read with users.profile.get and kept a few minutes per person, so a burst of
 * notes in one workspace costs Slack one call per manager, not one per note (Tier 4, 100+ a
 * minute: https://docs.slack.dev/reference/methods/users.profile.get). When Slack can't tell
 * (an error, a missing scope, no answer within the timeout), the note goes: a note on a day off
 * is better than a note never sent. When Slack limits the reads (429), none is made in that
 * workspace until its Retry-After, and the notes meanwhile go unchecked.
 */
import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';
import type { Logger } from '../observability/logger.ts';
import { type SlackStatus, statusSaysAway } from './away-status-rules.ts';

/** How long a status read stays good: short enough that "back from holiday" is seen soon. */
export const STATUS_CACHE_MS = 5 * 60_000;
/** How long to wait for Slack's answer before sending anyway. */
export const STATUS_TIMEOUT_MS = 3_000;
/** Beyond this many people cached, expired entries are dropped: the cache stays bounded. */
const CACHE_PRUNE_AT = 10_000;

export interface AwayCheckOptions {
  slackFor: (teamId: string) => Promise<WebClient>;
  /** Its skipDelivery reports the skip; the API records the delivery as skipped_away. */
  api: { skipDelivery: (id: string, attempt: number) => Promise<{ status: string }> };
  log: Logger;
  /** The clock the cache and the status's expiry are read on; injected by tests. */
  now: () => Date;
  cacheMs?: number;
  timeoutMs?: number;
}

/** A claimed note, as far as the check needs it. */
export interface NoteToCheck {
  id: string;
  attempt: number;
  teamId: string;
  userId: string;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Returns `skipIfAway(note)`: true when the manager's status says they are out and the note was
 * handed back as skipped (nothing is to be posted), false when it should be posted.
 */
export function createAwayCheck(options: AwayCheckOptions) {
  const { slackFor, log, now } = options;
  const cacheMs = options.cacheMs ?? STATUS_CACHE_MS;
  const timeoutMs = options.timeoutMs ?? STATUS_TIMEOUT_MS;
  const cache = new Map<string, { status: SlackStatus; readAt: number }>();
  /** Workspaces where Slack answered a status read with 429: no reads there until this time. */
  const heldUntil = new Map<string, number>();

  async function statusOf(teamId: string, userId: string): Promise<SlackStatus | undefined> {
    const key = `${teamId}:${userId}`;
    const at = now().getTime();
    const cached = cache.get(key);
    if (cached && at - cached.readAt < cacheMs) return cached.status;
    if ((heldUntil.get(teamId) ?? 0) > at) return undefined;
    try {
      const slack = await slackFor(teamId);
      const answer = await withTimeout(slack.users.profile.get({ user: userId }), timeoutMs);
      const status: SlackStatus = {
        statusText: answer.profile?.status_text,
        statusEmoji: answer.profile?.status_emoji,
        statusExpiration: answer.profile?.status_expiration,
      };
      if (cache.size >= CACHE_PRUNE_AT) {
        for (const [k, v] of cache) if (at - v.readAt >= cacheMs) cache.delete(k);
      }
      cache.set(key, { status, readAt: at });
      return status;
    } catch (error) {
      // users.profile.get is Tier 4 (about 100 a minute): a large workspace's nine o'clock
      // outruns it. Its notes go unchecked until Slack's Retry-After, without asking again.
      if (error instanceof WebAPIRateLimitedError) {
        heldUntil.set(teamId, at + error.retryAfter * 1000);
        log.info(
          { teamId, retryAfterSeconds: error.retryAfter },
          'Slack limits status reads here for now; notes go without the check until then',
        );
        return undefined;
      }
      const code = (error as { data?: { error?: string } }).data?.error;
      log.info({ code, err: code ? undefined : error }, 'could not read a Slack status; sending');
      // An install without users.profile:read won't have it in a minute either: ask again
      // after the cache time, not before every note.
      if (code === 'missing_scope') cache.set(key, { status: {}, readAt: at });
      return undefined;
    }
  }

  return async function skipIfAway(note: NoteToCheck): Promise<boolean> {
    const status = await statusOf(note.teamId, note.userId);
    if (!status || !statusSaysAway(status, now())) return false;
    try {
      const outcome = await options.api.skipDelivery(note.id, note.attempt);
      log.info({ deliveryId: note.id, ...outcome }, "note skipped: the manager's status says out");
    } catch (error) {
      // Not recorded: the lease runs out, the note is claimed again and checked again.
      log.warn({ err: error, deliveryId: note.id }, 'could not report a skipped note');
    }
    return true;
  };
}
