/**
 * Sign-in throttling over PostgreSQL, so it holds across api replicas (the rules are in
 * ./rules.ts). Used for passwords here and for second factors by src/core/second-factors.
 *
 * Guesses sent in parallel must not all pass the check before any is recorded, or the back-off
 * would only slow a patient attacker. So the check reserves the attempt: under an advisory lock
 * per counter, it counts and, if the attempt may go ahead, records it at once as pending, which
 * counts as a failure; recordAttempt then settles it. The next guess, even one a millisecond
 * later on another replica, waits for the lock and sees the reservation.
 */
import { createHash } from 'node:crypto';
import type { Executor } from '../../db/executor.ts';
import { normalizeEmail } from '../admin-accounts/rules.ts';
import { clientKey } from '../client-address.ts';
import { AppError } from '../errors.ts';
import {
  type AttemptKind,
  type AttemptScope,
  countRecentFailures,
  insertAttempt,
  lockAttemptCounters,
  PENDING_METHOD,
  settlePendingAttempt,
} from './repository.ts';
import { THROTTLE_WINDOW_MS, throttledForMs } from './rules.ts';

/**
 * How long a reserved attempt counts as a failure while unsettled: far longer than a password
 * hash or a WebAuthn check takes, short enough that one a crash left behind soon stops counting.
 */
export const PENDING_ATTEMPT_MS = 60_000;

export interface AttemptSubject {
  /** The account the attempt is for, once known (second factors). */
  accountId?: string;
  /**
   * The address typed at sign-in. Throttled by its digest whether or not an account has it,
   * so an unknown address behaves exactly like a known one.
   */
  email?: string;
  /**
   * The client's IP address. Counted by its clientKey (an IPv6 /64), as the API's rate limit
   * counts it, so a host cannot take a fresh address from its /64 for every guess; the sign-in
   * history shows that key too (the audit trail keeps the exact address).
   */
  address: string;
  kind: AttemptKind;
}

function subjectOf(attempt: AttemptSubject): string | undefined {
  if (attempt.email !== undefined) {
    const digest = createHash('sha256').update(normalizeEmail(attempt.email)).digest('hex');
    return `email:${digest}`;
  }
  if (attempt.accountId !== undefined) return `account:${attempt.accountId}`;
  return undefined;
}

function scopeOf(attempt: AttemptSubject): AttemptScope {
  return {
    kind: attempt.kind,
    subject: subjectOf(attempt) ?? null,
    address: clientKey(attempt.address),
  };
}

/** Runs `work` in a transaction: the caller's, or a new one. */
function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Refuses an attempt while any of its counters is backing off; otherwise reserves it (see the
 * file's comment), so the caller must settle it with recordAttempt once it knows the outcome.
 * @throws AppError too_many_attempts (429) with retryAfterSeconds.
 */
export async function assertNotThrottled(
  db: Executor,
  attempt: AttemptSubject,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const pendingSince = new Date(now.getTime() - PENDING_ATTEMPT_MS);
  const scope = scopeOf(attempt);
  const { kind, address, subject } = scope;
  await inTransaction(db, async (trx) => {
    await lockAttemptCounters(trx, [
      `${kind} address ${address}`,
      ...(subject === null ? [] : [`${kind} subject ${subject}`]),
    ]);
    const count = (counter: { subject?: string; address?: string }) =>
      countRecentFailures(trx, { kind, ...counter }, since, pendingSince);
    const counters = {
      address: await count({ address }),
      ...(subject === null
        ? {}
        : {
            subject: await count({ subject }),
            subjectFromAddress: await count({ subject, address }),
          }),
    };
    const waitMs = throttledForMs(counters, now);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new AppError(
        'too_many_attempts',
        `Too many failed attempts. Try again in ${seconds} seconds.`,
        429,
        { retryAfterSeconds: seconds },
      );
    }
    await insertAttempt(trx, {
      ...scope,
      accountId: attempt.accountId ?? null,
      success: false,
      method: PENDING_METHOD,
      at: now,
    });
  });
}

/**
 * Records a checked attempt: settles the reservation assertNotThrottled made for it, or, for an
 * attempt that was not throttled first (Sign in with Slack), adds it. Failures feed the
 * throttle, and both the sign-in history.
 */
export async function recordAttempt(
  db: Executor,
  attempt: AttemptSubject & { success: boolean; method?: string },
  now: Date,
): Promise<void> {
  const scope = scopeOf(attempt);
  const outcome = {
    accountId: attempt.accountId ?? null,
    success: attempt.success,
    method: attempt.method ?? null,
  };
  if (await settlePendingAttempt(db, scope, outcome)) return;
  await insertAttempt(db, { ...scope, ...outcome, at: now });
}
