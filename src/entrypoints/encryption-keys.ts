/**
 * The API's keyring, checked against the database before the API serves anything: a restored
 * backup with a key that does not open its tokens stops the start, naming the variable, rather
 * than failing on the first Slack event.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { checkKeysOpenStoredTokens } from '../core/installations/service.ts';
import { createKeyring, type Keyring } from '../core/secrets/keyring.ts';
import type { Database } from '../db/schema.ts';

/** @throws Error whose message names BLINDSPOT_ENCRYPTION_KEYS. */
export async function openKeyring(
  config: Config,
  db: Kysely<Database>,
): Promise<Keyring | undefined> {
  // loadConfig has already refused a malformed value, so this does not throw.
  const keyring = config.BLINDSPOT_ENCRYPTION_KEYS
    ? createKeyring(config.BLINDSPOT_ENCRYPTION_KEYS)
    : undefined;
  await checkKeysOpenStoredTokens(db, keyring);
  return keyring;
}
