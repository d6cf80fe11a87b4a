/** Which language a manager reads: their choice, their Slack locale's, the workspace's, English. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveLanguage,
  isLanguage,
  LANGUAGES,
  languageOfLocale,
} from '../../../src/core/languages/rules.ts';

const language = fc.constantFrom(...LANGUAGES);
/** Anything a column or Slack might hold: a language, a locale, junk, nothing. */
const anyValue = fc.oneof(
  language,
  fc.constantFrom('de-DE', 'fr-CA', 'en-GB', 'pt-BR', 'es-ES', 'ja-JP', 'DE', 'xx', ''),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
);

describe('languageOfLocale', () => {
  it.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['fr-CA', 'fr'],
    ['fr-FR', 'fr'],
    ['en-US', 'en'],
    ['FR', 'fr'],
    ['de_CH', 'de'],
    ['pt-BR', undefined],
    ['es-ES', undefined],
    ['', undefined],
    [null, undefined],
  ])('reads %s as %s', (locale, expected) => {
    expect(languageOfLocale(locale)).toBe(expected);
  });
});

describe('effectiveLanguage', () => {
  it('when the manager chose a language, then that is the one, whatever Slack and the workspace say', () => {
    fc.assert(
      fc.property(language, anyValue, anyValue, (chosen, slackLocale, workspaceDefault) => {
        expect(effectiveLanguage({ chosen, slackLocale, workspaceDefault })).toBe(chosen);
      }),
    );
  });

  it('when they chose none, then a Slack locale Blindspot speaks decides', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(null, undefined, 'es', 'klingon'),
        language,
        fc.constantFrom('', '-DE', '-CA', '-GB', '_CH'),
        anyValue,
        (chosen, spoken, region, workspaceDefault) => {
          expect(
            effectiveLanguage({ chosen, slackLocale: `${spoken}${region}`, workspaceDefault }),
          ).toBe(spoken);
        },
      ),
    );
  });

  it('when neither the choice nor Slack decides, then the workspace default does, else English', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(null, undefined, 'es'),
        fc.constantFrom(null, undefined, 'pt-BR', 'ja-JP', ''),
        anyValue,
        (chosen, slackLocale, workspaceDefault) => {
          expect(effectiveLanguage({ chosen, slackLocale, workspaceDefault })).toBe(
            isLanguage(workspaceDefault) ? workspaceDefault : 'en',
          );
        },
      ),
    );
  });

  it('always answers a language Blindspot speaks', () => {
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, (chosen, slackLocale, workspaceDefault) => {
        expect(LANGUAGES).toContain(effectiveLanguage({ chosen, slackLocale, workspaceDefault }));
      }),
    );
  });
});
