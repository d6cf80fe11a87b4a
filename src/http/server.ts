/**
 * The HTTP server every service runs: the api, the bot, the worker (for /healthz and /metrics)
 * and the all-in-one process. It owns what must be the same everywhere: request ids, the error
 * shape, metrics, /healthz, /readyz and /metrics.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type {} from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { Type } from 'typebox';
import { AppError, type ErrorCode } from '../core/errors.ts';
import type { Readiness } from '../core/health/readiness.ts';
import { DatabaseUnavailableError } from '../db/errors.ts';
import { isSafeRequestId, type Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ErrorBody, FASTIFY_CODES } from './errors.ts';
import { POLL, RequestLog } from './request-log.ts';
import { cachedCompilers } from './schema-compilers.ts';

export type HttpServer = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** How long a client should wait before retrying when the database is saturated. */
const RETRY_AFTER_SECONDS = 2;
/** PostgreSQL's query_canceled: statement_timeout ended the query. */
const PG_QUERY_CANCELED = '57014';

/**
 * Limits on slow clients. Fastify's defaults are 0 (no limit), so a client sending its request
 * a byte at a time (slowloris) could hold a socket, and its memory, for ever. Our callers (the
 * gateway, the bot, Slack) send a whole request at once, and Slack gives up after 3 s anyway.
 * https://nodejs.org/api/http.html#serverheaderstimeout
 */
export const HTTP_TIMEOUTS = {
  /** The whole request, headers and body, must arrive within this (Node's requestTimeout). */
  requestMs: 30_000,
  /** Its headers within this, counted from the first byte (Node's headersTimeout). */
  headersMs: 10_000,
  /** A socket with no traffic either way for this long is closed (Fastify's connectionTimeout). */
  idleMs: 10_000,
  /**
   * How often Node checks the two request limits; its default of 30 s would let a slow client
   * overstay the headers limit threefold. One pass over the open sockets a second is cheap.
   */
  checkEveryMs: 1_000,
} as const;

/** Node's errors for a connection that broke HTTP before a request existed, by Node's code. */
const CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  // requestTimeout or headersTimeout ran out: a slow client (see HTTP_TIMEOUTS).
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request_timeout',
    message: 'The request did not arrive in time.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'request_header_too_large',
    message: 'The request headers are too large.',
  },
};
const MALFORMED_REQUEST = {
  status: 400,
  code: 'bad_request' as ErrorCode,
  message: 'The request is not valid HTTP.',
};

/**
 * Answers a connection Node gave up on before Fastify saw a request (Node's 'clientError': a
 * request or its headers too slow, headers too large, bytes that are not HTTP) in our error
 * shape, with a request id for the log line and the caller. Fastify's default handler answers
 * `{ error, message, statusCode }` instead. There is no request object, so the id is made here.
 * https://nodejs.org/api/http.html#event-clienterror
 */
function answerClientError(logger: Logger) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // A reset connection has no one to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, code, message } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED_REQUEST;
    const requestId = randomUUID();
    const body = JSON.stringify({ code, message, requestId });
    logger.info({ requestId, code, status, nodeCode: error.code }, 'connection rejected');
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          'Content-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${requestId}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    socket.destroy(error);
  };
}

export interface HttpServerOptions {
  logger: Logger;
  metrics: Metrics;
  /** Largest accepted request body. Slack's payloads stay far below 1 MiB. */
  bodyLimit?: number;
  /** Answers /readyz; without it, ready means the process is up. */
  readiness?: () => Promise<Readiness>;
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger, metrics } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    requestTimeout: HTTP_TIMEOUTS.requestMs,
    connectionTimeout: HTTP_TIMEOUTS.idleMs,
    http: {
      headersTimeout: HTTP_TIMEOUTS.headersMs,
      connectionsCheckingInterval: HTTP_TIMEOUTS.checkEveryMs,
    },
    logController: new RequestLog({ requestIdLogLabel: 'requestId' }),
    genReqId(request) {
      const incoming = request.headers['x-request-id'];
      return isSafeRequestId(incoming) ? incoming : randomUUID();
    },
    // Behind the gateway the client's address is in X-Forwarded-For, which Caddy sets itself
    // (it replaces one sent by an untrusted client). Only a peer on a private network or this
    // machine, where the gateway runs, is believed: a client reaching a service directly cannot
    // pick its own address, and so cannot dodge the API's rate limit.
    // https://fastify.dev/docs/latest/Reference/Server/#trustproxy
    trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
    return503OnClosing: true,
    clientErrorHandler: answerClientError(logger),
    // Errors the router raises before any route or hook runs (a path that is not valid
    // percent-encoding, a parameter over maxParamLength): without this Fastify answers them in
    // its own shape, with no request id.
    frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      reply
        .header('x-request-id', request.id)
        .status(tooLong ? 414 : 400)
        .send({
          code: 'bad_request' satisfies ErrorCode,
          message: tooLong ? 'A part of the path is too long.' : 'The path is not a valid URL.',
          requestId: request.id,
        });
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    schemaController: { compilersFactory: cachedCompilers },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addSchema(ErrorBody);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = 500;
    let code: ErrorCode = 'internal_error';
    let message = 'Something went wrong on our side. Quote the request id if you report it.';
    let fields: Readonly<Record<string, string>> | undefined;
    if (error instanceof AppError) {
      status = error.statusCode;
      code = error.code;
      message = error.message;
      fields = error.fields;
      if (error.retryAfterSeconds !== undefined) {
        reply.header('retry-after', String(error.retryAfterSeconds));
      }
    } else if (
      error instanceof DatabaseUnavailableError ||
      (error as { code?: string }).code === PG_QUERY_CANCELED
    ) {
      status = 503;
      code = 'service_unavailable';
      message = 'Blindspot is busy right now. Please try again in a few seconds.';
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else if (error.validation) {
      status = 400;
      code = 'validation_failed';
      message = error.message;
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      code = FASTIFY_CODES[error.code] ?? 'bad_request';
      message = error.message;
    }
    if (code === 'service_unavailable') {
      // Load turned away, not a fault: the cause is one of two (no connection in time, or the
      // deadline's statement_timeout), its stack always the same, and the rate is counted by
      // blindspot_http_request_duration_seconds by status. A line each, without the stack: in
      // the bench's pool exhaustion, 500 a second, the lines were mostly that one stack.
      request.log.warn({ code, reason: error.message }, 'request shed');
    } else if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status }, 'request rejected');
    return reply
      .status(status)
      .send({ code, message, requestId: request.id, ...(fields && { fields }) });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      code: 'route_not_found',
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
      requestId: request.id,
    }),
  );

  const Health = Type.Object({ status: Type.String() });
  app.get(
    '/healthz',
    {
      config: POLL,
      schema: {
        summary: 'Liveness: the process is up and serving HTTP',
        tags: ['health'],
        response: { 200: Health },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: POLL,
      schema: {
        summary: 'Readiness: dependencies reachable and migrations current',
        tags: ['health'],
        response: {
          200: Type.Object({
            status: Type.String(),
            deliveries: Type.Optional(
              Type.Object({
                status: Type.Union([Type.Literal('ok'), Type.Literal('lagging')]),
                oldestUnsentDueSeconds: Type.Number(),
              }),
            ),
          }),
          503: Type.Object({ status: Type.String(), reason: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      const readiness = options.readiness ? await options.readiness() : { ready: true as const };
      if (readiness.ready) return { status: 'ready', deliveries: readiness.deliveries };
      return reply.status(503).send({ status: 'not_ready', reason: readiness.reason });
    },
  );

  app.get('/metrics', { config: POLL, schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  return app;
}
