/**
 * A `fetch` that hands a request to a Fastify server in the same process (its `inject`) instead
 * of a loopback socket. The all-in-one process gives it to the bot's API client: every call still
 * goes through the api's whole HTTP contract (routing, the signature and token checks, rate
 * limits, validation, serialization, the error shape, request logs and metrics), but without the
 * kernel's TCP round trip and undici's connection handling, which were the largest share of a
 * Home-tab click's CPU (docs/performance.md, "Where a Home-tab click's CPU goes").
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Statuses whose response has no body; `new Response` refuses one. */
const BODILESS = new Set([101, 103, 204, 205, 304]);

/** The address the api sees for these calls: the same it saw over loopback TCP. */
const LOOPBACK = '127.0.0.1';

export function inProcessFetch(server: FastifyInstance): typeof fetch {
  return async (input, init) => {
    // The bot's transport passes a whole Request and only a deadline beside it: no copy then.
    const onlySignal = init === undefined || Object.keys(init).every((key) => key === 'signal');
    const request = input instanceof Request && onlySignal ? input : new Request(input, init);
    const signal = init?.signal ?? request.signal;
    signal.throwIfAborted();
    const url = new URL(request.url);
    const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const injected = server.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      ...(payload ? { payload } : {}),
      remoteAddress: LOOPBACK,
    });
    // A caller's deadline (the bot's 2.5 s) ends the wait as it would end a socket's; the api's
    // own deadline ends the work behind it.
    const response = await new Promise<Awaited<typeof injected>>((resolve, reject) => {
      const abort = () => reject(signal.reason);
      signal.addEventListener('abort', abort, { once: true });
      injected.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
    return new Response(BODILESS.has(response.statusCode) ? null : response.rawPayload, {
      status: response.statusCode,
      headers: responseHeaders(response.headers),
    });
  };
}

function responseHeaders(outgoing: OutgoingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(outgoing)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, String(value));
  }
  return headers;
}
