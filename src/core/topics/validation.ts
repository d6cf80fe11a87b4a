/**
 * Reading a topic from untyped input (an API body, a line of an import file) into typed
 * content, with every problem named by its field. The admin routes use it instead of their
 * schema's own verdict, which stops at the first problem and names no field, so a form can
 * show each problem beside its field and an import can list every one.
 */

import { readStructuredReference } from './references.ts';
import {
  type FieldProblems,
  isSlug,
  TOPIC_FIELDS,
  TOPIC_LIMITS,
  type TopicContent,
  topicFieldProblems,
} from './rules.ts';

/** Whether a topic is sent (active) or kept only for its history (retired). */
export const TOPIC_STATUSES = ['active', 'retired'] as const;
export type TopicStatus = (typeof TOPIC_STATUSES)[number];

/** The keys a body may carry besides the content, per use. */
export type ExtraKey = 'slug' | 'status';

export interface TopicInput {
  slug?: string;
  status?: TopicStatus;
  content: Partial<TopicContent>;
}

export interface ReadTopic {
  input: TopicInput;
  /** Empty when the input is a valid topic (or, without `required`, valid changes). */
  problems: FieldProblems;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `value` as a topic. `required`: every content field must be there (a new topic, an
 * imported one); otherwise only those given are checked (changes). `extra`: the keys other
 * than content that this use accepts; any other key is a problem, so a misspelt field is
 * refused rather than silently dropped.
 */
export function readTopic(
  value: unknown,
  options: { required: boolean; extra: readonly ExtraKey[] },
): ReadTopic {
  // No prototype: a key such as "__proto__" in the input must become a problem, not a setter.
  const problems: FieldProblems = Object.create(null);
  const content: Partial<TopicContent> = {};
  const input: TopicInput = { content };
  if (!isRecord(value)) {
    return { input, problems: { body: 'Send the topic as a JSON object of its fields.' } };
  }
  const known = new Set<string>([...TOPIC_FIELDS, ...options.extra]);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      problems[key] = `${key} is not a topic field; the fields are ${[...known].join(', ')}.`;
    }
  }
  for (const field of TOPIC_FIELDS) {
    const given = value[field];
    if (given === undefined) continue;
    if (field === 'actions') {
      if (Array.isArray(given) && given.every((item) => typeof item === 'string')) {
        content.actions = given;
      } else problems.actions = 'actions must be a list of texts.';
    } else if (typeof given === 'string') content[field] = given;
    else if (field === 'reference' && isRecord(given)) {
      // The structured form (as in the catalogue) is stored as its citation text.
      const citation = readStructuredReference(given, problems);
      if (citation !== undefined) content.reference = citation;
      else problems.reference ??= 'reference has problems in its fields.';
    } else problems[field] = `${field} must be text.`;
  }
  if (options.extra.includes('slug') && value.slug !== undefined) {
    if (typeof value.slug !== 'string' || !isSlug(value.slug)) {
      problems.slug =
        'slug must be lower-case words joined by single hyphens, e.g. "recency-bias".';
    } else if (value.slug.length > TOPIC_LIMITS.slug) {
      problems.slug = `slug must be at most ${TOPIC_LIMITS.slug} characters.`;
    } else input.slug = value.slug;
  }
  if (options.extra.includes('status') && value.status !== undefined) {
    if ((TOPIC_STATUSES as readonly unknown[]).includes(value.status)) {
      input.status = value.status as TopicStatus;
    } else problems.status = `status must be one of ${TOPIC_STATUSES.join(', ')}.`;
  }
  // Fields already refused for their type are not reported twice as missing.
  const contentProblems = topicFieldProblems(content, { required: options.required });
  for (const [field, problem] of Object.entries(contentProblems)) problems[field] ??= problem;
  return { input, problems };
}

/** One sentence from problems by field, for an error's message. */
export function describeProblems(problems: FieldProblems): string {
  return Object.values(problems).join(' ');
}
