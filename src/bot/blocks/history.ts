/** The notes Blindspot sent a manager, listed in their history DM (`/blindspot history`). */
import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { SentDelivery } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
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
  options: { timeZone: string; voice: Voice },
): KnownBlock[] {
  const { voice } = options;
  const { t } = voice;
  if (notes.length === 0) {
    return [
      {
        type: 'section',
        block_id: RECENT_NOTES_BLOCK,
        text: {
          type: 'mrkdwn',
          text: `${t('items.history.lastNotes')}\n${t('items.history.none')}`,
        },
      },
    ];
  }
  const lines = notes.map((note) => {
    const day = DateTime.fromISO(note.sentAt, { zone: options.timeZone }).toISODate() ?? '';
    const title = escapeMrkdwn(note.topicTitle ?? t('items.history.aNote'));
    return t('items.history.note', { title, date: formatLocalDate(day, voice) });
  });
  const text = `${t('items.history.lastNotes')}\n${lines.join('\n')}`;
  return [
    {
      type: 'section',
      block_id: RECENT_NOTES_BLOCK,
      text: { type: 'mrkdwn', text: text.slice(0, SECTION_TEXT_LIMIT) },
    },
  ];
}
