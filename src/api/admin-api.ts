/**
 * The admin API's share of src/api/app.ts (issue 13): sessions, API keys and the routes of the
 * people who run Blindspot, kept here so the composition root stays a list.
 */
import type { Kysely } from 'kysely';
import { sessionPolicy } from '../core/admin-sessions/rules.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import type { Database } from '../db/schema.ts';
import type { HttpServer } from '../http/server.ts';
import { registerAdminSessions, SESSION_COOKIE } from './plugins/admin-session.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerAdminAccountRoutes } from './routes/admin-accounts.ts';
import { ANALYTICS_TAG, registerAdminAnalyticsRoutes } from './routes/admin-analytics.ts';
import { registerAdminAnalyticsTeamRoutes } from './routes/admin-analytics-teams.ts';
import { registerAdminApiKeyRoutes } from './routes/admin-api-keys.ts';
import { registerAdminAuditRoutes } from './routes/admin-audit.ts';
import { registerAdminAuthRoutes } from './routes/admin-auth.ts';
import { registerAdminDataRightsRoutes } from './routes/admin-data-rights.ts';
import { registerAdminOidcRoutes, type SlackOidcSettings } from './routes/admin-oidc.ts';
import { registerAdminPasskeyRoutes } from './routes/admin-passkeys.ts';
import { registerAdminPeopleRoutes } from './routes/admin-people.ts';
import { registerAdminSecondFactorRoutes } from './routes/admin-second-factors.ts';
import { registerAdminSettingsRoutes } from './routes/admin-settings.ts';
import { registerAdminWorkspaceRoutes } from './routes/admin-workspaces.ts';

export interface AdminApiOptions {
  /** ADMIN_SESSION_IDLE_MINUTES (default 30). */
  sessionIdleMinutes?: number;
  /** ADMIN_SESSION_ABSOLUTE_HOURS (default 12). */
  sessionAbsoluteHours?: number;
  /** PUBLIC_URL, the base of setup, invitation and reset links. */
  publicUrl?: string;
  /** Set when SMTP_URL is: invitation and reset links are mailed. */
  mailer?: Mailer;
  /** Set when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are: Sign in with Slack is offered. */
  slackOidc?: SlackOidcSettings;
  /** ANALYTICS_MIN_GROUP: the fewest managers an analytics number may be behind (default 5). */
  analyticsMinGroup?: number;
}

interface Dependencies {
  db: Kysely<Database>;
  now: () => Date;
  serviceToken: string;
  adminApiKey?: string;
  admin?: AdminApiOptions;
}

export const ADMIN_SECURITY_SCHEMES = {
  adminSession: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE.plain,
    description:
      `A signed-in person's session (${SESSION_COOKIE.secure} over HTTPS). State-changing ` +
      'requests also send x-csrf-token, from GET /api/v1/admin/auth/session.',
  },
  adminApiKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'An API key (bsk_…) made by an owner, or ADMIN_API_KEY (an owner key); each has a role.',
  },
} as const;

export const ADMIN_TAGS = [
  { name: 'admin-auth', description: 'Signing in and out of the admin app, sessions' },
  { name: 'admin-accounts', description: 'The people who run Blindspot, and their roles' },
  { name: 'admin-api-keys', description: "Scripts' keys to the admin API" },
  { name: 'admin-audit', description: 'Who changed what, when, from where' },
  ANALYTICS_TAG,
];

/**
 * Root-level set-up, before the routes: cookies and security headers. ADMIN_API_KEY is imported
 * by the start-up wiring (src/entrypoints/admin-setup.ts), which has a database to write to.
 */
export async function prepareAdminApi(app: HttpServer, deps: Dependencies): Promise<void> {
  if (deps.adminApiKey !== undefined && deps.adminApiKey === deps.serviceToken) {
    // The bot's token must never open an admin route, even by configuration.
    throw new Error('ADMIN_API_KEY must differ from API_SERVICE_TOKEN');
  }
  await registerAdminSessions(app, {
    db: deps.db,
    now: deps.now,
    policy: sessionPolicy(
      deps.admin?.sessionIdleMinutes ?? 30,
      deps.admin?.sessionAbsoluteHours ?? 12,
    ),
  });
}

/** The admin routes; the caller mounts them under /api/v1. */
export function registerAdminApiRoutes(app: HttpServer, deps: Dependencies): void {
  const routeDeps = {
    db: deps.db,
    now: deps.now,
    mailer: deps.admin?.mailer,
    publicUrl: deps.admin?.publicUrl,
  };
  registerAdminAuthRoutes(app, routeDeps);
  registerAdminSecondFactorRoutes(app, routeDeps);
  registerAdminPasskeyRoutes(app, routeDeps);
  registerAdminOidcRoutes(app, { ...routeDeps, slackOidc: deps.admin?.slackOidc });
  registerAdminAccountRoutes(app, routeDeps);
  registerAdminApiKeyRoutes(app, routeDeps);
  registerAdminAuditRoutes(app, routeDeps);
  registerAdminWorkspaceRoutes(app, routeDeps);
  registerAdminRoutes(app, {
    db: deps.db,
    now: deps.now,
    minGroup: deps.admin?.analyticsMinGroup,
  });
  registerAdminAnalyticsRoutes(app, { ...routeDeps, minGroup: deps.admin?.analyticsMinGroup });
  registerAdminPeopleRoutes(app, routeDeps);
  registerAdminDataRightsRoutes(app, routeDeps);
  registerAdminSettingsRoutes(app, routeDeps);
  registerAdminAnalyticsTeamRoutes(app, {
    ...routeDeps,
    minGroup: deps.admin?.analyticsMinGroup,
  });
}
