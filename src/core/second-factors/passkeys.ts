/**
 * WebAuthn (passkeys) through @simplewebauthn/server: the options a browser needs and the checks
 * on what it sends back. No I/O: the service stores challenges and credentials.
 */
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { AppError } from '../errors.ts';

/** How long a browser has to answer a challenge; WebAuthn's own default timeout is 5 minutes. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const RP_NAME = 'Blindspot';
/**
 * EdDSA, ES256 and RS256 (COSE ids -8, -7, -257): what authenticators in use offer. Listed here
 * so the library does not probe Web Crypto for post-quantum algorithms at each call, which
 * prints Node's "experimental feature" warning.
 */
const ALGORITHMS = [-8, -7, -257];

/**
 * The library, loaded at the first passkey ceremony: with its CBOR, ASN.1 and X.509 code it is
 * about 5 MB of heap that a process which never sees an admin sign in (the bot, the worker, an
 * api replica behind one that does) need not carry.
 */
const webAuthn = () => import('@simplewebauthn/server');

/** The site a passkey is bound to: its domain (rpID) and the origin the browser reports. */
export interface RelyingParty {
  id: string;
  origin: string;
}

/**
 * The relying party from PUBLIC_URL when set, else from the address the request arrived at
 * (protocol and Host, as the gateway forwards them). A passkey works only on the domain it was
 * made on, so a deployment reached under several names should set PUBLIC_URL.
 */
export function relyingParty(publicUrl: string | undefined, requestOrigin: string): RelyingParty {
  const url = new URL(publicUrl ?? requestOrigin);
  return { id: url.hostname, origin: url.origin };
}

export interface PasskeyOwner {
  accountId: string;
  email: string;
  displayName: string;
}

export async function registrationOptions(
  rp: RelyingParty,
  owner: PasskeyOwner,
  existing: readonly { credentialId: string; transports: string[] }[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { generateRegistrationOptions } = await webAuthn();
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: owner.email,
    userDisplayName: owner.displayName,
    // The account id, not the email: the handle must not change or identify the person.
    userID: new TextEncoder().encode(`admin:${owner.accountId}`),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    supportedAlgorithmIDs: ALGORITHMS,
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports as AuthenticatorTransport[],
    })),
    // Discoverable, so the same passkey also signs in without a password; verified, because a
    // passwordless sign-in relies on it for both factors.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

export async function authenticationOptions(
  rp: RelyingParty,
  allowed: readonly { credentialId: string; transports: string[] }[],
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { generateAuthenticationOptions } = await webAuthn();
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'required',
    allowCredentials: allowed.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports as AuthenticatorTransport[],
    })),
  });
}

/** The challenge a browser's response answers, read from its clientDataJSON. */
export function challengeOf(response: { response: { clientDataJSON: string } }): string {
  try {
    const clientData = JSON.parse(
      Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'),
    ) as { challenge?: unknown };
    if (typeof clientData.challenge === 'string' && clientData.challenge !== '') {
      return clientData.challenge;
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw invalidPasskey();
}

export const invalidPasskey = () =>
  new AppError('invalid_passkey', 'The passkey could not be verified. Try again.', 401);

export interface NewCredential {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  challenge: string,
): Promise<NewCredential> {
  const { verifyRegistrationResponse } = await webAuthn();
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
    if (!result.verified) throw invalidPasskey();
    const { credential } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
    };
  } catch (error) {
    // The library explains a refusal in its message (wrong origin, bad signature); the person
    // gets one answer and the log gets the reason.
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_passkey', 'The passkey could not be verified. Try again.', 401, {
      cause: error,
    });
  }
}

/** Checks an assertion against a stored credential; returns the authenticator's new counter. */
export async function verifyAuthentication(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  challenge: string,
  credential: {
    credentialId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
  },
): Promise<number> {
  const { verifyAuthenticationResponse } = await webAuthn();
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: credential.credentialId,
        publicKey: credential.publicKey as Uint8Array<ArrayBuffer>,
        counter: credential.counter,
        transports: credential.transports as AuthenticatorTransport[],
      },
    });
    if (!result.verified) throw invalidPasskey();
    return result.authenticationInfo.newCounter;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_passkey', 'The passkey could not be verified. Try again.', 401, {
      cause: error,
    });
  }
}
