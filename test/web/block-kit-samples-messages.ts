/**
 * Every message the bot builds (src/bot/blocks), with the sample data of ./block-kit-samples.ts
 * taking each branch of the builders: empty and long lists, with and without actions, final
 * reminders, each recorded answer, the answers to a manager's own words, and the messages of
 * text only. block-kit-coverage.test.ts renders them all. A new message builder, or a new branch
 * in one, belongs here.
 */

import {
  deletedReplyQuestion,
  dmButtonValue,
  dmHelpText,
  dmQuestion,
  itemReply,
  notSavedText,
} from '../../src/bot/blocks/action-items.ts';
import {
  awaySavedText,
  awayUsageText,
  buildWelcomeBackMessage,
  welcomeBackText,
} from '../../src/bot/blocks/away.ts';
import { erasedText, exportLinkMessage } from '../../src/bot/blocks/data-rights.ts';
import {
  busyText,
  confirmationMessage,
  exportSentText,
  exportUnavailableText,
  helpText,
  notRelevantNote,
  notSignedUpText,
  pausedText,
  resumedText,
  sendNowText,
  staleInputText,
  tryAgainText,
  undoTooLateText,
  unknownCommandText,
} from '../../src/bot/blocks/messages.ts';
import { openItemBlocks } from '../../src/bot/blocks/open-items.ts';
import { reflectionNoticeModal } from '../../src/bot/blocks/reflection.ts';
import {
  buildDigestMessage,
  progressBlocks,
  reminderAsItStands,
  withAnswer,
} from '../../src/bot/blocks/reminders.ts';
import {
  justAThoughtText,
  keptSubscriptionText,
  reminderAllAnsweredText,
  reminderButtonsAgain,
  replyRecorded,
  threadChoice,
  unsubscribedText,
  unsubscribeQuestion,
  whichItemQuestion,
} from '../../src/bot/blocks/replies.ts';
import {
  buildTopicMessage,
  withButtonsReplaced,
  withRating,
} from '../../src/bot/blocks/topic-message.ts';
import { type Voice, voiceFor } from '../../src/bot/i18n/index.ts';
import {
  asking,
  delivery,
  FULL_PROGRESS,
  item,
  longest,
  MANY_ITEMS,
  progress,
  reminder,
  subscription,
} from './block-kit-samples.ts';

/** The answers to a manager's own words (issue 17, item 2). */
function replyMessages(voice: Voice): Array<{ name: string; blocks: readonly unknown[] }> {
  const sent = {
    id: 'reminder-1',
    locale: voice.locale,
    language: voice.language,
    items: [
      { ...asking, answer: null, status: 'open' as const },
      {
        ...asking,
        id: 'item-2',
        text: 'x'.repeat(500),
        topicTitle: null,
        answer: null,
        status: 'open' as const,
      },
    ],
  };
  return [
    {
      name: 'the choice after a thread reply',
      blocks: threadChoice(
        'Recency bias',
        dmButtonValue({ deliveryId: 'delivery-1', sourceKey: 'D1:1.2', text: 'Log wins' }),
        voice,
      ).blocks,
    },
    { name: 'the question after "stop"', blocks: unsubscribeQuestion(voice).blocks },
    // A modal with no input has no submit button, so it is checked as blocks.
    { name: 'the reflection, opening', blocks: reflectionNoticeModal(voice).blocks },
    {
      name: 'which item a reminder reply is about',
      blocks: whichItemQuestion(sent, 'done', sent.items, voice).blocks,
    },
    {
      name: 'a reminder reply not understood',
      blocks: reminderButtonsAgain(sent, sent.items, voice).blocks,
    },
  ];
}

