/**
 * Second factors over HTTP (issue 13): enrolling an authenticator app, proving it or a recovery
 * code at sign-in, renewing recovery codes, and an owner's reset of another account's factors.
 * Passkeys are in ./admin-passkeys.ts, Sign in with Slack in ./admin-oidc.ts.
 *
 * Stages matter more than roles here: enrolment routes take a session in 'enrolment' (no factor
 * yet) or 'full' (adding one), never one in 'second_factor', whose holder only knows the
 * password and must not be able to add a factor of their own choosing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findAccountById } from '../../core/admin-accounts/repositories/accounts.ts';
import { AppError } from '../../core/errors.ts';
import { assertReauthenticated } from '../../core/second-factors/reauthentication.ts';
import { startTotpEnrolment } from '../../core/second-factors/service.ts';
import {
  confirmTotp,
  proveWithCode,
  renewRecoveryCodes,
  resetSecondFactors,
} from '../../core/second-factors/sign-in.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  adminRoute,
  adminSchema,
  auditContextOf,
  elevateSession,
  type RoleDeclaration,
  requireAdminSession,
  type SessionStage,
} from '../plugins/admin-session.ts';
import { SessionInfoRef, sessionInfoOf } from '../plugins/admin-session-info.ts';
import { ErrorRef, IdParams } from '../schemas.ts';
import type { AdminRouteDependencies } from './admin-shared.ts';

export const TAG = 'admin-auth';

/**
 * The route options of a route for the caller's own account in the given stages. Declared as
 * `declared` in the OpenAPI document ('session' for routes of the sign-in steps, 'viewer' for
 * those of a signed-in person of any role).
 */
export function ownAccountRoute(stages: SessionStage[], declared: RoleDeclaration) {
  return { config: { adminRole: declared }, onRequest: requireAdminSession({ stages }) };
}

/** The caller's account and stage; API keys have neither. */
export function ownAccount(request: FastifyRequest): { accountId: string; stage: SessionStage } {
  const admin = request.admin;
  if (admin?.accountId === undefined) {
    throw new AppError('forbidden', 'This needs a signed-in person, not an API key.', 403);
  }
  return { accountId: admin.accountId, stage: admin.stage };
}

export const signInContextOf = (request: FastifyRequest) => ({
  requestId: request.id,
  address: request.ip,
});

/** Moves an 'enrolment' or 'second_factor' session to 'full' under a new id; 'full' stays. */
export async function elevateIfNeeded(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AdminRouteDependencies,
): Promise<void> {
  if (request.admin?.stage !== 'full') await elevateSession(request, reply, deps.db, deps.now());
}

const Code = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'As typed; spaces (and for recovery codes, dashes and case) do not matter.',
});
const CodeBody = Type.Object({ code: Code }, { additionalProperties: false });
const TotpCodeBody = Type.Object(
  {
    code: Type.String({
      pattern: '^[0-9 ]{6,12}$',
      description: 'Six digits from the authenticator app; spaces do not matter.',
    }),
  },
  { additionalProperties: false },
);
/**
 * Proof that the signed-in person is the account's owner, before they replace a factor. The
 * body may be left out while the account has no factor yet (its first enrolment).
 */
export const ReauthenticationBody = Type.Object(
  {
    password: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: "The account's password" }),
    ),
    code: Type.Optional(
      Type.String({
        pattern: '^[0-9 ]{6,12}$',
        description: 'A current code from the authenticator app the account already has',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Needed once the account has a second factor: its password or a current code from its ' +
      'authenticator app. Without either: 403 reauthentication_required; a wrong one: 401 ' +
      'invalid_credentials or invalid_code, throttled like signing in.',
  },
);

/** Lets a route's optional body be left out: Fastify validates an absent body as null. */
export function bodyMayBeAbsent(request: FastifyRequest, _reply: FastifyReply, done: () => void) {
  request.body ??= {};
  done();
}

const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), {
    minItems: 10,
    maxItems: 10,
    description: 'Shown once: only their hashes are kept. Each works once.',
  }),
});

