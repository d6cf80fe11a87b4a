import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may carry credentials or a manager's private words. pino replaces them before a
 * line is written, wherever they appear in a logged object.
 */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'req.headers.cookie',
  'password',
  '*.password',
  'signingSecret',
  '*.signingSecret',
  'text',
  '*.text',
  'body',
  'payload',
  // PostgreSQL puts the failing row in an error's detail ("Failing row contains (...)"), which
  // can hold a manager's words.
  'err.detail',
  'err.cause.detail',
  'err.where',
];

/**
 * A request's path without its query string. Links mailed or shown to admins carry one-time
 * credentials in the query (/admin/invite?token=, /admin/reset-password?token=, Slack's OIDC
 * callback ?code=&state=), and Fastify logs every request's URL; the path alone is enough to
 * tell requests apart, so no query value is ever written.
 */
export function urlWithoutQuery(url: string): string {
  const cut = url.indexOf('?');
  return cut === -1 ? url : `${url.slice(0, cut)}?[redacted]`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * Fastify's own `req` serializer (lib/logger-pino.js), with the query string cut off the URL.
 * Fastify lets a logger instance's serializers replace its defaults.
 */
export const requestSerializer = (request: LoggedRequest) => ({
  method: request.method,
  url: urlWithoutQuery(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/** An id we did not make is kept only if it is short and plain, so it cannot forge log lines. */
export function isSafeRequestId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id);
}

export interface LoggerSettings {
  level: string;
  service: string;
  /** Where lines go; tests pass a stream to read them back. Defaults to stdout. */
  destination?: pino.DestinationStream;
}

/** pino JSON, one line per event; pretty only when a person is watching a terminal. */
export function createLogger({ level, service, destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: requestSerializer },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (destination) return pino(options, destination);
  if (process.stdout.isTTY) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { singleLine: true } },
    });
  }
  return pino(options);
}
