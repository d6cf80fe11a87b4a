/**
 * Getting into an account: the one-time setup of the first owner, password sign-in, accepting
 * an invitation, and password reset. Every outcome is audited; passwords and tokens never are.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { revokeSessionsOf } from '../admin-sessions/service.ts';
import { assertNotThrottled, recordAttempt } from '../admin-sessions/throttle.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, conflict, invalid } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './passwords.ts';
import {
  type AccountRow,
  countAccounts,
  findAccountByEmail,
  findAccountById,
  insertAccount,
  lockAccountCreation,
  updateAccountRow,
} from './repositories/accounts.ts';
import {
  expireUnusedTokens,
  findTokenForUse,
  hasTokenSince,
  markTokenUsed,
} from './repositories/tokens.ts';
import { isEmail, normalizeEmail, type TokenKind } from './rules.ts';
import { digestSecret } from './secrets.ts';
import { issueToken } from './tokens.ts';

export type { AccountRow } from './repositories/accounts.ts';

/** The context of a sign-in request: where it came from, for throttling and the log. */
export interface SignInContext extends RequestContext {
  address: string;
}

export const actorOf = (accountId: string) => `admin:${accountId}`;

const invalidToken = () =>
  invalid('invalid_token', 'This link is invalid, used or expired. Ask for a new one.');

/** Whether the deployment still has no account, so the setup page should be offered. */
export async function isSetupNeeded(db: Kysely<Database>): Promise<boolean> {
  return (await countAccounts(db)) === 0;
}

/**
 * A new setup token while no account exists (undefined otherwise). Called at every start of
 * every api replica, so a link is printed again until someone uses it; earlier links keep
 * working until they expire or the owner is created, whichever replica's log they came from.
 */
export async function issueSetupToken(
  db: Kysely<Database>,
  now: Date,
): Promise<{ token: string; expiresAt: Date } | undefined> {
  return db.transaction().execute(async (trx) => {
    await lockAccountCreation(trx);
    if ((await countAccounts(trx)) > 0) return undefined;
    return issueToken(trx, 'setup', null, now);
  });
}

/** Uses a token of `kind` in the caller's transaction. @throws AppError invalid_token (400). */
async function useToken(
  trx: Kysely<Database>,
  kind: TokenKind,
  token: string,
  now: Date,
): Promise<{ accountId: string | null }> {
  const row = await findTokenForUse(trx, digestSecret(token));
  if (!row || row.kind !== kind || row.usedAt !== null || row.expiresAt <= now) {
    throw invalidToken();
  }
  await markTokenUsed(trx, row.id, now);
  return { accountId: row.accountId };
}

function assertEmail(email: string): void {
  if (!isEmail(email)) {
    throw invalid('invalid_account', 'Give a valid email address.', {
      email: 'Give a valid email address.',
    });
  }
}

/**
 * Creates the first account, an owner, with the setup token from the start-up log.
 * @throws AppError invalid_token (400), weak_password (400), setup_not_needed (409).
 */
export async function completeSetup(
  db: Kysely<Database>,
  input: { token: string; email: string; displayName: string; password: string },
  context: SignInContext,
  now: Date,
): Promise<AccountRow> {
  assertEmail(input.email.trim());
  assertAcceptablePassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    await lockAccountCreation(trx);
    if ((await countAccounts(trx)) > 0) {
      throw conflict('setup_not_needed', 'Blindspot already has an owner: sign in instead.');
    }
    await useToken(trx, 'setup', input.token, now);
    // The other replicas' setup links die with this one.
    await expireUnusedTokens(trx, 'setup', null, now);
    const id = await insertAccount(trx, {
      email: input.email.trim(),
      displayName: input.displayName.trim(),
      role: 'owner',
      status: 'active',
      passwordHash,
      now,
    });
    if (!id) throw conflict('email_taken', 'An account already has this email address.');
    await recordAuditEvent(trx, {
      actor: actorOf(id),
      action: 'account.setup',
      subjectType: 'admin_account',
      subjectId: id,
      requestId: context.requestId,
      address: context.address,
      details: { role: 'owner' },
    });
    return (await findAccountById(trx, id)) as AccountRow;
  });
}

/**
 * Checks an email and password. An unknown address, a wrong password, an invited account
 * without a password and a deactivated account all get the same error after the same work (one
 * argon2 verification and the same writes), so neither the answer nor its timing tells them
 * apart.
 * @throws AppError invalid_credentials (401), too_many_attempts (429).
 */
