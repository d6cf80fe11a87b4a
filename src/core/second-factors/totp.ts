/**
 * TOTP (RFC 6238) as authenticator apps expect it: SHA-1, six digits, 30-second steps. Pure: the
 * caller passes the time, and remembers the last step it accepted so a code cannot be replayed.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/**
 * Steps of clock skew accepted either side of now: one, as RFC 6238 section 5.2 advises. Phones
 * drift, and a code typed in its last seconds arrives in the next step.
 */
export const TOTP_WINDOW = 1;
/** 160 bits: the length of SHA-1's output, which RFC 4226 section 4 recommends for the key. */
const SECRET_BYTES = 20;

export const TOTP_CODE_PATTERN = '^[0-9]{6}$';

function totpFor(secret: string, label = '', issuer = ''): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** A new random secret, base32 as authenticator apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The otpauth:// URL an authenticator app scans from the QR code. */
export function totpUrl(secret: string, accountLabel: string, issuer: string): string {
  return totpFor(secret, accountLabel, issuer).toString();
}

/** The 30-second step `at` falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for the step `at` falls in: what an authenticator app would show. */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret).generate({ timestamp: at.getTime() });
}

/**
 * The step whose code `code` is, within one step of `now`; null when it matches none, or when it
 * is the step last accepted or an earlier one (a replayed or older code).
 */
export function matchTotpCode(
  secret: string,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): number | null {
  const normalized = code.replaceAll(/\s/g, '');
  if (!new RegExp(TOTP_CODE_PATTERN).test(normalized)) return null;
  const delta = totpFor(secret).validate({
    token: normalized,
    timestamp: now.getTime(),
    window: TOTP_WINDOW,
  });
  if (delta === null) return null;
  const step = totpStep(now) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return null;
  return step;
}
