/**
 * Serves the admin web app (web/, built into web/dist by `npm run build:web`) at /admin, from
 * the same process and port as the API, so `npm start` and the gateway's /admin route need no
 * second server. Unknown /admin/* paths answer index.html: the app routes in the browser.
 *
 * `npm run dev` preloads scripts/admin-web-dev.ts, which calls `serveAdminWebFromVite()` before
 * the server starts: /admin is then Vite's dev server in middleware mode (hot reload on the
 * same URL), and web/dist is not read at all.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../../core/errors.ts';
import type { HttpServer } from '../../http/server.ts';

const WEB_ROOT = path.resolve(import.meta.dirname, '../../../web');
export const ADMIN_WEB_DIST = path.join(WEB_ROOT, 'dist');

/** Vite puts a content hash in every file name under assets/: a cached copy is never stale. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed assets: browsers must ask again after a deploy. */
const INDEX_CACHE = 'no-cache';

let viteDevServer = false;

/** Makes /admin a Vite dev server (hot reload) instead of web/dist; see scripts/admin-web-dev.ts. */
export function serveAdminWebFromVite(): void {
  viteDevServer = true;
}

export interface AdminWebOptions {
  /** The built app; tests point it elsewhere to check the missing-build answer. */
  distDir?: string;
}

export async function registerAdminWeb(
  app: HttpServer,
  options: AdminWebOptions = {},
): Promise<void> {
  if (viteDevServer) {
    await registerViteDevServer(app);
    return;
  }
  const distDir = options.distDir ?? ADMIN_WEB_DIST;
  await app.register(
    async (admin) => {
      if (!existsSync(path.join(distDir, 'index.html'))) {
        const notBuilt = (_request: unknown, reply: FastifyReply) => sendNotBuilt(reply);
        admin.get('/', { schema: { hide: true } }, notBuilt);
        admin.get('/*', { schema: { hide: true } }, notBuilt);
        return;
      }
      await admin.register(fastifyStatic, {
        root: distDir,
        prefix: '/',
        wildcard: true,
        index: false,
        // The plugin's own Cache-Control is replaced by setHeaders below, per kind of file.
        cacheControl: false,
        setHeaders(reply, filePath) {
          const hashed = filePath.startsWith(path.join(distDir, 'assets') + path.sep);
          reply.header('cache-control', hashed ? HASHED_ASSET_CACHE : INDEX_CACHE);
        },
      });
      const sendIndex = (reply: FastifyReply) =>
        reply.header('cache-control', INDEX_CACHE).sendFile('index.html', distDir);
      admin.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));
      // A path the static files don't have is a page of the app (e.g. /admin/accounts/42); a
      // missing asset stays a 404, or a browser would parse index.html as JavaScript.
      admin.setNotFoundHandler((request, reply) => {
        const pathname = request.url.split('?')[0] ?? '';
        const isPage =
          (request.method === 'GET' || request.method === 'HEAD') &&
          !pathname.startsWith('/admin/assets/') &&
          path.posix.extname(pathname) === '';
        if (isPage) return sendIndex(reply);
        return reply.status(404).send({
          code: 'route_not_found' satisfies ErrorCode,
          message: `No file ${pathname}.`,
          requestId: request.id,
        });
      });
    },
    { prefix: '/admin' },
  );
}

/** The answer while web/dist is missing: say how to build it, as HTML for a person, JSON else. */
function sendNotBuilt(reply: FastifyReply): FastifyReply {
  const message =
    'The admin web app is not built. Run `npm run build:web` (or `npm ci`, which builds it), ' +
    'then restart Blindspot.';
  reply.status(503).header('cache-control', 'no-store');
  if (reply.request.headers.accept?.includes('text/html')) {
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blindspot admin</title></head>` +
          `<body><h1>Blindspot admin is not built</h1><p>${message.replaceAll('`', '')}</p></body></html>`,
      );
  }
  return reply.send({
    code: 'service_unavailable' satisfies ErrorCode,
    message,
    requestId: reply.request.id,
  });
}

/**
 * Vite in middleware mode behind /admin. Vite is a dev dependency: it is imported only here,
 * so production installs (npm ci --omit=dev) never load it.
 */
async function registerViteDevServer(app: HttpServer): Promise<void> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    root: WEB_ROOT,
    configFile: path.join(WEB_ROOT, 'vite.config.ts'),
    appType: 'spa',
    // Hot-reload messages share the API's port: one URL, http://127.0.0.1:3000/admin.
    server: { middlewareMode: true, hmr: { server: app.server } },
  });
  app.addHook('onClose', async () => {
    await vite.close();
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url !== '/admin' && !request.url.startsWith('/admin/')) {
      done();
      return;
    }
    // The dev server's index.html carries React Refresh's inline preamble, which the
    // production CSP (script-src 'self') would block; the built app has no inline script.
    reply.raw.removeHeader('content-security-policy');
    reply.hijack();
    vite.middlewares(request.raw, reply.raw, () => {
      reply.raw.statusCode = 404;
      reply.raw.end();
    });
  });
}
