/**
 * Signing in and out of the admin app over HTTP: first-run setup, password sign-in with the
 * same answer for every failure, throttling, cookies, session fixation, CSRF, timeouts,
 * sign-out (everywhere), the session list, invitations and password resets.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inviteAccount } from '../../src/core/admin-accounts/service.ts';
import { issueSetupToken } from '../../src/core/admin-accounts/sign-in.ts';
import { sessionPolicy } from '../../src/core/admin-sessions/rules.ts';
import { createSession } from '../../src/core/admin-sessions/service.ts';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  startAdminApi,
  TestClock,
} from '../support/admin-harness.ts';

const START = new Date('2026-12-07T09:00:00.000Z');
const MINUTE = 60_000;

let api: AdminApi;
let addresses = 0;

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(START) });
});

afterAll(async () => {
  await api?.close();
});

/** A browser from an address of its own, so throttling in one test leaves the others alone. */
function browser(headers: Record<string, string> = {}): AdminBrowser {
  addresses += 1;
  return new AdminBrowser(api.url, { 'x-forwarded-for': `203.0.113.${addresses}`, ...headers });
}

const withoutRequestId = (body: Record<string, unknown>) => {
  const { requestId: _, ...rest } = body;
  return rest;
};

describe('first-run setup', () => {
  it('creates the owner once, with the token from the log, and then is no longer needed', async () => {
    // Its own API: setup is only possible while no account exists.
    const fresh = await startAdminApi({ clock: new TestClock(START) });
    try {
      const owner = new AdminBrowser(fresh.url);
      expect((await owner.get('/auth/setup')).body).toEqual({ needed: true });
      const issued = await issueSetupToken(fresh.db, fresh.clock.now());
      if (!issued) throw new Error('no setup token while no account exists');
      const input = { email: 'Owner@Example.com', displayName: 'Olive Owner' };

      const wrongToken = await owner.post('/auth/setup', {
        ...input,
        token: 'not-the-token',
        password: 'correct horse battery staple',
      });
      expect(wrongToken.status).toBe(400);
      expect(wrongToken.body.code).toBe('invalid_token');

      const common = dictionary['passwords-common'].find((word) => word.length >= 12);
      for (const password of ['too short', String(common).toUpperCase()]) {
        const weak = await owner.post('/auth/setup', { ...input, token: issued.token, password });
        expect(weak.status, password).toBe(400);
        expect(weak.body).toMatchObject({
          code: 'weak_password',
          fields: { password: expect.any(String) },
        });
      }

      const created = await owner.post('/auth/setup', {
        ...input,
        token: issued.token,
        password: 'correct horse battery staple',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        account: { email: 'Owner@Example.com', displayName: 'Olive Owner', role: 'owner' },
        stage: 'enrolment',
        secondFactors: { totp: false, passkeys: 0, recoveryCodesLeft: 0 },
      });
      expect((await owner.get('/auth/setup')).body).toEqual({ needed: false });
      expect(await issueSetupToken(fresh.db, fresh.clock.now())).toBeUndefined();

      const again = await new AdminBrowser(fresh.url).post('/auth/setup', {
        ...input,
        email: 'second@example.com',
        token: issued.token,
        password: 'correct horse battery staple',
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('setup_not_needed');
    } finally {
      await fresh.close();
    }
  });

  it('refuses an expired setup token', async () => {
    const fresh = await startAdminApi({ clock: new TestClock(START) });
    try {
      const issued = await issueSetupToken(fresh.db, fresh.clock.now());
      fresh.clock.advance(24 * 60 * MINUTE + 1);
      const answer = await new AdminBrowser(fresh.url).post('/auth/setup', {
        token: issued?.token,
        email: 'late@example.com',
        displayName: 'Late',
        password: 'correct horse battery staple',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_token');
    } finally {
      await fresh.close();
    }
  });
});

describe('signing in with a password', () => {
  it('answers an unknown email, a wrong password and a deactivated account alike', async () => {
    const account = await createAccount(api.db);
    const deactivated = await createAccount(api.db, { status: 'deactivated' });
    const answers = [
      await browser().signIn({ email: 'nobody@example.com', password: account.password }),
      await browser().signIn({ email: account.email, password: 'wrong password, long enough' }),
      await browser().signIn(deactivated),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    const bodies = answers.map((a) => withoutRequestId(a.body));
    expect(bodies[0]).toEqual({ code: 'invalid_credentials', message: 'Wrong email or password.' });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it('starts a session in enrolment for an account without a second factor', async () => {
    const account = await createAccount(api.db, { role: 'editor' });
    const person = browser();
    const answer = await person.signIn({ ...account, email: account.email.toUpperCase() });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      account: { id: account.id, role: 'editor' },
      stage: 'enrolment',
      csrfToken: expect.any(String),
      idleExpiresAt: new Date(START.getTime() + 30 * MINUTE).toISOString(),
    });
    // Enrolment reaches the session, not the admin routes.
    expect((await person.session()).status).toBe(200);
    const topics = await person.get('/workspaces/T0NONE/topics');
    expect(topics.status).toBe(403);
    expect(topics.body.code).toBe('forbidden');
  });

  it('sets an HttpOnly, SameSite=Lax cookie, Secure and __Host- behind TLS', async () => {
    const account = await createAccount(api.db);
    const plain = await browser().signIn(account);
    const [plainCookie] = plain.headers.getSetCookie();
    expect(plainCookie).toMatch(
      /^blindspot_admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/,
    );

    const tls = await browser({ 'x-forwarded-proto': 'https' }).signIn(account);
    const [tlsCookie] = tls.headers.getSetCookie();
    expect(tlsCookie).toMatch(
      /^__Host-blindspot_admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('never keeps a session id from before sign-in (no session fixation)', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    // An id planted by an attacker, and a real earlier session of the same browser.
    person.cookies.set('blindspot_admin', 'planted-by-someone-else-0123456789abcdefghij');
    await person.signIn(account);
    const first = person.cookies.get('blindspot_admin');
    expect(first).not.toBe('planted-by-someone-else-0123456789abcdefghij');
    await person.signIn(account);
    const second = person.cookies.get('blindspot_admin');
    expect(second).not.toBe(first);

    const stale = browser();
    stale.cookies.set('blindspot_admin', String(first));
    expect((await stale.session()).status).toBe(401);
    expect((await person.session()).status).toBe(200);
  });

  it('backs off after five failures from one address, with Retry-After, and lets go on its own', async () => {
    const account = await createAccount(api.db);
    const attacker = browser();
    const wrong = { email: account.email, password: 'not the password at all' };
    for (let i = 0; i < 5; i += 1) expect((await attacker.signIn(wrong)).status).toBe(401);
    const refused = await attacker.signIn(account);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('too_many_attempts');
    expect(refused.headers.get('retry-after')).toBe('1');

    // The owner from their own address is not locked out by someone else's guesses.
    expect((await browser().signIn(account)).status).toBe(200);

    api.clock.advance(1_000);
    expect((await attacker.signIn(wrong)).status).toBe(401);
    // The delay doubles with each failure, up to a cap.
    const doubled = await attacker.signIn(account);
    expect(doubled.status).toBe(429);
    expect(doubled.headers.get('retry-after')).toBe('2');
    api.clock.advance(2_000);
    expect((await attacker.signIn(account)).status).toBe(200);
  });

  it('backs off parallel guesses too: each waits for the one before it to be counted', async () => {
    const account = await createAccount(api.db);
    const attacker = browser();
    const wrong = { email: account.email, password: 'not the password at all' };
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => attacker.signIn(wrong).then((answer) => answer.status)),
    );
    // Five free failures from one address, as one after another would get; the rest wait.
    expect(answers.filter((status) => status === 401)).toHaveLength(5);
    expect(answers.filter((status) => status === 429)).toHaveLength(7);
    api.clock.advance(60 * MINUTE);
  });

  it('counts an IPv6 client by its /64, so a fresh address per guess does not help', async () => {
    const account = await createAccount(api.db);
    const wrong = { email: account.email, password: 'not the password at all' };
    const from = (host: number) => browser({ 'x-forwarded-for': `2001:db8:5:6::${host}` });
    for (let host = 1; host <= 5; host += 1) {
      expect((await from(host).signIn(wrong)).status).toBe(401);
    }
    const refused = await from(6).signIn(account);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('too_many_attempts');
    // Another /64 is another client.
    expect((await browser({ 'x-forwarded-for': '2001:db8:5:7::1' }).signIn(account)).status).toBe(
      200,
    );
    api.clock.advance(60 * MINUTE);
  });

  it('throttles an unknown address exactly like a known one', async () => {
    const attacker = browser();
    for (let i = 0; i < 5; i += 1) {
      expect((await attacker.signIn({ email: 'ghost@example.com', password: 'x' })).status).toBe(
        401,
      );
    }
    expect((await attacker.signIn({ email: 'ghost@example.com', password: 'x' })).status).toBe(429);
    api.clock.advance(1_000);
  });
});

describe('a session', () => {
  it('refuses a state-changing request without the CSRF token, or with a wrong one', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    const token = person.csrfToken;
    person.csrfToken = undefined;
    const missing = await person.post('/auth/sign-out');
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('csrf_invalid');
    person.csrfToken = 'not-the-token';
    expect((await person.post('/auth/sign-out')).body.code).toBe('csrf_invalid');
    person.csrfToken = token;
    expect((await person.post('/auth/sign-out')).status).toBe(204);
    expect(person.cookies.size).toBe(0);
    expect((await person.session()).status).toBe(401);
  });

  it('ends after 30 idle minutes', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    api.clock.advance(29 * MINUTE);
    expect((await person.session()).status).toBe(200);
    api.clock.advance(29 * MINUTE);
    expect((await person.session()).status).toBe(200);
    api.clock.advance(30 * MINUTE);
    const ended = await person.session();
    expect(ended.status).toBe(401);
    expect(ended.body.code).toBe('unauthenticated');
  });

  it('ends 12 hours after sign-in however busy', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      api.clock.advance(20 * MINUTE);
      expect((await person.session()).status).toBe(200);
    }
    api.clock.advance(20 * MINUTE);
    expect((await person.session()).status).toBe(401);
  });

  it('lists the account’s sessions by public id, and revokes one or all', async () => {
    const account = await createAccount(api.db);
    const laptop = browser({ 'user-agent': 'laptop' });
    const phone = browser({ 'user-agent': 'phone' });
    await laptop.signIn(account);
    await phone.signIn(account);
    const listed = await laptop.get('/auth/sessions');
    expect(listed.status).toBe(200);
    const sessions = listed.body.sessions as { id: string; current: boolean; userAgent: string }[];
    expect(sessions.map((s) => [s.userAgent, s.current]).sort()).toEqual([
      ['laptop', true],
      ['phone', false],
    ]);
    const cookieValues = [...laptop.cookies.values(), ...phone.cookies.values()];
    for (const session of sessions) expect(cookieValues).not.toContain(session.id);

    const phoneSession = sessions.find((s) => s.userAgent === 'phone');
    expect((await laptop.request('DELETE', `/auth/sessions/${phoneSession?.id}`)).status).toBe(204);
    expect((await phone.session()).status).toBe(401);
    expect((await laptop.request('DELETE', `/auth/sessions/${phoneSession?.id}`)).status).toBe(404);

    await phone.signIn(account);
    expect((await laptop.post('/auth/sign-out-everywhere')).status).toBe(204);
    expect((await laptop.session()).status).toBe(401);
    expect((await phone.session()).status).toBe(401);
  });

  it('cannot revoke another account’s session through its own list', async () => {
    const mine = await createAccount(api.db);
    const theirs = await createAccount(api.db);
    const me = browser();
    await me.signIn(mine);
    const created = await createSession(
      api.db,
      { accountId: theirs.id, stage: 'full', address: null, userAgent: null },
      sessionPolicy(30, 12),
      api.clock.now(),
    );
    expect((await me.request('DELETE', `/auth/sessions/${created.session.id}`)).status).toBe(404);
  });
});

describe('invitations and password resets', () => {
  it('accepts an invitation once, and not after 72 hours', async () => {
    const invited = await inviteAccount(
      api.db,
      { email: `invited-${process.pid}@example.com`, displayName: 'Ivy', role: 'viewer' },
      'shell',
      {},
      api.clock.now(),
    );
    const person = browser();
    const body = {
      token: invited.token,
      displayName: 'Ivy Invited',
      password: 'a long and unusual passphrase',
    };
    const accepted = await person.post('/auth/invitations/accept', body);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      account: { displayName: 'Ivy Invited', role: 'viewer' },
      stage: 'enrolment',
    });
    const reused = await browser().post('/auth/invitations/accept', body);
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('invalid_token');

    const late = await inviteAccount(
      api.db,
      { email: `late-${process.pid}@example.com`, displayName: 'Lee', role: 'viewer' },
      'shell',
      {},
      api.clock.now(),
    );
    api.clock.advance(72 * 60 * MINUTE + 1);
    const expired = await browser().post('/auth/invitations/accept', {
      ...body,
      token: late.token,
    });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('invalid_token');
  });

  it('answers 202 to a reset request whoever asks, and makes no link without mail', async () => {
    const account = await createAccount(api.db);
    const before = await api.db.selectFrom('admin_tokens').select('id').execute();
    for (const email of [account.email, 'nobody@example.com']) {
      const answer = await browser().post('/auth/password-reset/request', { email });
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({});
    }
    expect(await api.db.selectFrom('admin_tokens').select('id').execute()).toHaveLength(
      before.length,
    );
  });
});
