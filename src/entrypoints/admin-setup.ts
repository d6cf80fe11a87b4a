/**
 * Admin wiring shared by the api service and the all-in-one process: the options of the admin
 * API from the configuration, and the one-time setup link printed while no account exists.
 */
import type { Kysely } from 'kysely';
import type { AdminApiOptions } from '../api/admin-api.ts';
import type { Config } from '../config.ts';
import { syncEnvironmentApiKey } from '../core/admin-accounts/api-keys.ts';
import { issueSetupToken } from '../core/admin-accounts/sign-in.ts';
import { tokenUrl } from '../core/admin-accounts/tokens.ts';
import { createMailer } from '../core/mail/mailer.ts';
import type { Database } from '../db/schema.ts';
import type { ShutdownStep } from '../lifecycle.ts';
import type { Logger } from '../observability/logger.ts';

export function adminApiOptions(config: Config): {
  options: AdminApiOptions;
  steps: ShutdownStep[];
} {
  const mailer = config.SMTP_URL ? createMailer(config.SMTP_URL, config.SMTP_FROM) : undefined;
  return {
    options: {
      sessionIdleMinutes: config.ADMIN_SESSION_IDLE_MINUTES,
      sessionAbsoluteHours: config.ADMIN_SESSION_ABSOLUTE_HOURS,
      publicUrl: config.PUBLIC_URL?.replace(/\/+$/, ''),
      mailer,
      analyticsMinGroup: config.ANALYTICS_MIN_GROUP,
      slackOidc:
        config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET
          ? {
              issuer: config.SLACK_OIDC_ISSUER,
              clientId: config.SLACK_CLIENT_ID,
              clientSecret: config.SLACK_CLIENT_SECRET,
            }
          : undefined,
    },
    steps: mailer ? [{ name: 'mailer', run: async () => mailer.close() }] : [],
  };
}

/**
 * While no admin account exists, logs a link that creates the first (owner) account: a new one
 * at every start of every replica, each valid 24 hours; the first used creates the owner, and
 * then none works any more.
 */
export async function announceAdminSetup(
  db: Kysely<Database>,
  logger: Logger,
  baseUrl: string,
  now: Date,
): Promise<string | undefined> {
  const issued = await issueSetupToken(db, now);
  if (!issued) return undefined;
  const url = tokenUrl(baseUrl, 'setup', issued.token);
  // Info, not warn: a first start with no account is the normal way in, not a fault. The link
  // is a credential for one use within 24 hours, and the issue that asked for it accepts that it
  // reaches the log; docs/operations/security.md says so.
  logger.info(
    { expiresAt: issued.expiresAt.toISOString() },
    `No admin account yet. Create the owner account, once, within 24 hours, at: ${url}`,
  );
  return url;
}

/** Keeps the API key named ADMIN_API_KEY in step with the environment (see the core function). */
export async function importAdminApiKey(
  db: Kysely<Database>,
  secret: string | undefined,
  logger: Logger,
  now: Date,
): Promise<void> {
  const outcome = await syncEnvironmentApiKey(db, secret, now);
  if (outcome === 'refused_revoked') {
    logger.warn('ADMIN_API_KEY was revoked and stays revoked: set a new value to use one');
  } else if (outcome !== 'unchanged') {
    logger.info({ outcome }, 'ADMIN_API_KEY kept as an owner API key');
  }
}
