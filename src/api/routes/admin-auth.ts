/**
 * Signing in and out of the admin app (issue 13): first-run setup, password sign-in, the
 * session and its list, invitations and password resets. Second factors are in
 * ./admin-second-factors.ts and ./admin-passkeys.ts; they move the session on from here. What
 * other admin routes share with these (their dependencies, links, fields) is in ./admin-shared.ts.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  acceptInvitation,
  completeSetup,
  isSetupNeeded,
  requestPasswordReset,
  resetPassword,
  signInWithPassword,
} from '../../core/admin-accounts/sign-in.ts';
import { tokenUrl } from '../../core/admin-accounts/tokens.ts';
import {
  endSession,
  endSessionsAudited,
  listLiveSessions,
} from '../../core/admin-sessions/service.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { passwordResetMail } from '../../core/mail/mailer.ts';
import { describeSecondFactors, hasSecondFactor } from '../../core/second-factors/service.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  adminRoute,
  adminSchema,
  auditContextOf,
  clearSessionCookie,
  sessionTokenOf,
  startSession,
} from '../plugins/admin-session.ts';
import { SessionInfo, SessionInfoRef, sessionInfoOf } from '../plugins/admin-session-info.ts';
import { ErrorRef, Id } from '../schemas.ts';
import {
  type AdminRouteDependencies,
  DisplayName,
  Email,
  mailedLinkBase,
  NewPassword,
  presentSession,
  SessionSummary,
} from './admin-shared.ts';

const Token = Type.String({ minLength: 1, maxLength: 128 });

/**
 * Runs work after a request has been answered; closing the server waits for what is still
 * running, so it never outlives the database pool.
 */
function backgroundWork(app: HttpServer) {
  const running = new Set<Promise<void>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled(running);
  });
  return (work: () => Promise<void>): Promise<void> => {
    const started = new Promise<void>((resolve) => setImmediate(resolve)).then(work);
    running.add(started);
    return started.finally(() => running.delete(started));
  };
}

const signInContext = (request: FastifyRequest) => ({
  requestId: request.id,
  address: request.ip,
});

