/**
 * Passkeys over HTTP, with a software authenticator (test/support/software-authenticator.ts)
 * producing real WebAuthn responses: registration as the first factor, passwordless sign-in,
 * the second step after a password, and what is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccountRow } from '../../src/core/admin-accounts/repositories/accounts.ts';
import { totpCode } from '../../src/core/second-factors/totp.ts';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  startAdminApi,
} from '../support/admin-harness.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';

let api: AdminApi;
let addresses = 0;

beforeAll(async () => {
  api = await startAdminApi();
});

afterAll(async () => {
  await api?.close();
});

function browser(): AdminBrowser {
  addresses += 1;
  return new AdminBrowser(api.url, { 'x-forwarded-for': `203.0.113.${addresses}` });
}

type Options = { challenge: string; rp: { id?: string }; user: { id: string } };

/** Signs a new account in and registers a passkey as its first factor. */
async function withPasskey(role: 'owner' | 'admin' = 'admin') {
  const account = await createAccount(api.db, { role });
  const person = browser();
  expect((await person.signIn(account)).body.stage).toBe('enrolment');
  const authenticator = new SoftwareAuthenticator();
  const options = await person.post('/auth/passkeys/registration/options');
  expect(options.status).toBe(200);
  const registered = await person.post('/auth/passkeys/registration/verify', {
    response: authenticator.register(options.body as unknown as Options, api.url),
    name: 'Laptop',
  });
  expect(registered.status).toBe(201);
  await person.session();
  return { account, person, authenticator, registered };
}

/** Asks for sign-in options and answers them with `authenticator`. */
async function signInWithPasskey(person: AdminBrowser, authenticator: SoftwareAuthenticator) {
  const options = await person.post('/auth/passkeys/authentication/options', {});
  expect(options.status).toBe(200);
  const response = authenticator.authenticate(options.body as { challenge: string }, api.url);
  return {
    options,
    response,
    answer: await person.post('/auth/passkeys/authentication/verify', { response }),
  };
}

describe('registering a passkey', () => {
  it('as the first factor: recovery codes, and a full session under a new id', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    const before = new Map(person.cookies);
    const options = await person.post('/auth/passkeys/registration/options');
    expect(options.body).toMatchObject({
      rp: { name: 'Blindspot', id: '127.0.0.1' },
      user: { name: account.email },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    const authenticator = new SoftwareAuthenticator();
    const registered = await person.post('/auth/passkeys/registration/verify', {
      response: authenticator.register(options.body as unknown as Options, api.url),
      name: '  Work laptop  ',
    });
    expect(registered.status).toBe(201);
    expect(registered.body.passkey).toMatchObject({
      name: 'Work laptop',
      transports: ['internal'],
      lastUsedAt: null,
    });
    expect(registered.body.recoveryCodes).toHaveLength(10);
    expect(person.cookies).not.toEqual(before);
    expect((await person.session()).body).toMatchObject({
      stage: 'full',
      secondFactors: { totp: false, passkeys: 1, recoveryCodesLeft: 10 },
    });
  });

  it('a second passkey brings no new recovery codes; the same one twice is refused', async () => {
    const { account, person, authenticator } = await withPasskey();
    const another = new SoftwareAuthenticator();
    const proof = { password: account.password };
    const options = await person.post('/auth/passkeys/registration/options', proof);
    expect((options.body.excludeCredentials as { id: string }[]).map((c) => c.id)).toEqual([
      authenticator.id,
    ]);
    const added = await person.post('/auth/passkeys/registration/verify', {
      response: another.register(options.body as unknown as Options, api.url),
      name: 'Phone',
    });
    expect(added.status).toBe(201);
    expect(added.body.recoveryCodes).toBeUndefined();

    const again = await person.post('/auth/passkeys/registration/options', proof);
    const duplicate = await person.post('/auth/passkeys/registration/verify', {
      response: authenticator.register(again.body as unknown as Options, api.url),
      name: 'Laptop again',
    });
    expect(duplicate.status).toBe(409);
  });

  it('refuses a response to a challenge it did not issue, or from another origin', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    const options = (await person.post('/auth/passkeys/registration/options'))
      .body as unknown as Options;
    const forged = await person.post('/auth/passkeys/registration/verify', {
      response: new SoftwareAuthenticator().register(
        { ...options, challenge: 'bm90LWlzc3VlZA' },
        api.url,
      ),
      name: 'Forged',
    });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('invalid_passkey');
    const phished = await person.post('/auth/passkeys/registration/verify', {
      response: new SoftwareAuthenticator().register(options, 'https://blindspot.example.net'),
      name: 'Phished',
    });
    expect(phished.status).toBe(401);
    expect((await person.session()).body.stage).toBe('enrolment');
  });
});

