/**
 * Sign-in throttling over PostgreSQL, so it holds across api replicas (the rules are in
 * ./rules.ts). Used for passwords here and for second factors by src/core/second-factors.
 */
import { createHash } from 'node:crypto';
import type { Executor } from '../../db/executor.ts';
import { normalizeEmail } from '../admin-accounts/rules.ts';
import { AppError } from '../errors.ts';
import { type AttemptKind, countRecentFailures, insertAttempt } from './repository.ts';
import { THROTTLE_WINDOW_MS, throttledForMs } from './rules.ts';

export interface AttemptSubject {
  /** The account the attempt is for, once known (second factors). */
  accountId?: string;
  /**
   * The address typed at sign-in. Throttled by its digest whether or not an account has it,
   * so an unknown address behaves exactly like a known one.
   */
  email?: string;
  /** The client's IP address. */
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

/**
 * Refuses an attempt while any of its counters is backing off.
 * @throws AppError too_many_attempts (429) with retryAfterSeconds.
 */
export async function assertNotThrottled(
  db: Executor,
  attempt: AttemptSubject,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const subject = subjectOf(attempt);
  const { kind, address } = attempt;
  const counters = {
    address: await countRecentFailures(db, { kind, address }, since),
    ...(subject === undefined
      ? {}
      : {
          subject: await countRecentFailures(db, { kind, subject }, since),
          subjectFromAddress: await countRecentFailures(db, { kind, subject, address }, since),
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
}

/** Records a checked attempt; failures feed the throttle, and both the sign-in history. */
export async function recordAttempt(
  db: Executor,
  attempt: AttemptSubject & { success: boolean; method?: string },
  now: Date,
): Promise<void> {
  await insertAttempt(db, {
    kind: attempt.kind,
    subject: subjectOf(attempt) ?? null,
    accountId: attempt.accountId ?? null,
    address: attempt.address,
    success: attempt.success,
    method: attempt.method ?? null,
    at: now,
  });
}
