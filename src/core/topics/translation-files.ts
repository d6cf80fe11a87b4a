/**
 * The topic translations this build ships: data/topics/translations/<language>/<family>.json,
 * each `{ "language": "de", "topics": { "<slug>": { title, summary, whyItMatters, example,
 * reflectionQuestion, actions: [3 texts] } } }`. Checked in full when loaded, like the English
 * catalogue (scripts/check-topic-translations.ts runs the same checks for translators), so a
 * broken file fails at start-up naming the file, the topic and the field.
 */
import { readdir, readFile } from 'node:fs/promises';
import { TRANSLATION_LANGUAGES, type TranslationLanguage } from '../languages/rules.ts';
import {
  normalizeTranslation,
  TRANSLATION_FIELDS,
  type TranslationContent,
  translationFieldProblems,
} from './translation-rules.ts';

/** Per language, the translated text of each topic that has one, by slug. */
export type CatalogueTranslations = Partial<
  Record<TranslationLanguage, Readonly<Record<string, TranslationContent>>>
>;

/** What a translation is checked against: the English topic, its citation as text. */
export interface EnglishTopic {
  slug: string;
  category: string;
  reference: string;
}

/** One translation file's content with where it came from, before it is checked. */
export interface TranslationFile {
  /** "de/biases.json": how problems name the file. */
  name: string;
  language: TranslationLanguage;
  /** The file's name without .json: the family its topics must belong to. */
  family: string;
  data: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads every translation file under `root` (a folder per language; a language without a
 * folder simply has no translations yet). Unparsable JSON is reported as a problem.
 */
export async function readTranslationFiles(
  root: URL,
): Promise<{ files: TranslationFile[]; problems: string[] }> {
  const files: TranslationFile[] = [];
  const problems: string[] = [];
  for (const language of TRANSLATION_LANGUAGES) {
    const folder = new URL(`${language}/`, root);
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    for (const file of names.filter((name) => name.endsWith('.json')).sort()) {
      const name = `${language}/${file}`;
      try {
        const data: unknown = JSON.parse(await readFile(new URL(file, folder), 'utf8'));
        files.push({ name, language, family: file.replace(/\.json$/, ''), data });
      } catch (error) {
        problems.push(`${name}: not valid JSON: ${(error as Error).message}`);
      }
    }
  }
  return { files, problems };
}

/**
 * Checks translation files against the English topics: the right language, known slugs in
 * their family's file, no slug twice, only translation fields, and the English limits.
 * Returns the translations and every problem found (empty when all is well).
 */
export function checkTranslationFiles(
  files: readonly TranslationFile[],
  topics: readonly EnglishTopic[],
): { translations: CatalogueTranslations; problems: string[] } {
  const bySlug = new Map(topics.map((topic) => [topic.slug, topic]));
  const translations: Partial<Record<TranslationLanguage, Record<string, TranslationContent>>> = {};
  const problems: string[] = [];
  for (const file of files) {
    const where = file.name;
    if (!isRecord(file.data) || !isRecord(file.data.topics)) {
      problems.push(`${where}: must be an object with "language" and "topics".`);
      continue;
    }
    if (file.data.language !== file.language) {
      problems.push(`${where}: "language" must be "${file.language}".`);
    }
    const extraKeys = Object.keys(file.data).filter(
      (key) => key !== 'language' && key !== 'topics',
    );
    if (extraKeys.length > 0) problems.push(`${where}: unknown keys ${extraKeys.join(', ')}.`);
    const into: Record<string, TranslationContent> =
      translations[file.language] ?? Object.create(null);
    translations[file.language] = into;
    for (const [slug, text] of Object.entries(file.data.topics)) {
      const english = bySlug.get(slug);
      if (!english) {
        problems.push(`${where}: ${slug} is not a topic of the catalogue.`);
        continue;
      }
      if (english.category !== file.family) {
        problems.push(`${where}: ${slug} belongs in ${english.category}.json.`);
      }
      if (slug in into) problems.push(`${where}: ${slug} is translated twice.`);
      if (!isRecord(text)) {
        problems.push(`${where}: ${slug} must be an object of its translated fields.`);
        continue;
      }
      const extra = Object.keys(text).filter(
        (key) => !(TRANSLATION_FIELDS as readonly string[]).includes(key),
      );
      if (extra.length > 0) problems.push(`${where}: ${slug} has unknown fields ${extra}.`);
      const typed = readTranslationText(text);
      if (typed === undefined) {
        problems.push(`${where}: ${slug} needs text fields and a list of texts as actions.`);
        continue;
      }
      const found = translationFieldProblems(typed, english);
      for (const [field, problem] of Object.entries(found)) {
        problems.push(`${where}: ${slug} ${field}: ${problem}`);
      }
      if (Object.keys(found).length === 0)
        into[slug] = normalizeTranslation(typed as TranslationContent);
    }
  }
  return { translations, problems };
}

/** The fields with the right types (strings, a string list), or undefined; limits come later. */
function readTranslationText(
  text: Record<string, unknown>,
): Partial<TranslationContent> | undefined {
  const content: Partial<TranslationContent> = {};
  for (const field of TRANSLATION_FIELDS) {
    const value = text[field];
    if (value === undefined) continue;
    if (field === 'actions') {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        return undefined;
      }
      content.actions = value;
    } else if (typeof value === 'string') content[field] = value;
    else return undefined;
  }
  return content;
}