describe('adding a passkey to an account that has a second factor', () => {
  it('needs the password: the session alone is not enough', async () => {
    const { account, person } = await withPasskey();
    for (const body of [undefined, {}]) {
      const refused = await person.request('POST', '/auth/passkeys/registration/options', body);
      expect(refused.status, JSON.stringify(body)).toBe(403);
      expect(refused.body).toMatchObject({
        code: 'reauthentication_required',
        requestId: expect.any(String),
      });
    }
    const wrong = await person.post('/auth/passkeys/registration/options', {
      password: `${account.password}!`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('invalid_credentials');
    // A passkey-only account has no app whose code could prove anything.
    const code = await person.post('/auth/passkeys/registration/options', { code: '123456' });
    expect(code.status).toBe(401);
    expect(code.body.code).toBe('invalid_code');
    // Refused proofs handed out no challenge a registration could answer.
    const challenges = await api.db
      .selectFrom('admin_webauthn_challenges')
      .select('challenge')
      .where('account_id', '=', account.id)
      .where('purpose', '=', 'registration')
      .execute();
    expect(challenges).toEqual([]);
    expect((await person.session()).body.stage).toBe('full');

    const options = await person.post('/auth/passkeys/registration/options', {
      password: account.password,
    });
    expect(options.status).toBe(200);
    const added = await person.post('/auth/passkeys/registration/verify', {
      response: new SoftwareAuthenticator().register(options.body as unknown as Options, api.url),
      name: 'Phone',
    });
    expect(added.status).toBe(201);
    expect((await person.session()).body.secondFactors).toMatchObject({ passkeys: 2 });
  });

  it('or a current code from the authenticator app, which is spent', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    const secret = String((await person.post('/auth/totp/enrolment')).body.secret);
    const confirmed = await person.post('/auth/totp/enrolment/confirm', {
      code: totpCode(secret, api.clock.now()),
    });
    expect(confirmed.status).toBe(200);
    await person.session();
    expect((await person.post('/auth/passkeys/registration/options')).body.code).toBe(
      'reauthentication_required',
    );
    // The next step's code: the one that confirmed the app is spent already.
    api.clock.advance(30_000);
    const current = totpCode(secret, api.clock.now());
    const wrong = String((Number(current) + 1) % 1_000_000).padStart(6, '0');
    const refused = await person.post('/auth/passkeys/registration/options', { code: wrong });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_code');

    const options = await person.post('/auth/passkeys/registration/options', { code: current });
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({ user: { name: account.email } });
    const replayed = await person.post('/auth/passkeys/registration/options', { code: current });
    expect(replayed.body.code).toBe('invalid_code');
    const added = await person.post('/auth/passkeys/registration/verify', {
      response: new SoftwareAuthenticator().register(options.body as unknown as Options, api.url),
      name: 'Laptop',
    });
    expect(added.status).toBe(201);
    // Not the first factor: no new recovery codes.
    expect(added.body.recoveryCodes).toBeUndefined();
  });
});

describe('signing in with a passkey', () => {
  it('without a password: a full session at once', async () => {
    const { account, authenticator } = await withPasskey();
    const person = browser();
    const { options, answer } = await signInWithPasskey(person, authenticator);
    // Passwordless: no account is known yet, so any passkey for the site may answer.
    expect(options.body.allowCredentials).toEqual([]);
    expect(options.body.userVerification).toBe('required');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ stage: 'full', account: { id: account.id } });
    expect((await person.get('/accounts')).status).toBe(200);
    const [passkey] = (await person.get('/auth/passkeys')).body.passkeys as {
      lastUsedAt: string;
    }[];
    expect(passkey?.lastUsedAt).toBe(api.clock.now().toISOString());
  });

  it('as the second step after the password', async () => {
    const { account, authenticator } = await withPasskey();
    const person = browser();
    expect((await person.signIn(account)).body.stage).toBe('second_factor');
    const { options, answer } = await signInWithPasskey(person, authenticator);
    expect((options.body.allowCredentials as { id: string }[]).map((c) => c.id)).toEqual([
      authenticator.id,
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ stage: 'full', account: { id: account.id } });
  });

  it("refuses another account's passkey as the second step", async () => {
    const first = await withPasskey();
    const second = await withPasskey();
    const person = browser();
    await person.signIn(first.account);
    const { answer } = await signInWithPasskey(person, second.authenticator);
    expect(answer.status).toBe(401);
    expect((await person.session()).body.stage).toBe('second_factor');
  });

  it('refuses a replayed assertion, a cloned authenticator, and one without user verification', async () => {
    const { authenticator } = await withPasskey();
    const person = browser();
    const { response, answer } = await signInWithPasskey(person, authenticator);
    expect(answer.status).toBe(200);
    const replayed = await browser().post('/auth/passkeys/authentication/verify', { response });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('invalid_passkey');

    // A clone carries on from an older counter than the site has seen.
    authenticator.counter = 0;
    expect((await signInWithPasskey(browser(), authenticator)).answer.status).toBe(401);

    authenticator.counter = 100;
    authenticator.verifiesUser = false;
    expect((await signInWithPasskey(browser(), authenticator)).answer.status).toBe(401);
  });

  it('refuses an answer after the challenge expired', async () => {
    const { authenticator } = await withPasskey();
    const person = browser();
    const options = await person.post('/auth/passkeys/authentication/options', {});
    api.clock.advance(6 * 60_000);
    const response = authenticator.authenticate(options.body as { challenge: string }, api.url);
    expect((await person.post('/auth/passkeys/authentication/verify', { response })).status).toBe(
      401,
    );
  });

  it("refuses a deactivated account's passkey", async () => {
    const { account, authenticator } = await withPasskey();
    await updateAccountRow(api.db, account.id, { status: 'deactivated' }, api.clock.now());
    expect((await signInWithPasskey(browser(), authenticator)).answer.status).toBe(401);
  });
});

