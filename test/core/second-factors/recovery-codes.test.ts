import { describe, expect, it } from 'vitest';
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
} from '../../../src/core/second-factors/recovery-codes.ts';

describe('recovery codes', () => {
  it('makes ten different codes in readable groups', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
    }
  });

  it('reads a code however it was typed: case, spaces, dashes, O for 0, I and L for 1', () => {
    expect(normalizeRecoveryCode('ab1c-0d2e-fg3h')).toBe('AB1C0D2EFG3H');
    expect(hashRecoveryCode(' abIc 0d2e-fg3h ')).toBe(hashRecoveryCode('AB1C-OD2E-FG3H'));
    expect(hashRecoveryCode('ABLC-0D2E-FG3H')).toBe(hashRecoveryCode('AB1C-0D2E-FG3H'));
  });

  it('keeps a SHA-256 digest, not the code', () => {
    const [code = ''] = newRecoveryCodes(1);
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code)).not.toContain(normalizeRecoveryCode(code));
  });

  it('refuses what cannot be a code without looking it up', () => {
    for (const input of ['', '123456', 'ABCD-EFGH', 'ABCD-EFGH-JKMN-P', 'ABCD-EFGH-JKM!']) {
      expect(looksLikeRecoveryCode(input), input).toBe(false);
    }
  });
});
