/** The worker service: scheduled and background jobs (graphile-worker), plus /healthz, /metrics. */
import { exitOnSignals } from '../lifecycle.ts';
import { createMetrics } from '../observability/metrics.ts';
import { startWorker } from '../worker/runner.ts';
import { bootLogger, closeServer, configOrExit, listen, trimHeapWhenQuiet } from './boot.ts';
import { closeDatabase, databaseServer, openDatabase } from './wiring.ts';

const config = configOrExit('worker');
const logger = bootLogger(config, 'worker');
const metrics = createMetrics();
const database = openDatabase(String(config.DATABASE_URL), config, 'worker', logger, metrics);
const server = await databaseServer(database, logger, metrics);
const runner = await startWorker({
  pool: database.pool,
  db: database.db,
  metrics,
  now: () => new Date(),
  logger,
  concurrency: config.WORKER_CONCURRENCY,
  retentionDays: config.RETENTION_DAYS,
});
const trimmer = trimHeapWhenQuiet(config, logger, metrics);
exitOnSignals(
  () => [
    ...trimmer,
    closeServer(server),
    { name: 'worker', run: () => runner.stop() },
    closeDatabase(database, 'worker'),
  ],
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);
await listen(server, config);
