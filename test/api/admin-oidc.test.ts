/**
 * Sign in with Slack, the whole redirect dance over real HTTP: the API, a browser-like client,
 * and the Slack stand-in's OpenID Connect endpoints (discovery, authorize, token, JWKS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccountRow } from '../../src/core/admin-accounts/repositories/accounts.ts';
import { totpCode } from '../../src/core/second-factors/totp.ts';
import { startSlackStandIn } from '../../src/slack-emulator/index.ts';
import type { SlackStandIn } from '../../src/slack-emulator/types.ts';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  startAdminApi,
} from '../support/admin-harness.ts';

const CLIENT = { clientId: '1234567890.0987654321', clientSecret: 'slack-client-secret-for-tests' };

let standIn: SlackStandIn;
let api: AdminApi;
let users = 0;

beforeAll(async () => {
  standIn = await startSlackStandIn();
  standIn.oidc.registerClient(CLIENT);
  api = await startAdminApi({
    admin: { slackOidc: { issuer: standIn.origin, ...CLIENT } },
  });
  await api.db
    .insertInto('workspaces')
    .values({ slack_team_id: standIn.identity.teamId })
    .execute();
});

afterAll(async () => {
  await api?.close();
  await standIn?.close();
});

/** A Slack member, approving the sign-in at the stand-in's authorize page. */
function slackMember(email: string, teamId?: string) {
  users += 1;
  const user = { id: `U0OIDC${users}`, email, realName: 'Ada Lovelace', teamId };
  standIn.oidc.approveAs(user);
  return user;
}

/**
 * Follows the dance as a browser does: to Slack, back to the callback, and returns the
 * callback's answer (a redirect) and the authorize URL it went through.
 */
async function signInWithSlack(person: AdminBrowser) {
  const start = await person.get('/auth/slack');
  expect(start.status).toBe(302);
  const authorize = new URL(String(start.headers.get('location')));
  const atSlack = await fetch(authorize, { redirect: 'manual' });
  expect(atSlack.status).toBe(302);
  const callback = String(atSlack.headers.get('location'));
  return { authorize, callback, answer: await person.request('GET', callback) };
}

