import { describe, expect, it } from 'vitest';
import { closeServer } from '../src/entrypoints/boot.ts';
import { createHttpServer } from '../src/http/server.ts';
import { shutDown } from '../src/lifecycle.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createMetrics } from '../src/observability/metrics.ts';

const logger = createLogger({ level: 'silent', service: 'test' });

describe('graceful shutdown', () => {
  it('finishes a request in flight, then refuses new connections', async () => {
    const server = createHttpServer({ logger, metrics: createMetrics() });
    let release: () => void = () => {};
    const started = new Promise<void>((resolveStarted) => {
      server.get('/slow', async () => {
        resolveStarted();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { finished: true };
      });
    });
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const inFlight = fetch(`${url}/slow`);
    await started;

    const stopping = shutDown([closeServer(server)], logger, 5_000);
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    expect(await stopping).toBe(true);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('runs every step in order, bounds one that hangs, and goes on after one that fails', async () => {
    const ran: string[] = [];
    const clean = await shutDown(
      [
        { name: 'hangs', run: () => new Promise(() => ran.push('hangs')) },
        {
          name: 'fails',
          run: async () => {
            ran.push('fails');
            throw new Error('boom');
          },
        },
        { name: 'last', run: async () => ran.push('last') },
      ],
      logger,
      50,
    );
    expect(ran).toEqual(['hangs', 'fails', 'last']);
    expect(clean).toBe(false);
  });
});
