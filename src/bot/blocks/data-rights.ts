/**
 * A manager's data rights in Slack (issue 16): the Home tab's export and erase buttons, the
 * erase confirmation modal, and what the bot says afterwards. Pure builders, no I/O.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { formatInstant } from './format.ts';

export const DATA_RIGHTS_ACTIONS = {
  export: 'home_export_data',
  erase: 'home_erase_data',
} as const;

export const ERASE_CALLBACK_ID = 'erase_my_data';

/** The Home tab's last section: take your data out, or have it erased. */
export function dataRightsBlocks(): KnownBlock[] {
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Your data:* download everything Blindspot holds about you, or delete it for good.',
      },
    },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Download my data' },
          action_id: DATA_RIGHTS_ACTIONS.export,
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Delete my data' },
          action_id: DATA_RIGHTS_ACTIONS.erase,
          style: 'danger',
        },
      ],
    },
  ];
}

/** The confirmation before erasure: nothing is deleted until the manager presses Delete. */
export function buildEraseModal(): ModalView {
  return {
    type: 'modal',
    callback_id: ERASE_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Delete your data?' },
    submit: { type: 'plain_text', text: 'Delete everything' },
    close: { type: 'plain_text', text: 'Keep it' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            'Blindspot will delete your schedule, the notes it sent you, your actions, answers and reflections, and your feedback on topics. *This cannot be undone*, and no admin can bring it back.',
            '',
            'Want a copy first? Close this and use `/blindspot export`.',
          ].join('\n'),
        },
      },
    ],
  };
}

/** What the modal shows in its place when erasing failed: nothing was deleted. */
export function buildEraseFailedModal(reason: string): ModalView {
  return {
    type: 'modal',
    callback_id: `${ERASE_CALLBACK_ID}_failed`,
    title: { type: 'plain_text', text: 'Nothing was deleted' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: reason } }],
  };
}

/** The DM with the download link; the link is the only key to the file, so it says so. */
export function exportLinkMessage(
  link: { url: string; expiresAt: string },
  timeZone: string,
  locale?: string,
) {
  const until = formatInstant(link.expiresAt, timeZone, locale);
  const text = `Your Blindspot data is ready: <${link.url}|download it as JSON>. The link works once, until ${until}. Anyone with it can open your file, so don't forward it.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] as KnownBlock[] };
}

export const ERASED_TEXT =
  'Done: Blindspot has deleted everything it held about you. You will get no more notes. If you ever want them again, type `/blindspot` to sign up afresh.';
