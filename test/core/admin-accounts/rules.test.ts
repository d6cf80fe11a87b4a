import { describe, expect, it } from 'vitest';
import { isCommonPassword } from '../../../src/core/admin-accounts/passwords.ts';
import {
  normalizeEmail,
  passwordProblem,
  roleAtLeast,
} from '../../../src/core/admin-accounts/rules.ts';

describe('passwords', () => {
  it('needs 12 characters as a person counts them, and nothing else but rarity', () => {
    const never = () => false;
    expect(passwordProblem('elevenchars', never)).toMatch(/at least 12/);
    expect(passwordProblem('twelve chars', never)).toBeUndefined();
    // Twelve emoji are twelve characters, though 24 UTF-16 units.
    expect(passwordProblem('🙂'.repeat(11), never)).toMatch(/at least 12/);
    expect(passwordProblem('🙂'.repeat(12), never)).toBeUndefined();
    expect(passwordProblem('all lower case, no digits', never)).toBeUndefined();
  });

  it('refuses a common password whatever its case', () => {
    expect(isCommonPassword('password1234')).toBe(true);
    expect(isCommonPassword('PassWord1234')).toBe(true);
    expect(isCommonPassword('violet anchors drift at noon')).toBe(false);
    expect(passwordProblem('PASSWORD1234', isCommonPassword)).toMatch(/common or breached/);
  });
});

describe('roles and addresses', () => {
  it('orders roles viewer < editor < admin < owner', () => {
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('editor', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'editor')).toBe(false);
  });

  it('compares addresses without case or surrounding spaces', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});
