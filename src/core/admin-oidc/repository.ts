/** Every query over admin_oidc_requests: Sign in with Slack between redirect and callback. */
import type { Executor } from '../../db/executor.ts';

export async function insertOidcRequest(
  db: Executor,
  request: { stateHash: string; nonce: string; codeVerifier: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  // Requests nobody came back from are swept here, so the table stays small without a job.
  await db.deleteFrom('admin_oidc_requests').where('expires_at', '<', now).execute();
  await db
    .insertInto('admin_oidc_requests')
    .values({
      state_hash: request.stateHash,
      nonce: request.nonce,
      code_verifier: request.codeVerifier,
      expires_at: request.expiresAt,
      created_at: now,
    })
    .execute();
}

/** Takes a request back, so a callback is honoured once; undefined when unknown or expired. */
export async function takeOidcRequest(
  db: Executor,
  stateHash: string,
  now: Date,
): Promise<{ nonce: string; codeVerifier: string } | undefined> {
  const row = await db
    .deleteFrom('admin_oidc_requests')
    .where('state_hash', '=', stateHash)
    .returning(['nonce', 'code_verifier', 'expires_at'])
    .executeTakeFirst();
  if (!row || row.expires_at <= now) return undefined;
  return { nonce: row.nonce, codeVerifier: row.code_verifier };
}
