/**
 * The admin app's serving (src/api/plugins/admin-web.ts), over real HTTP: the built files with
 * the right caching, index.html for the app's own paths, and a clear 503 when nothing is built.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registerAdminWeb } from '../../src/api/plugins/admin-web.ts';
import { createHttpServer, type HttpServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';

let server: HttpServer | undefined;
let folder: string | undefined;

afterEach(async () => {
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
  server = undefined;
  folder = undefined;
});

async function serve(distDir: string): Promise<string> {
  server = createHttpServer({
    logger: createLogger({ level: 'silent', service: 'test' }),
    metrics: createMetrics(),
  });
  await registerAdminWeb(server, { distDir });
  return server.listen({ host: '127.0.0.1', port: 0 });
}

/** A stand-in build: what `vite build` lays out, with a hashed asset. */
async function fakeBuild(): Promise<string> {
  folder = await mkdtemp(path.join(tmpdir(), 'blindspot-web-'));
  await mkdir(path.join(folder, 'assets'));
  await writeFile(path.join(folder, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(path.join(folder, 'assets', 'index-AbC123.js'), 'console.log(1);');
  return folder;
}

describe('the admin web app at /admin', () => {
  it('serves index.html at /admin and for any app path, never cached without revalidation', async () => {
    const url = await serve(await fakeBuild());
    for (const pathname of ['/admin', '/admin/', '/admin/accounts/42', '/admin/invite?token=x']) {
      const response = await fetch(`${url}${pathname}`, { headers: { accept: 'text/html' } });
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get('cache-control'), pathname).toBe('no-cache');
      expect(await response.text()).toContain('<title>app</title>');
    }
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const url = await serve(await fakeBuild());
    const response = await fetch(`${url}/admin/assets/index-AbC123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers a missing asset 404 in JSON rather than index.html', async () => {
    const url = await serve(await fakeBuild());
    const response = await fetch(`${url}/admin/assets/gone-123.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'route_not_found' });
  });

  it('answers 503 saying how to build it when web/dist is missing', async () => {
    const url = await serve(path.join(tmpdir(), 'blindspot-no-such-build'));
    const page = await fetch(`${url}/admin/accounts`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build:web');
    const json = await fetch(`${url}/admin`);
    expect(json.status).toBe(503);
    expect(await json.json()).toMatchObject({
      code: 'service_unavailable',
      message: expect.stringContaining('npm run build:web'),
    });
  });
});
