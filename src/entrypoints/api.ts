/** The api service: the REST API over PostgreSQL. */
import { registerApi } from '../api/app.ts';
import { exitOnSignals } from '../lifecycle.ts';
import { createMetrics } from '../observability/metrics.ts';
import { VERSION } from '../version.ts';
import { bootLogger, closeServer, configOrExit, listen } from './boot.ts';
import { closeDatabase, databaseServer, openDatabase } from './wiring.ts';

const config = configOrExit('api');
const logger = bootLogger(config, 'api');
const metrics = createMetrics();
// configOrExit guarantees DATABASE_URL and API_SERVICE_TOKEN for the api service.
const database = openDatabase(String(config.DATABASE_URL), config, 'api', logger, metrics);
const server = await databaseServer(database, logger, metrics);
await registerApi(server, {
  db: database.db,
  serviceToken: String(config.API_SERVICE_TOKEN),
  adminApiKey: config.ADMIN_API_KEY,
  version: VERSION,
  metrics,
  deadlineMs: config.API_DEADLINE_MS,
  rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
});
exitOnSignals(
  () => [closeServer(server), closeDatabase(database, 'api')],
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);
await listen(server, config);
