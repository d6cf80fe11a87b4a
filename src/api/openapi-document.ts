import pg from 'pg';
import { createDatabase } from '../db/pool.ts';
import { createHttpServer } from '../http/server.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { VERSION } from '../version.ts';
import { registerApi } from './app.ts';

/**
 * The OpenAPI document, built from the route schemas without a database: the pool is created
 * but never connected.
 */
export async function renderOpenApiDocument(): Promise<Record<string, unknown>> {
  const app = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'openapi' }),
    metrics: createMetrics(),
  });
  const pool = new pg.Pool();
  await registerApi(app, {
    db: createDatabase(pool),
    serviceToken: 'unused-while-rendering-the-document',
    signingSecret: 'unused-while-rendering-the-document',
    version: VERSION,
    metrics: createMetrics(),
  });
  await app.ready();
  const document = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  await pool.end();
  return document;
}
