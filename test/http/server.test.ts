/**
 * The HTTP server every service runs (src/http/server.ts), listening on a real port: slow
 * clients are cut off instead of holding a socket for ever, and what Node itself refuses before
 * a request exists is answered in our error shape too.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, HTTP_TIMEOUTS, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { slowClient } from '../support/slow-client.ts';

/**
 * Past the limits under test (10 s, checked each second), with room for a loaded machine, and
 * well short of the 60 s Node allows by default.
 */
const CUT_OFF_WITHIN_MS = 20_000;
const BYTE_EVERY_MS = 1_000;

let server: HttpServer;
let port: number;

beforeAll(async () => {
  server = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'test' }),
    metrics: createMetrics(),
  });
  server.get('/things/:id', async () => ({ ok: true }));
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  port = address.port;
});

afterAll(async () => {
  await server?.close();
});

/** Node's raw answer as status, headers and the parsed JSON body. */
function parseAnswer(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as unknown };
}

/** Our error shape, with the request id the header also carries. */
function expectErrorShape(raw: string, status: number, code: string) {
  const answer = parseAnswer(raw);
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.body).toEqual({ code, message: expect.any(String), requestId: expect.any(String) });
  expect(answer.headers['x-request-id']).toBe((answer.body as { requestId: string }).requestId);
}

/** Sends `text` at once and resolves with all the server wrote before it closed the socket. */
function sendRaw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('error', () => {});
    socket.setTimeout(CUT_OFF_WITHIN_MS, () => {
      socket.destroy();
      reject(new Error('the server did not close the socket'));
    });
    socket.on('close', () => resolve(received));
  });
}

/** A client sending its request a byte a second, on this test's server. */
function slowClientOf(text: string) {
  return slowClient({ port, text, byteEveryMs: BYTE_EVERY_MS, deadlineMs: CUT_OFF_WITHIN_MS });
}

describe('slow clients', { concurrent: true }, () => {
  it('when a client sends its headers one byte a second, then the server answers 408 and closes the socket', async () => {
    // Longer than the headers limit can carry at this pace, so only the limit can end it.
    const headers = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(60)}\r\n\r\n`;
    const result = await slowClientOf(headers);
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(HTTP_TIMEOUTS.headersMs - BYTE_EVERY_MS);
    expect(result.bytesSent).toBeLessThan(headers.length);
    expect(result.received).toMatch(/^HTTP\/1\.1 408 /);
    // Node's own answer (headersTimeout and requestTimeout alike), in our shape.
    expectErrorShape(result.received, 408, 'request_timeout');
  });

  it('when a client connects and sends nothing, then the server closes the socket', async () => {
    const result = await slowClientOf('');
    expect(result.bytesSent).toBe(0);
    expect(result.closedAfterMs).toBeLessThan(CUT_OFF_WITHIN_MS);
  });

  it('when a client sends a request at once, then it is answered as usual', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('requests Node itself refuses, before Fastify sees them', { concurrent: true }, () => {
  it('when the bytes are not HTTP, then the answer is 400 in our JSON shape with a request id', async () => {
    expectErrorShape(await sendRaw('HELLO THERE\r\n\r\n'), 400, 'bad_request');
  });

  it('when the headers are larger than Node allows, then the answer is 431 in our JSON shape', async () => {
    const huge = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectErrorShape(await sendRaw(huge), 431, 'request_header_too_large');
  });
});

describe('paths the router itself refuses', () => {
  it('when a path is not valid percent-encoding, then the answer is our JSON error with a request id', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/things/%ff`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { requestId: string };
    expect(body).toEqual({
      code: 'bad_request',
      message: 'The path is not a valid URL.',
      requestId: expect.any(String),
    });
    expect(response.headers.get('x-request-id')).toBe(body.requestId);
  });

  it('when a path parameter is longer than the router allows, then the answer is 414 in our JSON shape', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/things/${'1'.repeat(101)}`);
    expect(response.status).toBe(414);
    expect(await response.json()).toMatchObject({
      code: 'bad_request',
      requestId: expect.any(String),
    });
  });
});
