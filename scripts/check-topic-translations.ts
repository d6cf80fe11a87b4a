/**
 * Checks the topic translations in data/topics/translations/<language>/<family>.json against
 * the English catalogue, with the very checks start-up runs (src/core/topics/translation-files.ts):
 * every slug known and in its family's file, every field present, the same number of actions,
 * and the same limits as an English topic (a note still readable in a minute). Prints one line
 * per problem and, per language, the topics still missing.
 *
 *   npm run translations:check [-- --complete]
 *
 * Exits 1 on any problem, and with --complete also when a topic lacks a language.
 */

import { readFile } from 'node:fs/promises';
import { TRANSLATION_LANGUAGES } from '../src/core/languages/rules.ts';
import { CATALOGUE_PATH, parseCatalogue } from '../src/core/topics/catalogue.ts';
import { formatReference } from '../src/core/topics/references.ts';
import {
  checkTranslationFiles,
  readTranslationFiles,
} from '../src/core/topics/translation-files.ts';

// The English alone (parseCatalogue): loadCatalogue would stop at the first broken translation.
const catalogue = parseCatalogue(JSON.parse(await readFile(CATALOGUE_PATH, 'utf8')));
const read = await readTranslationFiles(new URL('translations/', CATALOGUE_PATH));
const checked = checkTranslationFiles(
  read.files,
  catalogue.topics.map((topic) => ({ ...topic, reference: formatReference(topic.reference) })),
);
const problems = [...read.problems, ...checked.problems];
let missingTotal = 0;

for (const language of TRANSLATION_LANGUAGES) {
  const seen = new Set(
    read.files
      .filter((file) => file.language === language)
      .flatMap((file) => Object.keys((file.data as { topics?: object }).topics ?? {})),
  );
  const missing = catalogue.topics.filter((topic) => !seen.has(topic.slug));
  missingTotal += missing.length;
  console.log(
    `${language}: ${catalogue.topics.length - missing.length} of ${catalogue.topics.length} topics translated` +
      (missing.length > 0 && missing.length <= 20
        ? `; missing ${missing.map((t) => t.slug).join(', ')}`
        : ''),
  );
}

for (const problem of problems) console.log(problem);
process.exitCode = problems.length > 0 || (complete() && missingTotal > 0) ? 1 : 0;

function complete(): boolean {
  return process.argv.includes('--complete');
}
