/**
 * Password hashing with argon2id at OWASP's first recommended setting (m=19456 KiB, t=2, p=1:
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id),
 * and the list of common passwords a new one is checked against (zxcvbn-ts's, about 49,000).
 */
import { createRequire } from 'node:module';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { invalid } from '../errors.ts';
import { passwordProblem } from './rules.ts';

const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let common: Set<string> | undefined;

/**
 * The list, loaded when a password is first set: zxcvbn-ts's dictionaries are about 3 MB of
 * heap, which a process that never sets a password need not carry. Read through require, as
 * the check is synchronous; the package ships CommonJS beside its ES module.
 */
function commonPasswords(): Set<string> {
  const { dictionary } = createRequire(import.meta.url)(
    '@zxcvbn-ts/language-common',
  ) as typeof import('@zxcvbn-ts/language-common');
  return new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
}

/** Case-insensitive: "Password123!" is as guessable as "password123!". */
export function isCommonPassword(password: string): boolean {
  common ??= commonPasswords();
  return common.has(password.toLowerCase());
}

/** @throws AppError weak_password (400), with the problem under `fields.password`. */
export function assertAcceptablePassword(password: string): void {
  const problem = passwordProblem(password, isCommonPassword);
  if (problem) throw invalid('weak_password', problem, { password: problem });
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches `stored`. Without a stored hash (unknown email, invited account)
 * it still verifies against a dummy hash with the same parameters, so the answer takes as long
 * as a real check and timing does not tell who has an account.
 */
export async function verifyPassword(stored: string | null | undefined, password: string) {
  dummyHash ??= hashPassword('blindspot-dummy-password-never-matches');
  const target = stored ?? (await dummyHash);
  try {
    const ok = await verify(target, password);
    return ok && stored !== null && stored !== undefined;
  } catch {
    return false;
  }
}
