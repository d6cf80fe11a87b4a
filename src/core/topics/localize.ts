/**
 * Topics in a manager's language: the text every bot-facing read returns (a note, "Read more",
 * past notes, reminders), each topic in the language when it has that translation and in
 * English when it does not (issue 18, item 2: per topic, never all or nothing).
 */
import type { Executor } from '../../db/executor.ts';
import type { Language } from '../languages/rules.ts';
import { selectTranslationsOf } from './repositories/translations.ts';
import { inLanguage, type TranslationContent } from './translation-rules.ts';

/** Whole topics (each with its id) in `language`. */
export async function topicsInLanguage<T extends TranslationContent & { id: string }>(
  db: Executor,
  topics: readonly T[],
  language: Language,
): Promise<T[]> {
  if (language === 'en' || topics.length === 0) return [...topics];
  const translations = await selectTranslationsOf(
    db,
    topics.map((topic) => topic.id),
    language,
  );
  return topics.map((topic) => inLanguage(topic, language, translations.get(topic.id)));
}

/** Rows that name a topic by its title (a past note, an action item) with the title in `language`. */
export async function titlesInLanguage<
  T extends { topicId: string | null; topicTitle: string | null },
>(db: Executor, rows: readonly T[], language: Language): Promise<T[]> {
  const ids = rows.flatMap((row) => (row.topicId === null ? [] : [row.topicId]));
  if (language === 'en' || ids.length === 0) return [...rows];
  const translations = await selectTranslationsOf(db, ids, language);
  return rows.map((row) => {
    const title = row.topicId === null ? undefined : translations.get(row.topicId)?.title;
    return title === undefined ? row : { ...row, topicTitle: title };
  });
}

/**
 * Rows for many managers at once (a claimed batch), each with its own language: one read of
 * translations per language in the batch.
 */
export async function topicsInLanguages<R, T extends TranslationContent & { id: string }>(
  db: Executor,
  rows: readonly R[],
  languageOf: (row: R) => Language,
  topicOf: (row: R) => T,
  withTopic: (row: R, topic: T) => R,
): Promise<R[]> {
  const byLanguage = new Map<Language, string[]>();
  for (const row of rows) {
    const language = languageOf(row);
    if (language === 'en') continue;
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), topicOf(row).id]);
  }
  const translations = new Map<Language, Map<string, TranslationContent>>();
  for (const [language, ids] of byLanguage) {
    if (language === 'en') continue;
    translations.set(language, await selectTranslationsOf(db, ids, language));
  }
  return rows.map((row) => {
    const language = languageOf(row);
    const topic = topicOf(row);
    const translation = translations.get(language)?.get(topic.id);
    return translation === undefined
      ? row
      : withTopic(row, inLanguage(topic, language, translation));
  });
}
