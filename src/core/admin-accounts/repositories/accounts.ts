/** SQL for admin accounts. Email look-ups go through lower(email), the unique index's key. */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { AccountStatus, AdminRole } from '../rules.ts';

export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  role: AdminRole;
  status: AccountStatus;
  passwordHash: string | null;
  lastSignInAt: Date | null;
  createdAt: Date;
}

const COLUMNS = [
  'id',
  'email',
  'display_name as displayName',
  'role',
  'status',
  'password_hash as passwordHash',
  'last_sign_in_at as lastSignInAt',
  'created_at as createdAt',
] as const;

export async function countAccounts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('admin_accounts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAccountById(
  db: Executor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<AccountRow | undefined> {
  let query = db.selectFrom('admin_accounts').select(COLUMNS).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** @param email already normalised (lower-case, trimmed). */
export async function findAccountByEmail(
  db: Executor,
  email: string,
): Promise<AccountRow | undefined> {
  return db
    .selectFrom('admin_accounts')
    .select(COLUMNS)
    .where(sql<string>`lower(email)`, '=', email)
    .executeTakeFirst();
}

export async function listAccountRows(db: Executor): Promise<AccountRow[]> {
  return db
    .selectFrom('admin_accounts')
    .select(COLUMNS)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** @returns the new account's id, or undefined when the address is taken. */
export async function insertAccount(
  db: Executor,
  account: {
    email: string;
    displayName: string;
    role: AdminRole;
    status: AccountStatus;
    passwordHash?: string;
    now: Date;
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('admin_accounts')
    .values({
      email: account.email,
      display_name: account.displayName,
      role: account.role,
      status: account.status,
      password_hash: account.passwordHash ?? null,
      password_changed_at: account.passwordHash ? account.now : null,
      created_at: account.now,
      updated_at: account.now,
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function updateAccountRow(
  db: Executor,
  id: string,
  changes: {
    displayName?: string;
    role?: AdminRole;
    status?: AccountStatus;
    passwordHash?: string;
    lastSignInAt?: Date;
  },
  now: Date,
): Promise<void> {
  await db
    .updateTable('admin_accounts')
    .set({
      ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.status === undefined ? {} : { status: changes.status }),
      ...(changes.passwordHash === undefined
        ? {}
        : { password_hash: changes.passwordHash, password_changed_at: now }),
      ...(changes.lastSignInAt === undefined ? {} : { last_sign_in_at: changes.lastSignInAt }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Active owners, locked, so two demotions racing cannot remove the last one. */
export async function lockActiveOwners(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('admin_accounts')
    .select('id')
    .where('role', '=', 'owner')
    .where('status', '=', 'active')
    .forUpdate()
    .execute();
  return rows.map((row) => row.id);
}

/** Serialises the first-account check: setup and admin:create racing make one owner. */
export async function lockAccountCreation(db: Executor): Promise<void> {
  // An arbitrary fixed key: "admina" read as an integer.
  await sql`SELECT pg_advisory_xact_lock(${0x61646d696e61})`.execute(db);
}

/** Names and addresses by account id, for labelling audit events. */
export async function accountLabels(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, { displayName: string; email: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('admin_accounts')
    .select(['id', 'display_name as displayName', 'email'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, { displayName: row.displayName, email: row.email }]));
}
