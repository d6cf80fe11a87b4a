/**
 * Second factors of admin accounts: TOTP enrolment and checks, recovery codes, and what an
 * account has. Passkeys are in ./passkey-service.ts. Throttling, sessions and the audit log are
 * the caller's (src/api/routes/admin-second-factors.ts), which knows the request.
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { AppError, conflict } from '../errors.ts';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.ts';
import {
  confirmPendingTotp,
  countSecondFactors,
  deleteSecondFactors,
  findTotp,
  recordTotpStep,
  replaceRecoveryCodes,
  type SecondFactorCounts,
  setPendingTotp,
  spendRecoveryCode,
} from './repository.ts';
import { matchTotpCode, newTotpSecret, totpUrl } from './totp.ts';

export type { SecondFactorCounts } from './repository.ts';
export type SecondFactorMethod = 'totp' | 'recovery_code' | 'passkey';

/** The name authenticator apps show above the code. */
export const TOTP_ISSUER = 'Blindspot';

/** What an account has set up: SessionInfo's `secondFactors`. */
export function describeSecondFactors(
  db: Kysely<Database>,
  accountId: string,
): Promise<SecondFactorCounts> {
  return countSecondFactors(db, accountId);
}

/** Recovery codes alone are no factor: they are the way back to one. */
export function hasSecondFactor(counts: SecondFactorCounts): boolean {
  return counts.totp || counts.passkeys > 0;
}

const invalidCode = () =>
  new AppError('invalid_code', 'That code is not valid. Check it and try again.', 401);

/** Starts an enrolment: a new secret, shown once, that counts only once a code is confirmed. */
export async function startTotpEnrolment(
  db: Kysely<Database>,
  account: { id: string; email: string },
  now: Date,
): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = newTotpSecret();
  await setPendingTotp(db, account.id, secret, now);
  return { secret, otpauthUrl: totpUrl(secret, account.email, TOTP_ISSUER) };
}

/**
 * Confirms an enrolment with a code from the app, and issues ten new recovery codes (the old
 * ones, if any, stop working).
 */
export async function confirmTotpEnrolment(
  db: Kysely<Database>,
  accountId: string,
  code: string,
  now: Date,
): Promise<{ recoveryCodes: string[] }> {
  const totp = await findTotp(db, accountId);
  if (!totp?.pendingSecret) {
    throw conflict('totp_not_started', 'Start the authenticator app set-up first.');
  }
  const pendingSecret = totp.pendingSecret;
  const step = matchTotpCode(pendingSecret, code, now, null);
  if (step === null) throw invalidCode();
  return db.transaction().execute(async (trx) => {
    if (!(await confirmPendingTotp(trx, accountId, pendingSecret, step, now))) {
      throw conflict('totp_not_started', 'The set-up was restarted elsewhere: start again.');
    }
    return { recoveryCodes: await issueRecoveryCodes(trx, accountId, now) };
  });
}

/** Checks a code from the account's app; a code whose step was used before is refused. */
export async function verifyTotp(
  db: Kysely<Database>,
  accountId: string,
  code: string,
  now: Date,
): Promise<void> {
  const totp = await findTotp(db, accountId);
  if (!totp?.secret) throw invalidCode();
  const step = matchTotpCode(totp.secret, code, now, totp.lastUsedStep);
  // Recording the step is the last check: of two requests racing with one code, one wins.
  if (step === null || !(await recordTotpStep(db, accountId, step))) throw invalidCode();
}

/** Uses one recovery code; each works once. */
export async function verifyRecoveryCode(
  db: Kysely<Database>,
  accountId: string,
  code: string,
  now: Date,
): Promise<void> {
  if (!looksLikeRecoveryCode(code)) throw invalidCode();
  if (!(await spendRecoveryCode(db, accountId, hashRecoveryCode(code), now))) throw invalidCode();
}

/** Ten new recovery codes for an account that has a second factor; the old ones stop working. */
export async function regenerateRecoveryCodes(
  db: Kysely<Database>,
  accountId: string,
  now: Date,
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    if (!hasSecondFactor(await countSecondFactors(trx, accountId))) {
      throw conflict('last_second_factor', 'Set up an authenticator app or a passkey first.');
    }
    return issueRecoveryCodes(trx, accountId, now);
  });
}

/** @returns the codes in clear, to show once; only their hashes are kept. */
export async function issueRecoveryCodes(
  db: Executor,
  accountId: string,
  now: Date,
): Promise<string[]> {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(db, accountId, codes.map(hashRecoveryCode), now);
  return codes;
}

/**
 * Removes every second factor of an account (an owner's reset): its next sign-in goes to
 * enrolment. The caller ends its sessions in the same transaction.
 */
export function removeSecondFactors(db: Executor, accountId: string): Promise<void> {
  return deleteSecondFactors(db, accountId);
}
