/**
 * Second factors over HTTP: TOTP enrolment and sign-in (replay, skew), recovery codes,
 * throttling, what a session in each stage may reach, and an owner's reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/core/second-factors/totp.ts';
import {
  type AdminApi,
  AdminBrowser,
  createAccount,
  startAdminApi,
  type TestAccount,
  TestClock,
} from '../support/admin-harness.ts';

const STEP_MS = 30_000;
/** The middle of a 30-second step, so one step either side is exactly ±30 s. */
const START = new Date(Math.floor(Date.UTC(2026, 11, 7, 9, 0, 0) / STEP_MS) * STEP_MS + 15_000);

let api: AdminApi;
let addresses = 0;

beforeAll(async () => {
  api = await startAdminApi({ clock: new TestClock(START) });
});

afterAll(async () => {
  await api?.close();
});

/** A browser from an address of its own, so throttling in one test leaves the others alone. */
function browser(): AdminBrowser {
  addresses += 1;
  const address = `198.51.100.${addresses}`;
  const person = new AdminBrowser(api.url, { 'x-forwarded-for': address });
  addressOf.set(person, address);
  return person;
}
const addressOf = new WeakMap<AdminBrowser, string>();

const code = (secret: string, offsetMs = 0) =>
  totpCode(secret, new Date(api.clock.now().getTime() + offsetMs));

/** Signs in a new account and enrols an authenticator app: a full session. */
async function enrolled(role: 'owner' | 'admin' | 'viewer' = 'admin') {
  const account = await createAccount(api.db, { role });
  const person = browser();
  expect((await person.signIn(account)).body.stage).toBe('enrolment');
  const started = await person.post('/auth/totp/enrolment');
  const secret = String(started.body.secret);
  const confirmed = await person.post('/auth/totp/enrolment/confirm', { code: code(secret) });
  expect(confirmed.status).toBe(200);
  await person.session();
  // The code just used is spent: later sign-ins in these tests use later steps.
  api.clock.advance(STEP_MS);
  return {
    account,
    person,
    secret,
    recoveryCodes: confirmed.body.recoveryCodes as string[],
  };
}

/** A fresh browser through the password step: stage second_factor. */
async function atSecondStep(account: TestAccount) {
  const person = browser();
  const signedIn = await person.signIn(account);
  expect(signedIn.body.stage).toBe('second_factor');
  return person;
}

describe('an account without a second factor', () => {
  it('is in stage enrolment after its password, and reaches nothing but enrolment', async () => {
    const account = await createAccount(api.db, { role: 'owner' });
    const person = browser();
    const signedIn = await person.signIn(account);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({
      stage: 'enrolment',
      secondFactors: { totp: false, passkeys: 0, recoveryCodesLeft: 0 },
    });
    for (const [method, path] of [
      ['GET', '/accounts'],
      ['GET', '/audit'],
      ['GET', '/auth/passkeys'],
      ['POST', '/auth/recovery-codes'],
      ['POST', '/auth/totp/verify'],
      ['POST', '/auth/recovery-codes/verify'],
      ['POST', `/accounts/${account.id}/second-factors/reset`],
    ] as const) {
      const answer = await person.request(
        method,
        path,
        method === 'POST' ? { code: '000000' } : undefined,
      );
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.code, `${method} ${path}`).toBe('forbidden');
    }
    // What it may do: look at its session, and start enrolling.
    expect((await person.session()).status).toBe(200);
    expect((await person.post('/auth/totp/enrolment')).status).toBe(200);
  });

  it('enrols an app: a wrong code is refused, the right one gives ten recovery codes and a full session under a new id', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    const enrolmentCookie = new Map(person.cookies);
    const started = await person.post('/auth/totp/enrolment');
    expect(started.status).toBe(200);
    const secret = String(started.body.secret);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(String(started.body.otpauthUrl)).toMatch(/^otpauth:\/\/totp\/Blindspot:/);

    const wrong = String((Number(code(secret)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await person.post('/auth/totp/enrolment/confirm', { code: wrong });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'invalid_code', requestId: expect.any(String) });

    const confirmed = await person.post('/auth/totp/enrolment/confirm', { code: code(secret) });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(person.cookies).not.toEqual(enrolmentCookie);

    const session = await person.session();
    expect(session.body).toMatchObject({
      stage: 'full',
      secondFactors: { totp: true, passkeys: 0, recoveryCodesLeft: 10 },
    });
    expect((await person.get('/accounts')).status).toBe(200);
    // The enrolment session's old id opens nothing any more.
    const old = browser();
    for (const [name, value] of enrolmentCookie) old.cookies.set(name, value);
    expect((await old.session()).status).toBe(401);
  });

  it('needs the CSRF token to confirm', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    const secret = String((await person.post('/auth/totp/enrolment')).body.secret);
    person.csrfToken = undefined;
    const refused = await person.post('/auth/totp/enrolment/confirm', { code: code(secret) });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('csrf_invalid');
  });
});

