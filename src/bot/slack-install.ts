/**
 * Add to Slack (issue 16): GET /slack/install serves the page with the button, and
 * GET /slack/oauth_redirect finishes the install, with Bolt's own InstallProvider. The state is
 * single-use across replicas (the API keeps it), and must match the cookie set on this browser
 * at /slack/install. Every way an install can fail ends on a page that says what happened, with
 * nothing stored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CodedError,
  type Installation,
  type InstallationQuery,
  InstallProvider,
  InvalidStateError,
  type OrgInstallation,
} from '@slack/oauth';
import { WebClient } from '@slack/web-api';
import type { HttpServer } from '../http/server.ts';
import type { Logger } from '../observability/logger.ts';
import { ApiCallError } from './api-client/index.ts';
import type { InstallationApi, StoredInstallation } from './api-client/installations.ts';
import { boltLogger } from './bolt-logger.ts';

/**
 * The bot scopes an install asks for: config/slack/manifest.yaml's, which
 * test/config/slack-manifest.test.ts keeps equal to this list.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'users:read',
  'users.profile:read',
  'im:history',
  'im:write',
  'usergroups:read',
];

export interface InstallSettings {
  clientId: string;
  clientSecret: string;
  /** Slack's Web API base URL (the stand-in's in tests). */
  apiUrl: string;
  /** PUBLIC_URL: the redirect URL Slack sends the browser back to is made from it. */
  publicUrl?: string;
  /** Where the consent page is; Slack's unless a test points it elsewhere. */
  authorizationUrl?: string;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
      `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">` +
      `<h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

function installPage(url: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Add Blindspot to Slack</title>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
    '<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">' +
    '<h1>Add Blindspot to Slack</h1>' +
    '<p>Blindspot sends people managers one short note about a blind spot, on the days they ' +
    'choose, and helps them follow up. Installing it asks Slack for the permissions listed on ' +
    'the next page; each is explained in the setup guide.</p>' +
    `<p><a id="add-to-slack" href="${escapeHtml(url)}" style="display:inline-block;padding:.6rem 1rem;` +
    'background:#4a154b;color:#fff;border-radius:.3rem;text-decoration:none">Add to Slack</a></p>' +
    '</body></html>'
  );
}

/** What the person sees when an install fails, by what went wrong; never an error's details. */
function failurePage(error: CodedError, res: ServerResponse): void {
  if (error.code === 'slack_oauth_installer_authorization_error') {
    page(
      res,
      200,
      'Blindspot was not installed',
      '<p>You cancelled on Slack’s page, so nothing was installed and nothing was stored. ' +
        'You can <a href="/slack/install">start again</a> whenever you like.</p>',
    );
    return;
  }
  if (error instanceof InvalidStateError || error.code === 'slack_oauth_missing_state') {
    page(
      res,
      400,
      'This install link cannot be used',
      '<p>It has expired, was used already, or was started in another browser. Nothing was ' +
        'stored. Please <a href="/slack/install">start the install again</a>.</p>',
    );
    return;
  }
  const slackError = (error as { data?: { error?: string } }).data?.error;
  page(
    res,
    502,
    'Slack could not complete the install',
    `<p>Slack answered ${slackError ? `<code>${escapeHtml(slackError)}</code>` : 'with an error'}, ` +
      'so nothing was stored. Please <a href="/slack/install">try again</a>; if it keeps ' +
      'happening, ask whoever runs Blindspot to check its Slack app settings.</p>',
  );
}

/**
 * An org-wide install is in no workspace yet: an org admin adds it to the org's workspaces on
 * Slack's page for the app (https://api.slack.com/enterprise/apps/reference).
 */
function orgInstalledBody(installation: Installation | OrgInstallation): string {
  const org = installation.enterprise?.name ?? installation.enterprise?.id ?? 'your organisation';
  const manage = `https://app.slack.com/manage/${encodeURIComponent(installation.enterprise?.id ?? '')}/integrations/profile/${encodeURIComponent(installation.appId ?? '')}/workspaces/add`;
  return (
    `<p>Blindspot is installed for the whole of ${escapeHtml(org)}. It works in each ` +
    `workspace an org admin <a href="${escapeHtml(manage)}">adds it to</a>; there, people type ` +
    '<code>/blindspot</code> to sign up.</p>'
  );
}

function toStored(installation: Installation | OrgInstallation): StoredInstallation {
  const bot = installation.bot;
  if (!bot) throw new Error('the install gave no bot token');
  return {
    teamId: installation.team?.id ?? null,
    enterpriseId: installation.enterprise?.id ?? null,
    isEnterpriseInstall: installation.isEnterpriseInstall === true,
    appId: installation.appId ?? null,
    botUserId: bot.userId,
    botId: bot.id,
    botScopes: bot.scopes,
    botToken: bot.token,
    botRefreshToken: bot.refreshToken ?? null,
    botTokenExpiresAt: bot.expiresAt ? new Date(bot.expiresAt * 1000).toISOString() : null,
    installerUserId: installation.user.id ?? null,
  };
}

