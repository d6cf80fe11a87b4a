/**
 * SQL for admin sessions and sign-in attempts. A session is found by the SHA-256 of its cookie
 * value; its numeric id is the public handle shown in lists.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { AdminRole } from '../admin-accounts/rules.ts';
import type { SessionStage } from './rules.ts';

export interface SessionRow {
  id: string;
  accountId: string;
  stage: SessionStage;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  address: string | null;
  userAgent: string | null;
}

export interface SessionWithAccount extends SessionRow {
  role: AdminRole;
  accountStatus: 'invited' | 'active' | 'deactivated';
}

const COLUMNS = [
  'admin_sessions.id as id',
  'admin_sessions.account_id as accountId',
  'admin_sessions.stage as stage',
  'admin_sessions.csrf_token as csrfToken',
  'admin_sessions.created_at as createdAt',
  'admin_sessions.last_seen_at as lastSeenAt',
  'admin_sessions.absolute_expires_at as absoluteExpiresAt',
  'admin_sessions.address as address',
  'admin_sessions.user_agent as userAgent',
] as const;

export async function insertSession(
  db: Executor,
  session: {
    hash: Buffer;
    accountId: string;
    stage: SessionStage;
    csrfToken: string;
    createdAt: Date;
    now: Date;
    absoluteExpiresAt: Date;
    address: string | null;
    userAgent: string | null;
  },
): Promise<SessionRow> {
  return db
    .insertInto('admin_sessions')
    .values({
      token_hash: session.hash,
      account_id: session.accountId,
      stage: session.stage,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      last_seen_at: session.now,
      absolute_expires_at: session.absoluteExpiresAt,
      address: session.address,
      user_agent: session.userAgent,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function findSessionByHash(
  db: Executor,
  hash: Buffer,
): Promise<SessionWithAccount | undefined> {
  return db
    .selectFrom('admin_sessions')
    .innerJoin('admin_accounts', 'admin_accounts.id', 'admin_sessions.account_id')
    .select([...COLUMNS, 'admin_accounts.role as role', 'admin_accounts.status as accountStatus'])
    .where('admin_sessions.token_hash', '=', hash)
    .executeTakeFirst();
}

/** Moves last_seen_at forward, at most once every `everyMs`, to spare a write per request. */
export async function touchSession(
  db: Executor,
  id: string,
  now: Date,
  everyMs: number,
): Promise<void> {
  await db
    .updateTable('admin_sessions')
    .set({ last_seen_at: now })
    .where('id', '=', id)
    .where('last_seen_at', '<', new Date(now.getTime() - everyMs))
    .execute();
}

