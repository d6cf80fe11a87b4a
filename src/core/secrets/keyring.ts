/**
 * Secrets at rest (issue 16): Slack tokens in the database are sealed with AES-256-GCM under a
 * key from BLINDSPOT_ENCRYPTION_KEYS. Pure: no I/O, so config validation can parse the keys too.
 *
 * A sealed value reads `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). The key id lets a
 * key be retired: the first key seals, every listed key opens, and `npm run keys:rotate` reseals
 * what an older key sealed. The associated data binds a ciphertext to its row and column, so a
 * token copied into another workspace's row fails to open instead of being used there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const ENCRYPTION_KEYS_VARIABLE = 'BLINDSPOT_ENCRYPTION_KEYS';
const FORMAT = 'v1';
const KEY_BYTES = 32;
// 96-bit nonces are GCM's native size; a random one per seal is safe far beyond the number of
// tokens Blindspot will ever seal under one key (NIST SP 800-38D, 2^32 invocations).
const IV_BYTES = 12;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface Keyring {
  /** The id of the key new values are sealed under (the first listed). */
  readonly currentKeyId: string;
  seal(plaintext: string, associatedData: string): string;
  /** @throws SecretDecryptionError when the key is unknown or the value or its binding differ. */
  open(sealed: string, associatedData: string): string;
  /** The key id a sealed value names, without opening it. */
  keyIdOf(sealed: string): string | undefined;
}

/** Opening failed: the message names the variable and the key id, never the value. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/** Parses `id:base64key,...`; every problem is listed, none of them quoting a key. */
export function parseEncryptionKeys(value: string): {
  keys: Array<{ id: string; key: Buffer }>;
  problems: string[];
} {
  const keys: Array<{ id: string; key: Buffer }> = [];
  const problems: string[] = [];
  const entries = value.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const encoded = colon > 0 ? entry.slice(colon + 1) : '';
    const where = `${ENCRYPTION_KEYS_VARIABLE} entry ${index + 1}`;
    if (!KEY_ID.test(id)) {
      problems.push(`${where} needs the form id:base64key, with an id of letters, digits, - or _`);
      return;
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/_-]+=*$/.test(encoded)) {
      problems.push(`${where} (${id}) must be ${KEY_BYTES} random bytes in base64`);
      return;
    }
    if (keys.some((known) => known.id === id)) {
      problems.push(`${where} repeats the key id ${id}`);
      return;
    }
    keys.push({ id, key });
  });
  return { keys, problems };
}

/** A keyring from the variable's value. @throws Error listing the problems. */
export function createKeyring(value: string): Keyring {
  const { keys, problems } = parseEncryptionKeys(value);
  if (problems.length > 0 || keys.length === 0) {
    throw new Error(problems.join('; ') || `${ENCRYPTION_KEYS_VARIABLE} lists no key`);
  }
  const byId = new Map(keys.map((entry) => [entry.id, entry.key]));
  const current = keys[0] as { id: string; key: Buffer };
  const keyIdOf = (sealed: string) => {
    const parts = sealed.split('.');
    return parts.length === 5 && parts[0] === FORMAT ? parts[1] : undefined;
  };
  return {
    currentKeyId: current.id,
    keyIdOf,
    seal(plaintext, associatedData) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(associatedData, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        FORMAT,
        current.id,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ciphertext.toString('base64url'),
      ].join('.');
    },
    open(sealed, associatedData) {
      const keyId = keyIdOf(sealed);
      if (keyId === undefined) throw new SecretDecryptionError('a sealed secret is malformed');
      const key = byId.get(keyId);
      if (!key) {
        throw new SecretDecryptionError(
          `a secret in the database was sealed under key "${keyId}", which ${ENCRYPTION_KEYS_VARIABLE} does not list`,
        );
      }
      const [, , iv, tag, ciphertext] = sealed.split('.') as [
        string,
        string,
        string,
        string,
        string,
      ];
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(associatedData, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
          decipher.update(Buffer.from(ciphertext, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretDecryptionError(
          `a secret sealed under key "${keyId}" does not open with the key of that id in ${ENCRYPTION_KEYS_VARIABLE} (a different key, or a value moved from another row)`,
        );
      }
    },
  };
}

/** A fresh `id:base64key` entry, for deploy/init-env and for tests. */
export function generateKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
