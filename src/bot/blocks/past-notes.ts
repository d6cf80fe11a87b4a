/**
 * `/blindspot topics`: the notes a manager has had, a page at a time, each with "Read" to show it
 * again as it came (./topic-message.ts). Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { SentDelivery } from '../api-client/index.ts';
import { button } from './elements.ts';
import { formatLocalDate } from './format.ts';
import { escapeMrkdwn } from './reference-link.ts';

export const PAST_NOTE_ACTIONS = { open: 'past_note_open', page: 'past_notes_page' } as const;
/**
 * Notes on one page: one block each, with the heading and the page buttons far under Slack's 50
 * blocks in a message, and short enough to scan.
 */
export const PAST_NOTES_PER_PAGE = 10;
export const PAST_NOTES_TEXT = 'Your past notes';

/** A button's text and accessibility label: 75 characters at most. */
const LABEL_LIMIT = 75;

function clippedTitle(title: string, room: number): string {
  const chars = [...title];
  return chars.length <= room ? title : `${chars.slice(0, room - 1).join('')}…`;
}

/**
 * One page of past notes, newest first: `notes` are that page's, `hasMore` says an older page
 * follows. The day each came is in the manager's zone and locale.
 */
export function pastNotesMessage(
  notes: readonly SentDelivery[],
  options: { page: number; hasMore: boolean; timeZone: string; locale?: string },
): { text: string; blocks: KnownBlock[] } {
  if (notes.length === 0 && options.page === 0) {
    const text = 'No notes yet: your first comes on your schedule.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const first = options.page * PAST_NOTES_PER_PAGE + 1;
  const range = notes.length > 0 ? ` ${first}–${first + notes.length - 1}` : '';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Your past notes*${range}, newest first. Press *Read* to see one again.`,
      },
    },
  ];
  for (const note of notes) {
    const day = DateTime.fromISO(note.sentAt, { zone: options.timeZone }).toISODate() ?? '';
    const title = note.topicTitle ?? 'A note';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(title)}*\n${formatLocalDate(day, options.locale)}`,
      },
      accessory: {
        ...button('Read', PAST_NOTE_ACTIONS.open, note.id),
        accessibility_label: `Read “${clippedTitle(title, LABEL_LIMIT - 7)}”`,
      },
    });
  }
  const pages = [
    ...(options.page > 0
      ? [button('Newer', PAST_NOTE_ACTIONS.page, String(options.page - 1))]
      : []),
    ...(options.hasMore ? [button('Older', PAST_NOTE_ACTIONS.page, String(options.page + 1))] : []),
  ];
  if (pages.length > 0) blocks.push({ type: 'actions', elements: pages });
  return { text: PAST_NOTES_TEXT, blocks };
}
