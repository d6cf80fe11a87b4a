/**
 * The topic catalogue: the versioned file data/topics/catalogue.json that every workspace's
 * topics are seeded from (see seedWorkspace in ./service.ts). It is checked in full when loaded,
 * so a broken edit fails at start-up, naming the topic and the field, instead of seeding
 * half a catalogue.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import {
  DOI_PATTERN,
  formatReference,
  HTTPS_URL_PATTERN,
  ISBN_PATTERN,
  REFERENCE_KINDS,
} from './references.ts';
import { ACTIONS_PER_TOPIC, characters, SLUG_PATTERN, TOPIC_LIMITS } from './rules.ts';
import {
  type CatalogueTranslations,
  checkTranslationFiles,
  readTranslationFiles,
} from './translation-files.ts';

/**
 * The categories ("families") of the catalogue: the five weekday themes in weekday order
 * (Monday's first), then the two families no weekday leans to by default.
 */
export const TOPIC_CATEGORIES = [
  'clarity-and-direction',
  'judging-people-fairly',
  'listening-and-communication',
  'recognition-and-feedback',
  'team-climate-and-growth',
  'decisions-under-uncertainty',
  'energy-and-attention',
] as const;

export type TopicCategory = (typeof TOPIC_CATEGORIES)[number];

/** 1 = Monday … 7 = Sunday, as ISO 8601 and Luxon's `weekday` count them. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * The theme of each weekday until an admin changes it: one category per working day, and the
 * two lightest-weight ones again at the weekend for anyone who subscribes then.
 */
export const DEFAULT_WEEKDAY_THEMES: Readonly<Record<IsoWeekday, TopicCategory>> = Object.freeze({
  1: 'clarity-and-direction',
  2: 'judging-people-fairly',
  3: 'listening-and-communication',
  4: 'recognition-and-feedback',
  5: 'team-climate-and-growth',
  6: 'recognition-and-feedback',
  7: 'clarity-and-direction',
});

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

const CatalogueTopicSchema = Type.Object(
  {
    slug: Type.String({ pattern: SLUG_PATTERN, maxLength: TOPIC_LIMITS.slug }),
    title: Text(TOPIC_LIMITS.title),
    /** Where the topic comes from; kept in the file for editors, not stored per workspace. */
    area: Type.Enum(['biases', 'habits', 'practices']),
    // A closed list here (admins may add others through the API): a typo in the file would
    // otherwise seed a category that no weekday theme ever sends.
    category: Type.Enum([...TOPIC_CATEGORIES]),
    summary: Text(TOPIC_LIMITS.summary),
    whyItMatters: Text(TOPIC_LIMITS.whyItMatters),
    example: Text(TOPIC_LIMITS.example),
    reflectionQuestion: Text(TOPIC_LIMITS.reflectionQuestion),
    actions: Type.Array(Text(TOPIC_LIMITS.action), {
      minItems: ACTIONS_PER_TOPIC,
      maxItems: ACTIONS_PER_TOPIC,
    }),
    // Structured so "Read more" can be a link; seeded as one citation text (formatReference).
    // Exactly one of doi, isbn and url is checked after the schema (linkProblems).
    reference: Type.Object(
      {
        kind: Type.Enum([...REFERENCE_KINDS]),
        authors: Type.Array(Text(80), { minItems: 1, maxItems: 12 }),
        year: Type.Integer({ minimum: 1800, maximum: 2100 }),
        title: Text(200),
        venue: Type.Optional(Text(120)),
        volume: Type.Optional(Text(20)),
        pages: Type.Optional(Text(20)),
        doi: Type.Optional(Type.String({ pattern: DOI_PATTERN })),
        isbn: Type.Optional(Type.String({ pattern: ISBN_PATTERN })),
        url: Type.Optional(Type.String({ pattern: HTTPS_URL_PATTERN })),
      },
      { additionalProperties: false },
    ),
  },
  // A misspelt field name ("whyItMaters") must fail, not be silently dropped.
  { additionalProperties: false },
);

const CatalogueSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    topics: Type.Array(CatalogueTopicSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type CatalogueTopic = Static<typeof CatalogueTopicSchema>;
/**
 * The catalogue with, when loaded from disk, its translations (./translation-files.ts). A
 * catalogue built in memory may have none: every topic is then sent in English.
 */
export type Catalogue = Static<typeof CatalogueSchema> & { translations?: CatalogueTranslations };

/** The catalogue shipped in the repository. */
export const CATALOGUE_PATH = new URL('../../../data/topics/catalogue.json', import.meta.url);

/** Thrown with every problem found in a catalogue file, one per line. */
export class CatalogueError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`Invalid topic catalogue ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogueError';
    this.problems = problems;
  }
}

/**
 * Reads and checks a catalogue file, and the translations in the `translations/` folder beside
 * it (data/topics/translations for the shipped one; none is fine).
 * @param path the file; the repository's data/topics/catalogue.json when omitted.
 * @throws CatalogueError naming each broken topic (by slug) and field, or translation file.
 */
export async function loadCatalogue(path: string | URL = CATALOGUE_PATH): Promise<Catalogue> {
  const url = path instanceof URL ? path : pathToFileURL(path);
  const source = url.pathname;
  const text = await readFile(url, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogueError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  const catalogue = parseCatalogue(data, source);
  const root = new URL('translations/', url);
  const read = await readTranslationFiles(root);
  const checked = checkTranslationFiles(
    read.files,
    catalogue.topics.map((topic) => ({ ...topic, reference: formatReference(topic.reference) })),
  );
  const problems = [...read.problems, ...checked.problems];
  if (problems.length > 0) throw new CatalogueError(root.pathname, problems);
  return { ...catalogue, translations: checked.translations };
}

/**
 * Checks already-parsed catalogue data (loadCatalogue's second half, for callers that build a
 * catalogue in memory).
 * @throws CatalogueError naming each broken topic (by slug) and field.
 */
export function parseCatalogue(data: unknown, source = 'catalogue'): Catalogue {
  const problems = schemaProblems(data);
  if (problems.length === 0) {
    problems.push(...duplicateSlugs(data as Catalogue), ...linkProblems(data as Catalogue));
  }
  if (problems.length > 0) throw new CatalogueError(source, problems);
  return data as Catalogue;
}

function schemaProblems(data: unknown): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const error of Value.Errors(CatalogueSchema, data)) {
    // additionalProperties is reported twice (once as a `false` schema); keep the clearer one.
    if (error.keyword === 'boolean') continue;
    const problem = describe(data, error.instancePath, error.message, error.params);
    if (!seen.has(problem)) {
      seen.add(problem);
      problems.push(problem);
    }
  }
  return problems;
}

/** "topic "recency-bias" (topics[0]), field summary: must not have more than 280 characters" */
function describe(
  data: unknown,
  instancePath: string,
  message: string,
  params: Record<string, unknown>,
): string {
  const [, root, index, ...rest] = instancePath.split('/');
  let field = rest
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
  const named = (key: string) => (Array.isArray(params[key]) ? params[key].join(', ') : '');
  if (named('requiredProperties')) {
    field = [field, named('requiredProperties')].filter(Boolean).join('.');
    message = 'is missing';
  } else if (named('additionalProperties')) {
    field = [field, named('additionalProperties')].filter(Boolean).join('.');
    message = 'is not a catalogue field';
  } else if (named('allowedValues')) {
    message = `must be one of ${named('allowedValues')}`;
  }
  if (root !== 'topics' || index === undefined) {
    return `${[root, field].filter(Boolean).join('.') || 'the file'}: ${message}`;
  }
  const topics = (data as { topics?: unknown[] }).topics;
  const slug = (topics?.[Number(index)] as { slug?: unknown } | undefined)?.slug;
  const which = typeof slug === 'string' ? `topic "${slug}"` : 'topic without a slug';
  return `${which} (topics[${index}])${field ? `, field ${field}` : ''}: ${message}`;
}

/** Every reference names exactly one link, and fits as a citation in TOPIC_LIMITS.reference. */
function linkProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  catalogue.topics.forEach((topic, i) => {
    const { doi, isbn, url } = topic.reference;
    const at = `topic "${topic.slug}" (topics[${i}]), field reference`;
    const links = [doi, isbn, url].filter((link) => link !== undefined).length;
    if (links !== 1)
      problems.push(`${at}: must have exactly one of doi, isbn, url (it has ${links})`);
    const length = characters(formatReference(topic.reference));
    if (length > TOPIC_LIMITS.reference) {
      problems.push(`${at}: is ${length} characters as a citation, over ${TOPIC_LIMITS.reference}`);
    }
  });
  return problems;
}

function duplicateSlugs(catalogue: Catalogue): string[] {
  const first = new Map<string, number>();
  const problems: string[] = [];
  catalogue.topics.forEach((topic, i) => {
    const earlier = first.get(topic.slug);
    if (earlier === undefined) first.set(topic.slug, i);
    else {
      problems.push(
        `topic "${topic.slug}" (topics[${i}]), field slug: already used by topics[${earlier}]`,
      );
    }
  });
  return problems;
}
