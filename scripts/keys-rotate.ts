/**
 * `npm run keys:rotate`: after putting a new key first in BLINDSPOT_ENCRYPTION_KEYS (keeping the
 * old ones after it), reseals every Slack token in the database under the new key. Safe to run
 * again, and to stop: it continues where it stopped. Once it reports none left under an old key,
 * the old keys may leave the list (docs/operations/security.md).
 */

import { resealInstallations } from '../src/core/installations/reseal.ts';
import { createKeyring, ENCRYPTION_KEYS_VARIABLE } from '../src/core/secrets/keyring.ts';
import { createDatabase, createPool } from '../src/db/pool.ts';
import { bootLogger, configOrExit } from '../src/entrypoints/boot.ts';

const config = configOrExit('migrate');
if (!config.BLINDSPOT_ENCRYPTION_KEYS || !config.DATABASE_URL) {
  process.stderr.write(`keys:rotate needs ${ENCRYPTION_KEYS_VARIABLE} and DATABASE_URL\n`);
  process.exit(2);
}
const logger = bootLogger(config, 'migrate');
const pool = createPool(
  {
    connectionString: config.DATABASE_URL,
    applicationName: 'blindspot-keys-rotate',
    max: 2,
    connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  },
  logger,
);
const keyring = createKeyring(config.BLINDSPOT_ENCRYPTION_KEYS);
let exitCode = 0;
try {
  const count = await resealInstallations(createDatabase(pool), keyring, () => new Date());
  process.stdout.write(
    `Resealed ${count} installation(s) under key "${keyring.currentKeyId}"; none is left under an older key.\n`,
  );
} catch (error) {
  process.stderr.write(`keys:rotate stopped: ${(error as Error).message}\n`);
  exitCode = 1;
} finally {
  await pool.end();
}
process.exit(exitCode);
