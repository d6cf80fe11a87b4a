/**
 * A manager's data rights in Slack (issue 16): the Home tab's export and erase buttons, the
 * erase confirmation modal, and what the bot says afterwards. Pure builders, no I/O.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Voice } from '../i18n/index.ts';
import { formatInstant } from './format.ts';

export const DATA_RIGHTS_ACTIONS = {
  export: 'home_export_data',
  erase: 'home_erase_data',
} as const;

export const ERASE_CALLBACK_ID = 'erase_my_data';

/** The Home tab's last section: take your data out, or have it erased. */
export function dataRightsBlocks(voice: Voice): KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: voice.t('home.data.section') } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: voice.t('home.data.download') },
          action_id: DATA_RIGHTS_ACTIONS.export,
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: voice.t('home.data.delete') },
          action_id: DATA_RIGHTS_ACTIONS.erase,
          style: 'danger',
        },
      ],
    },
  ];
}

/** The confirmation before erasure: nothing is deleted until the manager presses Delete. */
export function buildEraseModal(voice: Voice): ModalView {
  return {
    type: 'modal',
    callback_id: ERASE_CALLBACK_ID,
    title: { type: 'plain_text', text: voice.t('home.data.eraseTitle') },
    submit: { type: 'plain_text', text: voice.t('home.data.eraseSubmit') },
    close: { type: 'plain_text', text: voice.t('home.data.eraseKeep') },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: voice.t('home.data.eraseText') } }],
  };
}

/** What the modal shows in its place when erasing failed: nothing was deleted. */
export function buildEraseFailedModal(reason: string, voice: Voice): ModalView {
  return {
    type: 'modal',
    callback_id: `${ERASE_CALLBACK_ID}_failed`,
    title: { type: 'plain_text', text: voice.t('home.data.failedTitle') },
    close: { type: 'plain_text', text: voice.t('home.data.close') },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: reason } }],
  };
}

/** The DM with the download link; the link is the only key to the file, so it says so. */
export function exportLinkMessage(
  link: { url: string; expiresAt: string },
  timeZone: string,
  voice: Voice,
) {
  const until = formatInstant(link.expiresAt, timeZone, voice);
  const text = voice.t('home.data.exportReady', { url: link.url, until });
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] as KnownBlock[] };
}

export const erasedText = (voice: Voice) => voice.t('home.data.erased');
