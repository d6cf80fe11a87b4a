import { describe, expect, it } from 'vitest';
import {
  backOffMs,
  sessionExpiresAt,
  sessionPolicy,
  THROTTLES,
  throttledForMs,
} from '../../../src/core/admin-sessions/rules.ts';

const at = (iso: string) => new Date(iso);

describe('sign-in back-off', () => {
  it('is free for the first attempts, then doubles from one second up to its cap', () => {
    const limit = THROTTLES.subjectFromAddress;
    expect([4, 5, 6, 7, 8].map((n) => backOffMs(n, limit))).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(backOffMs(100, limit)).toBe(15 * 60_000);
  });

  it('caps what anyone, from anywhere, can impose on an account at one minute', () => {
    expect(backOffMs(1_000, THROTTLES.subject)).toBe(60_000);
  });

  it('waits for the longest of the counters, from each one’s latest failure', () => {
    const now = at('2026-12-07T09:00:10Z');
    expect(
      throttledForMs(
        {
          address: { failures: 20, lastFailureAt: at('2026-12-07T09:00:09Z') },
          subjectFromAddress: { failures: 7, lastFailureAt: at('2026-12-07T09:00:08Z') },
        },
        now,
      ),
    ).toBe(2_000);
    expect(throttledForMs({ address: { failures: 3, lastFailureAt: now } }, now)).toBe(0);
    expect(throttledForMs({ subject: { failures: 0, lastFailureAt: null } }, now)).toBe(0);
  });
});

describe('session lifetime', () => {
  it('ends at the idle timeout, but never after the absolute one', () => {
    const policy = sessionPolicy(30, 12);
    const absoluteExpiresAt = at('2026-12-07T21:00:00Z');
    expect(
      sessionExpiresAt({ lastSeenAt: at('2026-12-07T10:00:00Z'), absoluteExpiresAt }, policy),
    ).toEqual({
      idleExpiresAt: at('2026-12-07T10:30:00Z'),
      absoluteExpiresAt,
    });
    expect(
      sessionExpiresAt({ lastSeenAt: at('2026-12-07T20:50:00Z'), absoluteExpiresAt }, policy)
        .idleExpiresAt,
    ).toEqual(absoluteExpiresAt);
  });
});
