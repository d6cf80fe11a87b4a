/**
 * A WebAuthn authenticator in software, for API tests: an ES256 (P-256) key pair made with
 * node:crypto, answering registration with a 'none' attestation and authentication with
 * assertions signed by its private key, byte for byte as a browser hands them to a site
 * (https://www.w3.org/TR/webauthn-3/#sctn-authenticator-data). It is user-verifying, like a
 * platform authenticator with a fingerprint reader, and keeps a signature counter.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL = 0x40;
/** COSE: key type EC2, algorithm ES256 (-7), curve P-256 (RFC 9053 sections 2.1 and 7.1). */
const COSE = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, EC2: 2, ES256: -7, P256: 1 } as const;

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

export interface RegistrationOptionsLike {
  challenge: string;
  rp: { id?: string };
  user: { id: string };
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(32);
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  #userHandle = '';
  #rpId = '';
  /** The signature counter; a test may set it back to play a cloned authenticator. */
  counter = 0;
  /** Whether the person "passed" the fingerprint check; false plays a presence-only key. */
  verifiesUser = true;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  #flags(extra = 0): number {
    return FLAG_USER_PRESENT | (this.verifiesUser ? FLAG_USER_VERIFIED : 0) | extra;
  }

  #coseKey(): Uint8Array {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    return isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [COSE.kty, COSE.EC2],
        [COSE.alg, COSE.ES256],
        [COSE.crv, COSE.P256],
        [COSE.x, Buffer.from(jwk.x ?? '', 'base64url')],
        [COSE.y, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
  }

  #authenticatorData(rpId: string, flags: number, attested?: Uint8Array): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    return Buffer.concat([
      sha256(rpId),
      Buffer.from([flags]),
      counter,
      attested ?? Buffer.alloc(0),
    ]);
  }

  /** What navigator.credentials.create() resolves to, as @simplewebauthn/browser sends it. */
  register(options: RegistrationOptionsLike, origin: string) {
    this.#rpId = options.rp.id ?? new URL(origin).hostname;
    this.#userHandle = options.user.id;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID: all zero, as 'none' attestation allows
      idLength,
      this.credentialId,
      this.#coseKey(),
    ]);
    const authData = this.#authenticatorData(
      this.#rpId,
      this.#flags(FLAG_ATTESTED_CREDENTIAL),
      attested,
    );
    const clientDataJSON = JSON.stringify({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin,
      crossOrigin: false,
    });
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as Parameters<typeof isoCBOR.encode>[0],
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(Buffer.from(clientDataJSON)),
        attestationObject: b64url(attestationObject),
        transports: ['internal' as const],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /** What navigator.credentials.get() resolves to: an assertion over `challenge`. */
  authenticate(options: { challenge: string; rpId?: string }, origin: string) {
    this.counter += 1;
    const rpId = options.rpId ?? this.#rpId;
    const authData = this.#authenticatorData(rpId, this.#flags());
    const clientDataJSON = Buffer.from(
      JSON.stringify({
        type: 'webauthn.get',
        challenge: options.challenge,
        origin,
        crossOrigin: false,
      }),
    );
    // ES256 signatures are DER-encoded in WebAuthn, which is what node:crypto produces.
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientDataJSON)]),
      this.#privateKey,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: this.#userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }
}