describe('signing in with an authenticator app', () => {
  it('a session in stage second_factor can neither reach the app nor add a factor of its own', async () => {
    const { account } = await enrolled();
    const person = await atSecondStep(account);
    for (const path of ['/auth/totp/enrolment', '/auth/passkeys/registration/options']) {
      expect((await person.post(path)).status, path).toBe(403);
    }
    expect((await person.get('/accounts')).status).toBe(403);
  });

  it('accepts the current code once: the same code again is a replay and refused', async () => {
    const { account, secret } = await enrolled();
    const first = await atSecondStep(account);
    const now = code(secret);
    const verified = await first.post('/auth/totp/verify', { code: now });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ stage: 'full', account: { id: account.id } });
    expect((await first.get('/accounts')).status).toBe(200);

    const second = await atSecondStep(account);
    const replayed = await second.post('/auth/totp/verify', { code: now });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe('invalid_code');
    expect((await second.session()).body.stage).toBe('second_factor');
  });

  it('accepts one step of clock skew either way, and refuses two', async () => {
    const { account, secret } = await enrolled();
    api.clock.advance(10 * STEP_MS);
    const person = await atSecondStep(account);
    for (const offset of [-2 * STEP_MS, 2 * STEP_MS]) {
      const refused = await person.post('/auth/totp/verify', { code: code(secret, offset) });
      expect(refused.status, `offset ${offset}`).toBe(401);
    }
    expect((await person.post('/auth/totp/verify', { code: code(secret, -STEP_MS) })).status).toBe(
      200,
    );

    // A step ahead works too (and, being later, is no replay of the step just used).
    const again = await atSecondStep(account);
    expect((await again.post('/auth/totp/verify', { code: code(secret, STEP_MS) })).status).toBe(
      200,
    );
  });

  it('throttles repeated wrong codes, refusing even the right one until the wait is over', async () => {
    const { account, secret } = await enrolled();
    const person = await atSecondStep(account);
    const wrong = String((Number(code(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    let throttled: Awaited<ReturnType<typeof person.post>> | undefined;
    for (let attempt = 0; attempt < 12 && !throttled; attempt += 1) {
      const answer = await person.post('/auth/totp/verify', { code: wrong });
      if (answer.status === 429) throttled = answer;
      else expect(answer.status).toBe(401);
    }
    expect(throttled?.body).toMatchObject({ code: 'too_many_attempts' });
    const retryAfter = Number(throttled?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect((await person.post('/auth/totp/verify', { code: code(secret) })).status).toBe(429);

    api.clock.advance(retryAfter * 1000 + STEP_MS);
    expect((await person.post('/auth/totp/verify', { code: code(secret) })).status).toBe(200);
    const failures = await api.db
      .selectFrom('admin_sign_in_attempts')
      .select(['success', 'method'])
      .where('account_id', '=', account.id)
      .where('kind', '=', 'second_factor')
      .execute();
    expect(failures.filter((row) => !row.success).length).toBeGreaterThanOrEqual(5);
    expect(failures.every((row) => row.method === 'totp')).toBe(true);
  });
});

describe('recovery codes', () => {
  it('each works once, as the second step', async () => {
    const { account, recoveryCodes } = await enrolled();
    const [first = '', second = ''] = recoveryCodes;
    const person = await atSecondStep(account);
    // Typed in lower case without dashes: still the code.
    const verified = await person.post('/auth/recovery-codes/verify', {
      code: first.toLowerCase().replaceAll('-', ' '),
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ stage: 'full', secondFactors: { recoveryCodesLeft: 9 } });

    const again = await atSecondStep(account);
    const reused = await again.post('/auth/recovery-codes/verify', { code: first });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('invalid_code');
    expect((await again.post('/auth/recovery-codes/verify', { code: second })).status).toBe(200);
  });

  it('renewing gives ten new ones and the old ones stop working', async () => {
    const { account, person, recoveryCodes } = await enrolled();
    const renewed = await person.post('/auth/recovery-codes', { password: account.password });
    expect(renewed.status).toBe(200);
    const fresh = renewed.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => recoveryCodes.includes(c))).toBe(false);

    const next = await atSecondStep(account);
    expect(
      (await next.post('/auth/recovery-codes/verify', { code: recoveryCodes[0] })).status,
    ).toBe(401);
    expect((await next.post('/auth/recovery-codes/verify', { code: fresh[0] })).status).toBe(200);
  });
});

describe('replacing a factor from a signed-in session', () => {
  it('needs the password or a current code: the session alone is not enough', async () => {
    const { account, person, secret } = await enrolled();
    for (const path of ['/auth/recovery-codes', '/auth/totp/enrolment']) {
      for (const body of [undefined, {}]) {
        const refused = await person.request('POST', path, body);
        expect(refused.status, `${path} ${JSON.stringify(body)}`).toBe(403);
        expect(refused.body).toMatchObject({
          code: 'reauthentication_required',
          requestId: expect.any(String),
        });
      }
      const wrongPassword = await person.post(path, { password: `${account.password}!` });
      expect(wrongPassword.status, path).toBe(401);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
      const wrongCode = String((Number(code(secret)) + 1) % 1_000_000).padStart(6, '0');
      expect((await person.post(path, { code: wrongCode })).body.code).toBe('invalid_code');
    }
    // Still signed in: a wrong proof is no reason to end the session.
    expect((await person.session()).body.stage).toBe('full');
    expect(
      (
        await api.db
          .selectFrom('admin_totp')
          .select('pending_secret')
          .where('account_id', '=', account.id)
          .executeTakeFirst()
      )?.pending_secret,
    ).toBeNull();

    const byPassword = await person.post('/auth/recovery-codes', { password: account.password });
    expect(byPassword.status).toBe(200);
    expect(byPassword.body.recoveryCodes).toHaveLength(10);

    const current = code(secret);
    const restarted = await person.post('/auth/totp/enrolment', { code: current });
    expect(restarted.status).toBe(200);
    expect(String(restarted.body.secret)).not.toBe(secret);
    // The code proved it is them, so it is spent: the same code cannot sign anyone in.
    const other = await atSecondStep(account);
    expect((await other.post('/auth/totp/verify', { code: current })).body.code).toBe(
      'invalid_code',
    );
    api.clock.advance(STEP_MS);
  });

  it('counts wrong passwords against the sign-in throttle, and audits them without the password', async () => {
    const { account, person } = await enrolled();
    const guess = 'not the password, a guess';
    let throttled = false;
    for (let attempt = 0; attempt < 12 && !throttled; attempt += 1) {
      const answer = await person.post('/auth/recovery-codes', { password: guess });
      if (answer.status === 429) throttled = true;
      else expect(answer.status).toBe(401);
    }
    expect(throttled).toBe(true);
    // The guesses count as password guesses at this account from this address, the counter
    // that signing in uses (fewer than the 20 the address alone may fail): the right password
    // waits too.
    const sameAddress = new AdminBrowser(api.url, {
      'x-forwarded-for': String(addressOf.get(person)),
    });
    const signIn = await sameAddress.signIn(account);
    expect(signIn.status).toBe(429);
    expect(signIn.body.code).toBe('too_many_attempts');

    const events = await api.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', account.id)
      .where('action', 'like', 'reauthentication.%')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(events.every((event) => event.action === 'reauthentication.password_failed')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(guess);
  });

  it('an account with only a passkey confirms with its password; a code is refused', async () => {
    const account = await createAccount(api.db);
    const person = browser();
    await person.signIn(account);
    await api.db
      .insertInto('admin_passkeys')
      .values({
        account_id: account.id,
        credential_id: `credential-${account.id}`,
        public_key: Buffer.from([1, 2, 3]),
        counter: 0,
        name: 'Work laptop',
        created_at: api.clock.now(),
      })
      .execute();
    expect((await person.post('/auth/totp/enrolment', { code: '123456' })).body.code).toBe(
      'invalid_code',
    );
    expect((await person.post('/auth/totp/enrolment', { password: account.password })).status).toBe(
      200,
    );
  });
});

describe("an owner's reset of someone's second factors", () => {
  it('only an owner may; it ends the sessions and the next sign-in starts enrolment; audited', async () => {
    const target = await enrolled('viewer');
    const admin = await enrolled('admin');
    const owner = await enrolled('owner');
    const path = `/accounts/${target.account.id}/second-factors/reset`;

    const refused = await admin.person.post(path);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await target.person.session()).body.stage).toBe('full');

    expect((await owner.person.post('/accounts/999999999/second-factors/reset')).status).toBe(404);
    const reset = await owner.person.request('POST', path);
    expect(reset.status).toBe(204);

    expect((await target.person.session()).status).toBe(401);
    const back = browser();
    const signedIn = await back.signIn(target.account);
    expect(signedIn.body).toMatchObject({
      stage: 'enrolment',
      secondFactors: { totp: false, passkeys: 0, recoveryCodesLeft: 0 },
    });
    // The old app's codes are gone with it.
    expect((await back.post('/auth/totp/verify', { code: code(target.secret) })).status).toBe(403);

    const events = await api.db
      .selectFrom('audit_events')
      .select(['actor', 'address', 'request_id'])
      .where('action', '=', 'second_factor.reset')
      .where('subject_id', '=', target.account.id)
      .execute();
    expect(events).toEqual([
      {
        actor: `admin:${owner.account.id}`,
        address: expect.any(String),
        request_id: expect.any(String),
      },
    ]);
  });
});

describe('the audit trail', () => {
  it('records each success and failure, and never a code or a secret', async () => {
    const { account, secret, recoveryCodes } = await enrolled();
    const person = await atSecondStep(account);
    await person.post('/auth/totp/verify', { code: '000000' });
    await person.post('/auth/totp/verify', { code: code(secret) });
    const events = await api.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', account.id)
      .orderBy('id')
      .execute();
    const actions = events.map((event) => event.action);
    expect(actions).toContain('second_factor.totp_enrolment_succeeded');
    expect(actions).toContain('sign_in.totp_failed');
    expect(actions).toContain('sign_in.totp_succeeded');
    const text = JSON.stringify(events);
    expect(text).not.toContain(secret);
    for (const recoveryCode of recoveryCodes) expect(text).not.toContain(recoveryCode);
    expect(text).not.toContain(code(secret));
  });
});
