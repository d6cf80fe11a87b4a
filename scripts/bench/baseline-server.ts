/**
 * The benchmark's baselines, run as a child process of their own so they pay for a process and
 * an event loop as the service does: `GET /bare` answers from Fastify alone, and `GET /select-1`
 * runs `SELECT 1` through a pool built by src/db/pool.ts with the service's default settings.
 *
 *   BENCH_DATABASE_URL=postgres://… node scripts/bench/baseline-server.ts
 *
 * Prints one JSON line, {"url": "http://127.0.0.1:<port>"}, once it listens; stops on SIGTERM.
 */
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('BENCH_DATABASE_URL is required\n');
  process.exit(1);
}
// The service's defaults, read the way the service reads them, so the pools match.
const config = loadConfig({ DATABASE_URL: databaseUrl }, 'all-in-one');
const logger = pino({ level: 'silent' });
const pool = createPool(
  {
    connectionString: databaseUrl,
    applicationName: 'blindspot-bench-baseline',
    max: config.DB_POOL_MAX,
    connectionTimeoutMillis: config.DB_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: config.DB_IDLE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  },
  logger,
);

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ status: 'ok' }));
app.get('/select-1', async () => {
  const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
  return { one: rows[0]?.one };
});

const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url })}\n`);

process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
});
