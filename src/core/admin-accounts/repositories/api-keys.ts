/** SQL for API keys: scripts' credentials, stored as digests, revoked rather than deleted. */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { AdminRole } from '../rules.ts';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: AdminRole;
  secretPrefix: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
  revokedAt: Date | null;
}

const COLUMNS = [
  'id',
  'name',
  'role',
  'secret_prefix as secretPrefix',
  'created_by as createdBy',
  'created_at as createdAt',
  'last_used_at as lastUsedAt',
  'last_used_address as lastUsedAddress',
  'revoked_at as revokedAt',
] as const;

export async function insertApiKey(
  db: Executor,
  key: {
    name: string;
    role: AdminRole;
    hash: Buffer;
    prefix: string;
    createdBy: string | null;
    now: Date;
  },
): Promise<ApiKeyRow> {
  return db
    .insertInto('admin_api_keys')
    .values({
      name: key.name,
      role: key.role,
      secret_hash: key.hash,
      secret_prefix: key.prefix,
      created_by: key.createdBy,
      created_at: key.now,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function listApiKeyRows(db: Executor): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('admin_api_keys')
    .select(COLUMNS)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findLiveApiKeyByHash(
  db: Executor,
  hash: Buffer,
): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('admin_api_keys')
    .select(COLUMNS)
    .where('secret_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function findLiveApiKeyHashByName(
  db: Executor,
  name: string,
): Promise<{ id: string; hash: Buffer } | undefined> {
  return db
    .selectFrom('admin_api_keys')
    .select(['id', 'secret_hash as hash'])
    .where('name', '=', name)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** @returns whether a live key was revoked. */
export async function revokeApiKeyRow(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('admin_api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a use. Written at most once a minute per key, so a busy script does not turn every
 * read into a write.
 */
export async function touchApiKey(
  db: Executor,
  id: string,
  address: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('admin_api_keys')
    .set({ last_used_at: now, last_used_address: address })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', new Date(now.getTime() - 60_000)),
        eb('last_used_address', 'is distinct from', address),
      ]),
    )
    .execute();
}

/** Serialises the ADMIN_API_KEY import between replicas starting together. */
export async function lockApiKeyImport(db: Executor): Promise<void> {
  // An arbitrary fixed key: "apikey" read as an integer.
  await sql`SELECT pg_advisory_xact_lock(${0x6170696b6579})`.execute(db);
}

export async function apiKeyNames(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('admin_api_keys')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Whether a key with this digest was revoked: its secret is never accepted again. */
export async function isRevokedApiKeyHash(db: Executor, hash: Buffer): Promise<boolean> {
  const row = await db
    .selectFrom('admin_api_keys')
    .select('id')
    .where('secret_hash', '=', hash)
    .where('revoked_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}
