/** The api service: the REST API over PostgreSQL. */
import { registerApi } from '../api/app.ts';
import { exitOnSignals } from '../lifecycle.ts';
import { createMetrics } from '../observability/metrics.ts';
import { VERSION } from '../version.ts';
import { adminApiOptions, announceAdminSetup, importAdminApiKey } from './admin-setup.ts';
import { bootLogger, closeServer, configOrExit, listen, trimHeapWhenQuiet } from './boot.ts';
import { openKeyring } from './encryption-keys.ts';
import { closeDatabase, databaseServer, openDatabase } from './wiring.ts';

const config = configOrExit('api');
const logger = bootLogger(config, 'api');
const metrics = createMetrics();
// configOrExit guarantees DATABASE_URL, API_SERVICE_TOKEN and API_SIGNING_SECRET for the api.
const database = openDatabase(String(config.DATABASE_URL), config, 'api', logger, metrics);
const server = await databaseServer(database, logger, metrics);
const admin = adminApiOptions(config);
await importAdminApiKey(database.db, config.ADMIN_API_KEY, logger, new Date());
const keyring = await openKeyring(config, database.db).catch(async (error: Error) => {
  process.stderr.write(`blindspot api: ${error.message}\n`);
  await database.pool.end();
  process.exit(1);
});
await registerApi(server, {
  db: database.db,
  serviceToken: String(config.API_SERVICE_TOKEN),
  signingSecret: String(config.API_SIGNING_SECRET),
  adminApiKey: config.ADMIN_API_KEY,
  version: VERSION,
  metrics,
  deadlineMs: config.API_DEADLINE_MS,
  rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
  rateLimitPerUserPerMinute: config.API_RATE_LIMIT_PER_USER_PER_MINUTE,
  admin: admin.options,
  keyring,
});
const trimmer = trimHeapWhenQuiet(config, logger, metrics);
exitOnSignals(
  () => [...trimmer, closeServer(server), ...admin.steps, closeDatabase(database, 'api')],
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);
const address = await listen(server, config);
// Each replica prints a link of its own; any of them works until the owner exists.
await announceAdminSetup(database.db, logger, admin.options.publicUrl ?? address, new Date());
