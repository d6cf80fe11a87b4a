/**
 * `npm run admin:create -- --email ada@example.com --name "Ada Lovelace" [--role admin]`
 *
 * Creates an admin account from the shell (the first one is an owner, whatever --role says) and
 * prints a one-time link, valid 72 hours, where its owner sets the password. No password ever
 * passes through the command line or the shell history.
 * Uses DATABASE_URL, or with it unset the embedded PostgreSQL in .data/postgres (stop
 * `npm start` first: one process at a time owns that folder).
 */
import { parseArgs } from 'node:util';
import { ADMIN_ROLES, type AdminRole } from '../src/core/admin-accounts/rules.ts';
import { inviteAccount } from '../src/core/admin-accounts/service.ts';
import { tokenUrl } from '../src/core/admin-accounts/tokens.ts';
import { AppError } from '../src/core/errors.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { createDatabase, createPool } from '../src/db/pool.ts';
import { bootLogger, configOrExit } from '../src/entrypoints/boot.ts';

const USAGE =
  'usage: npm run admin:create -- --email <address> --name "<display name>" ' +
  `[--role ${ADMIN_ROLES.join('|')}]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { email?: string; name?: string; role?: string };
try {
  ({ values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'viewer' },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (!values.email) fail('--email is required');
if (!values.name?.trim()) fail('--name is required');
if (!(ADMIN_ROLES as readonly string[]).includes(values.role ?? '')) {
  fail(`--role must be one of ${ADMIN_ROLES.join(', ')}`);
}

const config = configOrExit('migrate');
const logger = bootLogger(config, 'migrate');
const embedded = config.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: config.EMBEDDED_POSTGRES_DIR, logger });
const pool = createPool(
  {
    connectionString: config.DATABASE_URL ?? String(embedded?.url),
    applicationName: 'blindspot-admin-create',
    max: 2,
    connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  },
  logger,
);
let exitCode = 0;
try {
  await migrate(pool, logger);
  const invited = await inviteAccount(
    createDatabase(pool),
    { email: values.email, displayName: values.name, role: values.role as AdminRole },
    'shell',
    { actor: 'system' },
    new Date(),
  );
  const base = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  const url = tokenUrl(base, 'invitation', invited.token);
  process.stdout.write(
    `Created ${invited.account.role} account ${invited.account.email}.\n` +
      `Open this link once, before ${invited.expiresAt.toISOString()}, to set its password:\n` +
      `${url}\n`,
  );
} catch (error) {
  if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
  else logger.fatal({ err: error }, 'could not create the account');
  exitCode = 1;
} finally {
  await pool.end();
  await embedded?.stop();
}
process.exit(exitCode);
