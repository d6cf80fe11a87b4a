/**
 * Reminder messages, the weekly digest and the progress summary (the reflection form after an
 * answer is ./reflection.ts). Pure builders: no I/O.
 */
import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { ClaimedReminder, Progress, ReminderMessage } from '../api-client/index.ts';
import { type MessageKey, type Voice, voiceFor } from '../i18n/index.ts';
import { button, confirmed, labelled } from './elements.ts';
import { formatLocalDate } from './format.ts';

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

/**
 * One message for every item due that day: each asks "Did you do it?" with its own buttons, in
 * the manager's language and locale (the reminder carries it).
 */
export function buildReminderMessage(
  reminder: Pick<ClaimedReminder, 'id' | 'items'> & { locale?: string; language?: string },
) {
  const voice = voiceFor(reminder);
  const { t } = voice;
  const asking = reminder.items.filter((item) => !item.final);
  const blocks: KnownBlock[] = [];
  for (const item of reminder.items) {
    const after = item.topicTitle
      ? t('items.reminder.after', {
          topic: item.topicTitle,
          date: formatLocalDate(item.plannedOn, voice),
        })
      : '';
    const words = { item: mine(item.text), after };
    if (item.final) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: t('items.reminder.lastWord', words) },
      });
      continue;
    }
    blocks.push(
      { type: 'section', text: { type: 'mrkdwn', text: t('items.reminder.asking', words) } },
      answerButtons({ reminderId: reminder.id, itemId: item.id }, item.text, voice),
    );
  }
  const text =
    asking.length === 1
      ? t('items.reminder.textOne', { item: String(asking[0]?.text) })
      : asking.length > 1
        ? t('items.reminder.textMany', { count: asking.length })
        : t('items.reminder.textLastWord');
  return { text, blocks, metadata: reminderMetadata(reminder.id) };
}

/**
 * Done / Partly / Not yet / Snooze / Drop it for one item. With a `responseId` in `value` they
 * change that answer ("Change answer"), rather than answer anew.
 */
export function answerButtons(
  value: ReminderButtonValue,
  itemText: string,
  { t }: Voice,
): KnownBlock {
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
      ...(
        [
          ['items.reminder.done', REMINDER_ACTIONS.done, 'primary'],
          ['items.reminder.partly', REMINDER_ACTIONS.partly, undefined],
          ['items.reminder.notYet', REMINDER_ACTIONS.notYet, undefined],
        ] as const
      ).map(([key, actionId, style]) =>
        labelled(button(t(key), actionId, json(), style), `${t(key)}:`, itemText),
      ),
      {
        type: 'static_select',
        action_id: REMINDER_ACTIONS.snooze,
        placeholder: { type: 'plain_text', text: t('items.reminder.snooze') },
        options: [
          {
            text: { type: 'plain_text', text: t('items.reminder.untilTomorrow') },
            value: json({ for: '1d' }),
          },
          {
            text: { type: 'plain_text', text: t('items.reminder.untilNextWeek') },
            value: json({ for: '1w' }),
          },
        ],
      },
      {
        type: 'datepicker',
        action_id: datePickerId,
        placeholder: { type: 'plain_text', text: t('items.reminder.snoozeUntil') },
      },
      // Final for the item (no more reminders about it), so asked first; "Change answer" after
      // is the way back.
      confirmed(
        labelled(
          button(t('items.reminder.drop'), REMINDER_ACTIONS.drop, json(), 'danger'),
          `${t('items.reminder.drop')}:`,
          itemText,
        ),
        {
          title: t('items.reminder.dropTitle'),
          text: t('items.reminder.dropText', { item: itemText }),
          confirm: t('items.reminder.drop'),
          deny: t('items.reminder.keepIt'),
        },
      ),
    ],
  };
}

/** The answers a reminder records, each with its words in the catalogue. */
const ANSWERS = ['done', 'partly', 'not_yet', 'snoozed', 'dropped'] as const;

/** What an answer's "Change answer" button needs: the answer to change. */
export interface AnswerChange {
  reminderId: string;
  responseId: string;
}

/**
 * The words for a recorded answer: "Done. Recorded, well done.", a snooze's date in the voice's
 * locale. The voice is required: a default would put English in a manager's reminder unseen.
 */
export function answerNote(answer: string, until: string | undefined, voice: Voice): string {
  const { t } = voice;
  if (answer === 'snoozed' && until)
    return t('items.reminder.answered.snoozedUntil', { date: formatLocalDate(until, voice) });
  const known = (ANSWERS as readonly string[]).includes(answer) ? answer : 'other';
  return t(`items.reminder.answered.${known}` as MessageKey);
}