describe('managing passkeys', () => {
  it('lists them, and removes one unless it is the last second factor', async () => {
    const { account, person } = await withPasskey();
    const listed = await person.get('/auth/passkeys');
    const [passkey] = listed.body.passkeys as { id: string; name: string }[];
    expect(passkey?.name).toBe('Laptop');

    const last = await person.request('DELETE', `/auth/passkeys/${passkey?.id}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('last_second_factor');

    // With an authenticator app as well, the passkey may go. (Adding one to an account that
    // has a factor needs its password.)
    const started = await person.post('/auth/totp/enrolment', { password: account.password });
    const secret = String(started.body.secret);
    const confirm = await person.post('/auth/totp/enrolment/confirm', {
      code: totpCode(secret, api.clock.now()),
    });
    expect(confirm.status).toBe(200);
    expect((await person.request('DELETE', `/auth/passkeys/${passkey?.id}`)).status).toBe(204);
    expect((await person.get('/auth/passkeys')).body.passkeys).toEqual([]);
    expect((await person.request('DELETE', `/auth/passkeys/${passkey?.id}`)).status).toBe(404);
    const removed = await api.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', '=', account.id)
      .where('action', '=', 'second_factor.passkey_removed')
      .execute();
    expect(removed).toHaveLength(1);
  });

  it("cannot remove another account's passkey", async () => {
    const first = await withPasskey();
    const second = await withPasskey();
    const [theirs] = (await second.person.get('/auth/passkeys')).body.passkeys as { id: string }[];
    expect((await first.person.request('DELETE', `/auth/passkeys/${theirs?.id}`)).status).toBe(404);
  });
});
