/**
 * Proving a second factor, as a step of signing in or of enrolling one: throttled per account
 * and per address (src/core/admin-sessions/throttle.ts), recorded in the sign-in history, and
 * audited, success or failure. Codes and secrets never reach the log or the audit trail.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { findAccountById, updateAccountRow } from '../admin-accounts/repositories/accounts.ts';
import { actorOf, type SignInContext } from '../admin-accounts/sign-in.ts';
import type { AttemptKind } from '../admin-sessions/repository.ts';
import { revokeSessionsOf } from '../admin-sessions/service.ts';
import { assertNotThrottled, recordAttempt } from '../admin-sessions/throttle.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, notFound } from '../errors.ts';
import {
  finishPasskeyAuthentication,
  finishPasskeyRegistration,
  type PasskeyRow,
  removePasskey,
} from './passkey-service.ts';
import { invalidPasskey, type RelyingParty } from './passkeys.ts';
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removeSecondFactors,
  type SecondFactorMethod,
  verifyRecoveryCode,
  verifyTotp,
} from './service.ts';

/** Whether `error` is a refusal of the proof itself (as opposed to a fault to pass on). */
const isRefusal = (error: unknown) =>
  error instanceof AppError &&
  (error.code === 'invalid_code' ||
    error.code === 'invalid_passkey' ||
    error.code === 'invalid_credentials');

/** What an attempt proves with, and which throttle it counts against (second_factor unless said). */
export interface ProofEvent {
  accountId: string | undefined;
  method: SecondFactorMethod | 'password';
  action: string;
  kind?: AttemptKind;
  /** For a password: the account's address, so these guesses share sign-in's counter. */
  email?: string;
}

async function record(
  db: Kysely<Database>,
  event: ProofEvent & { success: boolean; signedIn: boolean },
  context: SignInContext,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await recordAttempt(
      trx,
      {
        accountId: event.accountId,
        email: event.email,
        address: context.address,
        kind: event.kind ?? 'second_factor',
        success: event.success,
        method: event.method,
      },
      now,
    );
    if (event.signedIn && event.accountId) {
      await updateAccountRow(trx, event.accountId, { lastSignInAt: now }, now);
    }
    await recordAuditEvent(trx, {
      actor: event.accountId ? actorOf(event.accountId) : 'anonymous',
      action: `${event.action}_${event.success ? 'succeeded' : 'failed'}`,
      subjectType: 'admin_account',
      subjectId: event.accountId,
      requestId: context.requestId,
      address: context.address,
      details: { method: event.method },
    });
  });
}

/**
 * Runs `check` under the throttle, then records and audits its outcome. A refusal is recorded
 * and rethrown; any other error is passed on unrecorded (it says nothing about the person).
 */
export async function throttled<T>(
  db: Kysely<Database>,
  event: ProofEvent,
  context: SignInContext,
  now: Date,
  check: () => Promise<T & { accountId?: string }>,
  signedIn: boolean,
): Promise<T> {
  await assertNotThrottled(
    db,
    {
      accountId: event.accountId,
      email: event.email,
      address: context.address,
      kind: event.kind ?? 'second_factor',
    },
    now,
  );
  let result: T & { accountId?: string };
  try {
    result = await check();
  } catch (error) {
    if (isRefusal(error)) await record(db, { ...event, success: false, signedIn }, context, now);
    throw error;
  }
  const accountId = result.accountId ?? event.accountId;
  await record(db, { ...event, accountId, success: true, signedIn }, context, now);
  return result;
}

/** The second step of a sign-in, with a code from the authenticator app or a recovery code. */
export async function proveWithCode(
  db: Kysely<Database>,
  accountId: string,
  proof: { method: 'totp' | 'recovery_code'; code: string },
  context: SignInContext,
  now: Date,
): Promise<void> {
  await throttled(
    db,
    { accountId, method: proof.method, action: `sign_in.${proof.method}` },
    context,
    now,
    async () => {
      if (proof.method === 'totp') await verifyTotp(db, accountId, proof.code, now);
      else await verifyRecoveryCode(db, accountId, proof.code, now);
      return {};
    },
    true,
  );
}