/** "✓ Done." in place of an item's buttons; with `change`, a "Change answer" button beside it. */
export function answeredBlock(
  itemId: string,
  note: string,
  change: AnswerChange | undefined,
  itemText: string | undefined,
  { t }: Voice,
): KnownBlock {
  if (!change) {
    return {
      type: 'context',
      block_id: itemBlockId(itemId),
      elements: [{ type: 'mrkdwn', text: `✓ ${note}` }],
    };
  }
  const value = JSON.stringify({ ...change, itemId } satisfies ReminderButtonValue);
  const word = t('items.reminder.changeAnswer');
  const changeButton = button(word, REMINDER_ACTIONS.change, value);
  return {
    type: 'section',
    block_id: itemBlockId(itemId),
    text: { type: 'mrkdwn', text: `✓ ${note}` },
    accessory: itemText ? labelled(changeButton, `${word}:`, itemText) : changeButton,
  };
}

/**
 * The reminder with one item's buttons replaced by its recorded answer, so a second click finds
 * nothing to press; with `change`, the answer can be changed from there, by a button that names
 * `itemText` to a screen reader (a reminder may list several). In the manager's language and
 * locale.
 */
export function withAnswer(
  blocks: readonly KnownBlock[],
  itemId: string,
  answer: string,
  until?: string,
  change?: AnswerChange,
  itemText?: string,
  manager: { locale?: string; language?: string } = {},
): KnownBlock[] {
  const voice = voiceFor(manager);
  return blocks.map((block) =>
    'block_id' in block && block.block_id === itemBlockId(itemId)
      ? answeredBlock(itemId, answerNote(answer, until, voice), change, itemText, voice)
      : block,
  );
}

/** What an item marked done or dropped elsewhere (the Home tab, a list) shows on a reminder. */
const CLOSED_ELSEWHERE: Readonly<Record<string, MessageKey>> = {
  done: 'items.reminder.answered.markedDone',
  partly: 'items.reminder.answered.partly',
  dropped: 'items.reminder.answered.dropped',
};

/**
 * A sent reminder as its message should read now (the API's ReminderMessage): each item's
 * answer in place of its buttons, wherever it was given (a thread reply, "Change answer" in the
 * thread, the Home tab), as if it had been given on the reminder itself.
 */
export function reminderAsItStands(reminder: ReminderMessage) {
  const voice = voiceFor(reminder);
  const message = buildReminderMessage(reminder);
  let blocks = message.blocks;
  for (const item of reminder.items) {
    if (item.final) continue;
    if (item.answer && item.responseId) {
      const change = { reminderId: reminder.id, responseId: item.responseId };
      const until = item.snoozedUntil ?? undefined;
      blocks = withAnswer(blocks, item.id, item.answer, until, change, item.text, reminder);
    } else if (CLOSED_ELSEWHERE[item.status]) {
      const note = voice.t(CLOSED_ELSEWHERE[item.status] as MessageKey);
      const closed = answeredBlock(item.id, note, undefined, undefined, voice);
      blocks = blocks.map((block) =>
        'block_id' in block && block.block_id === closed.block_id ? closed : block,
      );
    }
  }
  return { text: message.text, blocks };
}

/** "Change answer" pressed: the item's buttons again, which change that answer when pressed. */
export function withAnswerButtons(
  blocks: readonly KnownBlock[],
  value: ReminderButtonValue & { responseId: string },
  itemText: string,
  voice: Voice,
): KnownBlock[] {
  return blocks.map((block) =>
    'block_id' in block && block.block_id === itemBlockId(value.itemId)
      ? answerButtons(value, itemText, voice)
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

/**
 * Last week in numbers, for the Monday digest, in the manager's language and locale;
 * `reminderId` is the ledger row that sends it.
 */
export function buildDigestMessage(
  digest: NonNullable<ClaimedReminder['digest']>,
  reminderId: string,
  manager: { locale?: string; language?: string } = {},
) {
  const voice = voiceFor(manager);
  const { t } = voice;
  const text = t('items.digest.week', {
    date: formatLocalDate(digest.weekStart, voice),
    received: t('items.digest.blindSpots', { count: digest.topicsReceived }),
    planned: t('items.digest.actions', { count: digest.actionsPlanned }),
    done: digest.actionsDone,
    lapsed: digest.actionsLapsed,
  });
  return {
    text,
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
    metadata: reminderMetadata(reminderId),
  };
}

/** Completion, streak, and the last completed items with their reflections. */
export function progressBlocks(progress: Progress, { t }: Voice): KnownBlock[] {
  const rate =
    progress.completionRate === null
      ? t('items.progress.none')
      : progress.planned === 1
        ? t(progress.completionRate === 1 ? 'items.progress.oneDone' : 'items.progress.oneNotDone')
        : t('items.progress.rate', {
            percent: Math.round(progress.completionRate * 100),
            planned: progress.planned,
          });
  const streak =
    progress.streakWeeks > 0
      ? t('items.progress.streak', { count: progress.streakWeeks })
      : t('items.progress.noStreak');
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: PROGRESS_BLOCK,
      text: { type: 'plain_text', text: t('items.progress.title') },
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
      text: {
        type: 'mrkdwn',
        text: `${t('items.progress.recentlyCompleted')}\n${lines.join('\n')}`,
      },
    });
  }
  return blocks;
}
