/**
 * "Read more" as a link. A topic's reference is citation text that ends with its source's
 * link (src/core/topics/references.ts writes it so; an admin may write one by hand): an
 * https address (a DOI as https://doi.org/…), a bare DOI, or an ISBN, which Open Library
 * resolves to the book's page.
 */
import type { Voice } from '../i18n/index.ts';

const URL_AT_END = /\s*(https:\/\/\S+?)[.,;]?$/;
const DOI_AT_END = /\s*(?:doi:\s*)?(10\.\d{4,9}\/\S+?)[.,;]?$/i;
const ISBN_AT_END = /\s*ISBN(?:-1[03])?:?\s*((?:97[89]-?)?(?:\d-?){9}[\dXx])[.,;]?$/;

export interface ReferenceLink {
  /** The citation without its link. */
  citation: string;
  url: string | null;
}

export function referenceLink(reference: string): ReferenceLink {
  const text = reference.trim();
  const url = URL_AT_END.exec(text);
  if (url?.[1]) return { citation: text.slice(0, url.index).trim(), url: url[1] };
  const doi = DOI_AT_END.exec(text);
  if (doi?.[1]) {
    return { citation: text.slice(0, doi.index).trim(), url: `https://doi.org/${doi[1]}` };
  }
  const isbn = ISBN_AT_END.exec(text);
  if (isbn?.[1]) {
    const digits = isbn[1].replace(/-/g, '').toUpperCase();
    return {
      citation: text.slice(0, isbn.index).trim(),
      url: `https://openlibrary.org/isbn/${digits}`,
    };
  }
  return { citation: text, url: null };
}

/** Slack mrkdwn treats &, < and > as control characters; a citation's must show as text. */
export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** "Read more: <https://doi.org/…|Edmondson, A. C. (1999). …>", or the citation as text. */
export function readMoreText(reference: string, voice: Voice): string {
  const { citation, url } = referenceLink(reference);
  const linked =
    url === null || citation === ''
      ? escapeMrkdwn(reference)
      : `<${url}|${escapeMrkdwn(citation)}>`;
  return voice.t('note.topic.readMore', { reference: linked });
}
