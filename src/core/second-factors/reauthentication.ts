/**
 * Proof that the person at a signed-in session is still its owner, asked before a change that
 * would hand whoever holds the session a lasting way in: a new authenticator app (replacing
 * the one the account has) or new recovery codes. A stolen or unattended session alone must
 * not be enough to swap the account's second factor for one of the thief's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { verifyPassword } from '../admin-accounts/passwords.ts';
import { findAccountById } from '../admin-accounts/repositories/accounts.ts';
import type { SignInContext } from '../admin-accounts/sign-in.ts';
import { AppError } from '../errors.ts';
import { countSecondFactors } from './repository.ts';
import { hasSecondFactor, verifyTotp } from './service.ts';
import { throttled } from './sign-in.ts';

/** One of the two is enough: the account's password, or a current code from its app. */
export interface Reauthentication {
  password?: string;
  code?: string;
}

/**
 * Passes when the account has no second factor yet (nothing to protect: it is enrolling its
 * first) or when `proof` holds its password or a current TOTP code. Each guess is throttled and
 * audited like a sign-in step; a TOTP code used here is spent (no replay at sign-in).
 * @throws AppError reauthentication_required (403) without a proof; invalid_credentials or
 *   invalid_code (401) for a wrong one; too_many_attempts (429).
 */
export async function assertReauthenticated(
  db: Kysely<Database>,
  accountId: string,
  proof: Reauthentication | undefined,
  context: SignInContext,
  now: Date,
): Promise<void> {
  const counts = await countSecondFactors(db, accountId);
  if (!hasSecondFactor(counts)) return;
  if (proof?.code !== undefined && proof.code.trim() !== '') {
    const code = proof.code;
    if (!counts.totp) {
      throw new AppError(
        'invalid_code',
        'This account has no authenticator app: confirm with your password.',
        401,
      );
    }
    await throttled(
      db,
      { accountId, method: 'totp', action: 'reauthentication.totp' },
      context,
      now,
      async () => {
        await verifyTotp(db, accountId, code, now);
        return {};
      },
      false,
    );
    return;
  }
  if (proof?.password !== undefined && proof.password !== '') {
    const password = proof.password;
    const account = await findAccountById(db, accountId);
    if (!account) throw new AppError('unauthenticated', 'Sign in first: no valid session.', 401);
    await throttled(
      db,
      {
        accountId,
        email: account.email,
        kind: 'password',
        method: 'password',
        action: 'reauthentication.password',
      },
      context,
      now,
      async () => {
        if (!(await verifyPassword(account.passwordHash, password))) {
          throw new AppError('invalid_credentials', 'That password is not right.', 401);
        }
        return {};
      },
      false,
    );
    return;
  }
  throw new AppError(
    'reauthentication_required',
    'Confirm it is you first: enter your password or a code from your authenticator app.',
    403,
  );
}
