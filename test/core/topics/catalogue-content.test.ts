/**
 * The shipped catalogue as content: enough topics for two a week for a year, every family
 * deep enough to rotate, no two topics saying the same thing, and sources that are findable
 * and drawn from the breadth of the field rather than one book.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Catalogue,
  type CatalogueTopic,
  loadCatalogue,
  TOPIC_CATEGORIES,
} from '../../../src/core/topics/catalogue.ts';
import { formatReference } from '../../../src/core/topics/references.ts';
import { topicContentProblems } from '../../../src/core/topics/rules.ts';
import { contentOfCatalogueTopic } from '../../../src/core/topics/seeding.ts';

/** Two notes a week for a year. */
const MIN_TOPICS = 104;
const MIN_PER_FAMILY = 12;
const MAX_TOPICS_PER_SOURCE = 8;
/**
 * Two summaries are near-duplicates at or above this Jaccard similarity of their word
 * 3-shingles. Summaries run 23 to 42 words; two that share one whole sentence of about 15
 * words score about 0.2, a summary with three words changed about 0.5, while the most
 * similar pair of distinct topics in the catalogue scores under 0.05. 0.2 therefore flags a
 * copied sentence and leaves room for the common phrases ("your team", "in front of").
 */
const NEAR_DUPLICATE = 0.2;

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogue();
});

function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const result = new Set<string>();
  for (let i = 0; i + 3 <= words.length; i += 1) result.add(words.slice(i, i + 3).join(' '));
  return result;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** The pairs of topics whose summaries are near-duplicates. */
function nearDuplicates(topics: readonly Pick<CatalogueTopic, 'slug' | 'summary'>[]): string[] {
  const sets = topics.map((topic) => ({ slug: topic.slug, set: shingles(topic.summary) }));
  const pairs: string[] = [];
  sets.forEach((a, i) => {
    for (const b of sets.slice(i + 1)) {
      const score = jaccard(a.set, b.set);
      if (score >= NEAR_DUPLICATE) pairs.push(`${a.slug} ~ ${b.slug} (${score.toFixed(2)})`);
    }
  });
  return pairs;
}

/** One work, however its topics spell it: first author's surname, year and title. */
function sourceKey(topic: CatalogueTopic): string {
  const { authors, year, title } = topic.reference;
  const surname = (authors[0] ?? '').split(',')[0]?.trim().toLowerCase();
  return `${surname} ${year} ${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()}`;
}

describe('the shipped catalogue', () => {
  it(`has at least ${MIN_TOPICS} topics, and at least ${MIN_PER_FAMILY} in every family`, () => {
    expect(catalogue.topics.length).toBeGreaterThanOrEqual(MIN_TOPICS);
    const perFamily = new Map<string, number>(TOPIC_CATEGORIES.map((family) => [family, 0]));
    for (const topic of catalogue.topics) {
      perFamily.set(topic.category, (perFamily.get(topic.category) ?? 0) + 1);
    }
    for (const [family, count] of perFamily) {
      expect(count, family).toBeGreaterThanOrEqual(MIN_PER_FAMILY);
    }
    expect([...perFamily.keys()]).toEqual([...TOPIC_CATEGORIES]);
  });

  it('keeps every topic within the limits a workspace topic must meet, note length included', () => {
    const problems = catalogue.topics.flatMap((topic) =>
      topicContentProblems(contentOfCatalogueTopic(topic)).map((p) => `${topic.slug}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('gives every topic its own slug and its own title', () => {
    const slugs = catalogue.topics.map((topic) => topic.slug);
    const titles = catalogue.topics.map((topic) => topic.title.trim().toLowerCase());
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(titles.filter((title, i) => titles.indexOf(title) !== i)).toEqual([]);
  });

  it('has no two summaries that are near-duplicates', () => {
    expect(nearDuplicates(catalogue.topics)).toEqual([]);
  });

  it('cites for every topic a work with authors, a year, a title and a link', () => {
    for (const topic of catalogue.topics) {
      const { authors, year, title, doi, isbn, url } = topic.reference;
      expect(authors.length, topic.slug).toBeGreaterThan(0);
      expect(year, topic.slug).toBeGreaterThanOrEqual(1900);
      expect(year, topic.slug).toBeLessThanOrEqual(new Date().getUTCFullYear());
      expect(title.trim(), topic.slug).not.toBe('');
      expect([doi, isbn, url].filter(Boolean), topic.slug).toHaveLength(1);
      expect(formatReference(topic.reference), topic.slug).toMatch(
        /(https:\/\/\S+|ISBN [0-9X-]+)$/,
      );
    }
  });

  it(`cites no single work in more than ${MAX_TOPICS_PER_SOURCE} topics`, () => {
    const topicsBySource = new Map<string, string[]>();
    for (const topic of catalogue.topics) {
      const key = sourceKey(topic);
      topicsBySource.set(key, [...(topicsBySource.get(key) ?? []), topic.slug]);
    }
    const overused = [...topicsBySource].filter(
      ([, slugs]) => slugs.length > MAX_TOPICS_PER_SOURCE,
    );
    expect(overused).toEqual([]);
  });
});

describe('the near-duplicate check', () => {
  it('flags a summary reworded in a few words, and one that copies a sentence', () => {
    const [a, b] = [
      'When you sit down to rate someone, the last six weeks tend to shout loudest. A strong finish can hide a rocky spring, and one bad month can wipe out ten good ones.',
      'When you sit down to rate a person, the last six weeks often shout loudest. A strong finish can hide a rocky spring, and one bad month can erase ten good ones.',
    ];
    const copied =
      'Reviews reward a late sprint. A strong finish can hide a rocky spring, and one bad month can wipe out ten good ones, so keep notes all year instead.';
    expect(jaccard(shingles(a), shingles(b))).toBeGreaterThan(0.4);
    expect(
      nearDuplicates([
        { slug: 'a', summary: a },
        { slug: 'copied', summary: copied },
      ]),
    ).toHaveLength(1);
  });

  it('does not flag two different topics that share common phrases', () => {
    const [first, second] = catalogue.topics;
    if (!first || !second) throw new Error('the catalogue is empty');
    expect(nearDuplicates([first, second])).toEqual([]);
  });
});