export function messages(
  voice: Voice = voiceFor(),
): Array<{ name: string; blocks: readonly unknown[] }> {
  const note = buildTopicMessage(delivery, [], voice);
  const oneReminder = reminder([asking], voice);
  const list = [
    { name: 'a note', blocks: note.blocks },
    {
      name: 'a note with planned actions',
      blocks: buildTopicMessage(
        delivery,
        [
          { text: 'Keep a *log*', checkBackOn: '2026-01-19' },
          { text: 'Ask the team', checkBackOn: '2026-01-26' },
        ],
        voice,
      ).blocks,
    },
    {
      name: 'a note at the longest, rated useful, with every planned action',
      blocks: buildTopicMessage(
        { ...longest, rating: 'useful' },
        Array.from({ length: 10 }, (_, n) => ({
          text: `${'Planned words '.repeat(35)}${n}`,
          checkBackOn: '2026-01-19',
        })),
        voiceFor({ language: voice.language, locale: 'en-US' }),
      ).blocks,
    },
    {
      name: 'a note rated not for me',
      blocks: withRating(note.blocks, 'v', 'not_for_me', voice),
    },
    {
      name: 'a note marked not relevant',
      blocks: withButtonsReplaced(note.blocks, notRelevantNote(voice)),
    },
    {
      name: 'the sign-up confirmation',
      blocks: confirmationMessage(subscription(), true, voice).blocks,
    },
    {
      name: 'the schedule-change confirmation, next note being planned',
      blocks: confirmationMessage(subscription({ nextDeliveryAt: null }), false, voice).blocks,
    },
    {
      name: 'the download link',
      blocks: exportLinkMessage(
        { url: 'https://blindspot.example.org/exports/abc', expiresAt: '2026-01-13T10:00:00Z' },
        'Europe/Berlin',
        voice,
      ).blocks,
    },
    { name: 'welcome back', blocks: buildWelcomeBackMessage('reminder-1', voice).blocks },
    { name: 'an item saved in a thread', blocks: itemReply(item(), voice).blocks },
    {
      name: 'an item updated, without a topic',
      blocks: itemReply(item({ topic: null }), voice, 'updated').blocks,
    },
    { name: 'no open actions', blocks: openItemBlocks([], { voice }) },
    { name: 'open actions, more than 20', blocks: openItemBlocks(MANY_ITEMS, { voice }) },
    {
      name: 'open actions, the last page',
      blocks: openItemBlocks(MANY_ITEMS, { page: 1, voice }),
    },
    {
      name: 'open actions, a middle page',
      blocks: openItemBlocks([...MANY_ITEMS, ...MANY_ITEMS], { page: 1, voice }),
    },
    {
      name: 'the question after a plain DM',
      blocks: dmQuestion(
        'Recency bias',
        dmButtonValue({ deliveryId: 'delivery-1', sourceKey: 'D1:1.2', text: 'Log wins' }),
        voice,
      ).blocks,
    },
    {
      name: 'the question after a deleted reply',
      blocks: deletedReplyQuestion(item(), voice).blocks,
    },
    { name: 'a reminder', blocks: oneReminder.blocks },
    {
      name: 'a reminder of several items, one final and one without a topic',
      blocks: reminder(
        [
          asking,
          { ...asking, id: 'item-2', topicTitle: null },
          { ...asking, id: 'item-3', final: true },
        ],
        voice,
      ).blocks,
    },
    {
      name: 'a last word only',
      blocks: reminder([{ ...asking, final: true }], voice).blocks,
    },
    ...['done', 'partly', 'not_yet', 'snoozed', 'dropped', 'unknown'].map((answer) => ({
      name: `a reminder answered ${answer}`,
      blocks: withAnswer(oneReminder.blocks, 'item-1', answer),
    })),
    {
      name: 'a reminder snoozed to a date',
      blocks: withAnswer(oneReminder.blocks, 'item-1', 'snoozed', '2026-01-20'),
    },
    {
      name: 'a reminder as it stands after answers given elsewhere',
      blocks: reminderAsItStands({
        id: 'reminder-1',
        channelId: 'D0SAMPLE',
        ts: '1.000001',
        locale: voice.locale,
        language: voice.language,
        items: [
          { ...asking, status: 'done', answer: null, responseId: null, snoozedUntil: null },
          {
            ...asking,
            id: 'item-2',
            status: 'open',
            answer: 'snoozed',
            responseId: 'response-2',
            snoozedUntil: '2026-01-20',
          },
          {
            ...asking,
            id: 'item-3',
            status: 'open',
            answer: null,
            responseId: null,
            snoozedUntil: null,
          },
          {
            ...asking,
            id: 'item-4',
            final: true,
            status: 'lapsed',
            answer: null,
            responseId: null,
            snoozedUntil: null,
          },
        ],
      }).blocks,
    },
    {
      name: 'the weekly digest',
      blocks: buildDigestMessage(
        {
          weekStart: '2026-01-05',
          topicsReceived: 3,
          actionsPlanned: 2,
          actionsDone: 1,
          actionsLapsed: 0,
        },
        'reminder-2',
      ).blocks,
    },
    {
      name: '/blindspot history, nothing yet',
      blocks: [...progressBlocks(progress(), voice), ...openItemBlocks([], { voice })],
    },
    {
      name: '/blindspot history, a one-week streak',
      blocks: [
        ...progressBlocks(
          progress({ completionRate: 1, planned: 1, done: 1, streakWeeks: 1 }),
          voice,
        ),
        ...openItemBlocks([item()], { voice }),
      ],
    },
    {
      name: 'the weekly digest, one of each',
      blocks: buildDigestMessage(
        {
          weekStart: '2026-01-05',
          topicsReceived: 1,
          actionsPlanned: 1,
          actionsDone: 1,
          actionsLapsed: 1,
        },
        'reminder-3',
        { locale: 'en-US' },
      ).blocks,
    },
    {
      name: '/blindspot history, with completed items and a page of many actions',
      blocks: [...progressBlocks(FULL_PROGRESS, voice), ...openItemBlocks(MANY_ITEMS, { voice })],
    },
    {
      name: '/blindspot history, with completed items',
      blocks: [
        ...progressBlocks(FULL_PROGRESS, voice),
        ...openItemBlocks(MANY_ITEMS.slice(0, 2), { voice }),
      ],
    },
    ...replyMessages(voice),
  ];
  return list;
}

