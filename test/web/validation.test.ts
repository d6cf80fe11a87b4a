/**
 * The admin app checks input before sending it (web/src/validation.ts) with the API's own
 * rules; the API checks again. These tests hold the two to the same limits, so a form never
 * accepts what the API refuses, nor refuses what it accepts.
 */
import { describe, expect, it } from 'vitest';
import { EMAIL_PATTERN, isEmail, PASSWORD_LIMITS } from '../../src/core/admin-accounts/rules.ts';
import {
  LIMITS,
  validateEmail,
  validateNewPassword,
  validateTotpCode,
} from '../../web/src/validation.ts';

describe("the admin app's input rules", () => {
  it('ask for the same password length as the API, counted in characters as people see them', () => {
    expect(LIMITS.passwordMin).toBe(PASSWORD_LIMITS.min);
    expect(LIMITS.passwordMax).toBe(PASSWORD_LIMITS.max);
    expect(validateNewPassword('x'.repeat(PASSWORD_LIMITS.min - 1))).not.toBeNull();
    expect(validateNewPassword('x'.repeat(PASSWORD_LIMITS.min))).toBeNull();
    // Twelve emoji are 24 UTF-16 units but twelve characters: accepted, as by the API.
    expect(validateNewPassword('🙂'.repeat(12))).toBeNull();
    expect(validateNewPassword('🙂'.repeat(11))).not.toBeNull();
    expect(validateNewPassword('x'.repeat(PASSWORD_LIMITS.max + 1))).not.toBeNull();
  });

  it('accept exactly the email addresses the API accepts', () => {
    const samples = [
      'ada@example.com',
      'a.b+c@sub.example.co.uk',
      'no-at-sign.example.com',
      'two@@example.com',
      'space in@example.com',
      'nodot@example',
      '<img src=x onerror=alert(1)>',
      `${'a'.repeat(250)}@example.com`,
    ];
    for (const email of samples) {
      expect(validateEmail(email) === null, email).toBe(isEmail(email));
    }
    expect(EMAIL_PATTERN).toBe('^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$');
  });

  it('take a six-digit code, with the spaces authenticator apps show', () => {
    expect(validateTotpCode('123 456')).toBeNull();
    expect(validateTotpCode('12345')).not.toBeNull();
    expect(validateTotpCode('abcdef')).not.toBeNull();
  });
});
