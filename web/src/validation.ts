/**
 * The API's input rules, checked in the browser too so a mistake shows beside its field before
 * a round trip. The API checks them again (its TypeBox schemas are the source of truth, and its
 * answer's `fields` are shown the same way), so nothing here is a security boundary.
 */

/** Lengths as the API's schemas state them. */
export const LIMITS = {
  emailMax: 254,
  displayNameMax: 100,
  passwordMin: 12,
  passwordMax: 256,
  apiKeyNameMax: 100,
} as const;

// The shape the API's `format: email` accepts: something@something.tld, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(value: string): string | null {
  const email = value.trim();
  if (email === '') return 'Enter an email address.';
  if (email.length > LIMITS.emailMax) return `Use at most ${LIMITS.emailMax} characters.`;
  if (!EMAIL.test(email)) return 'Enter an email address like name@example.com.';
  return null;
}

export function validateDisplayName(value: string): string | null {
  const name = value.trim();
  if (name === '') return 'Enter a name.';
  if ([...name].length > LIMITS.displayNameMax)
    return `Use at most ${LIMITS.displayNameMax} characters.`;
  return null;
}

/** Only length: no composition rules (NIST 800-63B); the API also refuses breached passwords. */
export function validateNewPassword(value: string): string | null {
  const length = [...value].length; // code points, as the API counts them
  if (length < LIMITS.passwordMin) {
    return `Use at least ${LIMITS.passwordMin} characters. A few unrelated words work well.`;
  }
  if (length > LIMITS.passwordMax) return `Use at most ${LIMITS.passwordMax} characters.`;
  return null;
}

export function validateRequired(label: string) {
  return (value: string): string | null => (value.trim() === '' ? `Enter ${label}.` : null);
}

/** Six digits; spaces (as authenticator apps show them) are ignored. */
export function validateTotpCode(value: string): string | null {
  return /^\d{6}$/.test(value.replace(/\s/g, '')) ? null : 'Enter the 6-digit code from your app.';
}

export function validateApiKeyName(value: string): string | null {
  const name = value.trim();
  if (name === '') return 'Enter a name that says what the key is for.';
  if ([...name].length > LIMITS.apiKeyNameMax)
    return `Use at most ${LIMITS.apiKeyNameMax} characters.`;
  return null;
}
