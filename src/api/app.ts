/**
 * The REST API: OpenAPI 3.1 generated from the route schemas, served at /api/openapi.json with
 * a docs UI at /api/docs, and the versioned routes under /api/v1.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { deliveryBacklogSeconds } from '../core/deliveries/service.ts';
import type { Keyring } from '../core/secrets/keyring.ts';
import { runWithDeadline } from '../db/deadline.ts';
import type { Database } from '../db/schema.ts';
import type { HttpServer } from '../http/server.ts';
import type { Metrics } from '../observability/metrics.ts';
import {
  ADMIN_SECURITY_SCHEMES,
  ADMIN_TAGS,
  type AdminApiOptions,
  prepareAdminApi,
  registerAdminApiRoutes,
} from './admin-api.ts';
import { registerAdminWeb } from './plugins/admin-web.ts';
import { registerServiceAuthentication } from './plugins/authenticate.ts';
import { registerGatewayRules } from './plugins/gateway-rules.ts';
import { registerInputGuard } from './plugins/input-guard.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import type { RouteDependencies } from './route-dependencies.ts';
import { registerActionItemResponseRoutes } from './routes/action-item-responses.ts';
import { registerActionItemRoutes } from './routes/action-items.ts';
import { registerDataRightsRoutes } from './routes/data-rights.ts';
import { registerDeliveryRoutes } from './routes/deliveries.ts';
import { registerHolidayRoutes } from './routes/holidays.ts';
import { registerHomeRoutes } from './routes/home.ts';
import { registerManagerRoutes } from './routes/managers.ts';
import { registerMemberStatusRoutes } from './routes/member-statuses.ts';
import { registerProgressRoutes } from './routes/progress.ts';
import { registerReminderRoutes } from './routes/reminders.ts';
import { registerSlackInstallationRoutes } from './routes/slack-installations.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions.ts';
import { registerTopicRoutes } from './routes/topics.ts';
import { registerUserGroupRoutes } from './routes/user-groups.ts';
import { registerWorkspaceRoutes } from './routes/workspaces.ts';

export interface ApiDependencies {
  db: Kysely<Database>;
  /** The token the bot presents; see src/api/plugins/authenticate.ts. */
  serviceToken: string;
  /** API_SIGNING_SECRET: the key of the bot's request signatures; see ./plugins/authenticate.ts. */
  signingSecret: string;
  /** ADMIN_API_KEY: kept as an owner-role API key while set (./admin-api.ts). */
  adminApiKey?: string;
  /** Admin sessions, links and mail (issue 13). */
  admin?: AdminApiOptions;
  metrics: Metrics;
  /** The clock every time-dependent rule reads; tests inject their own. */
  now?: () => Date;
  /**
   * The all-in-one process's own address, once it listens: the base of managers' export links
   * when PUBLIC_URL is unset. The api service has none (its address is internal).
   */
  selfUrl?: () => string | undefined;
  version: string;
  /** API_RATE_LIMIT_PER_MINUTE, per client address; unset or 0: no limit. */
  rateLimitPerMinute?: number;
  /** API_RATE_LIMIT_PER_USER_PER_MINUTE, the bot's calls per Slack user; unset or 0: no limit. */
  rateLimitPerUserPerMinute?: number;
  /**
   * API_DEADLINE_MS: a request still waiting on the database this long after it arrived is
   * answered 503 with Retry-After (src/db/deadline.ts). Unset: no deadline.
   */
  deadlineMs?: number;
  /** BLINDSPOT_ENCRYPTION_KEYS, opened: installed Slack tokens are sealed under it. */
  keyring?: Keyring;
}

/** Every /api/v1 operation may answer 429; documented once here rather than in each route. */
const RateLimitedResponse = {
  $ref: 'Error',
  description: 'Too many requests from this client: wait the seconds in Retry-After.',
};

export async function registerApi(app: HttpServer, deps: ApiDependencies): Promise<void> {
  const clock = deps.now ?? (() => new Date());
  registerServiceAuthentication(app, { ...deps, now: clock });
  registerGatewayRules(app);
  await registerRateLimit(app, {
    perMinute: deps.rateLimitPerMinute ?? 0,
    perUserPerMinute: deps.rateLimitPerUserPerMinute ?? 0,
    serviceToken: deps.serviceToken,
    metrics: deps.metrics,
    now: clock,
  });
  await prepareAdminApi(app, { ...deps, now: clock });
  await app.register(swagger, {
    transform: ({ schema, url }) => ({
      url,
      schema:
        url.startsWith('/api/v1/') && schema?.response
          ? { ...schema, response: { ...schema.response, 429: RateLimitedResponse } }
          : schema,
    }),
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
          ...ADMIN_SECURITY_SCHEMES,
        },
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'managers', description: 'Managers, as the bot sees them' },
        { name: 'subscriptions', description: "A manager's schedule: sign up, change, pause" },
        { name: 'topics', description: 'Topic categories and feedback' },
        { name: 'deliveries', description: 'The delivery ledger, as the bot works through it' },
        { name: 'reminders', description: 'Reminder messages, as the bot works through them' },
        { name: 'action-items', description: "A manager's planned actions: private to them" },
        {
          name: 'progress',
          description: 'How a manager is doing with their actions: completion rate and streak',
        },
        { name: 'workspaces', description: 'Workspace lifecycle' },
        { name: 'slack', description: 'Installations made with Add to Slack, and their tokens' },
        { name: 'admin', description: "A workspace's topic catalogue and weekday themes" },
        ...ADMIN_TAGS,
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await registerAdminWeb(app);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (v1) => {
      const { deadlineMs } = deps;
      if (deadlineMs !== undefined) {
        // The callback form: the handler runs inside done(), so it and every promise it starts
        // see the deadline. The time already spent (parsing, validation) counts against it.
        v1.addHook('preHandler', (_request, reply, done) => {
          runWithDeadline(deadlineMs - reply.elapsedTime, done);
        });
      }
      registerInputGuard(v1);
      const routes = v1.withTypeProvider<TypeBoxTypeProvider>();
      const now = deps.now ?? (() => new Date());
      const { db, serviceToken, metrics } = deps;
      const shared: RouteDependencies = { db, serviceToken, now };
      registerManagerRoutes(routes, shared);
      // Before the subscriptions: their schema refers to HolidayPlace.
      registerHolidayRoutes(routes, shared);
      registerSubscriptionRoutes(routes, shared);
      registerTopicRoutes(routes, shared);
      registerActionItemRoutes(routes, { ...shared, metrics: metrics.actionItems });
      registerActionItemResponseRoutes(routes, { ...shared, metrics: metrics.reminders });
      registerProgressRoutes(routes, shared);
      registerHomeRoutes(routes, shared);
      registerReminderRoutes(routes, { ...shared, metrics: metrics.reminders });
      registerDeliveryRoutes(routes, { ...shared, metrics: metrics.deliveries });
      registerWorkspaceRoutes(routes, shared);
      registerUserGroupRoutes(routes, shared);
      registerMemberStatusRoutes(routes, shared);
      registerSlackInstallationRoutes(routes, { ...shared, keyring: deps.keyring });
      registerDataRightsRoutes(routes, {
        ...shared,
        publicUrl: () => deps.admin?.publicUrl ?? deps.selfUrl?.(),
      });
      registerAdminApiRoutes(routes, { ...deps, now });
      metrics.observeDeliveryBacklog(() => deliveryBacklogSeconds(db, now()));
    },
    { prefix: '/api/v1' },
  );
}
