/**
 * What a request from the internet may reach, enforced by the api as well as by the gateway
 * (config/gateway/Caddyfile), so neither a path the two parse differently nor a gateway
 * configured by hand opens more (issue 13, item 5).
 *
 * The gateway sets `X-Blindspot-Gateway` on every request it forwards, replacing any a client
 * sent, so a request that carries it came from the internet; one without it came over the
 * internal network (the bot, Prometheus, an operator on the host) or to `npm start` on
 * 127.0.0.1. A client cannot drop the header through the gateway, and adding it elsewhere only
 * takes rights away. From the internet:
 * - the routes only the bot calls (those accepting the service token) do not exist: 404;
 * - the API's documentation, /api/docs and /api/openapi.json, is for signed-in admins (an
 *   admin session or API key, any role): 404 to anyone else, as if it were not there;
 * - /readyz answers its status alone, without the delivery backlog or a failure's reason.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.ts';
import type { HttpServer } from '../../http/server.ts';
import { requireAdminSession } from './admin-session.ts';

export const GATEWAY_HEADER = 'x-blindspot-gateway';

export function cameThroughGateway(request: FastifyRequest): boolean {
  return request.headers[GATEWAY_HEADER] !== undefined;
}

/** The matched route's template: an encoded or dotted path cannot dodge a rule. */
function routeOf(request: FastifyRequest): string | undefined {
  return request.routeOptions.url;
}

function acceptsServiceToken(request: FastifyRequest): boolean {
  const security = (request.routeOptions.schema as { security?: Record<string, unknown>[] })
    ?.security;
  return security?.some((requirement) => 'serviceToken' in requirement) ?? false;
}

function isApiDocumentation(route: string): boolean {
  return route === '/api/openapi.json' || route === '/api/docs' || route.startsWith('/api/docs/');
}

/** The server's own 404 for an unknown route, word for word: nothing tells the two apart. */
function noSuchRoute(request: FastifyRequest): AppError {
  return new AppError(
    'route_not_found',
    `No route ${request.method} ${request.url.split('?')[0]}.`,
    404,
  );
}

/** Registers the rules on the root server, before the routes (so before their own hooks). */
export function registerGatewayRules(app: HttpServer): void {
  const signedInAdmin = requireAdminSession({ stages: ['full'], role: 'viewer' });
  const isAdmin = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (!app.hasDecorator('adminSessions')) return false;
    try {
      await signedInAdmin(request, reply);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.statusCode < 500) return false;
      throw error;
    }
  };

  // Before the routes' own hooks (the bot's routes check the token in theirs).
  app.addHook('onRequest', async (request) => {
    if (cameThroughGateway(request) && acceptsServiceToken(request)) throw noSuchRoute(request);
  });

  // Once every onRequest hook has run, the session cookie among them; the docs have no body.
  app.addHook('preValidation', async (request, reply) => {
    const route = routeOf(request);
    if (!cameThroughGateway(request) || route === undefined || !isApiDocumentation(route)) return;
    if (!(await isAdmin(request, reply))) throw noSuchRoute(request);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (routeOf(request) !== '/readyz' || !cameThroughGateway(request)) return payload;
    const status = reply.statusCode === 200 ? 'ready' : 'not_ready';
    return JSON.stringify({ status });
  });
}
