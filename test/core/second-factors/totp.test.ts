import { describe, expect, it } from 'vitest';
import {
  matchTotpCode,
  newTotpSecret,
  totpCode,
  totpStep,
  totpUrl,
} from '../../../src/core/second-factors/totp.ts';

const secret = newTotpSecret();
/** A fixed instant in the middle of a 30-second step, so ±1 step is exactly ±30 s. */
const now = new Date(Math.floor(Date.UTC(2026, 11, 5, 9, 0, 0) / 30_000) * 30_000 + 15_000);
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('TOTP codes', () => {
  it('makes a 160-bit base32 secret and an otpauth URL apps understand', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(totpUrl(secret, 'ada@example.com', 'Blindspot'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Blindspot:ada@example.com');
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
  });

  it('agrees with RFC 6238 appendix B for SHA-1', () => {
    // The RFC's key is the ASCII "12345678901234567890"; its 8-digit codes end in these 6.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(rfcSecret, new Date(59_000))).toBe('287082');
    expect(totpCode(rfcSecret, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCode(rfcSecret, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the current code, and returns its step', () => {
    expect(matchTotpCode(secret, totpCode(secret, now), now, null)).toBe(totpStep(now));
  });

  it('accepts a code typed with spaces', () => {
    const code = totpCode(secret, now);
    expect(matchTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(
      totpStep(now),
    );
  });

  it('accepts one step of clock skew either way, and refuses two', () => {
    expect(matchTotpCode(secret, totpCode(secret, later(-30)), now, null)).toBe(totpStep(now) - 1);
    expect(matchTotpCode(secret, totpCode(secret, later(30)), now, null)).toBe(totpStep(now) + 1);
    expect(matchTotpCode(secret, totpCode(secret, later(-60)), now, null)).toBeNull();
    expect(matchTotpCode(secret, totpCode(secret, later(60)), now, null)).toBeNull();
  });

  it('refuses a replayed code: the step last used, or any earlier one', () => {
    const step = totpStep(now);
    expect(matchTotpCode(secret, totpCode(secret, now), now, step)).toBeNull();
    expect(matchTotpCode(secret, totpCode(secret, later(-30)), now, step)).toBeNull();
    // The next step's code is still good (a code typed just before the step changed).
    expect(matchTotpCode(secret, totpCode(secret, later(30)), now, step)).toBe(step + 1);
  });

  it('refuses a wrong code, another secret, and anything that is not six digits', () => {
    const code = totpCode(secret, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(matchTotpCode(secret, wrong, now, null)).toBeNull();
    expect(matchTotpCode(newTotpSecret(), code, now, null)).toBeNull();
    for (const input of ['', '12345', '1234567', 'abcdef', `${code}0`]) {
      expect(matchTotpCode(secret, input, now, null), input).toBeNull();
    }
  });
});
