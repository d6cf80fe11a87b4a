/**
 * Who may call the admin API (issue 13): a person with a session (an opaque id in a cookie,
 * server-side rows in PostgreSQL) or a script with an API key (`Authorization: Bearer bsk_…`,
 * see ./admin-auth.ts). Every admin route declares the least role it needs, in its route config
 * and in the OpenAPI document (`x-blindspot-role`); `requireAdminSession` enforces it.
 *
 * Also here, because they guard the same pages: the CSRF check (double submit: the header
 * `x-csrf-token` must equal the token stored with the session, which GET /auth/session hands
 * out) and the security headers with a strict CSP on /admin and /api/v1/admin.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type AdminRole, roleAtLeast } from '../../core/admin-accounts/rules.ts';
import { sameSecret } from '../../core/admin-accounts/secrets.ts';
import {
  type SessionPolicy,
  type SessionStage,
  sessionExpiresAt,
} from '../../core/admin-sessions/rules.ts';
import {
  createSession,
  findLiveSession,
  rotateSessionToken,
  type SessionRow,
} from '../../core/admin-sessions/service.ts';
import { AppError } from '../../core/errors.ts';
import type { RequestContext } from '../../core/request-context.ts';
import type { Database } from '../../db/schema.ts';
import type { HttpServer } from '../../http/server.ts';
import { authenticateApiKey } from './admin-auth.ts';

export type { AdminRole } from '../../core/admin-accounts/rules.ts';
export type { SessionStage } from '../../core/admin-sessions/rules.ts';

/**
 * What a route declares: a role, 'public' (no session: sign-in, setup, invitation) or
 * 'session' (any signed-in stage: the session itself, sign-out, second-factor enrolment).
 */
export type RoleDeclaration = AdminRole | 'public' | 'session';

export type AdminPrincipal =
  | { accountId: string; role: AdminRole; sessionId: string; stage: SessionStage; apiKeyId?: never }
  | { apiKeyId: string; role: AdminRole; accountId?: never; sessionId?: never; stage?: never };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAdminSession: who is calling. */
    admin?: AdminPrincipal;
    /** The session row behind `admin`, when the caller has a session rather than a key. */
    adminSession?: SessionRow;
  }
  interface FastifyInstance {
    adminSessions: AdminSessionSettings;
  }
  interface FastifyContextConfig {
    /** The least role the route needs; see RoleDeclaration. */
    adminRole?: RoleDeclaration;
  }
  interface FastifySchema {
    /** The same declaration, published as an OpenAPI operation extension. */
    'x-blindspot-role'?: RoleDeclaration;
  }
}

export interface AdminSessionSettings {
  db: Kysely<Database>;
  policy: SessionPolicy;
  now: () => Date;
}

/** Cookie names: `__Host-` needs Secure, so plain-HTTP local use gets the bare name. */
export const SESSION_COOKIE = { secure: '__Host-blindspot_admin', plain: 'blindspot_admin' };

export const ADMIN_SECURITY: Record<string, string[]>[] = [
  { adminSession: [] },
  { adminApiKey: [] },
];

/**
 * The CSP for the admin app and its API: only our own scripts, no inline script, no framing.
 * Mantine injects <style> elements, hence 'unsafe-inline' for styles only.
 */
const ADMIN_CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // Helmet's default would send browsers to https even on plain-HTTP local use.
    upgradeInsecureRequests: null,
  },
};

function isAdminPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return (
    path === '/admin' ||
    path.startsWith('/admin/') ||
    path === '/api/v1/admin' ||
    path.startsWith('/api/v1/admin/')
  );
}

/**
 * Registers cookies, the security headers of the admin paths, and the settings the hooks
 * below read. Call once, on the root server, before the routes.
 */
