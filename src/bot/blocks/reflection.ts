/**
 * The reflection form after Done or Partly on a reminder: "What happened?" and "How useful was
 * the topic?", both optional. Pure builders: no I/O.
 */
import type { ModalView } from '@slack/types';
import type { MessageKey, Voice } from '../i18n/index.ts';

export const REFLECTION_CALLBACK_ID = 'reflection_modal';

/** The reflection modal's title, fitting the answer it follows (Slack allows 24 characters). */
const REFLECTION_TITLES = {
  done: 'items.reflection.titleDone',
  partly: 'items.reflection.titlePartly',
} as const satisfies Record<string, MessageKey>;

/**
 * The reflection modal before it has its form: opened at once with the click's trigger id,
 * which lasts 3 seconds, then updated with the form (or with `text`, when there is none).
 */
export function reflectionNoticeModal(voice: Voice, text?: string): ModalView {
  const { t } = voice;
  return {
    type: 'modal',
    callback_id: REFLECTION_CALLBACK_ID,
    title: { type: 'plain_text', text: t('items.reflection.noticeTitle') },
    close: { type: 'plain_text', text: t('items.reflection.close') },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: text ?? t('items.reflection.loading') } },
    ],
  };
}

/** "What happened?" and "How useful was the topic?", both optional, after Done or Partly. */
export function buildReflectionModal(
  itemId: string,
  responseId: string,
  answer: keyof typeof REFLECTION_TITLES,
  { t }: Voice,
): ModalView {
  return {
    type: 'modal',
    callback_id: REFLECTION_CALLBACK_ID,
    private_metadata: JSON.stringify({ itemId, responseId }),
    title: { type: 'plain_text', text: t(REFLECTION_TITLES[answer]) },
    submit: { type: 'plain_text', text: t('items.reflection.save') },
    close: { type: 'plain_text', text: t('items.reflection.skip') },
    blocks: [
      {
        type: 'input',
        block_id: 'reflection',
        optional: true,
        label: { type: 'plain_text', text: t('items.reflection.whatHappened') },
        element: { type: 'plain_text_input', action_id: 'text', max_length: 500 },
      },
      {
        type: 'input',
        block_id: 'usefulness',
        optional: true,
        label: { type: 'plain_text', text: t('items.reflection.howUseful') },
        element: {
          type: 'radio_buttons',
          action_id: 'score',
          options: ['1', '2', '3', '4', '5'].map((n) => ({
            text: {
              type: 'plain_text' as const,
              text:
                n === '1'
                  ? t('items.reflection.notAtAll')
                  : n === '5'
                    ? t('items.reflection.very')
                    : n,
            },
            value: n,
          })),
        },
      },
    ],
  };
}
