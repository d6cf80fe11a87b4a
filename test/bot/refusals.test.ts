/**
 * The API's refusals as a manager reads them (src/bot/listeners/refusals.ts): by code in their
 * language; in English, the API's own, more specific words; an unexpected code as the API said it.
 */
import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../src/bot/api-client/index.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { isRefusal, refusalText } from '../../src/bot/listeners/refusals.ts';

const paused = new ApiCallError(409, {
  code: 'subscription_not_active',
  message: 'Your subscription is paused; resume it first.',
});

describe('a refusal from the API', () => {
  it('when the manager reads German or French, then it is our sentence for the code, in it', () => {
    expect(refusalText(paused, voiceFor({ language: 'de' }))).toMatch(/^Deine Notizen sind gerade/);
    expect(refusalText(paused, voiceFor({ language: 'fr' }))).toMatch(/^Vos notes sont en pause/);
  });

  it('when the manager reads English, then it is the API’s own words', () => {
    expect(refusalText(paused, voiceFor({ language: 'en' }))).toBe(
      'Your subscription is paused; resume it first.',
    );
  });

  it('when the code is one a manager is not expected to meet, then the API’s words stay', () => {
    const odd = new ApiCallError(400, { code: 'invalid_import', message: 'Line 2: no title.' });
    expect(refusalText(odd, voiceFor({ language: 'de' }))).toBe('Line 2: no title.');
  });

  it('counts only 400 and 409 as refusals', () => {
    expect(isRefusal(paused)).toBe(true);
    expect(
      isRefusal(new ApiCallError(503, { code: 'database_unavailable', message: 'x' } as never)),
    ).toBe(false);
    expect(isRefusal(new Error('x'))).toBe(false);
  });
});