/** Bolt's view of an installation, for InstallProvider's store interface. */
export function toBoltInstallation(stored: StoredInstallation): Installation {
  return {
    team: stored.teamId ? { id: stored.teamId } : undefined,
    enterprise: stored.enterpriseId ? { id: stored.enterpriseId } : undefined,
    isEnterpriseInstall: stored.isEnterpriseInstall,
    appId: stored.appId ?? undefined,
    user: { id: stored.installerUserId ?? '', token: undefined, scopes: undefined },
    bot: {
      id: stored.botId ?? '',
      userId: stored.botUserId ?? '',
      scopes: stored.botScopes,
      token: stored.botToken,
      refreshToken: stored.botRefreshToken ?? undefined,
      expiresAt: stored.botTokenExpiresAt
        ? Math.floor(Date.parse(stored.botTokenExpiresAt) / 1000)
        : undefined,
    },
  } as Installation;
}

export function queryOf(query: InstallationQuery<boolean>) {
  return {
    teamId: query.teamId ?? null,
    enterpriseId: query.enterpriseId ?? null,
    isEnterpriseInstall: query.isEnterpriseInstall === true,
  };
}

/**
 * Gives back the token of an install that was refused, so no working token is left behind
 * that Blindspot never stored. Failing to revoke it must not change what the person sees.
 */
async function revokeUnused(
  installation: Installation | OrgInstallation,
  apiUrl: string,
  log: Logger,
): Promise<void> {
  const token = installation.bot?.token;
  if (!token) return;
  try {
    await new WebClient(token, { slackApiUrl: apiUrl, logger: boltLogger(log) }).auth.revoke();
  } catch (error) {
    // Only the code: an error from the client may carry the request, and so the token.
    const code = (error as { code?: string }).code;
    log.warn({ code }, 'could not revoke the token of a refused install');
  }
}

/** Adds /slack/install and /slack/oauth_redirect to `server`. */
export function registerSlackInstall(
  server: HttpServer,
  settings: InstallSettings,
  installations: InstallationApi,
  logger: Logger,
): void {
  const redirectUri = settings.publicUrl
    ? new URL('/slack/oauth_redirect', settings.publicUrl).toString()
    : undefined;
  const installer = new InstallProvider({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    authorizationUrl: settings.authorizationUrl,
    logger: boltLogger(logger),
    clientOptions: { slackApiUrl: settings.apiUrl },
    installUrlOptions: { scopes: BOT_SCOPES, ...(redirectUri ? { redirectUri } : {}) },
    renderHtmlForInstallPath: installPage,
    stateStore: {
      generateStateParam: (installOptions) =>
        installations.createState(installOptions as unknown as Record<string, unknown>),
      verifyStateParam: async (_now, state) => {
        try {
          return (await installations.consumeState(state)) as never;
        } catch (error) {
          if (error instanceof ApiCallError && error.code === 'invalid_oauth_state') {
            throw new InvalidStateError('The state is unknown, used or expired.');
          }
          throw error;
        }
      },
    },
    installationStore: {
      storeInstallation: async (installation) => {
        await installations.save(toStored(installation));
      },
      fetchInstallation: async (query) =>
        toBoltInstallation(await installations.fetch(queryOf(query))),
    },
  });
  const log = logger.child({ component: 'slack-install' });

  server.get('/slack/install', { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    await installer.handleInstallPath(request.raw, reply.raw);
  });

  server.get('/slack/oauth_redirect', { schema: { hide: true } }, async (request, reply) => {
    reply.hijack();
    const req: IncomingMessage = request.raw;
    await installer.handleCallback(req, reply.raw, {
      // Missing a scope, Blindspot would fail later in ways no one could trace to the install.
      afterInstallation: async (installation, _options, _req, res) => {
        const granted = new Set(installation.bot?.scopes ?? []);
        const missing = BOT_SCOPES.filter((scope) => !granted.has(scope));
        if (missing.length === 0) return true;
        log.warn({ missing }, 'an install lacked scopes; nothing stored');
        await revokeUnused(installation, settings.apiUrl, log);
        page(
          res,
          400,
          'Blindspot was not installed',
          `<p>Slack granted it without ${missing.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}, ` +
            'which it needs to work, so nothing was stored. Please check the app’s scopes ' +
            '(config/slack/manifest.yaml) and <a href="/slack/install">install again</a>.</p>',
        );
        return false;
      },
      success: (installation, _options, _req, res) => {
        if (installation.isEnterpriseInstall && installation.enterprise) {
          log.info(
            { slackEnterpriseId: installation.enterprise.id },
            'Blindspot installed org-wide',
          );
          page(res, 200, 'Blindspot is installed', orgInstalledBody(installation));
          return;
        }
        log.info({ slackTeamId: installation.team?.id }, 'Blindspot installed into a workspace');
        const team = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
        page(
          res,
          200,
          'Blindspot is installed',
          `<p>Blindspot is now in ${escapeHtml(team)}. Open Slack and type <code>/blindspot</code> ` +
            'to sign up.</p>',
        );
      },
      failure: (error, _options, _req, res) => {
        log.warn({ code: error.code, err: error }, 'an install did not complete');
        failurePage(error, res);
      },
    });
  });
}
