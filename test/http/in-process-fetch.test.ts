/**
 * The all-in-one bot's way to its api (src/http/in-process-fetch.ts): whatever a route answers,
 * the caller sees what `fetch` over a real socket would have shown it, status, headers and body,
 * and its deadline still ends the wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessFetch } from '../../src/http/in-process-fetch.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';

let server: HttpServer;
let base: string;
let release: () => void = () => {};

beforeAll(async () => {
  server = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'test' }),
    metrics: createMetrics(),
  });
  server.post('/echo', async (request, reply) => {
    reply.header('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
    return {
      body: request.body,
      query: request.query,
      who: request.headers['x-slack-user-id'],
      ip: request.ip,
    };
  });
  server.delete('/things/:id', async (_request, reply) => reply.code(204).send());
  server.get('/slow', () => new Promise((resolve) => (release = () => resolve({ late: true }))));
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  release();
  await server?.close();
});

/** What a caller reads of an answer: the parts the API client looks at. */
async function seen(response: Response) {
  return {
    status: response.status,
    ok: response.ok,
    type: response.headers.get('content-type'),
    requestId: response.headers.get('x-request-id') !== null,
    cookies: response.headers.getSetCookie(),
    body: await response.text(),
  };
}

describe('inProcessFetch', () => {
  const local = () => inProcessFetch(server);

  it('answers a JSON request exactly as the socket does', async () => {
    const request = () =>
      new Request(`${base}/echo?week=2026-W49`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-slack-user-id': 'U1' },
        body: JSON.stringify({ text: 'ünïcode ✓' }),
      });
    const overSocket = await seen(await fetch(request()));
    const inProcess = await seen(await local()(request()));
    expect(inProcess).toEqual(overSocket);
    expect(JSON.parse(inProcess.body)).toEqual({
      body: { text: 'ünïcode ✓' },
      query: { week: '2026-W49' },
      who: 'U1',
      ip: '127.0.0.1',
    });
    expect(inProcess.cookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('gives an answer without a body as one without a body', async () => {
    const response = await local()(`${base}/things/7`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("answers an unknown route in the api's error shape", async () => {
    const response = await local()(`${base}/nowhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 'route_not_found',
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it("ends the wait when the caller's deadline passes", async () => {
    const deadline = new AbortController();
    const pending = local()(new Request(`${base}/slow`), { signal: deadline.signal });
    deadline.abort(new DOMException('too slow', 'TimeoutError'));
    await expect(pending).rejects.toThrow('too slow');
    // A signal already spent refuses at once.
    await expect(local()(`${base}/slow`, { signal: deadline.signal })).rejects.toThrow('too slow');
  });
});
