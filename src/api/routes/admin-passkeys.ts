/**
 * Passkeys over HTTP (issue 13): registering one, signing in with one (as the second step, or
 * without a password), listing and removing them. The browser side is @simplewebauthn/browser:
 * these routes hand out its options and take its responses as they are.
 *
 * The sign-in routes are public: with a session in stage second_factor they prove that
 * session's account; without one they sign in whoever's passkey answers (passwordless: the
 * passkey must verify the person, so it counts as both factors). They need no CSRF token: an
 * assertion is signed by the authenticator over a challenge this server issued, which a forged
 * cross-site request cannot produce.
 */
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import { type TProperties, Type } from 'typebox';
import { findAccountById } from '../../core/admin-accounts/repositories/accounts.ts';
import { endSession, findLiveSession } from '../../core/admin-sessions/service.ts';
import { AppError } from '../../core/errors.ts';
import {
  listAccountPasskeys,
  type PasskeyRow,
  startPasskeyAuthentication,
  startPasskeyRegistration,
} from '../../core/second-factors/passkey-service.ts';
import { relyingParty } from '../../core/second-factors/passkeys.ts';
import { assertReauthenticated } from '../../core/second-factors/reauthentication.ts';
import {
  addPasskey,
  proveWithPasskey,
  removeOwnPasskey,
} from '../../core/second-factors/sign-in.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  adminRoute,
  adminSchema,
  elevateSession,
  sessionTokenOf,
  startSession,
} from '../plugins/admin-session.ts';
import { SessionInfoRef, sessionInfoOf } from '../plugins/admin-session-info.ts';
import { DateTime, ErrorRef, IdParams, Nullable } from '../schemas.ts';
import {
  bodyMayBeAbsent,
  elevateIfNeeded,
  ownAccount,
  ownAccountRoute,
  ReauthenticationBody,
  signInContextOf,
  TAG,
} from './admin-second-factors.ts';
import { type AdminRouteDependencies, publicUrlOf } from './admin-shared.ts';

const Passkey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: DateTime,
    lastUsedAt: Nullable(DateTime),
    transports: Type.Array(Type.String()),
  },
  { $id: 'Passkey', title: 'Passkey' },
);

const presentPasskey = (passkey: PasskeyRow) => ({
  id: passkey.id,
  name: passkey.name,
  createdAt: passkey.createdAt.toISOString(),
  lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  transports: passkey.transports,
});

const Base64Url = Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: 4096 });
const Descriptor = Type.Object(
  { id: Base64Url, type: Type.String(), transports: Type.Optional(Type.Array(Type.String())) },
  { additionalProperties: true },
);

