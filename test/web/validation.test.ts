/**
 * The admin app checks input before sending it (web/src/validation.ts) with the API's own
 * rules, read from web/src/api/limits.ts, which `npm run api:generate` writes from the OpenAPI
 * document; the API checks again. These tests hold the two to the same limits, so a form never
 * accepts what the API refuses, nor refuses what it accepts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type OpenApiDocumentLike, renderWebLimits } from '../../scripts/generate-api-client.ts';
import { EMAIL_PATTERN, isEmail, PASSWORD_LIMITS } from '../../src/core/admin-accounts/rules.ts';
import { REQUEST_LIMITS } from '../../web/src/api/limits.ts';
import {
  LIMITS,
  reauthenticationOf,
  validateApiKeyName,
  validateDisplayName,
  validateEmail,
  validateNewPassword,
  validatePasskeyName,
  validateTotpCode,
} from '../../web/src/validation.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe("the admin app's limits file", () => {
  it('is what the generator makes of the OpenAPI document (itself checked against the live one)', async () => {
    const document = JSON.parse(
      await readFile(path.join(ROOT, 'docs/api/openapi.json'), 'utf8'),
    ) as OpenApiDocumentLike;
    const committed = await readFile(path.join(ROOT, 'web/src/api/limits.ts'), 'utf8');
    expect(
      committed === renderWebLimits(document),
      'web/src/api/limits.ts is stale: run `npm run api:generate`',
    ).toBe(true);
  });

  it("holds each admin form field's limits as the document states them", async () => {
    const document = JSON.parse(
      await readFile(path.join(ROOT, 'docs/api/openapi.json'), 'utf8'),
    ) as OpenApiDocumentLike;
    const bodyOf = (operationId: string) => {
      for (const methods of Object.values(document.paths)) {
        for (const operation of Object.values(methods)) {
          if (operation.operationId === operationId) {
            const properties =
              operation.requestBody?.content?.['application/json']?.schema?.properties;
            if (properties) return properties as Record<string, Record<string, unknown>>;
          }
        }
      }
      throw new Error(`no operation ${operationId}`);
    };
    expect(bodyOf('inviteAccount').displayName).toMatchObject(
      REQUEST_LIMITS.inviteAccount.displayName,
    );
    expect(bodyOf('inviteAccount').email).toMatchObject(REQUEST_LIMITS.inviteAccount.email);
    expect(bodyOf('createApiKey').name).toMatchObject(REQUEST_LIMITS.createApiKey.name);
    expect(bodyOf('finishPasskeyRegistration').name).toMatchObject(
      REQUEST_LIMITS.finishPasskeyRegistration.name,
    );
    expect(bodyOf('verifyTotp').code?.pattern).toBe(REQUEST_LIMITS.verifyTotp.code.pattern);
  });
});

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

  it('refuse a name one character longer than the API takes, counted in code points', () => {
    const cases = [
      [validateDisplayName, REQUEST_LIMITS.inviteAccount.displayName.maxLength],
      [validateApiKeyName, REQUEST_LIMITS.createApiKey.name.maxLength],
      [validatePasskeyName, REQUEST_LIMITS.finishPasskeyRegistration.name.maxLength],
    ] as const;
    for (const [validate, max] of cases) {
      expect(validate('é'.repeat(max))).toBeNull();
      // An emoji is two UTF-16 units and one character: the API takes `max` of them.
      expect(validate('🙂'.repeat(max))).toBeNull();
      expect(validate('🙂'.repeat(max + 1))).toMatch(`at most ${max} characters`);
      expect(validate('   ')).not.toBeNull();
    }
    expect(LIMITS.displayNameMax).toBe(REQUEST_LIMITS.inviteAccount.displayName.maxLength);
  });

  it('tell a code from a password when asking who you are', () => {
    expect(reauthenticationOf('123 456')).toEqual({ code: '123456' });
    expect(reauthenticationOf('correct horse battery staple')).toEqual({
      password: 'correct horse battery staple',
    });
    expect(PASSWORD_LIMITS.min).toBeGreaterThan(6);
  });

  it('take a six-digit code, with the spaces authenticator apps show', () => {
    expect(validateTotpCode('123 456')).toBeNull();
    expect(validateTotpCode('12345')).not.toBeNull();
    expect(validateTotpCode('abcdef')).not.toBeNull();
  });
});
