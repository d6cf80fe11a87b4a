/**
 * Serves the sandbox page (web/sandbox, built into web/dist-sandbox with base /sandbox/): its
 * index at /sandbox/ (and at / when the sandbox is the front page), its hashed assets under
 * /sandbox/assets/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { HttpServer } from '../http/server.ts';

export const SANDBOX_WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist-sandbox');

export async function registerSandboxWeb(
  app: HttpServer,
  options: { root: boolean; distDir?: string },
): Promise<void> {
  const distDir = options.distDir ?? SANDBOX_WEB_DIST;
  const built = existsSync(path.join(distDir, 'index.html'));
  const sendIndex = async (reply: FastifyReply) => {
    if (!built) {
      return reply
        .status(503)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blindspot sandbox</title></head>' +
            '<body><h1>The sandbox page is not built</h1><p>Run npm run build:web (or npm ci, which builds it), then restart Blindspot.</p></body></html>',
        );
    }
    return reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await readFile(path.join(distDir, 'index.html')));
  };
  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(distDir, 'assets'),
      prefix: '/sandbox/assets/',
      decorateReply: false,
      index: false,
      cacheControl: false,
      setHeaders(reply) {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.get('/sandbox', { schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/sandbox/', 301),
  );
  app.get('/sandbox/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
  if (options.root) app.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
}