describe('Sign in with Slack', () => {
  it('goes to Slack and back, replacing the password step only: the second factor is still asked', async () => {
    const account = await createAccount(api.db);
    const person = new AdminBrowser(api.url);
    await person.signIn(account);
    const secret = String((await person.post('/auth/totp/enrolment')).body.secret);
    await person.post('/auth/totp/enrolment/confirm', { code: totpCode(secret, api.clock.now()) });
    api.clock.advance(30_000);
    const member = slackMember(account.email.toUpperCase());

    const browser = new AdminBrowser(api.url);
    expect((await browser.get('/auth/slack/status')).body).toEqual({ enabled: true });
    const { authorize, callback, answer } = await signInWithSlack(browser);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${standIn.origin}/openid/connect/authorize`,
    );
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: CLIENT.clientId,
      response_type: 'code',
      scope: 'openid email profile',
      redirect_uri: `${api.url}/api/v1/admin/auth/slack/callback`,
      state: expect.any(String),
      nonce: expect.any(String),
      code_challenge_method: 'S256',
    });
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();

    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(`${api.url}/admin`);
    expect(browser.cookies.has('blindspot_oidc')).toBe(false);
    const session = await browser.session();
    expect(session.body).toMatchObject({ stage: 'second_factor', account: { id: account.id } });
    expect((await browser.get('/accounts')).status).toBe(403);
    const verified = await browser.post('/auth/totp/verify', {
      code: totpCode(secret, api.clock.now()),
    });
    expect(verified.body.stage).toBe('full');

    const events = await api.db
      .selectFrom('audit_events')
      .select(['actor', 'details'])
      .where('action', '=', 'sign_in.slack_succeeded')
      .where('subject_id', '=', account.id)
      .execute();
    expect(events).toEqual([
      {
        actor: `admin:${account.id}`,
        details: { method: 'slack', slackTeamId: standIn.identity.teamId },
      },
    ]);
    const [attempt] = await api.db
      .selectFrom('admin_sign_in_attempts')
      .select(['kind', 'method', 'success'])
      .where('account_id', '=', account.id)
      .where('method', '=', 'slack')
      .execute();
    expect(attempt).toEqual({ kind: 'password', method: 'slack', success: true });
    expect(member.id).toMatch(/^U0OIDC/);
  });

  it('an account without a second factor lands in enrolment', async () => {
    const account = await createAccount(api.db);
    slackMember(account.email);
    const browser = new AdminBrowser(api.url);
    expect((await signInWithSlack(browser)).answer.headers.get('location')).toBe(
      `${api.url}/admin`,
    );
    expect((await browser.session()).body.stage).toBe('enrolment');
  });

  it.each([
    ['an unknown email', async () => ({ email: 'nobody@example.com' })],
    [
      'a deactivated account',
      async () => {
        const account = await createAccount(api.db);
        await updateAccountRow(api.db, account.id, { status: 'deactivated' }, api.clock.now());
        return { email: account.email };
      },
    ],
    [
      'a Slack workspace Blindspot is not installed in',
      async () => ({ email: (await createAccount(api.db)).email, teamId: 'T0ELSEWHERE' }),
    ],
    [
      'an email Slack has not verified',
      async () => {
        standIn.oidc.changeNextIdToken({ email_verified: false });
        return { email: (await createAccount(api.db)).email };
      },
    ],
  ])('refuses kindly for %s: back to the sign-in page, no session', async (_case, arrange) => {
    const { email, teamId } = (await arrange()) as { email: string; teamId?: string };
    slackMember(email, teamId);
    const browser = new AdminBrowser(api.url);
    const { answer } = await signInWithSlack(browser);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(`${api.url}/admin/sign-in?error=oidc_no_account`);
    expect((await browser.session()).status).toBe(401);
  });

  it('refuses when the person cancels at Slack', async () => {
    standIn.oidc.approveAs(undefined);
    const browser = new AdminBrowser(api.url);
    const { callback, answer } = await signInWithSlack(browser);
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    expect(answer.headers.get('location')).toBe(`${api.url}/admin/sign-in?error=oidc_failed`);
  });

  it('refuses a callback carried to another browser (login CSRF), and a code used twice', async () => {
    const account = await createAccount(api.db);
    slackMember(account.email);
    const attacker = new AdminBrowser(api.url);
    const start = await attacker.get('/auth/slack');
    const atSlack = await fetch(String(start.headers.get('location')), { redirect: 'manual' });
    const callback = String(atSlack.headers.get('location'));

    const victim = new AdminBrowser(api.url);
    const planted = await victim.request('GET', callback);
    expect(planted.headers.get('location')).toBe(`${api.url}/admin/sign-in?error=oidc_failed`);
    expect((await victim.session()).status).toBe(401);

    // The request was not used up by the refusal above: the right browser still gets in, once.
    expect((await attacker.request('GET', callback)).headers.get('location')).toBe(
      `${api.url}/admin`,
    );
    const twice = new AdminBrowser(api.url);
    for (const [name, value] of attacker.cookies) twice.cookies.set(name, value);
    twice.cookies.set('blindspot_oidc', new URL(callback).searchParams.get('state') ?? '');
    expect((await twice.request('GET', callback)).headers.get('location')).toBe(
      `${api.url}/admin/sign-in?error=oidc_failed`,
    );
  });

  it('refuses an ID token that fails its checks (wrong nonce, another audience)', async () => {
    const account = await createAccount(api.db);
    for (const claims of [{ nonce: 'replayed-nonce' }, { aud: 'another-app' }]) {
      slackMember(account.email);
      standIn.oidc.changeNextIdToken(claims);
      const browser = new AdminBrowser(api.url);
      const { answer } = await signInWithSlack(browser);
      expect(answer.headers.get('location'), JSON.stringify(claims)).toBe(
        `${api.url}/admin/sign-in?error=oidc_failed`,
      );
    }
  });
});

describe('without SLACK_CLIENT_ID and SLACK_CLIENT_SECRET', () => {
  it('is not offered: 404 oidc_disabled', async () => {
    const plain = await startAdminApi();
    try {
      const browser = new AdminBrowser(plain.url);
      expect((await browser.get('/auth/slack/status')).body).toEqual({ enabled: false });
      for (const path of ['/auth/slack', '/auth/slack/callback?code=x&state=y']) {
        const answer = await browser.get(path);
        expect(answer.status, path).toBe(404);
        expect(answer.body.code, path).toBe('oidc_disabled');
      }
    } finally {
      await plain.close();
    }
  });
});