/** PublicKeyCredentialCreationOptionsJSON: hand it to @simplewebauthn/browser as it is. */
const RegistrationOptions = Type.Object(
  {
    challenge: Base64Url,
    rp: Type.Object({ id: Type.Optional(Type.String()), name: Type.String() }),
    user: Type.Object({ id: Base64Url, name: Type.String(), displayName: Type.String() }),
    pubKeyCredParams: Type.Array(Type.Object({ alg: Type.Integer(), type: Type.String() })),
    timeout: Type.Optional(Type.Integer()),
    excludeCredentials: Type.Optional(Type.Array(Descriptor)),
    authenticatorSelection: Type.Optional(Type.Object({}, { additionalProperties: true })),
    hints: Type.Optional(Type.Array(Type.String())),
    attestation: Type.Optional(Type.String()),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

/** PublicKeyCredentialRequestOptionsJSON. */
const AuthenticationOptions = Type.Object(
  {
    challenge: Base64Url,
    timeout: Type.Optional(Type.Integer()),
    rpId: Type.Optional(Type.String()),
    allowCredentials: Type.Optional(Type.Array(Descriptor)),
    userVerification: Type.Optional(Type.String()),
    hints: Type.Optional(Type.Array(Type.String())),
    extensions: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

/** What @simplewebauthn/browser's startRegistration/startAuthentication resolve to. */
const CredentialResponse = <Response extends TProperties>(response: Response) =>
  Type.Object(
    {
      id: Base64Url,
      rawId: Base64Url,
      type: Type.Literal('public-key'),
      response: Type.Object(response, { additionalProperties: true }),
      clientExtensionResults: Type.Object({}, { additionalProperties: true }),
      authenticatorAttachment: Type.Optional(Type.String()),
    },
    { additionalProperties: true },
  );
const RegistrationResponse = CredentialResponse({
  clientDataJSON: Base64Url,
  attestationObject: Type.String({ pattern: '^[A-Za-z0-9_-]*$', maxLength: 65_536 }),
  transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10 })),
});
const AuthenticationResponse = CredentialResponse({
  clientDataJSON: Base64Url,
  authenticatorData: Base64Url,
  signature: Base64Url,
  userHandle: Type.Optional(Base64Url),
});

export function registerAdminPasskeyRoutes(app: HttpServer, deps: AdminRouteDependencies): void {
  app.addSchema(Passkey);
  const { db, now } = deps;
  const rpOf = (request: FastifyRequest) =>
    relyingParty(deps.publicUrl, publicUrlOf(request, undefined));
  const enrolment = ownAccountRoute(['enrolment', 'full'], 'session');
  const signedIn = ownAccountRoute(['full'], 'viewer');
  const refusals = { 401: ErrorRef, 403: ErrorRef };

  /** The account whose second step this is: a live session in stage second_factor. */
  async function secondFactorSession(request: FastifyRequest) {
    const token = sessionTokenOf(request);
    const { policy } = request.server.adminSessions;
    const session = token ? await findLiveSession(db, token, policy, now()) : undefined;
    return session?.stage === 'second_factor' ? session : undefined;
  }

  app.post(
    '/admin/auth/passkeys/registration/options',
    {
      ...enrolment,
      schema: {
        ...adminSchema('session', TAG),
        operationId: 'startPasskeyRegistration',
        summary: 'Options for navigator.credentials.create(): the first step of adding a passkey',
        description:
          'The first second factor of an account needs nothing more. Once it has one, a new ' +
          'passkey is a new way in, so the caller proves it is the owner first (password or ' +
          'current code), as for a new authenticator app.',
        body: ReauthenticationBody,
        response: { 200: RegistrationOptions, 400: ErrorRef, 429: ErrorRef, ...refusals },
      },
      preValidation: bodyMayBeAbsent,
    },
    async (request) => {
      const { accountId } = ownAccount(request);
      const account = await findAccountById(db, accountId);
      if (!account) throw new AppError('unauthenticated', 'Sign in first: no valid session.', 401);
      // Asked here, not at verify: the challenge handed out below is what a registration needs,
      // and verify accepts only a challenge issued to this account.
      await assertReauthenticated(db, accountId, request.body, signInContextOf(request), now());
      return startPasskeyRegistration(
        db,
        rpOf(request),
        { accountId, email: account.email, displayName: account.displayName },
        now(),
      );
    },
  );

  app.post(
    '/admin/auth/passkeys/registration/verify',
    {
      ...enrolment,
      schema: {
        ...adminSchema('session', TAG),
        operationId: 'finishPasskeyRegistration',
        summary: "Keep the new passkey: the browser's answer to the registration options",
        description:
          'A session in stage enrolment moves to full under a new id. The first second factor ' +
          'of an account also brings its ten recovery codes.',
        body: Type.Object(
          {
            response: RegistrationResponse,
            name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            passkey: Type.Ref('Passkey'),
            recoveryCodes: Type.Optional(Type.Array(Type.String())),
          }),
          400: ErrorRef,
          409: ErrorRef,
          429: ErrorRef,
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      const { accountId } = ownAccount(request);
      const result = await addPasskey(
        db,
        rpOf(request),
        accountId,
        {
          response: request.body.response as unknown as RegistrationResponseJSON,
          name: request.body.name.trim(),
        },
        signInContextOf(request),
        now(),
      );
      await elevateIfNeeded(request, reply, deps);
      return reply.status(201).send({ ...result, passkey: presentPasskey(result.passkey) });
    },
  );

  app.post(
    '/admin/auth/passkeys/authentication/options',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', TAG),
        operationId: 'startPasskeySignIn',
        summary: 'Options for navigator.credentials.get(): sign in with a passkey',
        description:
          "With a session in stage second_factor: that account's passkeys. Without one: any " +
          'passkey for this site (passwordless sign-in).',
        body: Type.Optional(Type.Object({}, { additionalProperties: false })),
        response: { 200: AuthenticationOptions },
      },
    },
    async (request) => {
      const session = await secondFactorSession(request);
      return startPasskeyAuthentication(db, rpOf(request), session?.accountId ?? null, now());
    },
  );

  app.post(
    '/admin/auth/passkeys/authentication/verify',
    {
      ...adminRoute('public'),
      schema: {
        ...adminSchema('public', TAG),
        operationId: 'finishPasskeySignIn',
        summary: 'Sign in with the passkey: a full session',
        description:
          'Completes the second step of a session in stage second_factor (new id), or signs in ' +
          'without a password (a new session). Refused: 401 invalid_passkey.',
        body: Type.Object({ response: AuthenticationResponse }, { additionalProperties: false }),
        response: { 200: SessionInfoRef, 400: ErrorRef, 401: ErrorRef, 429: ErrorRef },
      },
    },
    async (request, reply) => {
      const response = request.body.response as unknown as AuthenticationResponseJSON;
      const context = signInContextOf(request);
      const session = await secondFactorSession(request);
      if (session) {
        await proveWithPasskey(db, rpOf(request), session.accountId, response, context, now());
        const elevated = await elevateSession(request, reply, db, now());
        return sessionInfoOf(request, db, elevated);
      }
      const { accountId } = await proveWithPasskey(
        db,
        rpOf(request),
        null,
        response,
        context,
        now(),
      );
      // Whatever session the browser held before is ended, never carried over (no fixation).
      const previous = sessionTokenOf(request);
      if (previous) await endSession(db, previous);
      const started = await startSession(
        reply,
        db,
        {
          accountId,
          stage: 'full',
          address: request.ip,
          userAgent: request.headers['user-agent'],
        },
        now(),
      );
      return sessionInfoOf(request, db, started);
    },
  );

  app.get(
    '/admin/auth/passkeys',
    {
      ...signedIn,
      schema: {
        ...adminSchema('viewer', TAG),
        operationId: 'listPasskeys',
        summary: "This account's passkeys",
        response: {
          200: Type.Object({ passkeys: Type.Array(Type.Ref('Passkey')) }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { accountId } = ownAccount(request);
      return { passkeys: (await listAccountPasskeys(db, accountId)).map(presentPasskey) };
    },
  );

  app.delete(
    '/admin/auth/passkeys/:id',
    {
      ...signedIn,
      schema: {
        ...adminSchema('viewer', TAG),
        operationId: 'removePasskey',
        summary: 'Remove a passkey of this account (not its last second factor: 409)',
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorRef, 409: ErrorRef, ...refusals },
      },
    },
    async (request, reply) => {
      const { accountId } = ownAccount(request);
      await removeOwnPasskey(db, accountId, request.params.id, signInContextOf(request));
      return reply.status(204).send(null);
    },
  );
}
