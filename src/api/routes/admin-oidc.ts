/**
 * "Sign in with Slack" (issue 13), offered when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are
 * set: a redirect to Slack's OpenID Connect authorize page, and the way back. It replaces the
 * password step only: the new session then asks for the account's second factor (or its
 * enrolment). Slack's app must list `<PUBLIC_URL>/api/v1/admin/auth/slack/callback` as a
 * redirect URL.
 *
 * These are browser navigations, not API calls: the callback answers with redirects, to /admin
 * when signed in, or to /admin/sign-in?error=<code> (oidc_failed, oidc_no_account) for the page
 * to explain.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  beginSlackSignIn,
  finishSlackSignIn,
  OIDC_REQUEST_TTL_MS,
} from '../../core/admin-oidc/service.ts';
import { SlackOidcClient, type SlackOidcSettings } from '../../core/admin-oidc/slack-oidc.ts';
import { endSession } from '../../core/admin-sessions/service.ts';
import { AppError } from '../../core/errors.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, sessionTokenOf, startSession } from '../plugins/admin-session.ts';
import { ErrorRef } from '../schemas.ts';
import { signInContextOf, TAG } from './admin-second-factors.ts';
import { type AdminRouteDependencies, publicUrlOf } from './admin-shared.ts';

export type { SlackOidcSettings } from '../../core/admin-oidc/slack-oidc.ts';

const CALLBACK_PATH = '/api/v1/admin/auth/slack/callback';
/** Holds the state between the redirect to Slack and the way back, in this browser only. */
const STATE_COOKIE = { secure: '__Host-blindspot_oidc', plain: 'blindspot_oidc' };

const cookieName = (request: FastifyRequest) =>
  request.protocol === 'https' ? STATE_COOKIE.secure : STATE_COOKIE.plain;

const cookieOptions = (request: FastifyRequest) => ({
  httpOnly: true,
  secure: request.protocol === 'https',
  // Lax: sent on Slack's top-level redirect back to us, never on cross-site subrequests.
  sameSite: 'lax' as const,
  path: '/',
});

const Redirect = Type.Null({ description: 'A redirect (Location header).' });

export function registerAdminOidcRoutes(
  app: HttpServer,
  deps: AdminRouteDependencies & { slackOidc?: SlackOidcSettings },
): void {
  const { db, now } = deps;
  const client = deps.slackOidc ? new SlackOidcClient(deps.slackOidc) : undefined;
  const baseOf = (request: FastifyRequest) => publicUrlOf(request, deps.publicUrl);

  function enabledClient(): SlackOidcClient {
    if (!client) {
      throw new AppError(
        'oidc_disabled',
        'Sign in with Slack is not set up: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.',
        404,
      );
    }
    return client;
  }

  app.get(
    '/admin/auth/slack/status',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', TAG),
        operationId: 'getSlackSignInStatus',
        summary: 'Whether "Sign in with Slack" is offered',
        response: { 200: Type.Object({ enabled: Type.Boolean() }) },
      },
    },
    async () => ({ enabled: client !== undefined }),
  );

  app.get(
    '/admin/auth/slack',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', TAG),
        operationId: 'startSlackSignIn',
        summary: "Go to Slack's sign-in page (a browser navigation)",
        response: { 302: Redirect, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const slack = enabledClient();
      const started = await beginSlackSignIn(
        db,
        slack,
        `${baseOf(request)}${CALLBACK_PATH}`,
        now(),
      );
      reply.setCookie(cookieName(request), started.state, {
        ...cookieOptions(request),
        maxAge: OIDC_REQUEST_TTL_MS / 1000,
      });
      return reply.redirect(started.url, 302);
    },
  );

  app.get(
    '/admin/auth/slack/callback',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', TAG),
        operationId: 'finishSlackSignIn',
        summary: 'Where Slack sends the browser back; on to /admin, or to the sign-in page',
        querystring: Type.Object(
          {
            code: Type.Optional(Type.String({ maxLength: 512 })),
            state: Type.Optional(Type.String({ maxLength: 512 })),
            error: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: true },
        ),
        response: { 302: Redirect, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const slack = enabledClient();
      const base = baseOf(request);
      const browserState = request.cookies[cookieName(request)];
      reply.clearCookie(cookieName(request), cookieOptions(request));
      const url = new URL(`${base}${CALLBACK_PATH}`);
      url.search = new URL(request.url, base).search;
      try {
        const signedIn = await finishSlackSignIn(
          db,
          slack,
          { url, browserState },
          signInContextOf(request),
          now(),
        );
        await startFreshSession(request, reply, signedIn.account.id, signedIn.stage);
        return reply.redirect(`${base}/admin`, 302);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Why it failed goes to the log (Slack's error, a bad token); the person gets a page.
        request.log.warn(
          { err: error.cause ?? error, code: error.code },
          'Sign in with Slack refused',
        );
        return reply.redirect(`${base}/admin/sign-in?error=${error.code}`, 302);
      }
    },
  );

  async function startFreshSession(
    request: FastifyRequest,
    reply: FastifyReply,
    accountId: string,
    stage: 'second_factor' | 'enrolment',
  ): Promise<void> {
    // The browser's earlier session, if any, ends: a sign-in never reuses an id (no fixation).
    const previous = sessionTokenOf(request);
    if (previous) await endSession(db, previous);
    await startSession(
      reply,
      db,
      { accountId, stage, address: request.ip, userAgent: request.headers['user-agent'] },
      now(),
    );
  }
}
