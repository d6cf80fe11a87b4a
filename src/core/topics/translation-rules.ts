/**
 * Pure rules for a topic's translations: what a translation holds, the checks it must pass (the
 * English topic's own, so a note in German is held to the same minute's reading), and how a
 * topic is shown in a manager's language.
 */
import type { Language } from '../languages/rules.ts';
import { type FieldProblems, type TopicContent, topicFieldProblems } from './rules.ts';

/** The fields a translation gives a topic; the family and the citation stay the topic's own. */
export const TRANSLATION_FIELDS = [
  'title',
  'summary',
  'whyItMatters',
  'example',
  'reflectionQuestion',
  'actions',
] as const;
export type TranslationField = (typeof TRANSLATION_FIELDS)[number];

export type TranslationContent = Pick<TopicContent, TranslationField>;

/**
 * Every problem with a translation, one sentence per field (as topicFieldProblems): the limits
 * of an English topic, the note's total length included. `english` lends the fields a
 * translation does not carry, so the check is the very one English passes.
 */
export function translationFieldProblems(
  content: Partial<TranslationContent>,
  english: Pick<TopicContent, 'category' | 'reference'>,
): FieldProblems {
  return topicFieldProblems(
    { ...content, category: english.category, reference: english.reference },
    { required: true },
  );
}

/** The translation's fields only, in a fixed order: what is stored and compared. */
export function normalizeTranslation(content: TranslationContent): TranslationContent {
  return {
    title: content.title,
    summary: content.summary,
    whyItMatters: content.whyItMatters,
    example: content.example,
    reflectionQuestion: content.reflectionQuestion,
    actions: [...content.actions],
  };
}

/** The fields whose values differ between two versions of a translation. */
export function changedTranslationFields(
  before: TranslationContent,
  after: TranslationContent,
): TranslationField[] {
  return TRANSLATION_FIELDS.filter((field) => {
    const a = before[field];
    const b = after[field];
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length !== b.length || a.some((item, i) => item !== b[i]);
    }
    return a !== b;
  });
}

/**
 * A topic as a manager reading `language` sees it: the translation's text over the English
 * when there is one, the English as it is otherwise (a topic lacking the language falls back
 * to English, topic by topic).
 */
export function inLanguage<T extends TranslationContent>(
  topic: T,
  language: Language,
  translation: TranslationContent | undefined,
): T {
  if (language === 'en' || translation === undefined) return topic;
  return { ...topic, ...normalizeTranslation(translation) };
}
