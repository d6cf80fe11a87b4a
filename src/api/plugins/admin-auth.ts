/**
 * API keys on the admin API: `Authorization: Bearer <key>`, for scripts. Keys are created by
 * an owner (POST /api/v1/admin/api-keys) or imported from ADMIN_API_KEY at start; each has a
 * role like an account's. The bot's service token is not a key and never opens an admin route.
 */
import type { Kysely } from 'kysely';
import { acceptApiKey } from '../../core/admin-accounts/api-keys.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/schema.ts';

/**
 * The key a bearer Authorization header names, its use recorded with the caller's address.
 * @throws AppError unauthorized (401) for another scheme or an unknown, revoked key.
 */
export async function authenticateApiKey(
  db: Kysely<Database>,
  header: string,
  address: string,
  now: Date,
) {
  if (!header.startsWith('Bearer ')) {
    throw new AppError('unauthorized', 'A valid admin API key is required.', 401);
  }
  return acceptApiKey(db, header.slice('Bearer '.length).trim(), address, now);
}
