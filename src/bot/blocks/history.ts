/** The notes Blindspot sent a manager, listed in their history DM (`/blindspot history`). */
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { SentDelivery } from '../api-client/index.ts';
import { formatLocalDate } from './format.ts';
import { escapeMrkdwn } from './reference-link.ts';

/** The section's block id: a click in the history DM keeps it as it was (./open-items.ts). */
export const RECENT_NOTES_BLOCK = 'recent_notes';
/** Slack's limit on one section's text; ten short lines stay far below it. */
const SECTION_TEXT_LIMIT = 3_000;

/**
 * "Your last notes": each note's title and the day it came, newest first, in the manager's zone
 * and locale.
 */
export function recentNotesBlocks(
  notes: readonly SentDelivery[],
  options: { timeZone: string; locale?: string },
): KnownBlock[] {
  if (notes.length === 0) {
    return [
      {
        type: 'section',
        block_id: RECENT_NOTES_BLOCK,
        text: {
          type: 'mrkdwn',
          text: '*Your last notes*\nNone yet: your first comes on your schedule.',
        },
      },
    ];
  }
  const lines = notes.map((note) => {
    const day = DateTime.fromISO(note.sentAt, { zone: options.timeZone }).toISODate() ?? '';
    const title = escapeMrkdwn(note.topicTitle ?? 'A note');
    return `• *${title}*, ${formatLocalDate(day, options.locale)}`;
  });
  const text = `*Your last notes*\n${lines.join('\n')}`;
  return [
    {
      type: 'section',
      block_id: RECENT_NOTES_BLOCK,
      text: { type: 'mrkdwn', text: text.slice(0, SECTION_TEXT_LIMIT) },
    },
  ];
}
