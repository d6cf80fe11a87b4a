/**
 * Admin sessions: server-side rows, found by the SHA-256 of an opaque random id that only the
 * browser's cookie holds. A session is created at sign-in in a stage (enrolment, second_factor,
 * full) and replaced by a new one, with a new id, whenever it gains privilege: so an id planted
 * in a browser before sign-in is never the one in use after it (session fixation).
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { digestSecret, newSecret } from '../admin-accounts/secrets.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import type { RequestContext } from '../request-context.ts';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionByHash,
  deleteSessionsOf,
  findSessionByHash,
  insertSession,
  listSessionRows,
  type SessionRow,
  type SessionWithAccount,
  touchSession,
} from './repository.ts';
import { type SessionPolicy, type SessionStage, sessionIsLive } from './rules.ts';

export type { SessionRow, SessionWithAccount } from './repository.ts';

/** last_seen_at is written at most this often; the idle timeout is minutes, not seconds. */
const TOUCH_EVERY_MS = 30_000;

export interface NewSession {
  accountId: string;
  stage: SessionStage;
  address: string | null;
  userAgent: string | null;
}

/**
 * Creates a session; `token` is for the cookie and is stored nowhere. Sessions that ended are
 * cleared out on the way: they are dead already, this only keeps the table small.
 */
export async function createSession(
  db: Executor,
  session: NewSession,
  policy: SessionPolicy,
  now: Date,
): Promise<{ token: string; session: SessionRow }> {
  await deleteExpiredSessions(db, now, policy.idleMs);
  const token = newSecret();
  const row = await insertSession(db, {
    hash: digestSecret(token),
    accountId: session.accountId,
    stage: session.stage,
    csrfToken: newSecret(),
    createdAt: now,
    now,
    absoluteExpiresAt: new Date(now.getTime() + policy.absoluteMs),
    address: session.address,
    userAgent: session.userAgent?.slice(0, 512) ?? null,
  });
  return { token, session: row };
}

/**
 * The live session a cookie names, with its account's current role; undefined when there is
 * none, it expired, or its account is no longer active. Using it counts as activity.
 */
export async function findLiveSession(
  db: Executor,
  token: string,
  policy: SessionPolicy,
  now: Date,
): Promise<SessionWithAccount | undefined> {
  const session = await findSessionByHash(db, digestSecret(token));
  if (session?.accountStatus !== 'active' || !sessionIsLive(session, policy, now)) {
    return undefined;
  }
  await touchSession(db, session.id, now, TOUCH_EVERY_MS);
  return { ...session, lastSeenAt: now > session.lastSeenAt ? now : session.lastSeenAt };
}

/**
 * Replaces the session a cookie names with a new one (new id, new CSRF token, optionally a new
 * stage), keeping its sign-in time and absolute expiry: rotation never extends a session.
 * @returns undefined when the old session is gone (revoked meanwhile).
 */
export async function rotateSessionToken(
  db: Executor,
  token: string,
  changes: { stage?: SessionStage },
  now: Date,
): Promise<{ token: string; session: SessionRow } | undefined> {
  const old = await deleteSessionByHash(db, digestSecret(token));
  if (!old) return undefined;
  const next = newSecret();
  const row = await insertSession(db, {
    hash: digestSecret(next),
    accountId: old.accountId,
    stage: changes.stage ?? old.stage,
    csrfToken: newSecret(),
    createdAt: old.createdAt,
    now,
    absoluteExpiresAt: old.absoluteExpiresAt,
    address: old.address,
    userAgent: old.userAgent,
  });
  return { token: next, session: row };
}

export async function endSession(db: Executor, token: string): Promise<void> {
  await deleteSessionByHash(db, digestSecret(token));
}

/** Ends one of an account's sessions by its public id. @returns whether it existed. */
export function revokeSession(db: Executor, accountId: string, sessionId: string) {
  return deleteSession(db, accountId, sessionId);
}

/** Ends every session of an account, but `exceptSessionId` when given. */
export function revokeSessionsOf(db: Executor, accountId: string, exceptSessionId?: string) {
  return deleteSessionsOf(db, accountId, exceptSessionId);
}

/** The account's live sessions, most recently used first. */
export async function listLiveSessions(
  db: Executor,
  accountId: string,
  policy: SessionPolicy,
  now: Date,
): Promise<SessionRow[]> {
  const rows = await listSessionRows(db, accountId, now);
  return rows.filter((row) => sessionIsLive(row, policy, now));
}

/**
 * Sign-out and revocation as a person or admin does them, audited in the same transaction:
 * `scope` 'one' ends `sessionId` of the account, 'all' every session of it, 'current' the
 * session a cookie names (sign-out).
 * @returns how many sessions ended.
 */
export async function endSessionsAudited(
  db: Kysely<Database>,
  target:
    | { scope: 'one'; accountId: string; sessionId: string }
    | { scope: 'all'; accountId: string }
    | { scope: 'current'; accountId: string; token: string },
  context: RequestContext,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let ended: number;
    if (target.scope === 'one') {
      ended = (await deleteSession(trx, target.accountId, target.sessionId)) ? 1 : 0;
    } else if (target.scope === 'all') {
      ended = await deleteSessionsOf(trx, target.accountId);
    } else {
      ended = (await deleteSessionByHash(trx, digestSecret(target.token))) ? 1 : 0;
    }
    if (ended > 0) {
      await recordAuditEvent(trx, {
        actor: context.actor ?? 'system',
        action: { one: 'session.revoked', all: 'session.all_ended', current: 'session.signed_out' }[
          target.scope
        ],
        subjectType: 'admin_account',
        subjectId: target.accountId,
        requestId: context.requestId,
        address: context.address,
        details: {
          ended,
          ...(target.scope === 'one' ? { sessionId: target.sessionId } : {}),
        },
      });
    }
    return ended;
  });
}
