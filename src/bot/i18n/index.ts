/**
 * The bot's words in the manager's language. Every user-facing string the bot sends comes
 * from the catalogues in en/, de/ and fr/ (one file per namespace, the same keys in each), and
 * every date and time is written by Intl in the manager's language and region. A builder is
 * handed a Voice; it never picks a language itself.
 */
import i18next from 'i18next';
import de from './de/index.ts';
import en from './en/index.ts';
import fr from './fr/index.ts';

export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A catalogue: nested objects of strings (plural forms as `key_one`, `key_other`, ...). */
export interface Catalogue {
  [key: string]: string | Catalogue;
}

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type BaseKey<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${Prefix}${BaseKey<K>}`
    : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key the English catalogue holds, with plural forms as their base key. */
export type MessageKey = Leaves<typeof en>;
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export interface Voice {
  readonly language: Language;
  /** The tag Intl writes dates and times in: the language, in the manager's region. */
  readonly locale: string;
  readonly t: Translate;
}

/** How dates read when nothing is known of the manager: day before month, 24-hour clock. */
export const DEFAULT_LOCALE = 'en-GB';

const instance = i18next.createInstance();
void instance.init({
  resources: { en: { translation: en }, de: { translation: de }, fr: { translation: fr } },
  lng: 'en',
  fallbackLng: 'en',
  // Keys hold dots; texts hold colons, which must not be read as a namespace.
  nsSeparator: false,
  // Slack mrkdwn, not HTML: call sites escape what managers wrote, where it matters.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A Slack locale's language when we speak it: 'de-AT' → 'de', 'pt-BR' → undefined. */
export function languageOfLocale(locale: string | null | undefined): Language | undefined {
  const language = locale?.split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(language) ? language : undefined;
}

/**
 * Intl's tag for a language in the manager's region ('de' + 'en-AT' → 'de-AT'), so an English
 * message to someone in Germany writes 'Thursday 26 November' and a 24-hour clock. Anything
 * Intl refuses falls back rather than failing the message.
 */
export function intlLocale(language: string, locale?: string | null): string {
  const fallback = language === 'en' ? DEFAULT_LOCALE : language;
  try {
    const region = locale ? new Intl.Locale(locale.replace('_', '-')).maximize().region : undefined;
    const tag = region ? `${language}-${region}` : fallback;
    return Intl.DateTimeFormat.supportedLocalesOf([tag])[0] ?? fallback;
  } catch {
    return Intl.DateTimeFormat.supportedLocalesOf([fallback])[0] ?? DEFAULT_LOCALE;
  }
}

const voices = new Map<string, Voice>();
/** Languages added by testVoice: a builder that reads the language from its data speaks them too. */
const testLanguages = new Set<string>();

function voice(language: string, locale: string | null | undefined): Voice {
  const cacheKey = `${language}|${locale ?? ''}`;
  let found = voices.get(cacheKey);
  if (!found) {
    // Typed by MessageKey at our edge; i18next's own key typing would need a global augmentation.
    const fixed = instance.getFixedT(language) as unknown as (
      key: string,
      params?: object,
    ) => string;
    // A text without parameters never changes: built by i18next once, not once per message
    // (every note's buttons and labels; i18next was 5% of a fan-out's CPU).
    const plain = new Map<string, string>();
    found = {
      language: language as Language,
      locale: intlLocale(isLanguage(language) ? language : 'en', locale),
      t: (key, params) => {
        if (params) return fixed(key, params);
        let text = plain.get(key);
        if (text === undefined) {
          text = fixed(key, {});
          plain.set(key, text);
        }
        return text;
      },
    };
    // Bounded: languages × the few hundred locales Slack knows.
    if (voices.size < 2_000) voices.set(cacheKey, found);
  }
  return found;
}

/**
 * The voice for a manager: the `language` the API chose for them (their choice, else their
 * Slack locale's, else the workspace's), else their locale's language, else English.
 */
export function voiceFor(
  manager: { language?: string | null; locale?: string | null } = {},
): Voice {
  const language =
    isLanguage(manager.language) || testLanguages.has(manager.language ?? '')
      ? (manager.language as string)
      : (languageOfLocale(manager.locale) ?? 'en');
  return voice(language, manager.locale);
}

/** English words in the manager's region: for text not yet moved into the catalogues. */
export function englishVoice(locale?: string | null): Voice {
  return voice('en', locale);
}

/**
 * Adds a language the product doesn't ship, for tests only (the pseudo-locale run). Returns
 * its voice.
 */
export function testVoice(language: string, catalogue: Catalogue, locale?: string): Voice {
  instance.addResourceBundle(language, 'translation', catalogue, true, true);
  testLanguages.add(language);
  voices.clear();
  return voice(language, locale);
}

/** The English catalogue, for tests that compare the others with it. */
export const catalogues: Readonly<Record<Language, Catalogue>> = { en, de, fr };
