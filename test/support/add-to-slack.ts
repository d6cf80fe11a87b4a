/**
 * Add to Slack as a browser and Slack play it, for tests: open /slack/install (the state comes
 * in the button's link and in a cookie), let the stand-in grant the install, and follow Slack's
 * redirect back to /slack/oauth_redirect.
 */
import { BOT_SCOPES } from '../../src/bot/slack-install.ts';
import type { InstallGrant, SlackStandIn } from '../../src/slack-emulator/index.ts';

export const TEST_SLACK_CLIENT = { clientId: '1234.5678', clientSecret: 'client-secret-for-tests' };

/** The env that puts startTestApp in many-workspace mode against `standIn`. */
export function addToSlackEnv(standIn: SlackStandIn, signingSecret: string, keys: string) {
  standIn.installs.registerClient(TEST_SLACK_CLIENT);
  return {
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_CLIENT_ID: TEST_SLACK_CLIENT.clientId,
    SLACK_CLIENT_SECRET: TEST_SLACK_CLIENT.clientSecret,
    SLACK_API_URL: standIn.url,
    BLINDSPOT_ENCRYPTION_KEYS: keys,
  };
}

export async function startInstall(appUrl: string) {
  const response = await fetch(`${appUrl}/slack/install`);
  const html = await response.text();
  const link = new URL(
    (html.match(/id="add-to-slack" href="([^"]+)"/)?.[1] ?? '').replaceAll('&amp;', '&'),
  );
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    status: response.status,
    html,
    link,
    state: String(link.searchParams.get('state')),
    cookie,
  };
}

export async function oauthRedirect(appUrl: string, query: Record<string, string>, cookie: string) {
  const response = await fetch(
    `${appUrl}/slack/oauth_redirect?${new URLSearchParams(query).toString()}`,
    { headers: { cookie } },
  );
  return { status: response.status, html: await response.text() };
}

/** The whole install of `teamId`, approved with the manifest's scopes unless `grant` says not. */
export async function addToSlack(
  appUrl: string,
  standIn: SlackStandIn,
  teamId: string,
  grant: Partial<InstallGrant> = {},
) {
  const started = await startInstall(appUrl);
  const code = standIn.installs.grant({ teamId, scopes: BOT_SCOPES, ...grant });
  const finished = await oauthRedirect(appUrl, { code, state: started.state }, started.cookie);
  return { ...finished, started, code };
}

/**
 * The whole org-wide install of `enterpriseId` (Enterprise Grid): approved on Slack's page by an
 * org admin, with the manifest's scopes unless `grant` says not.
 */
export async function addToSlackOrgWide(
  appUrl: string,
  standIn: SlackStandIn,
  enterpriseId: string,
  grant: Partial<InstallGrant> = {},
) {
  const started = await startInstall(appUrl);
  const code = standIn.installs.grant({
    enterpriseId,
    isEnterpriseInstall: true,
    scopes: BOT_SCOPES,
    ...grant,
  });
  const finished = await oauthRedirect(appUrl, { code, state: started.state }, started.cookie);
  return { ...finished, started, code };
}
