/**
 * API keys for scripts: `bsk_` and 43 random characters, shown once, stored as a SHA-256
 * digest, each with a role, revocable, with the time and address of its last use. ADMIN_API_KEY
 * from the environment is kept as one of them (role owner, name "ADMIN_API_KEY").
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, notFound } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import {
  type ApiKeyRow,
  findLiveApiKeyByHash,
  findLiveApiKeyHashByName,
  insertApiKey,
  isRevokedApiKeyHash,
  listApiKeyRows,
  lockApiKeyImport,
  revokeApiKeyRow,
  touchApiKey,
} from './repositories/api-keys.ts';
import type { AdminRole } from './rules.ts';
import { digestSecret, newSecret } from './secrets.ts';

export type { ApiKeyRow } from './repositories/api-keys.ts';

export const API_KEY_PREFIX = 'bsk_';
export const ENV_KEY_NAME = 'ADMIN_API_KEY';
/** Characters of the secret kept in clear to tell keys apart: the prefix and 4 more. */
const SHOWN_CHARACTERS = API_KEY_PREFIX.length + 4;

/**
 * The live key a bearer secret belongs to, its use recorded.
 * @throws AppError unauthorized (401) for any other secret (the bot's token included).
 */
export async function acceptApiKey(
  db: Kysely<Database>,
  secret: string,
  address: string,
  now: Date,
): Promise<ApiKeyRow> {
  const key = secret ? await findLiveApiKeyByHash(db, digestSecret(secret)) : undefined;
  if (!key) throw new AppError('unauthorized', 'A valid admin API key is required.', 401);
  await touchApiKey(db, key.id, address, now);
  return key;
}

export async function createApiKey(
  db: Kysely<Database>,
  input: { name: string; role: AdminRole },
  createdBy: string | null,
  context: RequestContext,
  now: Date,
): Promise<{ apiKey: ApiKeyRow; secret: string }> {
  const name = input.name.trim();
  if (name === ENV_KEY_NAME || name === '') {
    throw new AppError('invalid_body', `Choose a name other than "${ENV_KEY_NAME}".`, 400, {
      fields: { name: `Choose a name other than "${ENV_KEY_NAME}".` },
    });
  }
  const secret = newSecret(API_KEY_PREFIX);
  return db.transaction().execute(async (trx) => {
    const apiKey = await insertApiKey(trx, {
      name,
      role: input.role,
      hash: digestSecret(secret),
      prefix: secret.slice(0, SHOWN_CHARACTERS),
      createdBy,
      now,
    });
    await recordAuditEvent(trx, {
      actor: context.actor ?? 'system',
      action: 'api_key.created',
      subjectType: 'api_key',
      subjectId: apiKey.id,
      requestId: context.requestId,
      address: context.address,
      details: { name, role: input.role },
    });
    return { apiKey, secret };
  });
}

export function listApiKeys(db: Kysely<Database>): Promise<ApiKeyRow[]> {
  return listApiKeyRows(db);
}

/** @throws AppError api_key_not_found (404) when there is no such live key. */
export async function revokeApiKey(
  db: Kysely<Database>,
  id: string,
  context: RequestContext,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await revokeApiKeyRow(trx, id, now))) throw notFound('api_key');
    await recordAuditEvent(trx, {
      actor: context.actor ?? 'system',
      action: 'api_key.revoked',
      subjectType: 'api_key',
      subjectId: id,
      requestId: context.requestId,
      address: context.address,
    });
  });
}

/**
 * Makes the key named ADMIN_API_KEY match the environment at start: imported (as an owner key)
 * when set and new, replaced when changed, revoked when unset. A secret once revoked (in the
 * app, or by a start without it) stays revoked: the operator sets a new one. Replicas starting
 * together do this once.
 */
export async function syncEnvironmentApiKey(
  db: Kysely<Database>,
  secret: string | undefined,
  now: Date,
): Promise<'unchanged' | 'imported' | 'replaced' | 'revoked' | 'refused_revoked'> {
  return db.transaction().execute(async (trx) => {
    await lockApiKeyImport(trx);
    const current = await findLiveApiKeyHashByName(trx, ENV_KEY_NAME);
    const wanted = secret ? digestSecret(secret) : undefined;
    if (current && wanted && current.hash.equals(wanted)) return 'unchanged';
    if (!current && !wanted) return 'unchanged';
    if (wanted && (await isRevokedApiKeyHash(trx, wanted))) {
      if (current) await revokeApiKeyRow(trx, current.id, now);
      return 'refused_revoked';
    }
    if (current) await revokeApiKeyRow(trx, current.id, now);
    if (wanted && secret) {
      const key = await insertApiKey(trx, {
        name: ENV_KEY_NAME,
        role: 'owner',
        hash: wanted,
        // Only its start, as for any key; most of a 32-character secret stays unknown.
        prefix: secret.slice(0, 4),
        createdBy: null,
        now,
      });
      await recordAuditEvent(trx, {
        actor: 'system',
        action: current ? 'api_key.replaced_from_environment' : 'api_key.imported_from_environment',
        subjectType: 'api_key',
        subjectId: key.id,
        details: { name: ENV_KEY_NAME, role: 'owner' },
      });
      return current ? 'replaced' : 'imported';
    }
    await recordAuditEvent(trx, {
      actor: 'system',
      action: 'api_key.revoked',
      subjectType: 'api_key',
      subjectId: current?.id,
      details: { name: ENV_KEY_NAME, reason: 'ADMIN_API_KEY is no longer set' },
    });
    return 'revoked';
  });
}
