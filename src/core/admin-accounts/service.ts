/**
 * Managing admin accounts: invitations, roles, deactivation, reset links, each account's
 * sessions and sign-ins. An admin manages viewers and editors; only an owner manages admins
 * and owners, and the last active owner can be neither demoted nor deactivated.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { listAttemptsOf, type SignInRow } from '../admin-sessions/repository.ts';
import { revokeSessionsOf } from '../admin-sessions/service.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, conflict, invalid, notFound } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { describeSecondFactors, hasSecondFactor } from '../second-factors/service.ts';
import {
  type AccountRow,
  findAccountById,
  insertAccount,
  listAccountRows,
  lockAccountCreation,
  lockActiveOwners,
  updateAccountRow,
} from './repositories/accounts.ts';
import { type AdminRole, isEmail, roleAtLeast } from './rules.ts';
import { issueToken } from './tokens.ts';

export type { SignInRow } from '../admin-sessions/repository.ts';
export type { AccountRow } from './repositories/accounts.ts';

/** Who is acting: their role, and their account when they are a person (not an API key). */
export interface Actor {
  role: AdminRole;
  accountId?: string;
}

export interface AccountSummary extends AccountRow {
  secondFactor: boolean;
}

const MANAGES_ADMINS: AdminRole = 'owner';

/** @throws AppError forbidden (403) unless the actor may manage an account with `role`. */
function assertMayManage(actor: Actor, role: AdminRole): void {
  if (roleAtLeast(role, 'admin') && !roleAtLeast(actor.role, MANAGES_ADMINS)) {
    throw new AppError('forbidden', 'Only an owner can manage admins and owners.', 403);
  }
}

async function accountOf(db: Kysely<Database>, id: string, lock = false): Promise<AccountRow> {
  const account = await findAccountById(db, id, { lock });
  if (!account) throw notFound('account');
  return account;
}

export async function listAccounts(db: Kysely<Database>): Promise<AccountSummary[]> {
  const accounts = await listAccountRows(db);
  return Promise.all(
    accounts.map(async (account) => ({
      ...account,
      secondFactor: hasSecondFactor(await describeSecondFactors(db, account.id)),
    })),
  );
}

export async function getAccount(db: Kysely<Database>, id: string): Promise<AccountSummary> {
  const account = await accountOf(db, id);
  return { ...account, secondFactor: hasSecondFactor(await describeSecondFactors(db, id)) };
}

/**
 * Creates an invited account and its invitation token (72 h). The first account ever made this
 * way (by `npm run admin:create` on an empty deployment) is an owner whatever was asked.
 * @throws AppError invalid_account (400), email_taken (409), forbidden (403).
 */
export async function inviteAccount(
  db: Kysely<Database>,
  input: { email: string; displayName: string; role: AdminRole },
  actor: Actor | 'shell',
  context: RequestContext,
  now: Date,
): Promise<{ account: AccountRow; token: string; expiresAt: Date }> {
  const email = input.email.trim();
  if (!isEmail(email)) {
    throw invalid('invalid_account', 'Give a valid email address.', {
      email: 'Give a valid email address.',
    });
  }
  if (actor !== 'shell') assertMayManage(actor, input.role);
  return db.transaction().execute(async (trx) => {
    await lockAccountCreation(trx);
    const first = (await listAccountRows(trx)).length === 0;
    const role: AdminRole = first ? 'owner' : input.role;
    const id = await insertAccount(trx, {
      email,
      displayName: input.displayName.trim(),
      role,
      status: 'invited',
      now,
    });
    if (!id) throw conflict('email_taken', 'An account already has this email address.');
    const issued = await issueToken(trx, 'invitation', id, now);
    await recordAuditEvent(trx, {
      actor: context.actor ?? 'system',
      action: 'account.invited',
      subjectType: 'admin_account',
      subjectId: id,
      requestId: context.requestId,
      address: context.address,
      details: { role, via: actor === 'shell' ? 'shell' : 'api' },
    });
    return { account: await accountOf(trx, id), ...issued };
  });
}

/**
 * Changes an account's role, status or display name. A change of role or a deactivation ends
 * the account's sessions (but the caller's own current one, which the route rotates).
 * @throws AppError account_not_found (404), forbidden (403), last_owner (409).
 */