export function registerAdminSecondFactorRoutes(
  app: HttpServer,
  deps: AdminRouteDependencies,
): void {
  const { db, now } = deps;
  const enrolment = ownAccountRoute(['enrolment', 'full'], 'session');
  const signInStep = ownAccountRoute(['second_factor'], 'session');
  const signedIn = ownAccountRoute(['full'], 'viewer');
  const refusals = { 401: ErrorRef, 403: ErrorRef, 409: ErrorRef };

  app.post(
    '/admin/auth/totp/enrolment',
    {
      ...enrolment,
      schema: {
        ...adminSchema('session', TAG),
        operationId: 'startTotpEnrolment',
        summary: 'Start setting up an authenticator app: a new secret, shown once',
        description:
          'The secret counts only once a code from it is confirmed; until then an earlier app ' +
          'keeps working. Sessions in stage enrolment or full only. An account that already ' +
          'has a second factor must prove it is its owner (password or current code).',
        body: ReauthenticationBody,
        response: {
          200: Type.Object({
            secret: Type.String({ description: 'Base32, for typing into the app' }),
            otpauthUrl: Type.String({ description: 'otpauth:// URL, for the QR code' }),
          }),
          400: ErrorRef,
          429: ErrorRef,
          ...refusals,
        },
      },
      preValidation: bodyMayBeAbsent,
    },
    async (request) => {
      const { accountId } = ownAccount(request);
      const account = await findAccountById(db, accountId);
      if (!account) throw new AppError('unauthenticated', 'Sign in first: no valid session.', 401);
      await assertReauthenticated(db, accountId, request.body, signInContextOf(request), now());
      return startTotpEnrolment(db, { id: account.id, email: account.email }, now());
    },
  );

  app.post(
    '/admin/auth/totp/enrolment/confirm',
    {
      ...enrolment,
      schema: {
        ...adminSchema('session', TAG),
        operationId: 'confirmTotpEnrolment',
        summary: 'Confirm the authenticator app with a code from it; returns new recovery codes',
        description:
          'A session in stage enrolment moves to full under a new id (a new cookie). Earlier ' +
          'recovery codes stop working.',
        body: TotpCodeBody,
        response: { 200: RecoveryCodes, 400: ErrorRef, 429: ErrorRef, ...refusals },
      },
    },
    async (request, reply) => {
      const { accountId } = ownAccount(request);
      const result = await confirmTotp(
        db,
        accountId,
        request.body.code,
        signInContextOf(request),
        now(),
      );
      await elevateIfNeeded(request, reply, deps);
      return result;
    },
  );

  for (const method of ['totp', 'recovery_code'] as const) {
    const path = method === 'totp' ? 'totp' : 'recovery-codes';
    app.post(
      `/admin/auth/${path}/verify`,
      {
        ...signInStep,
        schema: {
          ...adminSchema('session', TAG),
          operationId: method === 'totp' ? 'verifyTotp' : 'verifyRecoveryCode',
          summary:
            method === 'totp'
              ? 'Second step of signing in: a code from the authenticator app'
              : 'Second step of signing in: a recovery code (each works once)',
          description:
            'Session in stage second_factor only; it moves to full under a new id. A wrong ' +
            'or replayed code: 401 invalid_code. Too many: 429 with Retry-After.',
          body: method === 'totp' ? TotpCodeBody : CodeBody,
          response: { 200: SessionInfoRef, 400: ErrorRef, 429: ErrorRef, ...refusals },
        },
      },
      async (request, reply) => {
        const { accountId } = ownAccount(request);
        await proveWithCode(
          db,
          accountId,
          { method, code: request.body.code },
          signInContextOf(request),
          now(),
        );
        const session = await elevateSession(request, reply, db, now());
        return sessionInfoOf(request, db, session);
      },
    );
  }

  app.post(
    '/admin/auth/recovery-codes',
    {
      ...signedIn,
      schema: {
        ...adminSchema('viewer', TAG),
        operationId: 'renewRecoveryCodes',
        summary: 'Ten new recovery codes; the old ones stop working',
        description:
          'Needs proof that the caller is the account owner: the password or a current code ' +
          'from the authenticator app.',
        body: ReauthenticationBody,
        response: { 200: RecoveryCodes, 400: ErrorRef, 429: ErrorRef, ...refusals },
      },
      preValidation: bodyMayBeAbsent,
    },
    async (request) => {
      const { accountId } = ownAccount(request);
      await assertReauthenticated(db, accountId, request.body, signInContextOf(request), now());
      return {
        recoveryCodes: await renewRecoveryCodes(db, accountId, signInContextOf(request), now()),
      };
    },
  );

  app.post(
    '/admin/accounts/:id/second-factors/reset',
    {
      ...adminRoute('owner'),
      schema: {
        ...adminSchema('owner', 'admin-accounts'),
        operationId: 'resetSecondFactors',
        summary: "Remove an account's second factors and end its sessions (owner only)",
        description:
          'For a lost phone: the authenticator app, passkeys and recovery codes go, and every ' +
          'session of the account ends. Its next sign-in starts enrolment. Audited.',
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorRef, ...refusals },
      },
    },
    async (request, reply) => {
      const context = auditContextOf(request);
      await resetSecondFactors(db, String(context.actor), request.params.id, context);
      return reply.status(204).send(null);
    },
  );
}
