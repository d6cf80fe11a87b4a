/**
 * Recovery codes: ten single-use codes shown once, for the day the phone is lost. Pure.
 *
 * Each code carries 60 random bits, so a fast hash is enough: SHA-256 cannot be reversed for a
 * value that cannot be guessed, unlike a password, and checking stays cheap.
 */
import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
/**
 * No 0/O, 1/I/L or U: Crockford's base32 alphabet, so a code read off paper is typed right.
 * https://www.crockford.com/base32.html
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** Ten new codes, as the person sees them: `XXXX-XXXX-XXXX`. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: GROUPS }, () =>
      Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/**
 * The code as stored, whatever way it was typed: case, spaces and dashes do not matter, and the
 * letters Crockford's alphabet leaves out are read as the digits they look like.
 */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replaceAll(/[\s-]/g, '').replaceAll('O', '0').replaceAll(/[IL]/g, '1');
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');
}

/** Whether `input` could be a recovery code at all; anything else is refused without a lookup. */
export function looksLikeRecoveryCode(input: string): boolean {
  const normalized = normalizeRecoveryCode(input);
  return (
    normalized.length === GROUPS * GROUP_LENGTH &&
    [...normalized].every((character) => ALPHABET.includes(character))
  );
}
