/**
 * Managing admin accounts over HTTP: invitations (mailed over real SMTP, or handed back),
 * roles and who may change them, the last owner, deactivation, reset links, and each account's
 * sessions and sign-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/core/mail/mailer.ts';
import { type AdminApi, AdminBrowser, startAdminApi, TestClock } from '../support/admin-harness.ts';
import { linkIn, signedIn, startSmtpSink } from '../support/admin-sessions.ts';

const PUBLIC_URL = 'https://blindspot.example.org';

let api: AdminApi;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let mailed: AdminApi;
let emails = 0;

const newEmail = () => {
  emails += 1;
  return `someone-${emails}-${process.pid}@example.com`;
};

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(new Date('2026-12-07T09:00:00Z')) });
  smtp = await startSmtpSink();
  mailed = await startAdminApi({
    admin: { publicUrl: PUBLIC_URL, mailer: createMailer(smtp.url, 'Blindspot <b@example.org>') },
  });
});

afterAll(async () => {
  await api?.close();
  await mailed?.close();
  await smtp?.close();
});

describe('inviting', () => {
  it('hands the link back when there is no mail, and the invited person sets a password with it', async () => {
    const { browser: owner } = await signedIn(api, 'owner');
    const email = newEmail();
    const answer = await owner.post('/accounts', { email, displayName: 'Vee', role: 'viewer' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      account: {
        email,
        displayName: 'Vee',
        role: 'viewer',
        status: 'invited',
        secondFactor: false,
      },
      invitation: { url: expect.stringMatching(/\/admin\/invite\?token=/), emailed: false },
    });
    const url = new URL((answer.body.invitation as { url: string }).url);
    const accepted = await new AdminBrowser(api.url).post('/auth/invitations/accept', {
      token: url.searchParams.get('token'),
      displayName: 'Vee Viewer',
      password: 'a long and unusual passphrase',
    });
    expect(accepted.status).toBe(201);

    const again = await owner.post('/accounts', {
      email: email.toUpperCase(),
      displayName: 'X',
      role: 'viewer',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('email_taken');
  });

  it('mails the link over SMTP when configured, under PUBLIC_URL', async () => {
    const { browser: owner } = await signedIn(mailed, 'owner');
    const email = newEmail();
    const answer = await owner.post('/accounts', { email, displayName: 'Ada', role: 'admin' });
    expect(answer.status).toBe(201);
    const invitation = answer.body.invitation as { url: string; emailed: boolean };
    expect(invitation.emailed).toBe(true);
    expect(invitation.url.startsWith(`${PUBLIC_URL}/admin/invite?token=`)).toBe(true);
    const mail = smtp.mails.find((m) => m.to.includes(email));
    expect(mail && linkIn(mail)).toBe(invitation.url);
  });

  it('lets an admin invite viewers and editors only, and nobody below admin invite at all', async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    expect(
      (await admin.post('/accounts', { email: newEmail(), displayName: 'E', role: 'editor' }))
        .status,
    ).toBe(201);
    for (const role of ['admin', 'owner']) {
      const refused = await admin.post('/accounts', { email: newEmail(), displayName: 'A', role });
      expect(refused.status, role).toBe(403);
      expect(refused.body.code).toBe('forbidden');
    }
    const { browser: editor } = await signedIn(api, 'editor');
    expect((await editor.get('/accounts')).status).toBe(403);
  });
});

describe('changing an account', () => {
  it('never demotes or deactivates the last owner', async () => {
    const fresh = await startAdminApi();
    try {
      const { browser: owner, account } = await signedIn(fresh, 'owner');
      for (const change of [{ role: 'admin' }, { status: 'deactivated' }]) {
        const refused = await owner.request('PATCH', `/accounts/${account.id}`, change);
        expect(refused.status).toBe(409);
        expect(refused.body.code).toBe('last_owner');
      }
      const { account: second } = await signedIn(fresh, 'owner');
      const demoted = await owner.request('PATCH', `/accounts/${account.id}`, { role: 'admin' });
      expect(demoted.status).toBe(200);
      expect(demoted.body).toMatchObject({ id: account.id, role: 'admin' });
      const refused = await owner.request('PATCH', `/accounts/${second.id}`, { role: 'admin' });
      expect(refused.status).toBe(403);
    } finally {
      await fresh.close();
    }
  });

  it('rotates the session of someone whose own role changed, and ends the sessions of others changed', async () => {
    const { browser: owner, account } = await signedIn(api, 'owner');
    await signedIn(api, 'owner');
    const before = owner.cookies.get('blindspot_admin');
    const answer = await owner.request('PATCH', `/accounts/${account.id}`, { role: 'admin' });
    expect(answer.status).toBe(200);
    expect(owner.cookies.get('blindspot_admin')).not.toBe(before);
    const session = await owner.session();
    expect(session.body).toMatchObject({ account: { role: 'admin' }, stage: 'full' });
    const stale = new AdminBrowser(api.url);
    stale.cookies.set('blindspot_admin', String(before));
    expect((await stale.session()).status).toBe(401);

    const { browser: viewer, account: viewerAccount } = await signedIn(api, 'viewer');
    const promoted = await owner.request('PATCH', `/accounts/${viewerAccount.id}`, {
      role: 'editor',
    });
    expect(promoted.status).toBe(200);
    expect((await viewer.session()).status).toBe(401);
  });

  it('deactivates: the account’s sessions end and its password no longer signs in', async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    const { browser: editor, account } = await signedIn(api, 'editor');
    const answer = await admin.request('PATCH', `/accounts/${account.id}`, {
      status: 'deactivated',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('deactivated');
    expect((await editor.session()).status).toBe(401);
    const signIn = await new AdminBrowser(api.url, { 'x-forwarded-for': '198.18.0.1' }).signIn(
      account,
    );
    expect(signIn.status).toBe(401);
  });
});

describe('reset links, sessions and sign-ins of an account', () => {
  it('makes a one-time reset link that ends every session of the account', async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    const { browser: editor, account } = await signedIn(api, 'editor');
    const link = await admin.post(`/accounts/${account.id}/password-reset-link`);
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({
      url: expect.stringMatching(/\/admin\/reset-password\?token=/),
      emailed: false,
    });
    const token = new URL(String(link.body.url)).searchParams.get('token');
    const reset = await new AdminBrowser(api.url).post('/auth/password-reset', {
      token,
      password: 'another long passphrase',
    });
    expect(reset.status).toBe(204);
    expect((await editor.session()).status).toBe(401);
    const reused = await new AdminBrowser(api.url).post('/auth/password-reset', {
      token,
      password: 'yet another long passphrase',
    });
    expect(reused.body.code).toBe('invalid_token');
    const person = new AdminBrowser(api.url, { 'x-forwarded-for': '198.18.0.2' });
    expect((await person.signIn(account)).status).toBe(401);
    expect((await person.signIn({ ...account, password: 'another long passphrase' })).status).toBe(
      200,
    );
  });

  it('refuses a reset link after an hour', async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    const { account } = await signedIn(api, 'viewer');
    const link = await admin.post(`/accounts/${account.id}/password-reset-link`);
    api.clock.advance(3_600_001);
    const late = await new AdminBrowser(api.url).post('/auth/password-reset', {
      token: new URL(String(link.body.url)).searchParams.get('token'),
      password: 'another long passphrase',
    });
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('invalid_token');
  });

  it('mails a reset link to whoever asks for their own account, when mail is configured', async () => {
    const { account } = await signedIn(mailed, 'viewer');
    const answer = await new AdminBrowser(mailed.url).post('/auth/password-reset/request', {
      email: account.email,
    });
    expect(answer.status).toBe(202);
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(account.email)).length).toBe(1);
    const mail = smtp.mails.find((m) => m.to.includes(account.email));
    const url = new URL(linkIn(mail as NonNullable<typeof mail>));
    expect(url.origin + url.pathname).toBe(`${PUBLIC_URL}/admin/reset-password`);
    // Asking again at once makes no second link (and so sends no second mail).
    const tokens = () =>
      mailed.db
        .selectFrom('admin_tokens')
        .select('id')
        .where('account_id', '=', account.id)
        .execute();
    expect(await tokens()).toHaveLength(1);
    const again = await new AdminBrowser(mailed.url).post('/auth/password-reset/request', {
      email: account.email,
    });
    expect(again.status).toBe(202);
    expect(await tokens()).toHaveLength(1);

    const reset = await new AdminBrowser(mailed.url).post('/auth/password-reset', {
      token: url.searchParams.get('token'),
      password: 'a brand new passphrase',
    });
    expect(reset.status).toBe(204);
  });

  it('lists and revokes another account’s sessions, and shows its sign-ins newest first', async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    const { browser: viewer, account, sessionId } = await signedIn(api, 'viewer');
    const listed = await admin.get(`/accounts/${account.id}/sessions`);
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toEqual([
      expect.objectContaining({ id: sessionId, current: false }),
    ]);
    expect(
      (await admin.request('DELETE', `/accounts/${account.id}/sessions/${sessionId}`)).status,
    ).toBe(204);
    expect((await viewer.session()).status).toBe(401);

    const person = new AdminBrowser(api.url, { 'x-forwarded-for': '198.18.0.3' });
    await person.signIn({ ...account, password: 'wrong, but long enough' });
    api.clock.advance(1_000);
    await person.signIn(account);
    const signIns = await admin.get(`/accounts/${account.id}/sign-ins`);
    expect(signIns.body.signIns).toEqual([
      { at: expect.any(String), success: true, method: 'password', address: '198.18.0.3' },
      { at: expect.any(String), success: false, method: 'password', address: '198.18.0.3' },
    ]);
  });

  it("shows an owner's or another admin's sign-ins to owners only", async () => {
    const { browser: admin } = await signedIn(api, 'admin');
    const { browser: owner } = await signedIn(api, 'owner');
    for (const role of ['owner', 'admin'] as const) {
      const { account } = await signedIn(api, role);
      const person = new AdminBrowser(api.url, { 'x-forwarded-for': '198.18.0.4' });
      await person.signIn({ ...account, password: 'wrong, but long enough' });
      const refused = await admin.get(`/accounts/${account.id}/sign-ins`);
      expect(refused.status, role).toBe(403);
      expect(refused.body.code, role).toBe('forbidden');
      expect(JSON.stringify(refused.body)).not.toContain('198.18.0.4');
      const shown = await owner.get(`/accounts/${account.id}/sign-ins`);
      expect(shown.status, role).toBe(200);
      expect(shown.body.signIns, role).toEqual([
        { at: expect.any(String), success: false, method: 'password', address: '198.18.0.4' },
      ]);
    }
    expect((await admin.get('/accounts/999999999/sign-ins')).status).toBe(404);
  });
});

describe('mailed links', () => {
  it('answers a reset request before any work is done, for a known address as for an unknown one', async () => {
    const { account } = await signedIn(mailed, 'viewer');
    // While another transaction holds the tokens table, no reset link can be made: the answer
    // must not wait for it, or its timing would tell that the address has an account.
    const blocker = await mailed.database.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE admin_tokens IN ACCESS EXCLUSIVE MODE');
      for (const email of [account.email, 'nobody-at-all@example.com']) {
        const answer = await fetch(`${mailed.url}/api/v1/admin/auth/password-reset/request`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.18.0.5' },
          body: JSON.stringify({ email }),
          signal: AbortSignal.timeout(5_000),
        });
        expect(answer.status, email).toBe(202);
      }
      expect(smtp.mails.filter((m) => m.to.includes(account.email))).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    // Once the table is free, the link is made and mailed.
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(account.email)).length).toBe(1);
  });

  it('never mails a link made from the Host a request names, even if PUBLIC_URL is missing', async () => {
    // src/config.ts refuses SMTP_URL without PUBLIC_URL; this is the API's own guard behind it.
    const sink = await startSmtpSink();
    const noPublicUrl = await startAdminApi({
      admin: { mailer: createMailer(sink.url, 'Blindspot <b@example.org>') },
    });
    try {
      // The api believes X-Forwarded-Host from the gateway's address, as it would a Host.
      const forged = { 'x-forwarded-host': 'attacker.example' };
      const { browser: owner, account } = await signedIn(noPublicUrl, 'owner');
      const asked = await new AdminBrowser(noPublicUrl.url, forged).post(
        '/auth/password-reset/request',
        { email: account.email },
      );
      expect(asked.status).toBe(202);
      const forgingOwner = new AdminBrowser(noPublicUrl.url, forged);
      forgingOwner.cookies.set('blindspot_admin', String(owner.cookies.get('blindspot_admin')));
      forgingOwner.csrfToken = owner.csrfToken;
      const invited = await forgingOwner.post('/accounts', {
        email: newEmail(),
        displayName: 'Hal',
        role: 'viewer',
      });
      expect(invited.status).toBe(201);
      // Handed back to the admin who asked, for them to pass on: not mailed.
      expect(invited.body.invitation).toMatchObject({
        url: expect.stringMatching(/^http:\/\/attacker\.example\/admin\/invite\?token=/),
        emailed: false,
      });
    } finally {
      // Closing waits for work still running after an answer.
      await noPublicUrl.close();
      await sink.close();
    }
    expect(sink.mails).toEqual([]);
  });
});
