/**
 * Pure rules for topics: the limits a topic's text must respect, how a slug is made from a
 * title, and the content check shared by the catalogue loader, the admin service and the route
 * schemas, so the three cannot disagree.
 */

/** Slugs and categories: lower-case words joined by single hyphens (the topics.slug CHECK). */
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
const SLUG = new RegExp(SLUG_PATTERN);

/**
 * Longest accepted text per field. `title` and `summary` repeat the CHECKs in
 * db/migrations/0002; the rest are ours, about twice the longest catalogue entry, so a Slack
 * message stays readable.
 */
export const TOPIC_LIMITS = {
  slug: 64,
  category: 64,
  title: 120,
  summary: 280,
  whyItMatters: 1000,
  example: 1000,
  reflectionQuestion: 300,
  action: 300,
  reference: 500,
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

/**
 * Every problem with a topic's content, one sentence each; empty when it is valid. Checks only
 * the fields present, so it serves partial updates too.
 */
export function topicContentProblems(content: Partial<TopicContent>): string[] {
  const problems: string[] = [];
  const text = (field: Exclude<TopicField, 'actions'>, limit: number) => {
    const value = content[field];
    if (value === undefined) return;
    if (value.trim() === '') problems.push(`${field} must not be empty.`);
    else if (value.length > limit) {
      problems.push(`${field} must be at most ${limit} characters (it has ${value.length}).`);
    }
  };
  if (content.category !== undefined && !isSlug(content.category)) {
    problems.push(
      `category "${content.category}" must be lower-case words joined by hyphens, e.g. "team-climate-and-growth".`,
    );
  } else {
    text('category', TOPIC_LIMITS.category);
  }
  text('title', TOPIC_LIMITS.title);
  text('summary', TOPIC_LIMITS.summary);
  text('whyItMatters', TOPIC_LIMITS.whyItMatters);
  text('example', TOPIC_LIMITS.example);
  text('reflectionQuestion', TOPIC_LIMITS.reflectionQuestion);
  text('reference', TOPIC_LIMITS.reference);
  if (content.actions !== undefined) {
    if (content.actions.length !== ACTIONS_PER_TOPIC) {
      problems.push(
        `actions must hold exactly ${ACTIONS_PER_TOPIC} items (it has ${content.actions.length}).`,
      );
    }
    content.actions.forEach((action, i) => {
      if (action.trim() === '') problems.push(`actions[${i}] must not be empty.`);
      else if (action.length > TOPIC_LIMITS.action) {
        problems.push(`actions[${i}] must be at most ${TOPIC_LIMITS.action} characters.`);
      }
    });
  }
  return problems;
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
