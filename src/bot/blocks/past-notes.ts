/**
 * `/blindspot topics`: the notes a manager has had, a page at a time, each with "Read" to show it
 * again as it came (./topic-message.ts). Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { SentDelivery } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { button } from './elements.ts';
import { formatLocalDate } from './format.ts';
import { escapeMrkdwn } from './reference-link.ts';

export const PAST_NOTE_ACTIONS = { open: 'past_note_open', page: 'past_notes_page' } as const;
/**
 * Notes on one page: one block each, with the heading and the page buttons far under Slack's 50
 * blocks in a message, and short enough to scan.
 */
export const PAST_NOTES_PER_PAGE = 10;

/** A button's text and accessibility label: 75 characters at most. */
const LABEL_LIMIT = 75;

function clippedTitle(title: string, room: number): string {
  const chars = [...title];
  return chars.length <= room ? title : `${chars.slice(0, room - 1).join('')}…`;
}

/** "Read “…”", naming the note, within Slack's limit in any language. */
function readLabel(title: string, voice: Voice): string {
  const room = LABEL_LIMIT - [...voice.t('note.pastNotes.readLabel', { title: '' })].length;
  return voice.t('note.pastNotes.readLabel', { title: clippedTitle(title, room) });
}

/**
 * One page of past notes, newest first: `notes` are that page's, `hasMore` says an older page
 * follows. The day each came is in the manager's zone, written in their language.
 */
export function pastNotesMessage(
  notes: readonly SentDelivery[],
  options: { page: number; hasMore: boolean; timeZone: string },
  voice: Voice,
): { text: string; blocks: KnownBlock[] } {
  if (notes.length === 0 && options.page === 0) {
    const text = voice.t('note.pastNotes.none');
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const first = options.page * PAST_NOTES_PER_PAGE + 1;
  const heading =
    notes.length > 0
      ? voice.t('note.pastNotes.headingRange', { first, last: first + notes.length - 1 })
      : voice.t('note.pastNotes.heading');
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: heading } }];
  for (const note of notes) {
    const day = DateTime.fromISO(note.sentAt, { zone: options.timeZone }).toISODate() ?? '';
    const title = note.topicTitle ?? voice.t('note.pastNotes.untitled');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(title)}*\n${formatLocalDate(day, voice)}`,
      },
      accessory: {
        ...button(voice.t('note.pastNotes.read'), PAST_NOTE_ACTIONS.open, note.id),
        accessibility_label: readLabel(title, voice),
      },
    });
  }
  const pages = [
    ...(options.page > 0
      ? [button(voice.t('note.pastNotes.newer'), PAST_NOTE_ACTIONS.page, String(options.page - 1))]
      : []),
    ...(options.hasMore
      ? [button(voice.t('note.pastNotes.older'), PAST_NOTE_ACTIONS.page, String(options.page + 1))]
      : []),
  ];
  if (pages.length > 0) blocks.push({ type: 'actions', elements: pages });
  return { text: voice.t('note.pastNotes.text'), blocks };
}
