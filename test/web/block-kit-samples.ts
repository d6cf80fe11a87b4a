/**
 * Every message, modal and App Home the bot builds (src/bot/blocks), with sample data that takes
 * each branch of the builders: empty and long lists, paused for each reason, with and without
 * actions, final reminders, each recorded answer, field errors. block-kit-coverage.test.ts renders
 * them all. A new builder, or a new branch in one, belongs here.
 */

import type { HomeView, ModalView } from '@slack/types';
import type {
  ActionItem,
  ClaimedDelivery,
  ClaimedReminder,
  Progress,
  Subscription,
} from '../../src/bot/api-client/index.ts';
import {
  deletedReplyQuestion,
  dmButtonValue,
  dmHelpText,
  dmQuestion,
  itemReply,
  notSavedText,
} from '../../src/bot/blocks/action-items.ts';
import { actionErrors, buildActionModal } from '../../src/bot/blocks/action-modal.ts';
import {
  awaySavedText,
  awayUsageText,
  buildWelcomeBackMessage,
  welcomeBackText,
} from '../../src/bot/blocks/away.ts';
import {
  buildEraseModal,
  erasedText,
  exportLinkMessage,
} from '../../src/bot/blocks/data-rights.ts';
import { buildHome } from '../../src/bot/blocks/home.ts';
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
import { buildReflectionModal, reflectionNoticeModal } from '../../src/bot/blocks/reflection.ts';
import {
  buildDigestMessage,
  buildReminderMessage,
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
import { buildSignupModal, signupErrors } from '../../src/bot/blocks/signup-modal.ts';
import {
  buildTopicMessage,
  withButtonsReplaced,
  withRating,
} from '../../src/bot/blocks/topic-message.ts';
import { type Voice, voiceFor } from '../../src/bot/i18n/index.ts';

/** A winter Monday: New York is at UTC-05:00. */
export const NOW = new Date('2026-01-12T10:00:00.000Z');
export const THEMES = [
  'clarity-and-direction',
  'judging-people-fairly',
  'recognition-and-feedback',
];
/** What Monday to Friday lean to, as GET /api/v1/weekday-themes answers. */
export const LEANINGS = THEMES.concat(THEMES)
  .slice(0, 5)
  .map((category, index) => ({
    isoWeekday: index + 1,
    category,
  }));

export function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub-1',
    status: 'active',
    statusReason: null,
    pausedUntil: null,
    holidays: null,
    weeklyDigest: false,
    weekdays: [1, 3, 5],
    localTime: '09:00',
    timeZone: 'Europe/Berlin',
    skippedCategories: [],
    locale: 'en-GB',
    language: 'en',
    chosenLanguage: null,
    nextDeliveryAt: '2026-01-14T08:00:00.000Z',
    createdAt: '2026-01-05T12:00:00.000Z',
    updatedAt: '2026-01-05T12:00:00.000Z',
    ...overrides,
  };
}

export function item(overrides: Partial<ActionItem> = {}): ActionItem {
  return {
    id: 'item-1',
    text: 'Ask Priya what she needs from me this week',
    note: null,
    status: 'open',
    source: 'modal',
    checkBackOn: '2026-01-19',
    deliveryId: 'delivery-1',
    topic: { id: 'topic-1', title: 'Recency bias' },
    createdAt: '2026-01-12T10:00:00.000Z',
    updatedAt: '2026-01-12T10:00:00.000Z',
    completedAt: null,
    locale: 'en-GB',
    language: 'en',
    ...overrides,
  };
}

const delivery: Pick<ClaimedDelivery, 'id' | 'topic'> = {
  id: 'delivery-1',
  topic: {
    id: 'topic-1',
    slug: 'recency-bias',
    category: 'judging-people-fairly',
    title: 'Recency bias',
    summary: 'You judge a quarter by its *last two weeks*.',
    whyItMatters: 'People notice.',
    example: 'A strong quarter rated average after one late slip.',
    reflectionQuestion: 'What did each person do in the first month of the quarter?',
    actions: ['Keep a running log'],
    reference: '<https://example.com/recency|Kahneman, Thinking, Fast and Slow>',
  },
};

export function progress(overrides: Partial<Progress> = {}): Progress {
  return {
    completionRate: null,
    planned: 0,
    done: 0,
    streakWeeks: 0,
    open: [],
    recentlyCompleted: [],
    ...overrides,
  };
}

export const FULL_PROGRESS = progress({
  completionRate: 0.5,
  planned: 4,
  done: 2,
  streakWeeks: 3,
  recentlyCompleted: [
    {
      id: 'item-2',
      text: 'Thank Sam in the team meeting',
      completedAt: '2026-01-09T10:00:00.000Z',
      reflection: 'It went _well_, Sam smiled',
      topicTitle: 'Recognition',
    },
    {
      id: 'item-3',
      text: 'Review *all* of Q3',
      completedAt: '2026-01-08T10:00:00.000Z',
      reflection: null,
      topicTitle: null,
    },
  ],
});

/**
 * A topic at the catalogue's longest: every field long, and actions that do not fit a radio
 * option, so the limits check sees the builders cut what Slack would refuse.
 */
const longest: Pick<ClaimedDelivery, 'id' | 'topic'> = {
  id: 'delivery-2',
  topic: {
    ...delivery.topic,
    title: 'T'.repeat(120),
    summary: 'Summary words. '.repeat(60),
    whyItMatters: `People notice who you listen to. ${'And more words. '.repeat(60)}`,
    example: 'Example words. '.repeat(60),
    reflectionQuestion: 'Question words? '.repeat(20),
    actions: [1, 2, 3].map((n) => `${n}. ${'A concrete step to take this week. '.repeat(8)}`),
  },
};

