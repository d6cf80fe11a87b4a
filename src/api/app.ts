/**
 * The REST API: OpenAPI 3.1 generated from the route schemas, served at /api/openapi.json with
 * a docs UI at /api/docs, and the versioned routes under /api/v1.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { HttpServer } from '../http/server.ts';
import { registerMeRoutes } from './routes/me.ts';

export interface ApiDependencies {
  db: Kysely<Database>;
  /** The token the bot presents; see src/api/plugins/authenticate.ts. */
  serviceToken: string;
  /** ADMIN_API_KEY; the admin routes answer 403 while it is unset. */
  adminApiKey?: string;
  version: string;
}

export async function registerApi(app: HttpServer, deps: ApiDependencies): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Blindspot API',
        version: deps.version,
        description:
          'The business API behind the Blindspot Slack bot and admin app. Errors are JSON ' +
          '`{ code, message, requestId }`.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          serviceToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'API_SERVICE_TOKEN, held by the Slack bot.',
          },
        },
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'managers', description: 'Managers, as the bot sees them' },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (v1) => {
      registerMeRoutes(v1.withTypeProvider<TypeBoxTypeProvider>(), deps);
    },
    { prefix: '/api/v1' },
  );
}
