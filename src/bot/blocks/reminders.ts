/**
 * Reminder messages, the weekly digest and the progress summary (the reflection form that Done
 * opens is ./reflection.ts). Pure builders: no I/O.
 */
import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { ClaimedReminder, Progress } from '../api-client/index.ts';
import { button, confirmed, labelled } from './elements.ts';
import { counted, formatLocalDate } from './format.ts';

export const REMINDER_ACTIONS = {
  done: 'reminder_done',
  partly: 'reminder_partly',
  notYet: 'reminder_not_yet',
  snooze: 'reminder_snooze',
  snoozeDate: 'reminder_snooze_date',
  drop: 'reminder_drop',
  change: 'reminder_change_answer',
} as const;
/** The progress summary's heading, so a click in the history DM knows to keep it. */
export const PROGRESS_BLOCK = 'progress';
export const DIGEST_ACTIONS = { on: 'home_digest_on', off: 'home_digest_off' } as const;

/** Which reminder and item a button is about; with `responseId`, it changes that answer. */
export interface ReminderButtonValue {
  reminderId: string;
  itemId: string;
  responseId?: string;
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
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `You planned: ${mine(item.text)}${after}. Did you do it?` },
      },
      answerButtons({ reminderId: reminder.id, itemId: item.id }, item.text),
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

/**
 * Done / Partly / Not yet / Snooze / Drop it for one item. With a `responseId` in `value` they
 * change that answer ("Change answer"), rather than answer anew.
 */
export function answerButtons(value: ReminderButtonValue, itemText: string): KnownBlock {
  const json = (extra: object = {}) =>
    JSON.stringify({
      reminderId: value.reminderId,
      itemId: value.itemId,
      ...(value.responseId && { responseId: value.responseId }),
      ...extra,
    });
  const datePickerId = [REMINDER_ACTIONS.snoozeDate, value.reminderId, value.itemId]
    .concat(value.responseId ? [value.responseId] : [])
    .join(':');
  return {
    type: 'actions',
    block_id: itemBlockId(value.itemId),
    elements: [
      // Several items repeat these buttons: each names its item to a screen reader.
      labelled(button('Done', REMINDER_ACTIONS.done, json(), 'primary'), 'Done:', itemText),
      labelled(button('Partly', REMINDER_ACTIONS.partly, json()), 'Partly:', itemText),
      labelled(button('Not yet', REMINDER_ACTIONS.notYet, json()), 'Not yet:', itemText),
      {
        type: 'static_select',
        action_id: REMINDER_ACTIONS.snooze,
        placeholder: { type: 'plain_text', text: 'Snooze' },
        options: [
          { text: { type: 'plain_text', text: 'Until tomorrow' }, value: json({ for: '1d' }) },
          { text: { type: 'plain_text', text: 'Until next week' }, value: json({ for: '1w' }) },
        ],
      },
      {
        type: 'datepicker',
        action_id: datePickerId,
        placeholder: { type: 'plain_text', text: 'Snooze until…' },
      },
      // Final for the item (no more reminders about it), so asked first; "Change answer" after
      // is the way back.
      confirmed(
        labelled(button('Drop it', REMINDER_ACTIONS.drop, json(), 'danger'), 'Drop it:', itemText),
        {
          title: 'Drop this action?',
          text: `I'll stop asking about “${itemText}”. You can change your answer for a week.`,
          confirm: 'Drop it',
          deny: 'Keep it',
        },
      ),
    ],
  };
}

export const ANSWER_NOTES: Readonly<Record<string, string>> = {
  done: 'Done. Recorded, well done.',
  partly: 'Partly done. Recorded: every step counts.',
  not_yet: "Not yet. I'll ask again after the same interval.",
  snoozed: 'Snoozed.',
  dropped: 'Dropped. Recorded.',
};

/** What an answer's "Change answer" button needs: the answer to change. */
export interface AnswerChange {
  reminderId: string;
  responseId: string;
}

/** The words for a recorded answer: "Done. Recorded, well done." */
export function answerNote(answer: string, until?: string): string {
  return answer === 'snoozed' && until
    ? `Snoozed until ${formatLocalDate(until)}.`
    : (ANSWER_NOTES[answer] ?? 'Recorded.');
}

/** "✓ Done." in place of an item's buttons; with `change`, a "Change answer" button beside it. */
export function answeredBlock(
  itemId: string,
  note: string,
  change?: AnswerChange,
  itemText?: string,
): KnownBlock {
  if (!change) {
    return {
      type: 'context',
      block_id: itemBlockId(itemId),
      elements: [{ type: 'mrkdwn', text: `✓ ${note}` }],
    };
  }
  const value = JSON.stringify({ ...change, itemId } satisfies ReminderButtonValue);
  const changeButton = button('Change answer', REMINDER_ACTIONS.change, value);
  return {
    type: 'section',
    block_id: itemBlockId(itemId),
    text: { type: 'mrkdwn', text: `✓ ${note}` },
    accessory: itemText ? labelled(changeButton, 'Change answer:', itemText) : changeButton,
  };
}

/**
 * The reminder with one item's buttons replaced by its recorded answer, so a second click finds
 * nothing to press; with `change`, the answer can be changed from there, by a button that names
 * `itemText` to a screen reader (a reminder may list several).
 */
export function withAnswer(
  blocks: readonly KnownBlock[],
  itemId: string,
  answer: string,
  until?: string,
  change?: AnswerChange,
  itemText?: string,
): KnownBlock[] {
  return blocks.map((block) =>
    'block_id' in block && block.block_id === itemBlockId(itemId)
      ? answeredBlock(itemId, answerNote(answer, until), change, itemText)
      : block,
  );
}

/** "Change answer" pressed: the item's buttons again, which change that answer when pressed. */
export function withAnswerButtons(
  blocks: readonly KnownBlock[],
  value: ReminderButtonValue & { responseId: string },
  itemText: string,
): KnownBlock[] {
  return blocks.map((block) =>
    'block_id' in block && block.block_id === itemBlockId(value.itemId)
      ? answerButtons(value, itemText)
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
      ...(typeof parsed.responseId === 'string' && { responseId: parsed.responseId }),
      ...((parsed.for === '1d' || parsed.for === '1w') && { for: parsed.for }),
    };
  } catch {
    return undefined;
  }
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