export const MANY_ITEMS = Array.from({ length: 25 }, (_, n) =>
  item({ id: `item-${n}`, text: `Step ${n}`, ...(n % 2 === 1 && { topic: null }) }),
);

type ReminderItem = ClaimedReminder['items'][number];
export const asking: ReminderItem = {
  id: 'item-1',
  text: 'Ask Priya what she needs',
  topicTitle: 'Recency bias',
  plannedOn: '2026-01-05',
  final: false,
};
/** A reminder; in the language of `locale`'s (English when none). */
export const reminder = (items: ReminderItem[], voice?: Voice) =>
  buildReminderMessage({
    id: 'reminder-1',
    items,
    locale: voice?.locale,
    language: voice?.language,
  });

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

export function modals(voice: Voice = voiceFor()): Array<{
  name: string;
  view: ModalView;
  errors?: Record<string, string>;
}> {
  const signup = buildSignupModal({
    profileTimeZone: 'Europe/Berlin',
    categories: THEMES,
    leanings: LEANINGS,
    now: NOW,
    voice,
  });
  const plan = buildActionModal({
    context: { deliveryId: 'delivery-1' },
    topicTitle: 'Recency bias',
    voice,
  });
  return [
    { name: 'sign-up, first time', view: signup },
    {
      name: 'sign-up, changing a schedule',
      view: buildSignupModal({
        subscription: subscription({
          weekdays: [2, 4],
          localTime: '07:30',
          timeZone: 'America/New_York',
          skippedCategories: ['judging-people-fairly'],
          holidays: { country: 'DE', region: 'BY', name: 'Germany: Bayern' },
        }),
        profileTimeZone: 'Europe/Berlin',
        categories: THEMES,
        leanings: LEANINGS,
        now: NOW,
        voice,
      }),
    },
    {
      name: 'sign-up, no themes to skip',
      view: buildSignupModal({ profileTimeZone: 'UTC', categories: [], now: NOW, voice }),
    },
    {
      name: 'sign-up, refused by the API',
      view: signup,
      errors: signupErrors({ weekdays: 'Pick at least one day.', timeZone: 'Unknown zone.' }),
    },
    { name: 'delete your data?', view: buildEraseModal(voice) },
    { name: 'plan an action', view: plan },
    {
      name: 'plan an action, with the topic’s actions to pick',
      view: buildActionModal({
        context: { deliveryId: 'delivery-2' },
        topicTitle: longest.topic.title,
        choices: longest.topic.actions,
        voice,
      }),
    },
    {
      name: 'plan an action, nothing picked',
      view: buildActionModal({
        context: { deliveryId: 'delivery-1' },
        choices: ['Keep a running log'],
        voice,
      }),
      errors: { action_choice: voice.t('items.modal.pickOrWrite') },
    },
    { name: 'plan an action, without a topic', view: buildActionModal({ context: {}, voice }) },
    {
      name: 'edit an action, with a note',
      view: buildActionModal({
        context: {},
        item: item({ note: 'She mentioned the roadmap' }),
        topicTitle: 'Recency bias',
        voice,
      }),
    },
    {
      name: 'plan an action, refused',
      view: plan,
      errors: actionErrors({ text: 'Too long.', note: 'Too long too.', checkBack: 'Past.' }, true),
    },
    {
      name: 'plan an action, no date picked',
      view: plan,
      errors: actionErrors({ checkBack: 'Pick the date to check back on.' }, false),
    },
    { name: 'the reflection', view: buildReflectionModal('item-1', 'response-1', 'done', voice) },
    {
      name: 'the reflection after Partly',
      view: buildReflectionModal('item-1', 'response-1', 'partly', voice),
    },
  ];
}

export function homeViews(voice: Voice = voiceFor()): Array<{ name: string; view: HomeView }> {
  const paused = (statusReason: string | null) =>
    buildHome(subscription({ status: 'paused', statusReason }), voice, {
      openItems: [item()],
      progress: progress(),
    });
  return [
    { name: 'never signed up', view: buildHome(undefined, voice) },
    { name: 'unsubscribed', view: buildHome(subscription({ status: 'unsubscribed' }), voice) },
    { name: 'active, nothing planned yet', view: buildHome(subscription(), voice) },
    {
      name: 'active in en-US, on the second page of actions',
      view: buildHome(subscription({ locale: 'en-US' }), voice, {
        openItems: MANY_ITEMS,
        progress: FULL_PROGRESS,
        itemsPage: 1,
      }),
    },
    {
      name: 'active, digest on, next note being planned, items and progress',
      view: buildHome(subscription({ weeklyDigest: true, nextDeliveryAt: null }), voice, {
        openItems: MANY_ITEMS,
        progress: FULL_PROGRESS,
      }),
    },
    { name: 'paused', view: paused(null) },
    { name: 'paused while removed', view: paused('workspace_inactive') },
    { name: 'paused by Slack', view: paused('slack:account_inactive') },
    { name: 'paused from the Home tab', view: paused('paused from the Home tab') },
    { name: 'paused for another reason', view: paused('holiday') },
    {
      name: 'away until a date, keeping Bavaria’s holidays, with notes skipped',
      view: buildHome(
        subscription({
          status: 'paused',
          statusReason: 'away from the Home tab',
          pausedUntil: '2027-01-04',
          holidays: { country: 'DE', region: 'BY', name: 'Germany: Bayern' },
        }),
        voice,
        {
          openItems: [item()],
          progress: progress(),
          skippedNotes: [
            { localDate: '2026-12-25', reason: 'holiday', holiday: 'Christmas Day' },
            { localDate: '2026-12-21', reason: 'away', holiday: null },
          ],
        },
      ),
    },
  ];
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
