/**
 * A structured reference becomes one citation text ending in its link, and a reference read
 * from untyped input (an import file) names each problem by its field.
 */
import { describe, expect, it } from 'vitest';
import {
  formatAuthors,
  formatReference,
  readStructuredReference,
} from '../../../src/core/topics/references.ts';
import type { FieldProblems } from '../../../src/core/topics/rules.ts';
import { readTopic } from '../../../src/core/topics/validation.ts';

const EDMONDSON = {
  kind: 'paper',
  authors: ['Edmondson, A. C.'],
  year: 1999,
  title: 'Psychological safety and learning behavior in work teams',
  venue: 'Administrative Science Quarterly',
  volume: '44(2)',
  pages: '350–383',
  doi: '10.2307/2666999',
} as const;

function read(value: unknown) {
  const problems: FieldProblems = {};
  return { citation: readStructuredReference(value, problems), problems };
}

describe('a reference as citation text', () => {
  it('lists one, two and three authors as APA does', () => {
    expect(formatAuthors(['Scott, K.'])).toBe('Scott, K.');
    expect(formatAuthors(['Stone, D.', 'Heen, S.'])).toBe('Stone, D., & Heen, S.');
    expect(formatAuthors(['Cross, R.', 'Rebele, R.', 'Grant, A.'])).toBe(
      'Cross, R., Rebele, R., & Grant, A.',
    );
  });

  it('ends a paper with its DOI as a doi.org link', () => {
    expect(formatReference({ ...EDMONDSON, authors: [...EDMONDSON.authors] })).toBe(
      'Edmondson, A. C. (1999). Psychological safety and learning behavior in work teams. ' +
        'Administrative Science Quarterly, 44(2), 350–383. https://doi.org/10.2307/2666999',
    );
  });

  it('ends a book with its ISBN, and an article with its URL, without doubling a full stop', () => {
    expect(
      formatReference({
        kind: 'book',
        authors: ['Stone, D.', 'Heen, S.'],
        year: 2014,
        title: 'A book on feedback',
        venue: 'Viking',
        isbn: '9780000000002',
      }),
    ).toBe('Stone, D., & Heen, S. (2014). A book on feedback. Viking. ISBN 9780000000002');
    expect(
      formatReference({
        kind: 'article',
        authors: ['Kerr, S.'],
        year: 1975,
        title: 'Why ask?',
        url: 'https://example.org/why',
      }),
    ).toBe('Kerr, S. (1975). Why ask? https://example.org/why');
  });
});

describe('a structured reference from an import', () => {
  it('is read into its citation text', () => {
    expect(read(EDMONDSON)).toEqual({
      citation: formatReference({ ...EDMONDSON, authors: [...EDMONDSON.authors] }),
      problems: {},
    });
  });

  it('names each problem by its field, and refuses none or two links', () => {
    expect(
      read({ kind: 'podcast', authors: 'Edmondson', year: 'ninety-nine', title: '', extra: 1 })
        .problems,
    ).toEqual({
      'reference.extra': expect.stringContaining('is not a reference field'),
      'reference.kind': 'reference.kind must be one of paper, book, article.',
      'reference.authors': expect.stringContaining('must be a list of names'),
      'reference.title': 'reference.title must be non-empty text.',
      'reference.year': 'reference.year must be a whole year, e.g. 1999.',
      reference: 'reference needs exactly one of doi, isbn or url, so it can be a link.',
    });
    expect(read({ ...EDMONDSON, url: 'https://example.org' }).problems).toEqual({
      reference: 'reference needs exactly one of doi, isbn or url, so it can be a link.',
    });
  });

  it('refuses a malformed DOI, ISBN or URL', () => {
    const { doi: _, ...rest } = EDMONDSON;
    expect(read({ ...rest, doi: 'doi.org/10.2307' }).problems).toHaveProperty('reference.doi');
    expect(read({ ...rest, isbn: '12345' }).problems).toHaveProperty('reference.isbn');
    expect(read({ ...rest, url: 'http://insecure.example' }).problems).toHaveProperty(
      'reference.url',
    );
  });

  it('is accepted by readTopic in place of citation text, and its problems named there', () => {
    const topic = {
      category: 'team-climate-and-growth',
      title: 'Psychological safety',
      summary: 'S.',
      whyItMatters: 'W.',
      example: 'E.',
      reflectionQuestion: 'Q?',
      actions: ['a', 'b', 'c'],
    };
    const good = readTopic({ ...topic, reference: EDMONDSON }, { required: true, extra: [] });
    expect(good.problems).toEqual({});
    expect(good.input.content.reference).toMatch(/https:\/\/doi\.org\/10\.2307\/2666999$/);
    const bad = readTopic(
      { ...topic, reference: { ...EDMONDSON, year: 99 } },
      { required: true, extra: [] },
    );
    expect(bad.problems).toEqual({
      'reference.year': 'reference.year must be a whole year, e.g. 1999.',
      reference: 'reference has problems in its fields.',
    });
  });
});
