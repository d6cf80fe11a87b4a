/**
 * Checks the topic translations in data/topics/translations/<language>/<family>.json against
 * the English catalogue: every slug known and in its family's file, every field present, the
 * same number of actions, and the same limits as an English topic (a note still readable in a
 * minute). Prints one line per problem and, per language, the topics still missing.
 *
 *   npm run translations:check [-- --complete]
 *
 * Exits 1 on any problem, and with --complete also when a topic lacks a language.
 */
import { readdir, readFile } from 'node:fs/promises';
import { loadCatalogue } from '../src/core/topics/catalogue.ts';
import { formatReference } from '../src/core/topics/references.ts';
import { topicFieldProblems } from '../src/core/topics/rules.ts';

const LANGUAGES = ['de', 'fr'] as const;
const FIELDS = ['title', 'summary', 'whyItMatters', 'example', 'reflectionQuestion'] as const;
const root = new URL('../data/topics/translations/', import.meta.url);

const catalogue = await loadCatalogue();
const bySlug = new Map(catalogue.topics.map((topic) => [topic.slug, topic]));
const problems: string[] = [];
const complete = process.argv.includes('--complete');
let missingTotal = 0;

for (const language of LANGUAGES) {
  const seen = new Set<string>();
  const files = await readdir(new URL(`${language}/`, root)).catch(() => [] as string[]);
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    const where = `${language}/${file}`;
    const family = file.replace(/\.json$/, '');
    const data = JSON.parse(await readFile(new URL(`${language}/${file}`, root), 'utf8'));
    if (data.language !== language) problems.push(`${where}: "language" must be "${language}".`);
    for (const [slug, text] of Object.entries<Record<string, unknown>>(data.topics ?? {})) {
      const english = bySlug.get(slug);
      if (!english) {
        problems.push(`${where}: ${slug} is not a topic of the catalogue.`);
        continue;
      }
      if (english.category !== family) {
        problems.push(`${where}: ${slug} belongs in ${english.category}.json.`);
      }
      seen.add(slug);
      const extra = Object.keys(text).filter((key) => ![...FIELDS, 'actions'].includes(key));
      if (extra.length > 0) problems.push(`${where}: ${slug} has unknown fields ${extra}.`);
      const actions = text.actions;
      if (!Array.isArray(actions) || actions.length !== english.actions.length) {
        problems.push(`${where}: ${slug} needs ${english.actions.length} actions.`);
      }
      const found = topicFieldProblems(
        {
          category: english.category,
          reference: formatReference(english.reference),
          ...Object.fromEntries(FIELDS.map((field) => [field, text[field]])),
          actions: actions as string[],
        },
        { required: true },
      );
      for (const [field, problem] of Object.entries(found)) {
        problems.push(`${where}: ${slug} ${field}: ${problem}`);
      }
    }
  }
  const missing = catalogue.topics.filter((topic) => !seen.has(topic.slug));
  missingTotal += missing.length;
  console.log(
    `${language}: ${seen.size} of ${catalogue.topics.length} topics translated` +
      (missing.length > 0 && missing.length <= 20
        ? `; missing ${missing.map((t) => t.slug).join(', ')}`
        : ''),
  );
}

for (const problem of problems) console.log(problem);
process.exitCode = problems.length > 0 || (complete && missingTotal > 0) ? 1 : 0;
