/**
 * What the bot answers to a manager's own words: a thread reply to a note (an action, or just a
 * thought?), a thread reply to a reminder (recorded, or which item?), and a command sent as a
 * DM. Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import type { SentReminder } from '../api-client/index.ts';
import type { MessageKey, Voice } from '../i18n/index.ts';
import type { ReminderReply } from '../reply-rules.ts';
import { button, textWithButtons } from './elements.ts';
import { type AnswerChange, answeredBlock, answerNote, buildReminderMessage } from './reminders.ts';

export const REPLY_ACTIONS = {
  saveThread: 'thread_save_action',
  justAThought: 'thread_just_a_thought',
  unsubscribe: 'dm_unsubscribe',
  keepSubscription: 'dm_keep_subscription',
  whichItem: 'reminder_reply_item',
} as const;

/** Slack's limit on a button's text and on its accessibility label. */
const BUTTON_TEXT_LIMIT = 75;

function clipped(text: string, limit = BUTTON_TEXT_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function quoted(text: string): string {
  return `“${text.replace(/[*_~`]/g, (c) => `\u200b${c}`)}”`;
}

/** Asked under a thread reply that is not plainly a plan: the note asks a question, after all. */
export function threadChoice(topicTitle: string | null | undefined, value: string, voice: Voice) {
  const title = topicTitle ?? voice.t('note.thread.thisNote');
  return textWithButtons(voice.t('note.thread.question', { title }), [
    button(voice.t('note.thread.save'), REPLY_ACTIONS.saveThread, value, 'primary'),
    button(voice.t('note.thread.justAThought'), REPLY_ACTIONS.justAThought, 'thought'),
  ]);
}

export const justAThoughtText = (voice: Voice) => voice.t('note.thread.keptAsThought');

/** "stop" or "unsubscribe" as a DM: asked first, as the Home tab's Unsubscribe button asks. */
export function unsubscribeQuestion(voice: Voice) {
  return textWithButtons(voice.t('note.unsubscribe.question'), [
    button(voice.t('note.unsubscribe.confirm'), REPLY_ACTIONS.unsubscribe, 'unsubscribe', 'danger'),
    button(voice.t('note.unsubscribe.keep'), REPLY_ACTIONS.keepSubscription, 'keep'),
  ]);
}

export const unsubscribedText = (voice: Voice) => voice.t('note.unsubscribe.done');
export const keptSubscriptionText = (voice: Voice) => voice.t('note.unsubscribe.kept');

/** What a pick among a reminder's items carries. */
export interface WhichItemValue {
  reminderId: string;
  itemId: string;
  answer: ReminderReply;
}

export function parseWhichItemValue(value: string | undefined): WhichItemValue | undefined {
  try {
    const { reminderId, itemId, answer } = JSON.parse(value ?? '') as Record<string, unknown>;
    return typeof reminderId === 'string' &&
      typeof itemId === 'string' &&
      (answer === 'done' || answer === 'not_yet' || answer === 'dropped')
      ? { reminderId, itemId, answer }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A reply's answer in the words the manager would use: "done", "not yet", "dropped". */
const ANSWER_WORDS: Record<ReminderReply, MessageKey> = {
  done: 'note.reminderReply.answers.done',
  not_yet: 'note.reminderReply.answers.not_yet',
  dropped: 'note.reminderReply.answers.dropped',
};

/**
 * The answer recorded from a reply, in the words the reminder's buttons show; with `change`, the
 * answer shows as on the reminder, with "Change answer" beside it.
 */
export function replyRecorded(
  itemText: string,
  answer: string,
  voice: Voice,
  change?: AnswerChange & { itemId: string },
): { text: string; blocks?: KnownBlock[] } {
  const note = answerNote(answer, undefined, voice);
  const text = voice.t('note.reminderReply.recorded', { item: quoted(itemText), note });
  if (!change) return { text };
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: voice.t('note.reminderReply.youPlanned', { item: quoted(itemText) }),
        },
      },
      answeredBlock(change.itemId, note, change, itemText, voice),
    ],
  };
}

/** "Mark “…” done" for a screen reader, the item's text cut so that the label fits. */
function markLabel(itemText: string, answer: string, voice: Voice): string {
  const frame = [...voice.t('note.reminderReply.markLabel', { text: '', answer })].length;
  return clipped(
    voice.t('note.reminderReply.markLabel', {
      text: clipped(itemText, Math.max(BUTTON_TEXT_LIMIT - frame, 10)),
      answer,
    }),
  );
}

/** A reply to a reminder about several items: which one, rather than a guess. */
export function whichItemQuestion(
  reminder: SentReminder,
  answer: ReminderReply,
  items: SentReminder['items'],
  voice: Voice,
) {
  const words = voice.t(ANSWER_WORDS[answer]);
  return textWithButtons(
    voice.t('note.reminderReply.which', { answer: words }),
    items.map((item) => ({
      ...button(
        clipped(item.text),
        REPLY_ACTIONS.whichItem,
        JSON.stringify({ reminderId: reminder.id, itemId: item.id, answer }),
      ),
      accessibility_label: markLabel(item.text, words, voice),
    })),
  );
}

/** A reply the rules don't understand: the reminder's own buttons again, for what is unanswered. */
export function reminderButtonsAgain(
  reminder: SentReminder,
  items: SentReminder['items'],
  voice: Voice,
) {
  const { blocks } = buildReminderMessage({
    id: reminder.id,
    locale: reminder.locale,
    language: reminder.language,
    items: items.map(({ answer: _answer, ...item }) => ({ ...item, final: false })),
  });
  return {
    text: voice.t('note.reminderReply.notCaughtText'),
    blocks: [
      {
        type: 'section' as const,
        text: { type: 'mrkdwn' as const, text: voice.t('note.reminderReply.notCaught') },
      },
      ...blocks,
    ],
  };
}

export const reminderAllAnsweredText = (voice: Voice) => voice.t('note.reminderReply.allAnswered');