export async function signInWithPassword(
  db: Kysely<Database>,
  input: { email: string; password: string },
  context: SignInContext,
  now: Date,
): Promise<AccountRow> {
  const email = normalizeEmail(input.email);
  const attempt = { email, address: context.address, kind: 'password' as const };
  await assertNotThrottled(db, attempt, now);
  const account = await findAccountByEmail(db, email);
  const matches = await verifyPassword(account?.passwordHash, input.password);
  const success = matches && account?.status === 'active';
  await db.transaction().execute(async (trx) => {
    await recordAttempt(
      trx,
      { ...attempt, accountId: account?.id, success, method: 'password' },
      now,
    );
    if (success && account) await updateAccountRow(trx, account.id, { lastSignInAt: now }, now);
    await recordAuditEvent(trx, {
      actor: account ? actorOf(account.id) : 'anonymous',
      action: success ? 'sign_in.password_succeeded' : 'sign_in.password_failed',
      subjectType: 'admin_account',
      subjectId: account?.id,
      requestId: context.requestId,
      address: context.address,
      details: { method: 'password' },
    });
  });
  if (!success || !account) {
    throw new AppError('invalid_credentials', 'Wrong email or password.', 401);
  }
  return account;
}

/**
 * Sets the password (and display name) of an invited account, which becomes active.
 * @throws AppError invalid_token (400), weak_password (400).
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  input: { token: string; displayName: string; password: string },
  context: SignInContext,
  now: Date,
): Promise<AccountRow> {
  assertAcceptablePassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const { accountId } = await useToken(trx, 'invitation', input.token, now);
    const account = accountId ? await findAccountById(trx, accountId, { lock: true }) : undefined;
    if (account?.status !== 'invited') throw invalidToken();
    await updateAccountRow(
      trx,
      account.id,
      { displayName: input.displayName.trim(), passwordHash, status: 'active', lastSignInAt: now },
      now,
    );
    await recordAuditEvent(trx, {
      actor: actorOf(account.id),
      action: 'account.invitation_accepted',
      subjectType: 'admin_account',
      subjectId: account.id,
      requestId: context.requestId,
      address: context.address,
      details: { role: account.role },
    });
    return (await findAccountById(trx, account.id)) as AccountRow;
  });
}

/** A public reset request mails at most one link per account in this time. */
export const RESET_REQUEST_SPACING_MS = 5 * 60_000;

/**
 * A reset link for the account with this address, if there is an active one and it got none in
 * the last five minutes (so the form cannot flood someone's inbox). The caller answers the same
 * either way, so the form does not reveal who has an account.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  email: string,
  context: SignInContext,
  now: Date,
): Promise<{ account: AccountRow; token: string; expiresAt: Date } | undefined> {
  const account = await findAccountByEmail(db, normalizeEmail(email));
  if (account?.status !== 'active') return undefined;
  const since = new Date(now.getTime() - RESET_REQUEST_SPACING_MS);
  if (await hasTokenSince(db, 'password_reset', account.id, since)) return undefined;
  return db.transaction().execute(async (trx) => {
    const issued = await issueToken(trx, 'password_reset', account.id, now);
    await recordAuditEvent(trx, {
      actor: actorOf(account.id),
      action: 'account.password_reset_requested',
      subjectType: 'admin_account',
      subjectId: account.id,
      requestId: context.requestId,
      address: context.address,
    });
    return { account, ...issued };
  });
}

/**
 * Sets a new password with a reset token, and ends every session of the account: whoever
 * knew the old password is signed out.
 * @throws AppError invalid_token (400), weak_password (400).
 */
export async function resetPassword(
  db: Kysely<Database>,
  input: { token: string; password: string },
  context: SignInContext,
  now: Date,
): Promise<void> {
  assertAcceptablePassword(input.password);
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const { accountId } = await useToken(trx, 'password_reset', input.token, now);
    const account = accountId ? await findAccountById(trx, accountId, { lock: true }) : undefined;
    if (account?.status !== 'active') throw invalidToken();
    await updateAccountRow(trx, account.id, { passwordHash }, now);
    const ended = await revokeSessionsOf(trx, account.id);
    await recordAuditEvent(trx, {
      actor: actorOf(account.id),
      action: 'account.password_reset',
      subjectType: 'admin_account',
      subjectId: account.id,
      requestId: context.requestId,
      address: context.address,
      details: { sessionsEnded: ended },
    });
  });
}