/** Messages of text only, as the listeners post them. */
export function textMessages(voice: Voice = voiceFor()): Array<{ name: string; text: string }> {
  return Object.entries({
    helpText: helpText(voice),
    tryAgainText: tryAgainText(voice),
    staleInputText: staleInputText(voice),
    busyText: busyText(voice),
    unknownCommandText: unknownCommandText('dance', voice),
    'sendNowText(queued)': sendNowText('queued', voice),
    'sendNowText(already_sent)': sendNowText('already_sent', voice),
    pausedText: pausedText(voice),
    resumedText: resumedText(voice),
    awayUsageText: awayUsageText(voice),
    awaySavedText: awaySavedText(
      subscription({ status: 'paused', pausedUntil: '2027-01-04' }),
      voice,
    ),
    welcomeBackText: welcomeBackText(voice),
    exportSentText: exportSentText(voice),
    exportUnavailableText: exportUnavailableText(voice),
    erasedText: erasedText(voice),
    notRelevantNote: notRelevantNote(voice),
    notSignedUpText: notSignedUpText(voice),
    undoTooLateText: undoTooLateText(voice),
    dmHelpText: dmHelpText(voice),
    notSavedText: notSavedText('an action fits in 500 characters.', voice),
    justAThoughtText: justAThoughtText(voice),
    keptSubscriptionText: keptSubscriptionText(voice),
    unsubscribedText: unsubscribedText(voice),
    reminderAllAnsweredText: reminderAllAnsweredText(voice),
    replyRecorded: replyRecorded('Ask Priya what she needs', 'not_yet', voice).text,
  }).map(([name, text]) => ({ name, text }));
}
