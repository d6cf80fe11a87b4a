/**
 * Reminder messages, the reflection form, the weekly digest and the progress summary. Pure
 * builders: no I/O.
 */
import type { KnownBlock, MessageMetadata, ModalView } from '@slack/types';
import type { ClaimedReminder, Progress } from '../api-client/index.ts';
import { button, labelled } from './elements.ts';
import { counted, formatLocalDate } from './format.ts';

export const REMINDER_ACTIONS = {
  done: 'reminder_done',
  partly: 'reminder_partly',
  notYet: 'reminder_not_yet',
  snooze: 'reminder_snooze',
  snoozeDate: 'reminder_snooze_date',
  drop: 'reminder_drop',
} as const;
export const REFLECTION_CALLBACK_ID = 'reflection_modal';
/** The progress summary's heading, so a click in the history DM knows to keep it. */
export const PROGRESS_BLOCK = 'progress';
export const DIGEST_ACTIONS = { on: 'home_digest_on', off: 'home_digest_off' } as const;

/** Which reminder and item a button is about. */
export interface ReminderButtonValue {
  reminderId: string;
  itemId: string;
}

/**
 * Marks a reminder's or digest's message as that ledger row's, so a sender retrying after a
 * crash finds it in the DM instead of posting it again (see src/bot/outbox.ts).
 */
export function reminderMetadata(reminderId: string): MessageMetadata {
  return { event_type: 'blindspot_reminder', event_payload: { reminder_id: reminderId } };
}

const itemBlockId = (itemId: string) => `reminder_item_${itemId}`;

