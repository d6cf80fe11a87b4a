import { describe, expect, it } from 'vitest';
import {
  authenticationOptions,
  registrationOptions,
  relyingParty,
  verifyAuthentication,
  verifyRegistration,
} from '../../../src/core/second-factors/passkeys.ts';
import { SoftwareAuthenticator } from '../../support/software-authenticator.ts';

const rp = relyingParty(undefined, 'http://localhost:3000');
const owner = { accountId: '7', email: 'ada@example.com', displayName: 'Ada' };

async function registered() {
  const authenticator = new SoftwareAuthenticator();
  const options = await registrationOptions(rp, owner, []);
  const credential = await verifyRegistration(
    rp,
    authenticator.register(options, rp.origin),
    options.challenge,
  );
  return { authenticator, credential };
}

describe('passkeys', () => {
  it('takes the relying party from PUBLIC_URL, else from the request', () => {
    expect(relyingParty('https://blindspot.example.com/x', 'http://10.0.0.5:3000')).toEqual({
      id: 'blindspot.example.com',
      origin: 'https://blindspot.example.com',
    });
    expect(rp).toEqual({ id: 'localhost', origin: 'http://localhost:3000' });
  });

  it('asks for a discoverable, user-verifying passkey tied to the account id, not the email', async () => {
    const options = await registrationOptions(rp, owner, [{ credentialId: 'abc', transports: [] }]);
    expect(options.rp).toEqual({ id: 'localhost', name: 'Blindspot' });
    expect(options.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe('admin:7');
    expect(options.excludeCredentials).toEqual([{ id: 'abc', type: 'public-key', transports: [] }]);
  });

  it('registers a passkey and then verifies its assertions, counter growing', async () => {
    const { authenticator, credential } = await registered();
    expect(credential.credentialId).toBe(authenticator.id);
    const options = await authenticationOptions(rp, [credential]);
    const counter = await verifyAuthentication(
      rp,
      authenticator.authenticate(options, rp.origin),
      options.challenge,
      credential,
    );
    expect(counter).toBe(1);
  });

  it('refuses an assertion for another challenge, another origin, or a stale counter', async () => {
    const { authenticator, credential } = await registered();
    const options = await authenticationOptions(rp, [credential]);
    const other = await authenticationOptions(rp, [credential]);
    const refusal = { code: 'invalid_passkey', statusCode: 401 };
    await expect(
      verifyAuthentication(
        rp,
        authenticator.authenticate(options, rp.origin),
        other.challenge,
        credential,
      ),
    ).rejects.toMatchObject(refusal);
    await expect(
      verifyAuthentication(
        rp,
        authenticator.authenticate(options, 'http://evil.example'),
        options.challenge,
        credential,
      ),
    ).rejects.toMatchObject(refusal);
    // A clone: the counter the site last saw is 5, the authenticator's next is 3.
    authenticator.counter = 2;
    await expect(
      verifyAuthentication(rp, authenticator.authenticate(options, rp.origin), options.challenge, {
        ...credential,
        counter: 5,
      }),
    ).rejects.toMatchObject(refusal);
  });

  it('refuses a passkey that did not verify the user', async () => {
    const authenticator = new SoftwareAuthenticator();
    authenticator.verifiesUser = false;
    const options = await registrationOptions(rp, owner, []);
    await expect(
      verifyRegistration(rp, authenticator.register(options, rp.origin), options.challenge),
    ).rejects.toMatchObject({ code: 'invalid_passkey' });
  });
});
