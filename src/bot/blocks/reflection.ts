/**
 * The reflection modal that Done or Partly on a reminder opens: "What happened?" and "How useful
 * was this topic?". Pure builders: no I/O.
 */
import type { ModalView } from '@slack/types';
import type { MessageKey, Voice } from '../i18n/index.ts';

export const REFLECTION_CALLBACK_ID = 'reflection_modal';

/** The modal's title, fitting the answer it follows (Slack allows 24 characters). */
const REFLECTION_TITLES = {
  done: 'note.reflection.title.done',
  partly: 'note.reflection.title.partly',
} as const satisfies Record<string, MessageKey>;

export type ReflectedAnswer = keyof typeof REFLECTION_TITLES;

/** Said in the modal when the answer had been recorded already, by another click. */
export const reflectionAlreadyText = (voice: Voice) => voice.t('note.reflection.already');

/**
 * The reflection modal before it has its form: opened at once with the click's trigger id,
 * which lasts 3 seconds, then updated with the form (or with `text`, when there is none).
 */
export function reflectionNoticeModal(
  voice: Voice,
  text = voice.t('note.reflection.loading'),
): ModalView {
  return {
    type: 'modal',
    callback_id: REFLECTION_CALLBACK_ID,
    title: { type: 'plain_text', text: voice.t('note.reflection.noticeTitle') },
    close: { type: 'plain_text', text: voice.t('note.reflection.close') },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** "What happened?" and "How useful was the topic?", both optional, after Done or Partly. */
export function buildReflectionModal(
  itemId: string,
  responseId: string,
  answer: ReflectedAnswer,
  voice: Voice,
): ModalView {
  const scale = (n: string) =>
    n === '1'
      ? voice.t('note.reflection.notAtAll')
      : n === '5'
        ? voice.t('note.reflection.very')
        : n;
  return {
    type: 'modal',
    callback_id: REFLECTION_CALLBACK_ID,
    private_metadata: JSON.stringify({ itemId, responseId }),
    title: { type: 'plain_text', text: voice.t(REFLECTION_TITLES[answer]) },
    submit: { type: 'plain_text', text: voice.t('note.reflection.save') },
    close: { type: 'plain_text', text: voice.t('note.reflection.skip') },
    blocks: [
      {
        type: 'input',
        block_id: 'reflection',
        optional: true,
        label: { type: 'plain_text', text: voice.t('note.reflection.whatHappened') },
        element: { type: 'plain_text_input', action_id: 'text', max_length: 500 },
      },
      {
        type: 'input',
        block_id: 'usefulness',
        optional: true,
        label: { type: 'plain_text', text: voice.t('note.reflection.howUseful') },
        element: {
          type: 'radio_buttons',
          action_id: 'score',
          options: ['1', '2', '3', '4', '5'].map((n) => ({
            text: { type: 'plain_text' as const, text: scale(n) },
            value: n,
          })),
        },
      },
    ],
  };
}
