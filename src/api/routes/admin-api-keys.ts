/**
 * API keys for scripts, managed by owners. The secret is in the answer to POST once, and never
 * again: only its digest and first characters are kept.
 */
import { Type } from 'typebox';
import {
  type ApiKeyRow,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from '../../core/admin-accounts/api-keys.ts';
import type { HttpServer } from '../../http/server.ts';
import { adminRoute, adminSchema, auditContextOf } from '../plugins/admin-session.ts';
import { AdminRoleSchema } from '../plugins/admin-session-info.ts';
import { DateTime, ErrorRef, Id, Nullable } from '../schemas.ts';
import type { AdminRouteDependencies } from './admin-shared.ts';

const ApiKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: AdminRoleSchema,
    prefix: Type.String({ description: 'The first characters of the secret, to recognise it' }),
    createdAt: DateTime,
    lastUsedAt: Nullable(DateTime),
    lastUsedAddress: Nullable(Type.String()),
  },
  { $id: 'AdminApiKey', title: 'AdminApiKey' },
);

function presentApiKey(key: ApiKeyRow) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.secretPrefix,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedAddress: key.lastUsedAddress,
  };
}

const refused = { 401: ErrorRef, 403: ErrorRef };

export function registerAdminApiKeyRoutes(app: HttpServer, deps: AdminRouteDependencies): void {
  app.addSchema(ApiKey);
  const { db, now } = deps;
  const tag = 'admin-api-keys';

  app.get(
    '/admin/api-keys',
    {
      ...adminRoute('owner'),
      schema: {
        ...adminSchema('owner', tag),
        operationId: 'listApiKeys',
        summary: 'The live API keys (never their secrets)',
        response: {
          200: Type.Object({ apiKeys: Type.Array(Type.Ref('AdminApiKey')) }),
          ...refused,
        },
      },
    },
    async () => ({ apiKeys: (await listApiKeys(db)).map(presentApiKey) }),
  );

  app.post(
    '/admin/api-keys',
    {
      ...adminRoute('owner'),
      schema: {
        ...adminSchema('owner', tag),
        operationId: 'createApiKey',
        summary: 'Create a key with a role; its secret is in this answer only',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
            role: AdminRoleSchema,
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            apiKey: Type.Ref('AdminApiKey'),
            secret: Type.String({ description: 'Send as Authorization: Bearer <secret>' }),
          }),
          400: ErrorRef,
          ...refused,
        },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(
        db,
        request.body,
        request.admin?.accountId ?? null,
        auditContextOf(request),
        now(),
      );
      return reply
        .status(201)
        .send({ apiKey: presentApiKey(created.apiKey), secret: created.secret });
    },
  );

  app.delete(
    '/admin/api-keys/:id',
    {
      ...adminRoute('owner'),
      schema: {
        ...adminSchema('owner', tag),
        operationId: 'revokeApiKey',
        summary: 'Revoke a key: it stops working at once',
        params: Type.Object({ id: Id }),
        response: { 204: Type.Null(), 400: ErrorRef, ...refused, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await revokeApiKey(db, request.params.id, auditContextOf(request), now());
      return reply.status(204).send(null);
    },
  );
}
