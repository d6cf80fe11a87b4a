/**
 * Pure rules for topics: the limits a topic's text must respect, how a slug is made from a
 * title, and the content check shared by the catalogue loader, the admin service and the route
 * schemas, so the three cannot disagree.
 */

/** Slugs and categories: lower-case words joined by single hyphens (the topics.slug CHECK). */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
const SLUG = new RegExp(SLUG_PATTERN);

/**
 * Longest accepted text per field, in characters (code points, as PostgreSQL's char_length and
 * the schemas' maxLength count them). They were set at about half again the longest entry of
 * the first 50-topic catalogue; the 116-topic catalogue (data/topics/catalogue.json) stays
 * within them: title 51, summary 234 (280 is also the CHECK in db/migrations/0002),
 * whyItMatters 476, example 376, reflection question 152, action 172. `reference` is the
 * citation with its link at the end (./references.ts); the longest, with a search link where
 * a work has no DOI, is 392. `note` bounds what a manager reads in the Slack message (title,
 * summary, why it matters, example, question and actions together): the longest catalogue
 * note is 1,490 characters, about 250 words, a minute's reading; 1,800 keeps every note near
 * that minute even when each field is near its own limit.
 */
export const TOPIC_LIMITS = {
  slug: 64,
  category: 64,
  title: 80,
  summary: 280,
  whyItMatters: 600,
  example: 500,
  reflectionQuestion: 200,
  action: 240,
  reference: 400,
  note: 1800,
} as const;

/** bigint ids travel as decimal strings; anything else cannot name a row. */
export const ID_PATTERN = /^[1-9][0-9]{0,17}$/;

/** Every topic has exactly this many suggested actions (the topics.actions CHECK). */
export const ACTIONS_PER_TOPIC = 3;

/** What a topic says: the fields an admin edits and a topic revision records. */
export interface TopicContent {
  category: string;
  title: string;
  summary: string;
  whyItMatters: string;
  example: string;
  reflectionQuestion: string;
  actions: string[];
  /** The source, as citation text. */
  reference: string;
}

/** A topic as a message shows it: what it says, with its id and slug. */
export interface TopicToSend extends TopicContent {
  id: string;
  slug: string;
}

export type TopicField = keyof TopicContent;

/** The fields of TopicContent in a fixed order, for comparisons and stable revision JSON. */
export const TOPIC_FIELDS: readonly TopicField[] = [
  'category',
  'title',
  'summary',
  'whyItMatters',
  'example',
  'reflectionQuestion',
  'actions',
  'reference',
];

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

/**
 * A slug from a title: "Recency bias in reviews" → "recency-bias-in-reviews". Accents are
 * folded to plain letters; anything else that is not a letter or digit separates words.
 * Returns '' when nothing usable is left (a title of only punctuation or emoji).
 */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > TOPIC_LIMITS.slug) break;
    slug = next;
  }
  // A single word longer than the limit: cut it rather than return nothing.
  return slug || (words[0]?.slice(0, TOPIC_LIMITS.slug) ?? '');
}

/** Problems by field name (`actions[1]` for one action, `note` for the whole note's length). */
export type FieldProblems = Record<string, string>;

/** Length in characters as PostgreSQL and JSON Schema count them: code points, not UTF-16 units. */
export function characters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** The text a manager reads in the note; `reference` is a citation, skimmed rather than read. */
const READ_FIELDS = ['title', 'summary', 'whyItMatters', 'example', 'reflectionQuestion'] as const;

/**
 * Every problem with a topic's content, one sentence per field; empty when it is valid. With
 * `required`, a missing field is a problem too (a topic can only be sent whole); without it,
 * only the fields present are checked, which serves partial updates. The note's total length
 * is checked once every field it is made of is present and valid on its own.
 */
export function topicFieldProblems(
  content: Partial<TopicContent>,
  options: { required?: boolean } = {},
): FieldProblems {
  const problems: FieldProblems = {};
  const text = (field: Exclude<TopicField, 'actions'>, limit: number) => {
    const value = content[field];
    if (value === undefined) {
      if (options.required) problems[field] = `${field} is required.`;
    } else if (value.trim() === '') problems[field] = `${field} must not be empty.`;
    else if (characters(value) > limit) {
      problems[field] =
        `${field} must be at most ${limit} characters (it has ${characters(value)}).`;
    }
  };
  if (content.category !== undefined && !isSlug(content.category)) {
    problems.category = `category "${content.category}" must be lower-case words joined by hyphens, e.g. "team-climate-and-growth".`;
  } else {
    text('category', TOPIC_LIMITS.category);
  }
  text('title', TOPIC_LIMITS.title);
  text('summary', TOPIC_LIMITS.summary);
  text('whyItMatters', TOPIC_LIMITS.whyItMatters);
  text('example', TOPIC_LIMITS.example);
  text('reflectionQuestion', TOPIC_LIMITS.reflectionQuestion);
  if (content.actions === undefined) {
    if (options.required) problems.actions = `actions is required: ${ACTIONS_PER_TOPIC} of them.`;
  } else {
    if (content.actions.length !== ACTIONS_PER_TOPIC) {
      problems.actions = `actions must hold exactly ${ACTIONS_PER_TOPIC} items (it has ${content.actions.length}).`;
    }
    content.actions.forEach((action, i) => {
      if (action.trim() === '') problems[`actions[${i}]`] = `actions[${i}] must not be empty.`;
      else if (characters(action) > TOPIC_LIMITS.action) {
        problems[`actions[${i}]`] =
          `actions[${i}] must be at most ${TOPIC_LIMITS.action} characters (it has ${characters(action)}).`;
      }
    });
  }
  text('reference', TOPIC_LIMITS.reference);
  const read = noteLength(content);
  if (read !== undefined && Object.keys(problems).length === 0 && read > TOPIC_LIMITS.note) {
    problems.note =
      `The note is ${read} characters to read; at most ${TOPIC_LIMITS.note} keeps it to about a ` +
      'minute. Shorten whyItMatters or example first.';
  }
  return problems;
}

/** Characters a manager reads in the note, or undefined while a part of it is missing. */
export function noteLength(content: Partial<TopicContent>): number | undefined {
  if (content.actions === undefined) return undefined;
  let total = 0;
  for (const field of READ_FIELDS) {
    const value = content[field];
    if (value === undefined) return undefined;
    total += characters(value);
  }
  for (const action of content.actions) total += characters(action);
  return total;
}

/** topicFieldProblems as sentences, in field order (the catalogue loader's form). */
export function topicContentProblems(content: Partial<TopicContent>): string[] {
  return Object.values(topicFieldProblems(content));
}

/** The content in TOPIC_FIELDS order, without extra keys: what a revision row stores. */
export function normalizeContent(content: TopicContent): TopicContent {
  return {
    category: content.category,
    title: content.title,
    summary: content.summary,
    whyItMatters: content.whyItMatters,
    example: content.example,
    reflectionQuestion: content.reflectionQuestion,
    actions: [...content.actions],
    reference: content.reference,
  };
}

/** The fields whose values differ between two versions of a topic. */
export function changedFields(before: TopicContent, after: TopicContent): TopicField[] {
  return TOPIC_FIELDS.filter((field) => {
    const a = before[field];
    const b = after[field];
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length !== b.length || a.some((item, i) => item !== b[i]);
    }
    return a !== b;
  });
}