export async function updateAccount(
  db: Kysely<Database>,
  id: string,
  changes: { role?: AdminRole; status?: 'active' | 'deactivated'; displayName?: string },
  actor: Actor & { sessionId?: string },
  context: RequestContext,
  now: Date,
): Promise<{ account: AccountRow; privilegeChanged: boolean }> {
  return db.transaction().execute(async (trx) => {
    const owners = await lockActiveOwners(trx);
    const before = await accountOf(trx, id, true);
    assertMayManage(actor, before.role);
    if (changes.role !== undefined) assertMayManage(actor, changes.role);
    if (changes.status !== undefined && before.status === 'invited') {
      throw conflict('invalid_account', 'An invited account becomes active by its invitation.');
    }
    const demoted = changes.role !== undefined && changes.role !== 'owner';
    const deactivated = changes.status === 'deactivated';
    if (
      before.role === 'owner' &&
      before.status === 'active' &&
      (demoted || deactivated) &&
      owners.length <= 1
    ) {
      throw conflict('last_owner', 'This is the last owner: make someone else owner first.');
    }
    const roleChanged = changes.role !== undefined && changes.role !== before.role;
    const statusChanged = changes.status !== undefined && changes.status !== before.status;
    await updateAccountRow(
      trx,
      id,
      {
        ...(changes.displayName === undefined ? {} : { displayName: changes.displayName.trim() }),
        ...(roleChanged ? { role: changes.role } : {}),
        ...(statusChanged ? { status: changes.status } : {}),
      },
      now,
    );
    const privilegeChanged = roleChanged || (statusChanged && deactivated);
    if (privilegeChanged) {
      const own = actor.accountId === id ? actor.sessionId : undefined;
      await revokeSessionsOf(trx, id, own);
    }
    const after = await accountOf(trx, id);
    const fields = (['role', 'status', 'displayName'] as const).filter(
      (field) => before[field] !== after[field],
    );
    await recordAuditEvent(trx, {
      actor: context.actor ?? 'system',
      action: 'account.updated',
      subjectType: 'admin_account',
      subjectId: id,
      requestId: context.requestId,
      address: context.address,
      details: {
        fields,
        before: Object.fromEntries(fields.map((field) => [field, before[field]])),
        after: Object.fromEntries(fields.map((field) => [field, after[field]])),
      },
    });
    return { account: after, privilegeChanged };
  });
}

/**
 * A link that sets the account's password: a reset link (1 h) for an active account, a fresh
 * invitation (72 h) for one still invited. Handed to the admin when there is no mail.
 * @throws AppError account_not_found (404), forbidden (403), invalid_account (409).
 */
export async function issuePasswordLink(
  db: Kysely<Database>,
  id: string,
  actor: Actor,
  context: RequestContext,
  now: Date,
): Promise<{
  account: AccountRow;
  kind: 'password_reset' | 'invitation';
  token: string;
  expiresAt: Date;
}> {
  return db.transaction().execute(async (trx) => {
    const account = await accountOf(trx, id, true);
    assertMayManage(actor, account.role);
    if (account.status === 'deactivated') {
      throw conflict('invalid_account', 'Reactivate the account first.');
    }
    const kind = account.status === 'invited' ? 'invitation' : 'password_reset';
    const issued = await issueToken(trx, kind, id, now);
    await recordAuditEvent(trx, {
      actor: context.actor ?? 'system',
      action: kind === 'invitation' ? 'account.invitation_renewed' : 'account.password_link_issued',
      subjectType: 'admin_account',
      subjectId: id,
      requestId: context.requestId,
      address: context.address,
    });
    return { account, kind, ...issued };
  });
}

/** The account's sign-ins (passwords and second factors), newest first. */
export async function listSignIns(
  db: Kysely<Database>,
  id: string,
  actor: Actor,
  limit = 100,
): Promise<SignInRow[]> {
  // Where and when someone signs in is theirs: only who may manage the account may read it.
  await assertMayManageAccount(db, id, actor);
  return listAttemptsOf(db, id, limit);
}

/** @throws AppError account_not_found (404) when there is no such account. */
export async function assertAccountExists(db: Kysely<Database>, id: string): Promise<AccountRow> {
  return accountOf(db, id);
}

/** Whether the actor may see or end the sessions of this account. */
export async function assertMayManageAccount(
  db: Kysely<Database>,
  id: string,
  actor: Actor,
): Promise<AccountRow> {
  const account = await accountOf(db, id);
  assertMayManage(actor, account.role);
  return account;
}
