/**
 * `npm run db:migrate`, and the one-shot `migrate` container: applies pending migrations and
 * exits. With DATABASE_URL unset it migrates the embedded PostgreSQL in .data/postgres.
 */

import { seedShippedCatalogue } from '../core/workspaces/service.ts';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { migrate } from '../db/migrate.ts';
import { createDatabase, createPool } from '../db/pool.ts';
import { bootLogger, configOrExit } from './boot.ts';

const config = configOrExit('migrate');
const logger = bootLogger(config, 'migrate');
const embedded = config.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: config.EMBEDDED_POSTGRES_DIR, logger });
const pool = createPool(
  {
    connectionString: config.DATABASE_URL ?? String(embedded?.url),
    applicationName: 'blindspot-migrate',
    max: 1,
    connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  },
  logger,
);
let exitCode = 0;
try {
  const applied = await migrate(pool, logger);
  // A new build may ship a revised catalogue: bring every workspace's topics up to it.
  await seedShippedCatalogue(createDatabase(pool), new Date());
  logger.info(
    { applied: applied.length },
    applied.length ? 'migrations applied' : 'database is up to date',
  );
} catch (error) {
  logger.fatal({ err: error }, 'migration failed');
  exitCode = 1;
} finally {
  await pool.end();
  await embedded?.stop();
}
process.exit(exitCode);
