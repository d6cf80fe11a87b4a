/**
 * The catalogues hold the same messages in every language: no key missing or extra, each
 * language's plural forms, the same placeholders, no empty text, and every English key used by
 * the bot (an unused key is a message nobody sees, or one that drifted from its call site).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Catalogue, catalogues, LANGUAGES, voiceFor } from '../../src/bot/i18n/index.ts';
import { pseudoText } from '../../src/bot/i18n/pseudo.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    if (typeof value === 'string') entries.set(`${prefix}${key}`, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) entries.set(k, v);
  }
  return entries;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

/** The keys a language must have for English's: plural keys in the language's own forms. */
function expectedKeys(language: string, english: Map<string, string>): Set<string> {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of english.keys()) {
    const plural = PLURAL.exec(key);
    if (!plural) keys.add(key);
    else for (const category of categories) keys.add(key.replace(PLURAL, `_${category}`));
  }
  return keys;
}

const english = flatten(catalogues.en);

describe('the message catalogues', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))(
    'when the language is %s, then it has exactly the keys English has, in its plural forms',
    (language) => {
      const keys = [...flatten(catalogues[language]).keys()].sort();
      expect(keys).toEqual([...expectedKeys(language, english)].sort());
    },
  );

  it.each(LANGUAGES)(
    'when the language is %s, then every text is non-empty and uses English placeholders',
    (language) => {
      for (const [key, text] of flatten(catalogues[language])) {
        expect(text.trim(), key).not.toBe('');
        const base = key.replace(PLURAL, '');
        const englishText = english.get(key) ?? english.get(`${base}_other`) ?? '';
        // A plural's `one` form may write the number out ("one week") rather than use {{count}}.
        const allowed = new Set([...placeholders(englishText), 'count']);
        for (const name of placeholders(text))
          expect(allowed.has(name), `${language} ${key}: {{${name}}}`).toBe(true);
        if (!PLURAL.test(key))
          expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(englishText));
      }
    },
  );

  it('when the bot is read, then every English key is used by some call site', async () => {
    const root = new URL('../../src/bot/', import.meta.url).pathname;
    const files = (await readdir(root, { recursive: true })).filter(
      (file) => file.endsWith('.ts') && !file.startsWith('i18n'),
    );
    const source = (
      await Promise.all(files.map((file) => readFile(join(root, file), 'utf8')))
    ).join('\n');
    const unused = [...new Set([...english.keys()].map((key) => key.replace(PLURAL, '')))].filter(
      (key) => {
        if (source.includes(`'${key}'`) || source.includes(`\`${key}\``)) return false;
        // A key chosen at run time, such as `common.families.${category}`.
        const parts = key.split('.');
        return !parts.some(
          (_, n) => n > 0 && source.includes(`\`${parts.slice(0, n).join('.')}.\${`),
        );
      },
    );
    expect(unused).toEqual([]);
  });

  it("when a manager's language or locale is given, then the voice speaks it, else English", () => {
    const everyDay = (manager: { language?: string; locale?: string }) =>
      voiceFor(manager).t('common.schedule.everyDay');
    expect(everyDay({ language: 'de' })).toBe('jeden Tag');
    expect(everyDay({ locale: 'fr-CA' })).toBe('tous les jours');
    expect(everyDay({ language: 'en', locale: 'de-DE' })).toBe('every day');
    expect(everyDay({ locale: 'pt-BR' })).toBe('every day');
    expect(voiceFor({ language: 'en', locale: 'de-DE' }).locale).toBe('en-DE');
    expect(voiceFor({ language: 'de', locale: 'en-US' }).locale).toBe('de-US');
    expect(voiceFor({}).locale).toBe('en-GB');
  });
});

describe('the pseudo-language', () => {
  it('when a text is made pseudo, then its letters are accented, it runs a third longer, and markup survives', () => {
    const text = pseudoText(
      'Hi {{name}}, see <https://example.com|the note> :wave: and `/blindspot help`',
    );
    expect(text).toContain('{{name}}');
    expect(text).toContain('<https://example.com|the note>');
    expect(text).toContain(':wave:');
    expect(text).toContain('`/blindspot help`');
    expect(text.startsWith('Hí')).toBe(true);
    expect(text).toMatch(/ áñd `\/blindspot help`~{4,}$/);
  });
});
