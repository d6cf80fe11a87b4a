/**
 * The languages Blindspot speaks, and which one a manager reads (issue 18, item 2). Pure: the
 * API, the worker and the admin pages all decide a manager's language with effectiveLanguage,
 * so a note, its reminder and the Home tab cannot disagree.
 */

/** Every language a manager may read, English first (the catalogue's own language). */
export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The languages a topic may be translated into: all but English, which is the topic itself. */
export const TRANSLATION_LANGUAGES = ['de', 'fr'] as const;
export type TranslationLanguage = (typeof TRANSLATION_LANGUAGES)[number];

/** When nothing else decides: the catalogue's language. */
export const FALLBACK_LANGUAGE: Language = 'en';

/** Names for messages and the admin pages, in English as the rest of those surfaces. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = Object.freeze({
  en: 'English',
  de: 'German',
  fr: 'French',
});

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

export function isTranslationLanguage(value: unknown): value is TranslationLanguage {
  return (TRANSLATION_LANGUAGES as readonly unknown[]).includes(value);
}

/**
 * The supported language of a Slack locale, or undefined: "de-DE" → "de", "fr-CA" → "fr",
 * "FR" → "fr", "pt-BR" → undefined. Only the primary subtag counts (BCP 47), so every region
 * of a language reads the same text.
 */
export function languageOfLocale(locale: string | null | undefined): Language | undefined {
  const primary = locale?.trim().split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(primary) ? primary : undefined;
}

export interface LanguageChoices {
  /** What the manager picked in Blindspot; null follows Slack and the workspace. */
  chosen: string | null | undefined;
  /** Their Slack locale (users.info), e.g. "de-DE". */
  slackLocale: string | null | undefined;
  /** The workspace's default language from its settings. */
  workspaceDefault: string | null | undefined;
}

/**
 * The language a manager reads: their own choice, else their Slack locale's language when
 * Blindspot has it, else the workspace default, else English. A value that is not a supported
 * language (an old row, a locale Slack added) is passed over rather than trusted.
 */
export function effectiveLanguage(choices: LanguageChoices): Language {
  if (isLanguage(choices.chosen)) return choices.chosen;
  return (
    languageOfLocale(choices.slackLocale) ??
    (isLanguage(choices.workspaceDefault) ? choices.workspaceDefault : FALLBACK_LANGUAGE)
  );
}
