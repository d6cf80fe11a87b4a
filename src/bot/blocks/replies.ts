/**
 * What the bot answers to a manager's own words: a thread reply to a note (an action, or just a
 * thought?), a thread reply to a reminder (recorded, or which item?), and a command sent as a
 * DM. Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import type { SentReminder } from '../api-client/index.ts';
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
export function threadChoice(topicTitle: string, value: string) {
  return textWithButtons(`Save this as an action for “${topicTitle}”?`, [
    button('Save as an action', REPLY_ACTIONS.saveThread, value, 'primary'),
    button('It was just a thought', REPLY_ACTIONS.justAThought, 'thought'),
  ]);
}

export const JUST_A_THOUGHT_TEXT = 'Kept as a thought. Nothing saved.';

/** "stop" or "unsubscribe" as a DM: asked first, as the Home tab's Unsubscribe button asks. */
export function unsubscribeQuestion() {
  return textWithButtons(
    'Unsubscribe from Blindspot? You will get no more notes. You can sign up again any time.',
    [
      button('Unsubscribe', REPLY_ACTIONS.unsubscribe, 'unsubscribe', 'danger'),
      button('Keep them coming', REPLY_ACTIONS.keepSubscription, 'keep'),
    ],
  );
}

export const UNSUBSCRIBED_TEXT =
  'Unsubscribed: no more notes. Type `/blindspot` whenever you want to sign up again.';
export const KEPT_SUBSCRIPTION_TEXT = 'Still subscribed. Your notes keep coming on your schedule.';

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

const ANSWER_WORDS: Record<ReminderReply, string> = {
  done: 'done',
  not_yet: 'not yet',
  dropped: 'dropped',
};

/**
 * The answer recorded from a reply, in the words the reminder's buttons show; with `change`, the
 * answer shows as on the reminder, with "Change answer" beside it.
 */
export function replyRecorded(
  itemText: string,
  answer: string,
  change?: AnswerChange & { itemId: string },
): { text: string; blocks?: KnownBlock[] } {
  const text = `${quoted(itemText)}: ${answerNote(answer)}`;
  if (!change) return { text };
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `You planned: ${quoted(itemText)}.` } },
      answeredBlock(change.itemId, answerNote(answer), change, itemText),
    ],
  };
}

/** A reply to a reminder about several items: which one, rather than a guess. */
export function whichItemQuestion(
  reminder: SentReminder,
  answer: ReminderReply,
  items: SentReminder['items'],
) {
  return textWithButtons(
    `Which action is “${ANSWER_WORDS[answer]}” about?`,
    items.map((item) => ({
      ...button(
        clipped(item.text),
        REPLY_ACTIONS.whichItem,
        JSON.stringify({ reminderId: reminder.id, itemId: item.id, answer }),
      ),
      accessibility_label: clipped(`Mark “${item.text}” ${ANSWER_WORDS[answer]}`),
    })),
  );
}

/** A reply the rules don't understand: the reminder's own buttons again, for what is unanswered. */
export function reminderButtonsAgain(reminder: SentReminder, items: SentReminder['items']) {
  const { blocks } = buildReminderMessage({
    id: reminder.id,
    locale: reminder.locale,
    language: reminder.language,
    items: items.map(({ answer: _answer, ...item }) => ({ ...item, final: false })),
  });
  return {
    text: "I didn't catch that. Did you do it? Answer with a button, or reply done, not yet or drop it.",
    blocks: [
      {
        type: 'section' as const,
        text: {
          type: 'mrkdwn' as const,
          text: "I didn't catch that. Answer with a button, or reply *done*, *not yet* or *drop it*.",
        },
      },
      ...blocks,
    ],
  };
}

export const REMINDER_ALL_ANSWERED_TEXT =
  'That reminder is answered already. Your Home tab lists your open actions.';
