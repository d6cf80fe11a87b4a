/**
 * Passkeys of admin accounts: registering one, signing in with one (as the second factor, or
 * without a password), listing and removing them. Each challenge is stored with its purpose and
 * its account, and taken back by the one verification that answers it.
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { findAccountById } from '../admin-accounts/repositories/accounts.ts';
import { conflict, notFound } from '../errors.ts';
import {
  authenticationOptions,
  CHALLENGE_TTL_MS,
  challengeOf,
  invalidPasskey,
  type PasskeyOwner,
  type RelyingParty,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
} from './passkeys.ts';
import {
  countSecondFactors,
  deletePasskey,
  findPasskeyByCredentialId,
  insertChallenge,
  insertPasskey,
  listPasskeys,
  type PasskeyRow,
  recordPasskeyUse,
  takeChallenge,
} from './repository.ts';
import { hasSecondFactor, issueRecoveryCodes } from './service.ts';

export type { PasskeyRow } from './repository.ts';

export async function startPasskeyRegistration(
  db: Kysely<Database>,
  rp: RelyingParty,
  owner: PasskeyOwner,
  now: Date,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listPasskeys(db, owner.accountId);
  const options = await registrationOptions(rp, owner, existing);
  await insertChallenge(
    db,
    {
      challenge: options.challenge,
      purpose: 'registration',
      accountId: owner.accountId,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    },
    now,
  );
  return options;
}

/**
 * Verifies a new passkey and keeps it. The first second factor of an account also brings its
 * recovery codes, as a confirmed authenticator app does.
 */
export async function finishPasskeyRegistration(
  db: Kysely<Database>,
  rp: RelyingParty,
  accountId: string,
  input: { response: RegistrationResponseJSON; name: string },
  now: Date,
): Promise<{ passkey: PasskeyRow; recoveryCodes?: string[] }> {
  const challenge = challengeOf(input.response);
  const taken = await takeChallenge(db, challenge, 'registration', now);
  if (taken?.accountId !== accountId) throw invalidPasskey();
  const credential = await verifyRegistration(rp, input.response, challenge);
  return db.transaction().execute(async (trx) => {
    if (await findPasskeyByCredentialId(trx, credential.credentialId)) {
      throw conflict('invalid_passkey', 'This passkey is registered already.');
    }
    const first = !hasSecondFactor(await countSecondFactors(trx, accountId));
    const passkey = await insertPasskey(trx, {
      accountId,
      ...credential,
      name: input.name,
      createdAt: now,
    });
    return first
      ? { passkey, recoveryCodes: await issueRecoveryCodes(trx, accountId, now) }
      : { passkey };
  });
}

/**
 * Options for signing in with a passkey: for a known account (the second-factor step) its own
 * passkeys; for nobody yet (passwordless) any passkey the authenticator holds for this site.
 */
export async function startPasskeyAuthentication(
  db: Kysely<Database>,
  rp: RelyingParty,
  accountId: string | null,
  now: Date,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const allowed = accountId === null ? [] : await listPasskeys(db, accountId);
  const options = await authenticationOptions(rp, allowed);
  await insertChallenge(
    db,
    {
      challenge: options.challenge,
      purpose: 'authentication',
      accountId,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
    },
    now,
  );
  return options;
}

/**
 * Checks an assertion. `accountId` is the account of the session in its second-factor step, or
 * null for a passwordless sign-in; the challenge must have been issued for the same case.
 * @returns the account the passkey belongs to.
 */
export async function finishPasskeyAuthentication(
  db: Kysely<Database>,
  rp: RelyingParty,
  accountId: string | null,
  response: AuthenticationResponseJSON,
  now: Date,
): Promise<{ accountId: string; passkeyId: string }> {
  const challenge = challengeOf(response);
  const taken = await takeChallenge(db, challenge, 'authentication', now);
  if (!taken || taken.accountId !== accountId) throw invalidPasskey();
  const passkey = await findPasskeyByCredentialId(db, response.id);
  if (!passkey || (accountId !== null && passkey.accountId !== accountId)) throw invalidPasskey();
  const newCounter = await verifyAuthentication(rp, response, challenge, passkey);
  // Compare-and-set on the counter the check used: the same assertion sent twice at once, or a
  // clone answering in between, leaves one winner.
  if (!(await recordPasskeyUse(db, passkey.id, passkey.counter, newCounter, now))) {
    throw invalidPasskey();
  }
  return { accountId: passkey.accountId, passkeyId: passkey.id };
}

export function listAccountPasskeys(
  db: Kysely<Database>,
  accountId: string,
): Promise<PasskeyRow[]> {
  return listPasskeys(db, accountId);
}

/** Removes a passkey, unless it is the account's last second factor. */
export async function removePasskey(
  db: Kysely<Database>,
  accountId: string,
  passkeyId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Serialises removals on one account: two at once cannot each leave the other's passkey as
    // the last factor and so remove both.
    await findAccountById(trx, accountId, { lock: true });
    const counts = await countSecondFactors(trx, accountId);
    if (!(await deletePasskey(trx, accountId, passkeyId))) throw notFound('passkey');
    if (!hasSecondFactor({ ...counts, passkeys: counts.passkeys - 1 })) {
      throw conflict(
        'last_second_factor',
        'This is your last second factor: add another before removing it.',
      );
    }
  });
}
