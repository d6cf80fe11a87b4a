import { describe, expect, it } from 'vitest';
import {
  createKeyring,
  generateKeyEntry,
  SecretDecryptionError,
} from '../../../src/core/secrets/keyring.ts';

const TOKEN = 'xoxb-1111-2222-secretsecretsecret';
const ROW = 'slack_installations.bot_token:-:T0001';

describe('the keyring', () => {
  it('seals a token so that the stored text does not contain it, and opens it again', () => {
    const keyring = createKeyring(generateKeyEntry('k1'));
    const sealed = keyring.seal(TOKEN, ROW);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain('secretsecret');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(keyring.open(sealed, ROW)).toBe(TOKEN);
    // A random nonce per seal: the same token never seals to the same text twice.
    expect(keyring.seal(TOKEN, ROW)).not.toBe(sealed);
  });

  it('refuses a value moved to another row: the associated data binds it', () => {
    const keyring = createKeyring(generateKeyEntry('k1'));
    const sealed = keyring.seal(TOKEN, ROW);
    expect(() => keyring.open(sealed, 'slack_installations.bot_token:-:T0002')).toThrow(
      SecretDecryptionError,
    );
  });

  it('with a wrong key of the same id, fails with a clear error naming the variable, not garbage', () => {
    const sealed = createKeyring(generateKeyEntry('k1')).seal(TOKEN, ROW);
    const other = createKeyring(generateKeyEntry('k1'));
    expect(() => other.open(sealed, ROW)).toThrow(
      /sealed under key "k1" does not open with the key of that id in BLINDSPOT_ENCRYPTION_KEYS/,
    );
  });

  it('with the key missing from the list, says which key id it needs', () => {
    const sealed = createKeyring(generateKeyEntry('old')).seal(TOKEN, ROW);
    expect(() => createKeyring(generateKeyEntry('new')).open(sealed, ROW)).toThrow(
      'a secret in the database was sealed under key "old", which BLINDSPOT_ENCRYPTION_KEYS does not list',
    );
  });

  it('seals with the first key and opens with any listed key', () => {
    const old = generateKeyEntry('old');
    const sealedBefore = createKeyring(old).seal(TOKEN, ROW);
    const rotated = createKeyring(`${generateKeyEntry('new')},${old}`);
    expect(rotated.currentKeyId).toBe('new');
    expect(rotated.open(sealedBefore, ROW)).toBe(TOKEN);
    expect(rotated.keyIdOf(sealedBefore)).toBe('old');
    expect(rotated.keyIdOf(rotated.seal(TOKEN, ROW))).toBe('new');
  });

  it('refuses a tampered value', () => {
    const keyring = createKeyring(generateKeyEntry('k1'));
    const sealed = keyring.seal(TOKEN, ROW);
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(() => keyring.open(`${sealed.slice(0, -1)}${last}`, ROW)).toThrow(SecretDecryptionError);
    expect(() => keyring.open('not-sealed', ROW)).toThrow('a sealed secret is malformed');
  });
});
