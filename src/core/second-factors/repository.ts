/** Every query over admin_totp, admin_recovery_codes, admin_passkeys and their challenges. */
import type { Executor } from '../../db/executor.ts';

export interface TotpRow {
  secret: string | null;
  pendingSecret: string | null;
  lastUsedStep: number | null;
}

export async function findTotp(db: Executor, accountId: string): Promise<TotpRow | undefined> {
  const row = await db
    .selectFrom('admin_totp')
    .select(['secret', 'pending_secret', 'last_used_step'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return (
    row && {
      secret: row.secret,
      pendingSecret: row.pending_secret,
      lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
    }
  );
}

/** Starts (or restarts) an enrolment; a confirmed secret stays in force until it is confirmed. */
export async function setPendingTotp(
  db: Executor,
  accountId: string,
  pendingSecret: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('admin_totp')
    .values({ account_id: accountId, pending_secret: pendingSecret, created_at: now })
    .onConflict((conflict) =>
      conflict.column('account_id').doUpdateSet({ pending_secret: pendingSecret }),
    )
    .execute();
}

/**
 * Makes the pending secret the account's, with `step` as its last used step, provided the
 * pending secret is still the one checked (a second enrolment may have replaced it meanwhile).
 */
export async function confirmPendingTotp(
  db: Executor,
  accountId: string,
  pendingSecret: string,
  step: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_totp')
    .set({
      secret: pendingSecret,
      pending_secret: null,
      confirmed_at: now,
      last_used_step: String(step),
    })
    .where('account_id', '=', accountId)
    .where('pending_secret', '=', pendingSecret)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Accepts the code of `step`, unless a code of that step or a later one was accepted already.
 * One statement, so two requests racing with the same code cannot both win.
 * @returns whether the step was recorded.
 */
export async function recordTotpStep(
  db: Executor,
  accountId: string,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_totp')
    .set({ last_used_step: String(step) })
    .where('account_id', '=', accountId)
    .where('secret', 'is not', null)
    .where((eb) =>
      eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step))]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function replaceRecoveryCodes(
  db: Executor,
  accountId: string,
  hashes: readonly string[],
  now: Date,
): Promise<void> {
  await db.deleteFrom('admin_recovery_codes').where('account_id', '=', accountId).execute();
  await db
    .insertInto('admin_recovery_codes')
    .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, created_at: now })))
    .execute();
}

/** Marks an unused code used, in one statement so it works exactly once. */
export async function spendRecoveryCode(
  db: Executor,
  accountId: string,
  hash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_recovery_codes')
    .set({ used_at: now })
    .where('account_id', '=', accountId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface SecondFactorCounts {
  totp: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
}

export async function countSecondFactors(
  db: Executor,
  accountId: string,
): Promise<SecondFactorCounts> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .exists(
          eb
            .selectFrom('admin_totp')
            .select('account_id')
            .where('account_id', '=', accountId)
            .where('secret', 'is not', null),
        )
        .as('totp'),
      eb
        .selectFrom('admin_passkeys')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .where('account_id', '=', accountId)
        .as('passkeys'),
      eb
        .selectFrom('admin_recovery_codes')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .where('account_id', '=', accountId)
        .where('used_at', 'is', null)
        .as('recovery_codes_left'),
    ])
    .executeTakeFirstOrThrow();
  return {
    totp: Boolean(row.totp),
    passkeys: Number(row.passkeys ?? 0),
    recoveryCodesLeft: Number(row.recovery_codes_left ?? 0),
  };
}

export interface PasskeyRow {
  id: string;
  accountId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const PASSKEY_COLUMNS = [
  'id',
  'account_id',
  'credential_id',
  'public_key',
  'counter',
  'transports',
  'name',
  'created_at',
  'last_used_at',
] as const;

function toPasskey(row: {
  id: string;
  account_id: string;
  credential_id: string;
  public_key: Buffer;
  counter: string;
  transports: string[];
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}): PasskeyRow {
  return {
    id: row.id,
    accountId: row.account_id,
    credentialId: row.credential_id,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports: row.transports,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function listPasskeys(db: Executor, accountId: string): Promise<PasskeyRow[]> {
  const rows = await db
    .selectFrom('admin_passkeys')
    .select(PASSKEY_COLUMNS)
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
  return rows.map(toPasskey);
}

export async function findPasskeyByCredentialId(
  db: Executor,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  const row = await db
    .selectFrom('admin_passkeys')
    .select(PASSKEY_COLUMNS)
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row && toPasskey(row);
}

export async function insertPasskey(
  db: Executor,
  passkey: Omit<PasskeyRow, 'id' | 'lastUsedAt'>,
): Promise<PasskeyRow> {
  const row = await db
    .insertInto('admin_passkeys')
    .values({
      account_id: passkey.accountId,
      credential_id: passkey.credentialId,
      public_key: Buffer.from(passkey.publicKey),
      counter: passkey.counter,
      transports: passkey.transports,
      name: passkey.name,
      created_at: passkey.createdAt,
    })
    .returning(PASSKEY_COLUMNS)
    .executeTakeFirstOrThrow();
  return toPasskey(row);
}

/**
 * Records a use: the new counter, unless another request recorded a counter at least as high in
 * the meantime (the same assertion twice, or a cloned authenticator).
 */
export async function recordPasskeyUse(
  db: Executor,
  id: string,
  previousCounter: number,
  newCounter: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('admin_passkeys')
    .set({ counter: newCounter, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', String(previousCounter))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deletePasskey(db: Executor, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('admin_passkeys')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function insertChallenge(
  db: Executor,
  challenge: {
    challenge: string;
    purpose: 'registration' | 'authentication';
    accountId: string | null;
    expiresAt: Date;
  },
  now: Date,
): Promise<void> {
  // Expired challenges nobody answered are swept here, so the table stays small without a job.
  await db.deleteFrom('admin_webauthn_challenges').where('expires_at', '<', now).execute();
  await db
    .insertInto('admin_webauthn_challenges')
    .values({
      challenge: challenge.challenge,
      purpose: challenge.purpose,
      account_id: challenge.accountId,
      expires_at: challenge.expiresAt,
      created_at: now,
    })
    .execute();
}

/** Takes a challenge back (so it is answered once) and tells whose it was; undefined if unknown or expired. */
export async function takeChallenge(
  db: Executor,
  challenge: string,
  purpose: 'registration' | 'authentication',
  now: Date,
): Promise<{ accountId: string | null } | undefined> {
  const row = await db
    .deleteFrom('admin_webauthn_challenges')
    .where('challenge', '=', challenge)
    .where('purpose', '=', purpose)
    .returning(['account_id', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return undefined;
  return { accountId: row.account_id };
}

/** Removes every second factor of an account: TOTP, recovery codes, passkeys, open challenges. */
export async function deleteSecondFactors(db: Executor, accountId: string): Promise<void> {
  await db.deleteFrom('admin_totp').where('account_id', '=', accountId).execute();
  await db.deleteFrom('admin_recovery_codes').where('account_id', '=', accountId).execute();
  await db.deleteFrom('admin_passkeys').where('account_id', '=', accountId).execute();
  await db.deleteFrom('admin_webauthn_challenges').where('account_id', '=', accountId).execute();
}
