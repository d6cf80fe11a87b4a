import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Catalogue,
  CatalogueError,
  DEFAULT_WEEKDAY_THEMES,
  loadCatalogue,
  TOPIC_CATEGORIES,
} from '../../../src/core/topics/catalogue.ts';
import { slugify, topicContentProblems } from '../../../src/core/topics/rules.ts';

let dir: string;
let real: Catalogue;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'blindspot-catalogue-'));
  real = await loadCatalogue();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a copy of the real catalogue, changed by `edit`, and returns its path. */
async function brokenCopy(name: string, edit: (data: Record<string, unknown>) => void) {
  const data = structuredClone(real) as unknown as Record<string, unknown>;
  // The file holds the English only; the translations come from their own folder.
  delete data.translations;
  edit(data);
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(data));
  return file;
}

function topicsOf(data: Record<string, unknown>): Record<string, unknown>[] {
  return data.topics as Record<string, unknown>[];
}

async function problemsOf(file: string): Promise<readonly string[]> {
  const error = await loadCatalogue(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CatalogueError);
  return (error as CatalogueError).problems;
}

describe('the catalogue in data/topics', () => {
  it('loads, with topics in every category and unique slugs', () => {
    expect(real.version).toBeGreaterThanOrEqual(2);
    expect(new Set(real.topics.map((t) => t.category))).toEqual(new Set(TOPIC_CATEGORIES));
    const slugs = real.topics.map((t) => t.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it('gives every topic a summary of at most 280 characters and exactly three actions', () => {
    for (const topic of real.topics) {
      expect(topic.summary.length, topic.slug).toBeLessThanOrEqual(280);
      expect(topic.actions, topic.slug).toHaveLength(3);
    }
  });

  it('has topics for every default weekday theme, Monday to Friday in category order, and no day defaults to the two newer families', () => {
    const categories = new Set(real.topics.map((t) => t.category));
    for (const category of Object.values(DEFAULT_WEEKDAY_THEMES)) {
      expect(categories.has(category)).toBe(true);
    }
    expect([1, 2, 3, 4, 5].map((day) => DEFAULT_WEEKDAY_THEMES[day as 1])).toEqual(
      TOPIC_CATEGORIES.slice(0, 5),
    );
    expect(Object.values(DEFAULT_WEEKDAY_THEMES)).not.toContain('decisions-under-uncertainty');
    expect(Object.values(DEFAULT_WEEKDAY_THEMES)).not.toContain('energy-and-attention');
    expect(DEFAULT_WEEKDAY_THEMES[6]).toBe('recognition-and-feedback');
    expect(DEFAULT_WEEKDAY_THEMES[7]).toBe('clarity-and-direction');
  });
});

describe('a broken catalogue', () => {
  it('names the topic and the field of a summary over 280 characters', async () => {
    const file = await brokenCopy('long-summary', (data) => {
      const topics = topicsOf(data);
      (topics[3] as Record<string, unknown>).summary = 'x'.repeat(281);
    });
    const slug = real.topics[3]?.slug;
    expect(await problemsOf(file)).toEqual([
      `topic "${slug}" (topics[3]), field summary: must not have more than 280 characters`,
    ]);
    await expect(loadCatalogue(file)).rejects.toThrow(file);
  });

  it('lists every problem at once: two actions, a missing field, a misspelt one, a bad category', async () => {
    const file = await brokenCopy('several', (data) => {
      const [a, b, c, d] = topicsOf(data) as Record<string, unknown>[];
      if (!a || !b || !c || !d) throw new Error('the catalogue is too short');
      a.actions = ['one', 'two'];
      delete b.title;
      c.whyItMaters = c.whyItMatters;
      delete c.whyItMatters;
      d.category = 'judging-people-fair';
    });
    const [a, b, c, d] = real.topics;
    const problems = await problemsOf(file);
    expect(problems).toContain(
      `topic "${a?.slug}" (topics[0]), field actions: must not have fewer than 3 items`,
    );
    expect(problems).toContain(`topic "${b?.slug}" (topics[1]), field title: is missing`);
    expect(problems).toContain(
      `topic "${c?.slug}" (topics[2]), field whyItMaters: is not a catalogue field`,
    );
    expect(problems).toContain(`topic "${c?.slug}" (topics[2]), field whyItMatters: is missing`);
    expect(problems).toContainEqual(
      expect.stringMatching(
        new RegExp(`^topic "${d?.slug}" \\(topics\\[3\\]\\), field category: must be one of `),
      ),
    );
  });

  it('names a nested field, and a topic without a slug by its position', async () => {
    const file = await brokenCopy('nested', (data) => {
      const topics = topicsOf(data);
      const first = topics[0] as { reference: Record<string, unknown> };
      first.reference.kind = 'podcast';
      delete (topics[1] as Record<string, unknown>).slug;
    });
    const problems = await problemsOf(file);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^topic "[a-z-]+" \(topics\[0\]\), field reference\.kind: must be one of paper, book, article$/,
      ),
    );
    expect(problems).toContain('topic without a slug (topics[1]), field slug: is missing');
  });

  it('refuses a slug used twice', async () => {
    const file = await brokenCopy('duplicate', (data) => {
      const topics = topicsOf(data);
      (topics[5] as Record<string, unknown>).slug = real.topics[2]?.slug;
    });
    expect(await problemsOf(file)).toEqual([
      `topic "${real.topics[2]?.slug}" (topics[5]), field slug: already used by topics[2]`,
    ]);
  });

  it('says so when the file is not JSON', async () => {
    const file = path.join(dir, 'not-json.json');
    await writeFile(file, '{"version": 1, "topics": [');
    const problems = await problemsOf(file);
    expect(problems[0]).toMatch(/^not valid JSON: /);
  });
});

describe('topic rules', () => {
  it('makes a slug from a title', () => {
    expect(slugify('Recency bias in reviews')).toBe('recency-bias-in-reviews');
    expect(slugify('  Über-confident “1:1s” — again!  ')).toBe('uber-confident-1-1s-again');
    expect(slugify('🙂 !!')).toBe('');
    const long = slugify('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^word(-word)*$/);
  });

  it('checks only the fields given, each with its own sentence', () => {
    expect(topicContentProblems({ summary: 'Fine.' })).toEqual([]);
    expect(
      topicContentProblems({ summary: 'x'.repeat(281), actions: ['a', 'b'], category: 'Bad One' }),
    ).toEqual([
      'category "Bad One" must be lower-case words joined by hyphens, e.g. "team-climate-and-growth".',
      'summary must be at most 280 characters (it has 281).',
      'actions must hold exactly 3 items (it has 2).',
    ]);
    expect(topicContentProblems({ title: '   ' })).toEqual(['title must not be empty.']);
  });
});