/** Removes the row and returns it, so a rotation can carry its fields over. */
export async function deleteSessionByHash(
  db: Executor,
  hash: Buffer,
): Promise<SessionRow | undefined> {
  return db
    .deleteFrom('admin_sessions')
    .where('token_hash', '=', hash)
    .returning(COLUMNS)
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('admin_sessions')
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Ends every session of an account, but the one with id `exceptId` if given. */
export async function deleteSessionsOf(
  db: Executor,
  accountId: string,
  exceptId?: string,
): Promise<number> {
  let query = db.deleteFrom('admin_sessions').where('account_id', '=', accountId);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The account's sessions still inside their absolute lifetime, newest first. */
export async function listSessionRows(
  db: Executor,
  accountId: string,
  now: Date,
): Promise<SessionRow[]> {
  return db
    .selectFrom('admin_sessions')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('absolute_expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Expired sessions are dead already; removing them only keeps the table small. */
export async function deleteExpiredSessions(
  db: Executor,
  now: Date,
  idleMs: number,
): Promise<void> {
  await db
    .deleteFrom('admin_sessions')
    .where((eb) =>
      eb.or([
        eb('absolute_expires_at', '<=', now),
        eb('last_seen_at', '<=', new Date(now.getTime() - idleMs)),
      ]),
    )
    .execute();
}

/* Sign-in attempts. */

export type AttemptKind = 'password' | 'second_factor';

/**
 * The method of an attempt reserved by the throttle and not yet decided: it counts as a failure
 * (for a while, see countRecentFailures) until recordAttempt settles it.
 */
export const PENDING_METHOD = 'pending';

/** Where an attempt is counted: its kind, subject (account or email digest) and client key. */
export interface AttemptScope {
  kind: AttemptKind;
  subject: string | null;
  address: string;
}

/**
 * Serialises the throttle's check-and-reserve for these counters (each an advisory lock on a
 * key, taken in order so two callers cannot deadlock), until the transaction ends.
 */
export async function lockAttemptCounters(db: Executor, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`sign-in ${key}`}, 0))`.execute(db);
  }
}

/**
 * Settles the newest reserved attempt of this scope, if there is one (attempts of one scope are
 * alike to the throttle, whichever settles which). A reservation made before the subject was
 * known (a passkey sign-in without a password finds the account only by the passkey) is taken
 * after those of the same subject, and gets the subject now known. @returns whether one was.
 */
export async function settlePendingAttempt(
  db: Executor,
  scope: AttemptScope,
  outcome: { accountId: string | null; success: boolean; method: string | null },
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    UPDATE admin_sign_in_attempts
       SET success = ${outcome.success}, method = ${outcome.method}, subject = ${scope.subject},
           account_id = coalesce(${outcome.accountId}::bigint, account_id)
     WHERE id = (
       SELECT id FROM admin_sign_in_attempts
        WHERE kind = ${scope.kind} AND address = ${scope.address} AND method = ${PENDING_METHOD}
          AND (subject IS NOT DISTINCT FROM ${scope.subject} OR subject IS NULL)
        ORDER BY subject IS NULL, at DESC, id DESC
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING id
  `.execute(db);
  return rows.length > 0;
}

export async function insertAttempt(
  db: Executor,
  attempt: {
    kind: AttemptKind;
    subject: string | null;
    accountId: string | null;
    address: string;
    success: boolean;
    method: string | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('admin_sign_in_attempts')
    .values({
      kind: attempt.kind,
      subject: attempt.subject,
      account_id: attempt.accountId,
      address: attempt.address,
      success: attempt.success,
      method: attempt.method,
      at: attempt.at,
    })
    .execute();
}

/**
 * Failures since `since` and since the scope's latest success, and when the latest was. A
 * scope is a subject, an address, or both.
 */
export async function countRecentFailures(
  db: Executor,
  scope: { kind: AttemptKind; subject?: string; address?: string },
  since: Date,
  pendingSince: Date,
): Promise<{ failures: number; lastFailureAt: Date | null }> {
  // A reserved attempt counts while it may still be under way; one its process never settled
  // (it crashed, or failed for a reason that says nothing about the person) is let go.
  const conditions = [
    sql`kind = ${scope.kind}`,
    sql`at > ${since}`,
    sql`(method IS DISTINCT FROM ${PENDING_METHOD} OR at > ${pendingSince})`,
  ];
  if (scope.subject !== undefined) conditions.push(sql`subject = ${scope.subject}`);
  if (scope.address !== undefined) conditions.push(sql`address = ${scope.address}`);
  const where = sql.join(conditions, sql` AND `);
  const { rows } = await sql<{ failures: string; last_failure_at: Date | null }>`
    WITH recent AS (SELECT success, at FROM admin_sign_in_attempts WHERE ${where}),
         last_success AS (SELECT max(at) AS at FROM recent WHERE success)
    SELECT count(*) AS failures, max(recent.at) AS last_failure_at
      FROM recent, last_success
     WHERE NOT recent.success AND (last_success.at IS NULL OR recent.at > last_success.at)
  `.execute(db);
  const row = rows[0];
  return { failures: Number(row?.failures ?? 0), lastFailureAt: row?.last_failure_at ?? null };
}

export interface SignInRow {
  at: Date;
  success: boolean;
  method: string | null;
  address: string;
  kind: AttemptKind;
}

export async function listAttemptsOf(
  db: Executor,
  accountId: string,
  limit: number,
): Promise<SignInRow[]> {
  return db
    .selectFrom('admin_sign_in_attempts')
    .select(['at', 'success', 'method', 'address', 'kind'])
    .where('account_id', '=', accountId)
    .where((eb) => eb.or([eb('method', 'is', null), eb('method', '<>', PENDING_METHOD)]))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