function mine(text: string): string {
  return `“${text.replace(/[*_~`]/g, (c) => `\u200b${c}`)}”`;
}

/** One message for every item due that day: each asks "Did you do it?" with its own buttons. */
export function buildReminderMessage(
  reminder: Pick<ClaimedReminder, 'id' | 'items'> & { locale?: string },
) {
  const asking = reminder.items.filter((item) => !item.final);
  const blocks: KnownBlock[] = [];
  for (const item of reminder.items) {
    const after = item.topicTitle
      ? ` — after *${item.topicTitle}* on ${formatLocalDate(item.plannedOn, reminder.locale)}`
      : '';
    if (item.final) {
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `You planned: ${mine(item.text)}${after}. I've asked three times, so I'll stop here. No judgement: plans change. If you get to it, mark it done from your Home tab.`,
        },
      });
      continue;
    }
    const value = JSON.stringify({
      reminderId: reminder.id,
      itemId: item.id,
    } satisfies ReminderButtonValue);
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `You planned: ${mine(item.text)}${after}. Did you do it?` },
      },
      {
        type: 'actions',
        block_id: itemBlockId(item.id),
        elements: [
          // Several items repeat these buttons: each names its item to a screen reader.
          labelled(button('Done', REMINDER_ACTIONS.done, value, 'primary'), 'Done:', item.text),
          labelled(button('Partly', REMINDER_ACTIONS.partly, value), 'Partly:', item.text),
          labelled(button('Not yet', REMINDER_ACTIONS.notYet, value), 'Not yet:', item.text),
          {
            type: 'static_select',
            action_id: REMINDER_ACTIONS.snooze,
            placeholder: { type: 'plain_text', text: 'Snooze' },
            options: [
              {
                text: { type: 'plain_text', text: 'Until tomorrow' },
                value: JSON.stringify({ ...JSON.parse(value), for: '1d' }),
              },
              {
                text: { type: 'plain_text', text: 'Until next week' },
                value: JSON.stringify({ ...JSON.parse(value), for: '1w' }),
              },
            ],
          },
          {
            type: 'datepicker',
            action_id: `${REMINDER_ACTIONS.snoozeDate}:${reminder.id}:${item.id}`,
            placeholder: { type: 'plain_text', text: 'Snooze until…' },
          },
          labelled(
            button('Drop it', REMINDER_ACTIONS.drop, value, 'danger'),
            'Drop it:',
            item.text,
          ),
        ],
      },
    );
  }
  const text =
    asking.length === 1
      ? `You planned: ${asking[0]?.text}. Did you do it?`
      : asking.length > 1
        ? `${asking.length} actions to check in on. Did you do them?`
        : "A last word on an action I'll stop asking about.";
  return { text, blocks, metadata: reminderMetadata(reminder.id) };
}

export const ANSWER_NOTES: Readonly<Record<string, string>> = {
  done: 'Done. Recorded, well done.',
  partly: 'Partly done. Recorded: every step counts.',
  not_yet: "Not yet. I'll ask again after the same interval.",
  snoozed: 'Snoozed.',
  dropped: 'Dropped. Recorded.',
};

/** The reminder with one item's buttons replaced by its recorded answer, so a second click finds nothing to press. */
export function withAnswer(
  blocks: readonly KnownBlock[],
  itemId: string,
  answer: string,
  until?: string,
): KnownBlock[] {
  const note =
    answer === 'snoozed' && until
      ? `Snoozed until ${formatLocalDate(until)}.`
      : (ANSWER_NOTES[answer] ?? 'Recorded.');
  return blocks.map((block) =>
    block.type === 'actions' && block.block_id === itemBlockId(itemId)
      ? { type: 'context', elements: [{ type: 'mrkdwn', text: `✓ ${note}` }] }
      : block,
  );
}

export function parseReminderValue(
  value: string | undefined,
): (ReminderButtonValue & { for?: '1d' | '1w' }) | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as Record<string, unknown>;
    if (typeof parsed.reminderId !== 'string' || typeof parsed.itemId !== 'string')
      return undefined;
    return {
      reminderId: parsed.reminderId,
      itemId: parsed.itemId,
      ...((parsed.for === '1d' || parsed.for === '1w') && { for: parsed.for }),
    };
  } catch {
    return undefined;
  }
}

/** The reflection modal's title, fitting the answer it follows (Slack allows 24 characters). */
const REFLECTION_TITLES = { done: 'Nicely done', partly: 'A step forward' } as const;

export const REFLECTION_LOADING_TEXT = 'One moment: recording your answer…';

/**
 * The reflection modal before it has its form: opened at once with the click's trigger id,
 * which lasts 3 seconds, then updated with the form (or with `text`, when there is none).
 */
export function reflectionNoticeModal(text = REFLECTION_LOADING_TEXT): ModalView {
  return {
    type: 'modal',
    callback_id: REFLECTION_CALLBACK_ID,
    title: { type: 'plain_text', text: 'How did it go?' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** "What happened?" and "How useful was the topic?", both optional, after Done or Partly. */
export function buildReflectionModal(
  itemId: string,
  responseId: string,
  answer: keyof typeof REFLECTION_TITLES = 'done',
): ModalView {
  return {
    type: 'modal',
    callback_id: REFLECTION_CALLBACK_ID,
    private_metadata: JSON.stringify({ itemId, responseId }),
    title: { type: 'plain_text', text: REFLECTION_TITLES[answer] },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Skip' },
    blocks: [
      {
        type: 'input',
        block_id: 'reflection',
        optional: true,
        label: { type: 'plain_text', text: 'What happened?' },
        element: { type: 'plain_text_input', action_id: 'text', max_length: 500 },
      },
      {
        type: 'input',
        block_id: 'usefulness',
        optional: true,
        label: { type: 'plain_text', text: 'How useful was this topic for you?' },
        element: {
          type: 'radio_buttons',
          action_id: 'score',
          options: ['1', '2', '3', '4', '5'].map((n) => ({
            text: {
              type: 'plain_text' as const,
              text: n === '1' ? '1 (not at all)' : n === '5' ? '5 (very)' : n,
            },
            value: n,
          })),
        },
      },
    ],
  };
}

/** Last week in numbers, for the Monday digest; `reminderId` is the ledger row that sends it. */
export function buildDigestMessage(
  digest: NonNullable<ClaimedReminder['digest']>,
  reminderId: string,
  locale?: string,
) {
  const text = `Your week from ${formatLocalDate(digest.weekStart, locale)}: ${counted(digest.topicsReceived, 'blind spot')} received, ${counted(digest.actionsPlanned, 'action')} planned, ${digest.actionsDone} done, ${digest.actionsLapsed} let go.`;
  return {
    text,
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
    metadata: reminderMetadata(reminderId),
  };
}

/** Completion, streak, and the last completed items with their reflections. */
export function progressBlocks(progress: Progress): KnownBlock[] {
  const rate =
    progress.completionRate === null
      ? 'No actions planned in the last 8 weeks yet.'
      : progress.planned === 1
        ? `The one action you planned in the last 8 weeks is ${progress.completionRate === 1 ? '' : 'not yet '}done.`
        : `*${Math.round(progress.completionRate * 100)}%* of the ${progress.planned} actions you planned in the last 8 weeks are done.`;
  const streak =
    progress.streakWeeks > 0
      ? `A streak of *${counted(progress.streakWeeks, 'week')}* with at least one action done.`
      : 'No streak yet: one action done this week starts it.';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: PROGRESS_BLOCK,
      text: { type: 'plain_text', text: 'Your progress' },
    },
    { type: 'section', text: { type: 'mrkdwn', text: `${rate}\n${streak}` } },
  ];
  if (progress.recentlyCompleted.length > 0) {
    const lines = progress.recentlyCompleted.map(
      (item) =>
        `• ${mine(item.text)}${item.reflection ? `\n    _${item.reflection.replace(/[*_~`]/g, '')}_` : ''}`,
    );
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Recently completed*\n${lines.join('\n')}` },
    });
  }
  return blocks;
}
