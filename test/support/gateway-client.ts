/**
 * Requests to the gateway (config/gateway/Caddyfile) in test/gateway/caddy-*.test.ts: one HTTP
 * request as written, from a loopback address of its own, and the bot's signed headers.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { signRequest } from '../../src/http/service-signature.ts';
import { TEST_SERVICE_TOKEN } from './app.ts';
import { TEST_API_SIGNING_SECRET } from './service-calls.ts';

export const MIB = 1_048_576;

export type LogLine = Record<string, unknown>;

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): LogLine;
}

/**
 * One HTTP request with node:http rather than fetch: the path goes out exactly as written (no
 * dot-segment clean-up), and it can leave from another loopback address, a second client.
 */
export function send(
  base: string,
  options: {
    path: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Send the body chunked, without a Content-Length. */
    chunked?: boolean;
    from?: string;
  },
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const body = options.body;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: options.path,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        localAddress: options.from ?? '127.0.0.1',
        agent: false,
        headers: {
          ...(body !== undefined && !options.chunked
            ? { 'content-length': String(Buffer.byteLength(body)) }
            : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text,
            json: () => JSON.parse(text) as LogLine,
          });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`timed out: ${options.path}`)));
    // end(body) alone would add a Content-Length; a write first makes Node send it chunked.
    if (body !== undefined && options.chunked) req.write(body);
    req.end(options.chunked ? undefined : body);
  });
}

/**
 * Sends a body over the gateway's limit. Caddy answers 413, stops reading and closes the
 * connection (Go's server waits 500 ms after its answer before closing): on a loaded machine the
 * close can reach the client as a reset before it has read the answer, which a real client would
 * retry. So does this, a few times; a reset every time still fails.
 */
export async function sendOversized(
  base: string,
  options: Parameters<typeof send>[1],
): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(base, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE')) throw error;
    }
  }
}

export const asBot = {
  authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
  'x-slack-team-id': 'T0GATEWAY',
  'x-slack-user-id': 'U0GATEWAY',
};

/** The bot's headers for one request, signed as the bot signs it. */
export function signedAsBot(method: string, path: string, body?: string): Record<string, string> {
  const request = {
    method,
    pathAndQuery: path,
    slackTeamId: asBot['x-slack-team-id'],
    slackUserId: asBot['x-slack-user-id'],
    body,
  };
  return { ...asBot, ...signRequest(TEST_API_SIGNING_SECRET, request, new Date()) };
}

/** Imported by the api as an owner's API key: a signed-in admin, for the docs. */
export const ADMIN_API_KEY = 'gateway-test-admin-api-key-0123456789abcdef';

/** A public admin route that reads its body: what the internet may POST to the api. */
export const SIGN_IN = '/api/v1/admin/auth/sign-in';
