/**
 * The API's input rules, checked in the browser too so a mistake shows beside its field before
 * a round trip. The limits come from the API's own document (./api/limits.ts, written by
 * `npm run api:generate`), so the two cannot drift; the API checks again (its answer's `fields`
 * are shown the same way), so nothing here is a security boundary.
 */
import { EMAIL_PATTERN, PASSWORD_LIMITS, REQUEST_LIMITS } from './api/limits.ts';

/** The limits of one string field, as the API's schema states them. */
interface FieldLimits {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

/** Characters as people see them and as the API counts them (code points, not UTF-16 units). */
const length = (value: string) => [...value].length;

const NAME = REQUEST_LIMITS.inviteAccount.displayName;
const EMAIL = REQUEST_LIMITS.inviteAccount.email;

/** Lengths for the forms' hints. */
export const LIMITS = {
  emailMax: EMAIL.maxLength,
  displayNameMax: NAME.maxLength,
  passwordMin: PASSWORD_LIMITS.min,
  passwordMax: PASSWORD_LIMITS.max,
  apiKeyNameMax: REQUEST_LIMITS.createApiKey.name.maxLength,
  passkeyNameMax: REQUEST_LIMITS.finishPasskeyRegistration.name.maxLength,
} as const;

/** The common checks of a trimmed text field: empty, too long, not matching its pattern. */
function checkText(value: string, limits: FieldLimits, empty: string): string | null {
  const text = value.trim();
  if (text === '' || length(text) < (limits.minLength ?? 0)) return empty;
  if (limits.maxLength !== undefined && length(text) > limits.maxLength) {
    return `Use at most ${limits.maxLength} characters (this is ${length(text)}).`;
  }
  if (limits.pattern !== undefined && !new RegExp(limits.pattern, 'u').test(text)) return empty;
  return null;
}

export function validateEmail(value: string): string | null {
  const problem = checkText(value, EMAIL, 'Enter an email address.');
  if (problem) return problem;
  if (!new RegExp(EMAIL_PATTERN).test(value.trim())) {
    return 'Enter an email address like name@example.com.';
  }
  return null;
}

export function validateDisplayName(value: string): string | null {
  return checkText(value, NAME, 'Enter a name.');
}

/** Only length: no composition rules (NIST 800-63B); the API also refuses breached passwords. */
export function validateNewPassword(value: string): string | null {
  if (length(value) < PASSWORD_LIMITS.min) {
    return `Use at least ${PASSWORD_LIMITS.min} characters. A few unrelated words work well.`;
  }
  if (length(value) > PASSWORD_LIMITS.max) {
    return `Use at most ${PASSWORD_LIMITS.max} characters (this is ${length(value)}).`;
  }
  return null;
}

export function validateRequired(label: string) {
  return (value: string): string | null => (value.trim() === '' ? `Enter ${label}.` : null);
}

/**
 * Six digits; spaces (as authenticator apps show them) are ignored. Stricter than the schema's
 * pattern (digits and spaces, 6 to 12), which the server narrows to six digits the same way.
 */
export function validateTotpCode(value: string): string | null {
  const pattern = new RegExp(REQUEST_LIMITS.verifyTotp.code.pattern);
  return pattern.test(value) && /^\d{6}$/.test(value.replace(/\s/g, ''))
    ? null
    : 'Enter the 6-digit code from your app.';
}

export function validateApiKeyName(value: string): string | null {
  return checkText(
    value,
    REQUEST_LIMITS.createApiKey.name,
    'Enter a name that says what the key is for.',
  );
}

export function validatePasskeyName(value: string): string | null {
  return checkText(
    value,
    REQUEST_LIMITS.finishPasskeyRegistration.name,
    'Name the passkey, e.g. "Work laptop".',
  );
}

/**
 * Proof that it is still you (before replacing a factor): six digits are a code from the app,
 * anything else the password. No password is six digits (they have at least twelve characters).
 */
export function reauthenticationOf(value: string): { code: string } | { password: string } {
  const digits = value.replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? { code: digits } : { password: value };
}

export function validateReauthentication(value: string): string | null {
  if (value === '') return 'Enter your password or a code from your authenticator app.';
  const limits = REQUEST_LIMITS.renewRecoveryCodes.password;
  if ('password' in reauthenticationOf(value) && length(value) > limits.maxLength) {
    return 'That is not your password: it is longer than any password can be.';
  }
  return null;
}
