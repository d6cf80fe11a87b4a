/**
 * The renewal rule of installedAuthorization with the API played by a fake: a replica that
 * loses the claim keeps a token that is still valid, and waits (on an injected clock) for the
 * winner's renewal of one that has expired, instead of calling Slack itself.
 */
import { describe, expect, it } from 'vitest';
import type {
  InstallationApi,
  StoredInstallation,
} from '../../src/bot/api-client/installations.ts';
import { installedAuthorization } from '../../src/bot/installed-authorization.ts';
import { createLogger } from '../../src/observability/logger.ts';

const NOW = Date.parse('2026-12-08T08:00:00Z');
const base: StoredInstallation = {
  teamId: 'T0FAKE',
  enterpriseId: null,
  isEnterpriseInstall: false,
  appId: null,
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  botScopes: [],
  botToken: 'xoxe.xoxb-old',
  botRefreshToken: 'xoxe-1-refresh',
  botTokenExpiresAt: null,
  installerUserId: null,
};

function fakeApi(first: StoredInstallation, later: StoredInstallation[]) {
  let fetches = 0;
  const api = {
    fetch: async () => (fetches++ === 0 ? first : (later.shift() ?? first)),
    claimRefresh: async () => ({ claimed: false, installation: first }),
  } as unknown as InstallationApi;
  return { api, fetches: () => fetches };
}

function authorizationWith(api: InstallationApi, clock: { now: number }) {
  return installedAuthorization({
    installations: api,
    clientId: 'id',
    clientSecret: 'secret',
    // No Slack here: a call would fail, and the tests would with it.
    clientOptions: { slackApiUrl: 'http://127.0.0.1:9/api/' },
    logger: createLogger({ level: 'silent', service: 'test' }),
    now: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
}

const source = { teamId: 'T0FAKE', isEnterpriseInstall: false } as never;

describe('a replica that loses the renewal claim', () => {
  it('keeps using a token that has not expired yet', async () => {
    const soon = { ...base, botTokenExpiresAt: new Date(NOW + 60_000).toISOString() };
    const { api } = fakeApi(soon, []);
    const auth = await authorizationWith(api, { now: NOW }).authorize(source);
    expect(auth.botToken).toBe('xoxe.xoxb-old');
  });

  it('waits for the other replica to store the renewed token of one that has expired', async () => {
    const expired = { ...base, botTokenExpiresAt: new Date(NOW - 1_000).toISOString() };
    const renewed = {
      ...base,
      botToken: 'xoxe.xoxb-new',
      botTokenExpiresAt: new Date(NOW + 12 * 3_600_000).toISOString(),
    };
    const { api, fetches } = fakeApi(expired, [expired, renewed]);
    const auth = await authorizationWith(api, { now: NOW }).authorize(source);
    expect(auth.botToken).toBe('xoxe.xoxb-new');
    expect(fetches()).toBe(3);
  });
});
