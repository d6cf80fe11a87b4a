/**
 * The action items' and reminders' builders in the pseudo-language (src/bot/i18n/pseudo.ts):
 * every word a manager reads comes from the catalogue, so none is left in plain English letters.
 * The sample data is written in the pseudo-language too, so a plain word can only be the
 * builder's own. (test/bot/note-pseudo.test.ts and home-commands-pseudo.test.ts do the same for
 * the note and for the Home tab and commands.)
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem, ClaimedReminder } from '../../src/bot/api-client/index.ts';
import {
  deletedReply,
  deletedReplyQuestion,
  dmHelpText,
  dmQuestion,
  itemReply,
  notSavedText,
} from '../../src/bot/blocks/action-items.ts';
import { buildActionModal } from '../../src/bot/blocks/action-modal.ts';
import { recentNotesBlocks } from '../../src/bot/blocks/history.ts';
import { openItemBlocks } from '../../src/bot/blocks/open-items.ts';
import {
  answerNote,
  buildDigestMessage,
  buildReminderMessage,
  progressBlocks,
  withAnswer,
} from '../../src/bot/blocks/reminders.ts';
import { catalogues, testVoice } from '../../src/bot/i18n/index.ts';
import { pseudoCatalogue, pseudoText } from '../../src/bot/i18n/pseudo.ts';
import { plainWords, plainWordsIn, shownTexts } from '../support/pseudo-words.ts';

const LANGUAGE = 'xx-items';
const voice = testVoice(LANGUAGE, pseudoCatalogue(catalogues.en), 'en-GB');
const p = pseudoText;
const manager = { language: LANGUAGE, locale: 'en-GB' };

function item(overrides: Partial<ActionItem> = {}): ActionItem {
  return {
    id: 'item-1',
    text: p('Ask Priya what she needs from me this week'),
    note: null,
    status: 'open',
    source: 'modal',
    checkBackOn: '2026-01-19',
    deliveryId: 'delivery-1',
    topic: { id: 'topic-1', title: p('Recency bias') },
    createdAt: '2026-01-12T10:00:00.000Z',
    updatedAt: '2026-01-12T10:00:00.000Z',
    completedAt: null,
    ...manager,
    ...overrides,
  } as ActionItem;
}

const asking: ClaimedReminder['items'][number] = {
  id: 'item-1',
  text: p('Ask Priya what she needs'),
  topicTitle: p('Recency bias'),
  plannedOn: '2026-01-05',
  final: false,
};

const reminder = buildReminderMessage({
  id: 'reminder-1',
  items: [asking, { ...asking, id: 'item-2', topicTitle: null, final: true }],
  ...manager,
});
const progress = {
  completionRate: 0.5,
  planned: 4,
  done: 2,
  streakWeeks: 3,
  open: [],
  recentlyCompleted: [
    {
      id: 'item-2',
      text: p('Thank Sam in the team meeting'),
      completedAt: '2026-01-09T10:00:00.000Z',
      reflection: p('It went well'),
      topicTitle: p('Recognition'),
    },
  ],
};

const views: Array<[string, unknown]> = [
  ['an item saved', itemReply(item(), voice)],
  ['an item updated, without a topic', itemReply(item({ topic: null }), voice, 'updated')],
  ['an item restored', itemReply(item(), voice, 'restored')],
  ['a deleted reply', deletedReply(item(), voice)],
  ['the question after a deleted reply', deletedReplyQuestion(item(), voice)],
  ['the question after a DM', dmQuestion(p('Recency bias'), 'v', voice)],
  ['how to plan from a DM', dmHelpText(voice)],
  ['not saved', notSavedText(p('too long'), voice)],
  [
    'the plan modal',
    buildActionModal({
      context: { deliveryId: 'delivery-1', topicId: 'topic-1' } as never,
      topicTitle: p('Recency bias'),
      choices: [p('Keep a log')],
      voice,
    }),
  ],
  ['the edit modal', buildActionModal({ context: {} as never, item: item(), voice })],
  ['open actions', openItemBlocks([item(), item({ id: 'item-2', topic: null })], { voice })],
  ['no open actions', openItemBlocks([], { voice, deleted: item() })],
  ['a reminder', reminder],
  ...['done', 'partly', 'not_yet', 'snoozed', 'dropped', 'unknown'].map(
    (answer) =>
      [
        `a reminder answered ${answer}`,
        withAnswer(
          reminder.blocks,
          'item-1',
          answer,
          answer === 'snoozed' ? '2026-01-20' : undefined,
          { reminderId: 'reminder-1', responseId: 'response-1' },
          p('Ask Priya what she needs'),
          manager,
        ),
      ] as [string, unknown],
  ),
  ['a snooze', answerNote('snoozed', '2026-01-20', voice)],
  [
    'the weekly digest',
    buildDigestMessage(
      {
        weekStart: '2026-01-05',
        topicsReceived: 3,
        actionsPlanned: 1,
        actionsDone: 1,
        actionsLapsed: 2,
      },
      'reminder-2',
      manager,
    ),
  ],
  ['progress', progressBlocks(progress, voice)],
  [
    'no progress yet',
    progressBlocks(
      {
        ...progress,
        planned: 0,
        done: 0,
        streakWeeks: 0,
        completionRate: null,
        recentlyCompleted: [],
      },
      voice,
    ),
  ],
  [
    'past notes in the history',
    recentNotesBlocks(
      [
        {
          id: 'd1',
          topicId: 't1',
          topicTitle: p('Recency bias'),
          sentAt: '2026-01-12T08:00:00Z',
          channelId: 'D1',
          ts: '1.2',
        } as never,
      ],
      { timeZone: 'Europe/Berlin', voice },
    ),
  ],
];

describe('the action items and reminders in the pseudo-language', () => {
  it('finds a word in plain English letters', () => {
    expect(plainWords(`${p('Check back')} soon`)).toEqual(['soon']);
  });

  it.each(views)('%s: every word comes from the catalogue', (_name, view) => {
    expect(shownTexts(view).length).toBeGreaterThan(0);
    expect(plainWordsIn(view)).toEqual([]);
  });
});