/**
 * Signs in with a passkey: as the second step for `accountId`, or without a password when
 * `accountId` is null (the passkey, verified by fingerprint or PIN, is then both factors).
 * @returns the account signed in.
 */
export function proveWithPasskey(
  db: Kysely<Database>,
  rp: RelyingParty,
  accountId: string | null,
  response: AuthenticationResponseJSON,
  context: SignInContext,
  now: Date,
): Promise<{ accountId: string }> {
  return throttled(
    db,
    { accountId: accountId ?? undefined, method: 'passkey', action: 'sign_in.passkey' },
    context,
    now,
    async () => {
      const proved = await finishPasskeyAuthentication(db, rp, accountId, response, now);
      const account = await findAccountById(db, proved.accountId);
      if (account?.status !== 'active') throw invalidPasskey();
      return { accountId: proved.accountId };
    },
    true,
  );
}

/** Confirms a new authenticator app with its first code; throttled like a sign-in. */
export function confirmTotp(
  db: Kysely<Database>,
  accountId: string,
  code: string,
  context: SignInContext,
  now: Date,
): Promise<{ recoveryCodes: string[] }> {
  return throttled(
    db,
    { accountId, method: 'totp', action: 'second_factor.totp_enrolment' },
    context,
    now,
    () => confirmTotpEnrolment(db, accountId, code, now),
    false,
  );
}

/** Registers a passkey; audited like every change to an account's factors. */
export async function addPasskey(
  db: Kysely<Database>,
  rp: RelyingParty,
  accountId: string,
  input: { response: RegistrationResponseJSON; name: string },
  context: SignInContext,
  now: Date,
): Promise<{ passkey: PasskeyRow; recoveryCodes?: string[] }> {
  return throttled(
    db,
    { accountId, method: 'passkey', action: 'second_factor.passkey_registration' },
    context,
    now,
    () => finishPasskeyRegistration(db, rp, accountId, input, now),
    false,
  );
}

async function audit(
  db: Kysely<Database>,
  event: { actorId: string; action: string; subjectId: string; details?: Record<string, unknown> },
  context: SignInContext,
): Promise<void> {
  await recordAuditEvent(db, {
    actor: actorOf(event.actorId),
    action: event.action,
    subjectType: 'admin_account',
    subjectId: event.subjectId,
    requestId: context.requestId,
    address: context.address,
    details: event.details,
  });
}

export async function removeOwnPasskey(
  db: Kysely<Database>,
  accountId: string,
  passkeyId: string,
  context: SignInContext,
): Promise<void> {
  await removePasskey(db, accountId, passkeyId);
  await audit(
    db,
    {
      actorId: accountId,
      action: 'second_factor.passkey_removed',
      subjectId: accountId,
      details: { passkeyId },
    },
    context,
  );
}

export async function renewRecoveryCodes(
  db: Kysely<Database>,
  accountId: string,
  context: SignInContext,
  now: Date,
): Promise<string[]> {
  const codes = await regenerateRecoveryCodes(db, accountId, now);
  await audit(
    db,
    { actorId: accountId, action: 'second_factor.recovery_codes_renewed', subjectId: accountId },
    context,
  );
  return codes;
}

/**
 * An owner's reset of another account's second factors (a lost phone): every factor and every
 * session of the account goes, in one transaction, and its next sign-in starts enrolment.
 * @param actor who resets, as the audit log names them ("admin:<id>", "apikey:<id>").
 */
export async function resetSecondFactors(
  db: Kysely<Database>,
  actor: string,
  targetId: string,
  context: SignInContext,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const target = await findAccountById(trx, targetId, { lock: true });
    if (!target) throw notFound('account');
    await removeSecondFactors(trx, targetId);
    await revokeSessionsOf(trx, targetId);
    await recordAuditEvent(trx, {
      actor,
      action: 'second_factor.reset',
      subjectType: 'admin_account',
      subjectId: targetId,
      requestId: context.requestId,
      address: context.address,
    });
  });
}
