/**
 * Random secrets and their stored form. Session ids, API keys and single-use tokens are 256-bit
 * random values, so a SHA-256 digest is as good as a slow hash for them: nobody can guess the
 * input, and a stolen table gives away nothing usable.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url (43 characters), with an optional prefix such as "bsk_". */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function digestSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Compares two strings without a timing hint about where they differ. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digestSecret(a), digestSecret(b));
}
