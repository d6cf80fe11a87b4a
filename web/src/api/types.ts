/** Names for the API's shapes, taken from the generated schema so they follow the API. */
import type { paths } from './schema.ts';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type SessionInfo = Json<paths['/api/v1/admin/auth/session']['get']['responses']['200']>;
export type Role = SessionInfo['account']['role'];
export type SessionStage = SessionInfo['stage'];
export type SessionSummary = Json<
  paths['/api/v1/admin/auth/sessions']['get']['responses']['200']
>['sessions'][number];
export type Account = Json<
  paths['/api/v1/admin/accounts']['get']['responses']['200']
>['accounts'][number];
export type SignIn = Json<
  paths['/api/v1/admin/accounts/{id}/sign-ins']['get']['responses']['200']
>['signIns'][number];
export type Invitation = Json<
  paths['/api/v1/admin/accounts']['post']['responses']['201']
>['invitation'];
export type ApiKey = Json<
  paths['/api/v1/admin/api-keys']['get']['responses']['200']
>['apiKeys'][number];
export type AuditEvent = Json<
  paths['/api/v1/admin/audit']['get']['responses']['200']
>['events'][number];
export type AuditQuery = NonNullable<paths['/api/v1/admin/audit']['get']['parameters']['query']>;
export type Passkey = Json<
  paths['/api/v1/admin/auth/passkeys']['get']['responses']['200']
>['passkeys'][number];

export const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const satisfies readonly Role[];

/** True when `role` is at least `minimum` (viewer < editor < admin < owner). */
export function hasRole(role: Role | undefined, minimum: Role): boolean {
  if (!role) return false;
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
