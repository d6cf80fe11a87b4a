/** "Read more" is a link whenever the stored citation ends with a URL, a DOI or an ISBN. */
import { describe, expect, it } from 'vitest';
import { readMoreText, referenceLink } from '../../src/bot/blocks/reference-link.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';

describe('the link in a reference', () => {
  it('is the https address a citation ends with, without a closing full stop', () => {
    expect(referenceLink('Kerr, S. (1975). On the folly. https://doi.org/10.5465/255378.')).toEqual(
      {
        citation: 'Kerr, S. (1975). On the folly.',
        url: 'https://doi.org/10.5465/255378',
      },
    );
  });

  it('is a doi.org link for a bare DOI, with or without "doi:"', () => {
    expect(referenceLink('Edmondson (1999). Safety. doi:10.2307/2666999').url).toBe(
      'https://doi.org/10.2307/2666999',
    );
    expect(referenceLink('Edmondson (1999). Safety. 10.2307/2666999').url).toBe(
      'https://doi.org/10.2307/2666999',
    );
  });

  it('is the Open Library page for an ISBN, hyphens dropped', () => {
    expect(referenceLink('Stone & Heen (2014). Thanks. Viking. ISBN 978-0-00-000000-2')).toEqual({
      citation: 'Stone & Heen (2014). Thanks. Viking.',
      url: 'https://openlibrary.org/isbn/9780000000002',
    });
  });

  it('is absent from a citation with none, or with a plain http address', () => {
    expect(referenceLink('Thorndike (1920), A constant error.').url).toBeNull();
    expect(referenceLink('Old page. http://example.org/x').url).toBeNull();
  });
});

describe('"Read more" in the note', () => {
  it('links the citation text to the source, escaping what Slack would read as markup', () => {
    expect(readMoreText('Smith & Jones <2020>. Title. https://doi.org/10.1/x', voiceFor())).toBe(
      'Read more: <https://doi.org/10.1/x|Smith &amp; Jones &lt;2020&gt;. Title.>',
    );
  });

  it('shows a citation without a link as text', () => {
    expect(readMoreText('Thorndike (1920), A constant error & more.', voiceFor())).toBe(
      'Read more: Thorndike (1920), A constant error &amp; more.',
    );
  });
});