export function registerAdminAuthRoutes(app: HttpServer, deps: AdminRouteDependencies): void {
  app.addSchema(SessionInfo);
  app.addSchema(SessionSummary);
  const { db, now } = deps;
  const tag = 'admin-auth';
  const afterAnswer = backgroundWork(app);

  /** Ends the session the browser held before a sign-in, so its id is never reused. */
  async function endPreviousSession(request: FastifyRequest): Promise<void> {
    const previous = sessionTokenOf(request);
    if (previous) await endSession(db, previous);
  }

  async function signedIn(
    request: FastifyRequest,
    reply: Parameters<typeof startSession>[0],
    accountId: string,
  ) {
    await endPreviousSession(request);
    const factors = await describeSecondFactors(db, accountId);
    const session = await startSession(
      reply,
      db,
      {
        accountId,
        stage: hasSecondFactor(factors) ? 'second_factor' : 'enrolment',
        address: request.ip,
        userAgent: request.headers['user-agent'],
      },
      now(),
    );
    return sessionInfoOf(request, db, session);
  }

  app.get(
    '/admin/auth/setup',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', tag),
        operationId: 'getAdminSetup',
        summary: 'Whether the first account still has to be created',
        response: { 200: Type.Object({ needed: Type.Boolean() }) },
      },
    },
    async () => ({ needed: await isSetupNeeded(db) }),
  );

  app.post(
    '/admin/auth/setup',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', tag),
        operationId: 'completeAdminSetup',
        summary: 'Create the first account, an owner, with the setup link from the start-up log',
        body: Type.Object(
          { token: Token, email: Email, displayName: DisplayName, password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 201: SessionInfoRef, 400: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const account = await completeSetup(db, request.body, signInContext(request), now());
      return reply.status(201).send(await signedIn(request, reply, account.id));
    },
  );

  app.post(
    '/admin/auth/sign-in',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', tag),
        operationId: 'signIn',
        summary: 'Check an email and password; the session then needs a second factor',
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: SessionInfoRef, 400: ErrorRef, 401: ErrorRef },
      },
    },
    async (request, reply) => {
      const account = await signInWithPassword(db, request.body, signInContext(request), now());
      return signedIn(request, reply, account.id);
    },
  );

  app.get(
    '/admin/auth/session',
    {
      ...adminRoute('session'),
      schema: {
        ...adminSchema('session', tag),
        operationId: 'getAdminSession',
        summary: 'The current session, in any stage, with its CSRF token',
        response: { 200: SessionInfoRef, 401: ErrorRef },
      },
    },
    async (request) => sessionInfoOf(request, db),
  );

  app.post(
    '/admin/auth/sign-out',
    {
      ...adminRoute('session'),
      schema: {
        ...adminSchema('session', tag),
        operationId: 'signOut',
        summary: 'End this session',
        response: { 204: Type.Null(), 401: ErrorRef, 403: ErrorRef },
      },
    },
    async (request, reply) => {
      const token = sessionTokenOf(request);
      const { accountId } = ownSession(request);
      if (token) {
        await endSessionsAudited(
          db,
          { scope: 'current', accountId, token },
          auditContextOf(request),
        );
      }
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/admin/auth/sign-out-everywhere',
    {
      ...adminRoute('session'),
      schema: {
        ...adminSchema('session', tag),
        operationId: 'signOutEverywhere',
        summary: 'End every session of this account, this one included',
        response: { 204: Type.Null(), 401: ErrorRef, 403: ErrorRef },
      },
    },
    async (request, reply) => {
      const { accountId } = ownSession(request);
      await endSessionsAudited(db, { scope: 'all', accountId }, auditContextOf(request));
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/admin/auth/sessions',
    {
      ...adminRoute('session'),
      schema: {
        ...adminSchema('session', tag),
        operationId: 'listOwnSessions',
        summary: "This account's active sessions",
        response: {
          200: Type.Object({ sessions: Type.Array(Type.Ref('AdminSessionSummary')) }),
          401: ErrorRef,
          403: ErrorRef,
        },
      },
    },
    async (request) => {
      const { accountId, sessionId } = ownSession(request);
      const { policy } = request.server.adminSessions;
      const sessions = await listLiveSessions(db, accountId, policy, now());
      return { sessions: sessions.map((s) => presentSession(s, sessionId)) };
    },
  );

  app.delete(
    '/admin/auth/sessions/:id',
    {
      ...adminRoute('session'),
      schema: {
        ...adminSchema('session', tag),
        operationId: 'revokeOwnSession',
        summary: 'End one of this account’s sessions',
        params: Type.Object({ id: Id }),
        response: { 204: Type.Null(), 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const { accountId } = ownSession(request);
      const target = { scope: 'one' as const, accountId, sessionId: request.params.id };
      if (!(await endSessionsAudited(db, target, auditContextOf(request)))) {
        throw notFound('session');
      }
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/admin/auth/invitations/accept',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', tag),
        operationId: 'acceptInvitation',
        summary: 'Set the password of an invited account, with the link from the invitation',
        body: Type.Object(
          { token: Token, displayName: DisplayName, password: NewPassword },
          { additionalProperties: false },
        ),
        response: { 201: SessionInfoRef, 400: ErrorRef },
      },
    },
    async (request, reply) => {
      const account = await acceptInvitation(db, request.body, signInContext(request), now());
      return reply.status(201).send(await signedIn(request, reply, account.id));
    },
  );

  app.post(
    '/admin/auth/password-reset/request',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', tag),
        operationId: 'requestPasswordReset',
        summary:
          'Mail a reset link if an account has this address (always 202: the answer tells nothing)',
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }) },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({}), 400: ErrorRef },
      },
    },
    async (request, reply) => {
      const mail = mailedLinkBase(deps);
      // Without mail there is nobody to give the link to: an admin makes one instead.
      if (mail) {
        const { email } = request.body;
        const context = signInContext(request);
        const at = now();
        const { log } = request;
        reply.status(202).send({});
        // After the answer: how long the lookup, the new token and the SMTP server take must
        // not tell who has an account, so every request is answered before any of it.
        afterAnswer(async () => {
          const issued = await requestPasswordReset(db, email, context, at);
          if (!issued) return;
          const url = tokenUrl(mail.publicUrl, 'password_reset', issued.token);
          await mail.mailer.send(passwordResetMail(issued.account.email, url, issued.expiresAt));
        }).catch((err: unknown) => log.error({ err }, 'password reset request failed'));
        return reply;
      }
      return reply.status(202).send({});
    },
  );

  app.post(
    '/admin/auth/password-reset',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', tag),
        operationId: 'resetPassword',
        summary: 'Set a new password with a reset link; every session of the account ends',
        body: Type.Object({ token: Token, password: NewPassword }, { additionalProperties: false }),
        response: { 204: Type.Null(), 400: ErrorRef },
      },
    },
    async (request, reply) => {
      await resetPassword(db, request.body, signInContext(request), now());
      return reply.status(204).send(null);
    },
  );
}

/** The caller's account and session; the route's hook guarantees a session-holding person. */
function ownSession(request: FastifyRequest): { accountId: string; sessionId?: string } {
  const admin = request.admin;
  if (admin?.accountId === undefined) {
    throw new AppError('forbidden', 'This needs a signed-in person, not an API key.', 403);
  }
  return { accountId: admin.accountId, sessionId: admin.sessionId };
}
