/**
 * What the admin routes share: the dependencies each register function is given, the base of
 * the links they hand out or mail, the fields of an account (sign-in and setup in ./admin-auth.ts,
 * invitations in ./admin-accounts.ts), and a session as its list shows it.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { PASSWORD_LIMITS } from '../../core/admin-accounts/rules.ts';
import type { SessionRow } from '../../core/admin-sessions/service.ts';
import type { Mailer } from '../../core/mail/mailer.ts';
import type { Database } from '../../db/schema.ts';
import { DateTime, Nullable } from '../schemas.ts';

export interface AdminRouteDependencies {
  db: Kysely<Database>;
  now: () => Date;
  /** Mails invitation and reset links when SMTP_URL is set (and PUBLIC_URL with it). */
  mailer?: Mailer;
  /** PUBLIC_URL; unset, links shown to the admin who asked are made from their request. */
  publicUrl?: string;
}

/**
 * The base of links handed back to the admin who asked for them: PUBLIC_URL, or the origin
 * their own request reached. Never for a mailed link: a request names its own Host, so a mailed
 * link built from it could point anywhere (see mailedLinkBase).
 */
export function publicUrlOf(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * The mailer and the base of mailed links, or undefined when either is missing: links are
 * mailed under PUBLIC_URL only (src/config.ts refuses SMTP_URL without it).
 */
export function mailedLinkBase(
  deps: AdminRouteDependencies,
): { mailer: Mailer; publicUrl: string } | undefined {
  const { mailer, publicUrl } = deps;
  return mailer && publicUrl !== undefined ? { mailer, publicUrl } : undefined;
}

export const Email = Type.String({ minLength: 3, maxLength: 254, format: 'email' });
export const DisplayName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
/** Checked for length and commonness by the service, so the message can say why. */
export const NewPassword = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: `At least ${PASSWORD_LIMITS.min} characters and not a common password.`,
});

/**
 * A session in a list (one's own in ./admin-auth.ts, an account's in ./admin-accounts.ts), which
 * both refer to by its $id; ./admin-auth.ts adds the schema.
 */
export const SessionSummary = Type.Object(
  {
    id: Type.String({ description: 'A public handle: never the cookie value' }),
    current: Type.Boolean(),
    createdAt: DateTime,
    lastSeenAt: DateTime,
    address: Nullable(Type.String()),
    userAgent: Nullable(Type.String()),
  },
  { $id: 'AdminSessionSummary', title: 'AdminSessionSummary' },
);

export function presentSession(session: SessionRow, currentId: string | undefined) {
  return {
    id: session.id,
    current: session.id === currentId,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    address: session.address,
    userAgent: session.userAgent,
  };
}
