/** Issuing single-use tokens: a random secret for the link, its digest in the database. */
import type { Executor } from '../../db/executor.ts';
import { expireUnusedTokens, insertToken } from './repositories/tokens.ts';
import { TOKEN_LIFETIME_MS, type TokenKind } from './rules.ts';
import { digestSecret, newSecret } from './secrets.ts';

/**
 * A new token of `kind`. An account's earlier unused invitation or reset links stop working. Setup
 * links do not replace each other: every api replica prints one at start, and whichever of them
 * the operator finds must work; they all stop working once the owner exists (completeSetup).
 */
export async function issueToken(
  db: Executor,
  kind: TokenKind,
  accountId: string | null,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  if (kind !== 'setup') await expireUnusedTokens(db, kind, accountId, now);
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS[kind]);
  await insertToken(db, {
    kind,
    hash: digestSecret(token),
    accountId: accountId ?? undefined,
    now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** The page a token's link opens, under PUBLIC_URL. */
export function tokenUrl(publicUrl: string, kind: TokenKind, token: string): string {
  const page = { setup: 'setup', invitation: 'invite', password_reset: 'reset-password' }[kind];
  return `${publicUrl.replace(/\/+$/, '')}/admin/${page}?token=${encodeURIComponent(token)}`;
}
