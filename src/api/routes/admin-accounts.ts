/**
 * The people who run Blindspot: list, invite, change role or status, reset links, and each
 * account's sessions and sign-ins. Admins manage viewers and editors; owners manage everyone.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  type AccountSummary,
  type Actor,
  assertMayManageAccount,
  getAccount,
  inviteAccount,
  issuePasswordLink,
  listAccounts,
  listSignIns,
  updateAccount,
} from '../../core/admin-accounts/service.ts';
import { tokenUrl } from '../../core/admin-accounts/tokens.ts';
import { endSessionsAudited, listLiveSessions } from '../../core/admin-sessions/service.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { invitationMail, passwordResetMail } from '../../core/mail/mailer.ts';
import type { HttpServer } from '../../http/server.ts';
import {
  adminRoute,
  adminSchema,
  auditContextOf,
  rotateSession,
} from '../plugins/admin-session.ts';
import { AdminRoleSchema } from '../plugins/admin-session-info.ts';
import { DateTime, ErrorRef, Id, Nullable } from '../schemas.ts';
import {
  type AdminRouteDependencies,
  DisplayName,
  Email,
  mailedLinkBase,
  presentSession,
  publicUrlOf,
} from './admin-shared.ts';

const Account = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    role: AdminRoleSchema,
    status: Type.Enum(['invited', 'active', 'deactivated']),
    createdAt: DateTime,
    lastSignInAt: Nullable(DateTime),
    secondFactor: Type.Boolean({ description: 'Whether a TOTP app or a passkey is set up' }),
  },
  { $id: 'AdminAccount', title: 'AdminAccount' },
);

const PasswordLink = Type.Object(
  {
    url: Type.String({ description: 'Give it to the person if it was not emailed. Works once.' }),
    expiresAt: DateTime,
    emailed: Type.Boolean(),
  },
  { $id: 'AdminPasswordLink', title: 'AdminPasswordLink' },
);

const AccountParams = Type.Object({ id: Id });
const refused = { 401: ErrorRef, 403: ErrorRef };

function presentAccount(account: AccountSummary) {
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    role: account.role,
    status: account.status,
    createdAt: account.createdAt.toISOString(),
    lastSignInAt: account.lastSignInAt?.toISOString() ?? null,
    secondFactor: account.secondFactor,
  };
}

function actorOf(request: FastifyRequest): Actor & { sessionId?: string } {
  const admin = request.admin;
  if (!admin) throw new AppError('unauthenticated', 'Sign in first: no valid session.', 401);
  return { role: admin.role, accountId: admin.accountId, sessionId: admin.sessionId };
}

export function registerAdminAccountRoutes(app: HttpServer, deps: AdminRouteDependencies): void {
  app.addSchema(Account);
  app.addSchema(PasswordLink);
  const { db, now } = deps;
  const tag = 'admin-accounts';
  const mailing = mailedLinkBase(deps);

  /**
   * Mails the link when SMTP (and so PUBLIC_URL) is configured; either way the admin gets it
   * back. Only a link under PUBLIC_URL is ever mailed, never one made from the request's Host.
   */
  async function handOver(
    request: FastifyRequest,
    to: string,
    kind: 'invitation' | 'password_reset',
    token: string,
    expiresAt: Date,
  ) {
    const url = tokenUrl(mailing?.publicUrl ?? publicUrlOf(request, deps.publicUrl), kind, token);
    let emailed = false;
    if (mailing) {
      try {
        const mail = kind === 'invitation' ? invitationMail : passwordResetMail;
        await mailing.mailer.send(mail(to, url, expiresAt));
        emailed = true;
      } catch (err) {
        // The admin still has the link to pass on; the failure is theirs to see, not fatal.
        request.log.warn({ err }, 'link not mailed');
      }
    }
    return { url, expiresAt: expiresAt.toISOString(), emailed };
  }

  app.get(
    '/admin/accounts',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'listAccounts',
        summary: 'Every admin account',
        response: {
          200: Type.Object({ accounts: Type.Array(Type.Ref('AdminAccount')) }),
          ...refused,
        },
      },
    },
    async () => ({ accounts: (await listAccounts(db)).map(presentAccount) }),
  );

  app.post(
    '/admin/accounts',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'inviteAccount',
        summary: 'Invite someone: an account and a one-time link to set its password (72 h)',
        body: Type.Object(
          { email: Email, displayName: DisplayName, role: AdminRoleSchema },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            account: Type.Ref('AdminAccount'),
            invitation: Type.Ref('AdminPasswordLink'),
          }),
          400: ErrorRef,
          ...refused,
          409: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const invited = await inviteAccount(
        db,
        request.body,
        actorOf(request),
        auditContextOf(request),
        now(),
      );
      const invitation = await handOver(
        request,
        invited.account.email,
        'invitation',
        invited.token,
        invited.expiresAt,
      );
      const account = presentAccount({ ...invited.account, secondFactor: false });
      return reply.status(201).send({ account, invitation });
    },
  );

  app.patch(
    '/admin/accounts/:id',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'updateAccount',
        summary: 'Change role, status or name; only an owner changes admins and owners',
        params: AccountParams,
        body: Type.Object(
          {
            role: Type.Optional(AdminRoleSchema),
            status: Type.Optional(Type.Enum(['active', 'deactivated'])),
            displayName: Type.Optional(DisplayName),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: Type.Ref('AdminAccount'),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { privilegeChanged } = await updateAccount(
        db,
        request.params.id,
        request.body,
        actor,
        auditContextOf(request),
        now(),
      );
      // One's own privilege changed: the session gets a new id, as at sign-in.
      if (privilegeChanged && actor.accountId === request.params.id) {
        await rotateSession(request, reply, db, now());
      }
      return presentAccount(await getAccount(db, request.params.id));
    },
  );

  app.post(
    '/admin/accounts/:id/password-reset-link',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'createPasswordResetLink',
        summary: 'A one-time link to set the password (a new invitation if never accepted)',
        params: AccountParams,
        response: {
          201: Type.Ref('AdminPasswordLink'),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
          409: ErrorRef,
        },
      },
    },
    async (request, reply) => {
      const issued = await issuePasswordLink(
        db,
        request.params.id,
        actorOf(request),
        auditContextOf(request),
        now(),
      );
      const link = await handOver(
        request,
        issued.account.email,
        issued.kind,
        issued.token,
        issued.expiresAt,
      );
      return reply.status(201).send(link);
    },
  );

  app.get(
    '/admin/accounts/:id/sessions',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'listAccountSessions',
        summary: "An account's active sessions",
        params: AccountParams,
        response: {
          200: Type.Object({ sessions: Type.Array(Type.Ref('AdminSessionSummary')) }),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      await assertMayManageAccount(db, request.params.id, actorOf(request));
      const { policy } = request.server.adminSessions;
      const sessions = await listLiveSessions(db, request.params.id, policy, now());
      return { sessions: sessions.map((s) => presentSession(s, request.admin?.sessionId)) };
    },
  );

  app.delete(
    '/admin/accounts/:id/sessions/:sessionId',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'revokeAccountSession',
        summary: "End one of an account's sessions: its next request must sign in again",
        params: Type.Object({ id: Id, sessionId: Id }),
        response: { 204: Type.Null(), 400: ErrorRef, ...refused, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await assertMayManageAccount(db, request.params.id, actorOf(request));
      const target = {
        scope: 'one' as const,
        accountId: request.params.id,
        sessionId: request.params.sessionId,
      };
      if (!(await endSessionsAudited(db, target, auditContextOf(request)))) {
        throw notFound('session');
      }
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/admin/accounts/:id/sign-ins',
    {
      ...adminRoute('admin'),
      schema: {
        ...adminSchema('admin', tag),
        operationId: 'listAccountSignIns',
        summary: "An account's sign-in attempts, newest first (the last 100)",
        params: AccountParams,
        response: {
          200: Type.Object({
            signIns: Type.Array(
              Type.Object({
                at: DateTime,
                success: Type.Boolean(),
                method: Nullable(Type.String()),
                address: Type.String(),
              }),
            ),
          }),
          400: ErrorRef,
          ...refused,
          404: ErrorRef,
        },
      },
    },
    async (request) => {
      const signIns = await listSignIns(db, request.params.id, actorOf(request));
      return {
        signIns: signIns.map((s) => ({
          at: s.at.toISOString(),
          success: s.success,
          method: s.method,
          address: s.address,
        })),
      };
    },
  );
}