export async function registerAdminSessions(
  app: HttpServer,
  settings: AdminSessionSettings,
): Promise<void> {
  if (!app.hasDecorator('parseCookie')) await app.register(cookie);
  // Not global: /api/docs (swagger-ui's inline script) and the Slack routes keep their headers.
  await app.register(helmet, {
    global: false,
    contentSecurityPolicy: ADMIN_CSP,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.decorate('adminSessions', settings);
  app.addHook('onRequest', async (request, reply) => {
    if (isAdminPath(request.url)) {
      reply.helmet();
      // Answers about accounts and sessions are nobody's to cache.
      reply.header('cache-control', 'no-store');
    }
  });
}

function cookieName(request: FastifyRequest): string {
  return request.protocol === 'https' ? SESSION_COOKIE.secure : SESSION_COOKIE.plain;
}

/** The session id from the request's cookie, if any. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[cookieName(request)];
  return value && value.length <= 128 ? value : undefined;
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(cookieName(request), token, {
    httpOnly: true,
    secure: request.protocol === 'https',
    sameSite: 'lax',
    path: '/',
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(cookieName(request), {
    httpOnly: true,
    secure: request.protocol === 'https',
    sameSite: 'lax',
    path: '/',
  });
}

/** The audit context of a request: who, from where, which request. */
export function auditContextOf(request: FastifyRequest): RequestContext & { address: string } {
  const admin = request.admin;
  const actor = admin
    ? admin.apiKeyId !== undefined
      ? `apikey:${admin.apiKeyId}`
      : `admin:${admin.accountId}`
    : undefined;
  return { requestId: request.id, address: request.ip, actor };
}

const ALL_STAGES: SessionStage[] = ['enrolment', 'second_factor', 'full'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthenticated = () =>
  new AppError('unauthenticated', 'Sign in first: no valid session.', 401);

/**
 * An onRequest hook admitting callers by session or API key. It runs before the body is parsed,
 * so a caller without the right learns nothing from validation errors.
 * - no session and no key: 401 unauthenticated; an unknown bearer token: 401 unauthorized;
 * - a session in another stage than `stages` (default: full only): 403 forbidden;
 * - a role below `role`: 403 forbidden;
 * - a state-changing request with a session but without its CSRF token: 403 csrf_invalid.
 * API keys work only on routes that declare a role (a key has no session of its own) and need
 * no CSRF token (a browser never sends them by itself).
 */
export function requireAdminSession(options: { stages?: SessionStage[]; role?: AdminRole } = {}) {
  const stages = options.stages ?? ['full'];
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const { db, policy, now } = request.server.adminSessions;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const key = await authenticateApiKey(db, header, request.ip, now());
      // A key is no person: it reaches the routes that declare a role, not a person's own
      // session, sign-out or second factors.
      if (options.role === undefined) {
        throw new AppError('forbidden', 'This needs a signed-in person, not an API key.', 403);
      }
      request.admin = { apiKeyId: key.id, role: key.role };
    } else {
      const token = sessionTokenOf(request);
      const session = token ? await findLiveSession(db, token, policy, now()) : undefined;
      if (!session) throw unauthenticated();
      request.admin = {
        accountId: session.accountId,
        role: session.role,
        sessionId: session.id,
        stage: session.stage,
      };
      request.adminSession = session;
      if (!stages.includes(session.stage)) {
        throw new AppError(
          'forbidden',
          session.stage === 'full'
            ? 'Not available to a signed-in session.'
            : 'Finish signing in: a second factor is required first.',
          403,
        );
      }
      if (!SAFE_METHODS.has(request.method)) {
        const presented = request.headers['x-csrf-token'];
        if (typeof presented !== 'string' || !sameSecret(presented, session.csrfToken)) {
          throw new AppError(
            'csrf_invalid',
            'Missing or wrong x-csrf-token header: take it from GET /auth/session.',
            403,
          );
        }
      }
    }
    if (options.role && !roleAtLeast(request.admin.role, options.role)) {
      throw new AppError('forbidden', `This needs the ${options.role} role or higher.`, 403);
    }
  };
}

/**
 * The route options of an admin route that needs `role`: its hook and config. Pair with
 * `adminSchema(role)` in the schema, so the OpenAPI document says the same.
 */
export function adminRoute(role: RoleDeclaration) {
  const config = { adminRole: role };
  if (role === 'public') return { config };
  const onRequest =
    role === 'session'
      ? requireAdminSession({ stages: ALL_STAGES })
      : requireAdminSession({ role });
  return { config, onRequest };
}

/** The schema fields of an admin route: its tag, security and role declaration. */
export function adminSchema(role: RoleDeclaration, tag = 'admin') {
  return {
    tags: [tag],
    'x-blindspot-role': role,
    ...(role === 'public' ? {} : { security: ADMIN_SECURITY }),
  };
}

/**
 * Creates a session for an account that just proved who it is, and sets its cookie. A cookie the
 * browser held before is replaced, never reused (no session fixation).
 */
export async function startSession(
  reply: FastifyReply,
  db: Kysely<Database>,
  session: { accountId: string; stage: SessionStage; address: string; userAgent?: string },
  now: Date,
): Promise<SessionRow> {
  const { policy } = reply.request.server.adminSessions;
  const created = await createSession(
    db,
    {
      accountId: session.accountId,
      stage: session.stage,
      address: session.address,
      userAgent: session.userAgent ?? null,
    },
    policy,
    now,
  );
  setSessionCookie(reply.request, reply, created.token);
  reply.request.adminSession = created.session;
  return created.session;
}

async function rotate(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Kysely<Database>,
  changes: { stage?: SessionStage },
  now: Date,
): Promise<SessionRow> {
  const token = sessionTokenOf(request);
  const rotated = token ? await rotateSessionToken(db, token, changes, now) : undefined;
  if (!rotated) throw unauthenticated();
  setSessionCookie(request, reply, rotated.token);
  request.adminSession = rotated.session;
  if (request.admin?.accountId !== undefined) {
    request.admin = {
      ...request.admin,
      sessionId: rotated.session.id,
      stage: rotated.session.stage,
    };
  }
  return rotated.session;
}

/** Moves the caller's session to 'full' under a new id (after a second factor is proven). */
export function elevateSession(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Kysely<Database>,
  now: Date,
): Promise<SessionRow> {
  return rotate(request, reply, db, { stage: 'full' }, now);
}

/** Gives the caller's session a new id, same stage (after a change of privilege). */
export function rotateSession(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Kysely<Database>,
  now: Date,
): Promise<SessionRow> {
  return rotate(request, reply, db, {}, now);
}

/** When the caller's session ends, for SessionInfo. */
export function sessionTimes(request: FastifyRequest, session: SessionRow) {
  const { policy } = request.server.adminSessions;
  const times = sessionExpiresAt(session, policy);
  return {
    idleExpiresAt: times.idleExpiresAt.toISOString(),
    absoluteExpiresAt: times.absoluteExpiresAt.toISOString(),
  };
}
