/**
 * The request log (src/http/request-log.ts), on the real HTTP server every service runs: a poll
 * that finds nothing is one line at debug, one that hands out work or is refused is one line at
 * info, and every other route keeps Fastify's two lines at info.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { POLL, pollFoundWork } from '../../src/http/request-log.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { LogCapture } from '../support/app.ts';

let server: HttpServer;
let url: string;
const logs = new LogCapture();

beforeAll(async () => {
  server = createHttpServer({
    logger: createLogger({ level: 'debug', service: 'test', destination: logs }),
    metrics: createMetrics(),
  });
  server.get<{ Querystring: { found?: string; refuse?: string } }>(
    '/claims',
    { config: POLL },
    async (request) => {
      if (request.query.refuse) throw new AppError('unauthorized', 'No token.', 401);
      const found = Number(request.query.found ?? 0);
      if (found > 0) pollFoundWork(request);
      return { found };
    },
  );
  server.get('/things', async () => ({ ok: true }));
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await server?.close();
});

/** The request's log lines, as level, message and url (when the line carries the request). */
async function linesOf(path: string) {
  const response = await fetch(`${url}${path}`);
  await response.arrayBuffer();
  const requestId = response.headers.get('x-request-id');
  // Fastify writes "request completed" once the response has finished, which can be after the
  // client has the whole body.
  await expect
    .poll(() => logs.lines.some((l) => l.requestId === requestId && l.msg === 'request completed'))
    .toBe(true);
  return logs.lines
    .filter((line) => line.requestId === requestId)
    .map((line) => ({
      level: line.level,
      msg: line.msg,
      url: (line.req as { url?: string } | undefined)?.url,
      status: (line.res as { statusCode?: number } | undefined)?.statusCode,
    }));
}

describe('the request log', () => {
  it('logs a poll that found nothing in one line at debug, with its url', async () => {
    expect(await linesOf('/claims')).toEqual([
      { level: 'debug', msg: 'request completed', url: '/claims', status: 200 },
    ]);
  });

  it('logs a poll that handed out work in one line at info', async () => {
    expect(await linesOf('/claims?found=3')).toEqual([
      { level: 'info', msg: 'request completed', url: '/claims?[redacted]', status: 200 },
    ]);
  });

  it('logs a refused poll at info, beside the error handler’s own line', async () => {
    expect(await linesOf('/claims?refuse=1')).toEqual([
      { level: 'info', msg: 'request rejected', url: undefined, status: undefined },
      { level: 'info', msg: 'request completed', url: '/claims?[redacted]', status: 401 },
    ]);
  });

  it('logs every other route as Fastify does: two lines at info', async () => {
    expect(await linesOf('/things')).toEqual([
      { level: 'info', msg: 'incoming request', url: '/things', status: undefined },
      { level: 'info', msg: 'request completed', url: undefined, status: 200 },
    ]);
  });

  it('keeps the probes and the metrics scrape at debug while they succeed', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await linesOf(path)).map((line) => line.level)).toEqual(['debug']);
    }
  });
});
