/**
 * Session lifetimes and sign-in throttling, as pure functions of plain values and a clock.
 */

export const SESSION_STAGES = ['enrolment', 'second_factor', 'full'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

export interface SessionPolicy {
  /** A session unused this long ends (ADMIN_SESSION_IDLE_MINUTES, default 30). */
  idleMs: number;
  /** A session ends this long after sign-in, used or not (ADMIN_SESSION_ABSOLUTE_HOURS, 12). */
  absoluteMs: number;
}

export function sessionPolicy(idleMinutes: number, absoluteHours: number): SessionPolicy {
  return { idleMs: idleMinutes * 60_000, absoluteMs: absoluteHours * 3_600_000 };
}

/** When a session last seen at `lastSeenAt` ends: idle or absolute, whichever comes first. */
export function sessionExpiresAt(
  session: { lastSeenAt: Date; absoluteExpiresAt: Date },
  policy: SessionPolicy,
): { idleExpiresAt: Date; absoluteExpiresAt: Date } {
  const idle = new Date(session.lastSeenAt.getTime() + policy.idleMs);
  return {
    idleExpiresAt: idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
  };
}

export function sessionIsLive(
  session: { lastSeenAt: Date; absoluteExpiresAt: Date },
  policy: SessionPolicy,
  now: Date,
): boolean {
  return now < sessionExpiresAt(session, policy).idleExpiresAt;
}

/**
 * Sign-in throttling. Three counters, each of failures in the last hour since that counter's
 * last success, each with free attempts and then a delay that doubles from one second up to a
 * cap, counted from the latest failure:
 * - one account (or typed address) from one client address: 5 free, up to 15 minutes;
 * - one client address, whatever account: 20 free, up to 15 minutes;
 * - one account from anywhere: 10 free, but at most 1 minute. This is the counter an attacker
 *   could drive for somebody else's account, so it can slow its owner down but never lock them
 *   out for long: their own address has its own counter, and every lockout ends on its own.
 * Refused attempts are not counted, so hammering a locked account does not extend its lock.
 */
export const THROTTLES = {
  subjectFromAddress: { free: 5, capMs: 15 * 60_000 },
  address: { free: 20, capMs: 15 * 60_000 },
  subject: { free: 10, capMs: 60_000 },
} as const;
export type ThrottleScope = keyof typeof THROTTLES;

/** Failures older than this are forgotten. */
export const THROTTLE_WINDOW_MS = 3_600_000;

/** The delay after `failures` failures with `free` free attempts: 0, then 1 s, 2 s, 4 s … cap. */
export function backOffMs(failures: number, limit: { free: number; capMs: number }): number {
  if (failures < limit.free) return 0;
  const exponent = Math.min(failures - limit.free, 30);
  return Math.min(1000 * 2 ** exponent, limit.capMs);
}

/**
 * How long until another attempt is allowed, in milliseconds (0: now), given each scope's
 * failure count and latest failure.
 */
export function throttledForMs(
  counters: Partial<Record<ThrottleScope, { failures: number; lastFailureAt: Date | null }>>,
  now: Date,
): number {
  let wait = 0;
  for (const [scope, counter] of Object.entries(counters) as [
    ThrottleScope,
    { failures: number; lastFailureAt: Date | null },
  ][]) {
    if (!counter.lastFailureAt) continue;
    const until = counter.lastFailureAt.getTime() + backOffMs(counter.failures, THROTTLES[scope]);
    wait = Math.max(wait, until - now.getTime());
  }
  return wait;
}
