/**
 * A topic's source as structured fields (the catalogue's and an import's form), and the one
 * citation text it is stored and sent as. The text ends with the source's link: a DOI as
 * https://doi.org/…, an ISBN as "ISBN …", otherwise the URL, so the bot can make "Read more"
 * a link from the stored text alone, and an admin's hand-written citation works the same way.
 */
import { characters, type FieldProblems, TOPIC_LIMITS } from './rules.ts';

export const REFERENCE_KINDS = ['paper', 'book', 'article'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface StructuredReference {
  kind: ReferenceKind;
  /** Each as cited, surname first: ["Stone, D.", "Heen, S."]. */
  authors: string[];
  year: number;
  title: string;
  /** The journal, magazine or publisher. */
  venue?: string;
  /** "44(2)": volume and issue, for a journal. */
  volume?: string;
  /** "350–383", where the work is part of a larger one. */
  pages?: string;
  doi?: string;
  isbn?: string;
  url?: string;
}

/** The fields a structured reference may carry, for the readers' "unknown field" problems. */
export const REFERENCE_FIELDS = [
  'kind',
  'authors',
  'year',
  'title',
  'venue',
  'volume',
  'pages',
  'doi',
  'isbn',
  'url',
] as const;

export const DOI_PATTERN = '^10\\.[0-9]{4,9}/\\S+$';
/** ISBN-10 or ISBN-13, with or without hyphens. */
export const ISBN_PATTERN = '^(97[89]-?)?([0-9]-?){9}[0-9Xx]$';
export const HTTPS_URL_PATTERN = '^https://\\S+$';

const DOI = new RegExp(DOI_PATTERN);
const ISBN = new RegExp(ISBN_PATTERN);
const HTTPS_URL = new RegExp(HTTPS_URL_PATTERN);

const sentence = (text: string) => (/[.?!]$/.test(text) ? text : `${text}.`);

/** APA's list: "A", "A, & B", "A, B, & C". */
export function formatAuthors(authors: readonly string[]): string {
  if (authors.length <= 1) return authors[0] ?? '';
  return `${authors.slice(0, -1).join(', ')}, & ${authors.at(-1)}`;
}

/**
 * "Edmondson, A. C. (1999). Psychological safety … teams. Administrative Science Quarterly,
 * 44(2), 350–383. https://doi.org/10.2307/2666999": APA-like, one link at the end.
 */
export function formatReference(reference: StructuredReference): string {
  const where = [reference.venue, reference.volume, reference.pages].filter(Boolean).join(', ');
  const link = reference.doi
    ? `https://doi.org/${reference.doi}`
    : reference.isbn
      ? `ISBN ${reference.isbn}`
      : (reference.url ?? '');
  return [
    `${formatAuthors(reference.authors)} (${reference.year}).`,
    sentence(reference.title),
    where ? sentence(where) : '',
    link,
  ]
    .filter(Boolean)
    .join(' ');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a structured reference from untyped input, with each problem named
 * `reference.<field>`. Returns the citation text when there is no problem.
 */
export function readStructuredReference(
  value: unknown,
  problems: FieldProblems,
): string | undefined {
  if (!isRecord(value)) {
    problems.reference = 'reference must be citation text or an object of its fields.';
    return undefined;
  }
  const before = Object.keys(problems).length;
  const problem = (field: string, text: string) => {
    problems[`reference.${field}`] = `reference.${field} ${text}`;
  };
  for (const key of Object.keys(value)) {
    if (!(REFERENCE_FIELDS as readonly string[]).includes(key)) {
      problem(key, `is not a reference field; they are ${REFERENCE_FIELDS.join(', ')}.`);
    }
  }
  const text = (field: string, required: boolean) => {
    const given = value[field];
    if (given === undefined) {
      if (required) problem(field, 'is required.');
    } else if (typeof given !== 'string' || given.trim() === '') {
      problem(field, 'must be non-empty text.');
    }
  };
  if (!(REFERENCE_KINDS as readonly unknown[]).includes(value.kind)) {
    problem('kind', `must be one of ${REFERENCE_KINDS.join(', ')}.`);
  }
  const authors = value.authors;
  if (
    !Array.isArray(authors) ||
    authors.length === 0 ||
    !authors.every((author) => typeof author === 'string' && author.trim() !== '')
  ) {
    problem('authors', 'must be a list of names, e.g. ["Stone, D.", "Heen, S."].');
  }
  text('title', true);
  for (const field of ['venue', 'volume', 'pages', 'doi', 'isbn', 'url']) text(field, false);
  const year = value.year;
  if (!Number.isInteger(year) || (year as number) < 1800 || (year as number) > 2100) {
    problem('year', 'must be a whole year, e.g. 1999.');
  }
  const links = (['doi', 'isbn', 'url'] as const).filter((field) => value[field] !== undefined);
  if (links.length !== 1) {
    problems.reference = 'reference needs exactly one of doi, isbn or url, so it can be a link.';
  } else {
    const [field] = links;
    const given = String(value[field as string]);
    if (field === 'doi' && !DOI.test(given)) problem('doi', 'must look like 10.2307/2666999.');
    if (field === 'isbn' && !ISBN.test(given)) problem('isbn', 'must be an ISBN-10 or ISBN-13.');
    if (field === 'url' && !HTTPS_URL.test(given)) problem('url', 'must be an https:// address.');
  }
  if (Object.keys(problems).length > before) return undefined;
  const citation = formatReference(value as unknown as StructuredReference);
  if (characters(citation) > TOPIC_LIMITS.reference) {
    problems.reference = `reference must come to at most ${TOPIC_LIMITS.reference} characters as a citation (it comes to ${characters(citation)}).`;
    return undefined;
  }
  return citation;
}
