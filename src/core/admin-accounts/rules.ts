/**
 * The rules for admin accounts that need no database: roles and their order, what makes an
 * acceptable password, how an email address is compared. Pure, so tested without I/O.
 */

/** In increasing power; each role can do everything the ones before it can. */
export const ADMIN_ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ACCOUNT_STATUSES = ['invited', 'active', 'deactivated'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export function roleAtLeast(role: AdminRole, minimum: AdminRole): boolean {
  return ADMIN_ROLES.indexOf(role) >= ADMIN_ROLES.indexOf(minimum);
}

/**
 * Length is the only composition rule (NIST SP 800-63B §3.1.1.2): 12 characters at least,
 * counted as the person sees them (code points, not UTF-16 units). The upper bound only keeps
 * an attacker from making us hash megabytes.
 */
export const PASSWORD_LIMITS = { min: 12, max: 256 } as const;

/**
 * Why a new password is refused, or undefined when it is acceptable.
 * @param isCommon whether the password is on a list of breached or common passwords.
 */
export function passwordProblem(
  password: string,
  isCommon: (password: string) => boolean,
): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_LIMITS.min) {
    return `Use at least ${PASSWORD_LIMITS.min} characters; a few unrelated words work well.`;
  }
  if (length > PASSWORD_LIMITS.max) {
    return `Use at most ${PASSWORD_LIMITS.max} characters.`;
  }
  if (isCommon(password)) {
    return 'This password is on a list of common or breached passwords; choose another.';
  }
  return undefined;
}

/** Addresses are compared case-insensitively, as people type them. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Deliberately loose: one @, something either side, a dot in the domain. */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

export function isEmail(email: string): boolean {
  return email.length <= 254 && new RegExp(EMAIL_PATTERN).test(email);
}

/** Single-use token lifetimes (issue 13): setup 24 h, invitation 72 h, password reset 1 h. */
export const TOKEN_LIFETIME_MS = {
  setup: 24 * 3_600_000,
  invitation: 72 * 3_600_000,
  password_reset: 3_600_000,
} as const;
export type TokenKind = keyof typeof TOKEN_LIFETIME_MS;
