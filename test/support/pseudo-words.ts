/**
 * Finding English that a builder wrote itself, in a view built in the pseudo-language
 * (src/bot/i18n/pseudo.ts): every catalogue letter there is accented, so a word left in plain
 * English letters came from somewhere else. One version for every pseudo-language test
 * (test/bot/*-pseudo.test.ts), so they cannot drift apart in what they count as English.
 */

/**
 * The words a reader sees in what a surface shows (a view, a message's text, or a list of
 * either): texts, labels, placeholders and accessibility labels, not ids or values.
 */
export function shownTexts(shown: unknown): string[] {
  if (typeof shown === 'string') return [shown];
  if (Array.isArray(shown)) return shown.flatMap(shownTexts);
  return viewTexts(shown);
}

function viewTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(viewTexts);
  if (!value || typeof value !== 'object') return [];
  const texts: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'text' || key === 'accessibility_label') && typeof child === 'string')
      texts.push(child);
    else texts.push(...viewTexts(child));
  }
  return texts;
}

/**
 * Day names (long and short), month names and the word that joins a list ('Mon, Wed and Fri'):
 * Intl writes them, in English for a language it doesn't know, so they are no builder's English.
 */
const INTL_WORDS: ReadonlySet<string> = new Set([
  ...Array.from({ length: 7 }, (_, day) =>
    (['long', 'short'] as const).map((weekday) =>
      new Intl.DateTimeFormat('en-GB', { weekday, timeZone: 'UTC' }).format(
        Date.UTC(2001, 0, 1 + day),
      ),
    ),
  ).flat(),
  ...Array.from({ length: 12 }, (_, month) =>
    new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(
      Date.UTC(2001, month, 1),
    ),
  ),
  ...(new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(['1', '2']).match(/\p{L}+/gu) ??
    []),
]);

const NO_DATA: ReadonlySet<string> = new Set();

/**
 * Words in plain English letters once the markup the pseudo-language keeps as written
 * ({{placeholders}}, <links|and mentions>, :emoji:, `code`) is taken out. The pseudo-language
 * accents every vowel, so a word with a plain vowel is English; the rest of a contraction
 * ("I’ll" → "Í’ll") has none. `data`: words the view shows as they are in every language (names,
 * places), which are not the builder's.
 */
export function plainWords(text: string, data: ReadonlySet<string> = NO_DATA): string[] {
  const bare = text.replace(/\{\{[^}]+\}\}|<[^>]*>|:[a-z0-9_+-]+:|`[^`]*`/g, ' ');
  return (bare.match(/\p{L}+/gu) ?? []).filter(
    (word) =>
      /^[A-Za-z]+$/.test(word) &&
      /[aeiouyAEIOUY]/.test(word) &&
      !INTL_WORDS.has(word) &&
      !data.has(word),
  );
}

/** The plain English words in what a surface shows (see shownTexts). */
export function plainWordsIn(shown: unknown, data: ReadonlySet<string> = NO_DATA): string[] {
  return shownTexts(shown).flatMap((text) => plainWords(text, data));
}
