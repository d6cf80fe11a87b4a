/** SQL for single-use tokens (setup, invitation, password reset), stored as digests. */
import type { Executor } from '../../../db/executor.ts';
import type { TokenKind } from '../rules.ts';

export interface TokenRow {
  id: string;
  kind: TokenKind;
  accountId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertToken(
  db: Executor,
  token: { kind: TokenKind; hash: Buffer; accountId?: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('admin_tokens')
    .values({
      kind: token.kind,
      token_hash: token.hash,
      account_id: token.accountId ?? null,
      created_at: token.now,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** The token with this digest, locked so two requests cannot both use it. */
export async function findTokenForUse(db: Executor, hash: Buffer): Promise<TokenRow | undefined> {
  return db
    .selectFrom('admin_tokens')
    .select([
      'id',
      'kind',
      'account_id as accountId',
      'expires_at as expiresAt',
      'used_at as usedAt',
    ])
    .where('token_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markTokenUsed(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable('admin_tokens').set({ used_at: now }).where('id', '=', id).execute();
}

/**
 * Ends every unused token of a kind (for an account, or the setup tokens): a new link
 * replaces the old one, so only the newest works.
 */
export async function expireUnusedTokens(
  db: Executor,
  kind: TokenKind,
  accountId: string | null,
  now: Date,
): Promise<void> {
  let query = db
    .updateTable('admin_tokens')
    .set({ used_at: now })
    .where('kind', '=', kind)
    .where('used_at', 'is', null);
  query =
    accountId === null
      ? query.where('account_id', 'is', null)
      : query.where('account_id', '=', accountId);
  await query.execute();
}

/** Whether the account got a token of `kind` after `since` (to space out reset mails). */
export async function hasTokenSince(
  db: Executor,
  kind: TokenKind,
  accountId: string,
  since: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('admin_tokens')
    .select('id')
    .where('kind', '=', kind)
    .where('account_id', '=', accountId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}
