/**
 * SessionInfo: what GET /auth/session answers, and what every route that signs someone in or
 * moves their session on (setup, sign-in, second factors) answers too.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { findAccountById } from '../../core/admin-accounts/repositories/accounts.ts';
import { ADMIN_ROLES } from '../../core/admin-accounts/rules.ts';
import { SESSION_STAGES } from '../../core/admin-sessions/rules.ts';
import type { SessionRow } from '../../core/admin-sessions/service.ts';
import { AppError } from '../../core/errors.ts';
import { describeSecondFactors } from '../../core/second-factors/service.ts';
import type { Database } from '../../db/schema.ts';
import { DateTime } from '../schemas.ts';
import { sessionTimes } from './admin-session.ts';

export const AdminRoleSchema = Type.Enum([...ADMIN_ROLES], {
  description: 'viewer < editor < admin < owner',
});

export const SessionInfo = Type.Object(
  {
    account: Type.Object({
      id: Type.String(),
      email: Type.String(),
      displayName: Type.String(),
      role: AdminRoleSchema,
    }),
    stage: Type.Enum([...SESSION_STAGES], {
      description:
        'enrolment: must set up a second factor; second_factor: must prove one; full: signed in.',
    }),
    csrfToken: Type.String({
      description: 'Send as the x-csrf-token header with every state-changing admin request.',
    }),
    secondFactors: Type.Object({
      totp: Type.Boolean(),
      passkeys: Type.Integer({ minimum: 0 }),
      recoveryCodesLeft: Type.Integer({ minimum: 0 }),
    }),
    idleExpiresAt: DateTime,
    absoluteExpiresAt: DateTime,
  },
  { $id: 'SessionInfo', title: 'SessionInfo' },
);

export const SessionInfoRef = Type.Ref('SessionInfo');

/** The SessionInfo of `session` (the request's own, by default). */
export async function sessionInfoOf(
  request: FastifyRequest,
  db: Kysely<Database>,
  session: SessionRow | undefined = request.adminSession,
) {
  if (!session) throw new AppError('unauthenticated', 'Sign in first: no valid session.', 401);
  const account = await findAccountById(db, session.accountId);
  if (!account) throw new AppError('unauthenticated', 'Sign in first: no valid session.', 401);
  return {
    account: {
      id: account.id,
      email: account.email,
      displayName: account.displayName,
      role: account.role,
    },
    stage: session.stage,
    csrfToken: session.csrfToken,
    secondFactors: await describeSecondFactors(db, account.id),
    ...sessionTimes(request, session),
  };
}
