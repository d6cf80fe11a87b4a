/**
 * The note's builders in the pseudo-language (src/bot/i18n/pseudo.ts): every word a manager
 * reads comes from the catalogue, so none is left in plain English letters. The sample data is
 * written in the pseudo-language too, so a plain word can only be the builder's own.
 */
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery, SentReminder } from '../../src/bot/api-client/index.ts';
import { withProblemOnTop } from '../../src/bot/blocks/elements.ts';
import { pastNotesMessage } from '../../src/bot/blocks/past-notes.ts';
import { buildReflectionModal, reflectionNoticeModal } from '../../src/bot/blocks/reflection.ts';
import {
  justAThoughtText,
  keptSubscriptionText,
  reminderAllAnsweredText,
  threadChoice,
  unsubscribedText,
  unsubscribeQuestion,
  whichItemQuestion,
} from '../../src/bot/blocks/replies.ts';
import {
  buildTopicMessage,
  whyItMattersInFull,
  withRating,
} from '../../src/bot/blocks/topic-message.ts';
import { catalogues, testVoice } from '../../src/bot/i18n/index.ts';
import { pseudoCatalogue, pseudoText } from '../../src/bot/i18n/pseudo.ts';
import { plainWordsIn, shownTexts } from '../support/pseudo-words.ts';

const voice = testVoice('xx', pseudoCatalogue(catalogues.en), 'en-GB');
const p = pseudoText;

const delivery: Pick<ClaimedDelivery, 'id' | 'topic'> = {
  id: '1',
  topic: {
    id: '2',
    slug: 'recency-bias',
    category: 'judging-people-fairly',
    title: p('Recency bias'),
    summary: p('You judge a quarter by its last two weeks.'),
    whyItMatters: p(`People notice. ${'And more words. '.repeat(20)}`),
    example: p('A strong quarter rated average after one late slip.'),
    reflectionQuestion: p('What did each person do in the first month?'),
    actions: [p('Keep a running log')],
    reference: p('Kahneman (2011), Thinking, Fast and Slow.'),
  },
};

const views: Array<[string, unknown]> = [
  ['the note', buildTopicMessage(delivery, [], voice)],
  [
    'the note with many planned actions',
    buildTopicMessage(
      { ...delivery, rating: 'useful' },
      Array.from({ length: 10 }, () => ({ text: p('Ask the team'), checkBackOn: '2026-01-19' })),
      voice,
    ),
  ],
  [
    'a rated note',
    withRating(buildTopicMessage(delivery, [], voice).blocks, 'v', 'not_for_me', voice),
  ],
  ['why it matters in full', whyItMattersInFull(delivery.topic, voice)],
  [
    'past notes',
    pastNotesMessage(
      [
        {
          id: '3',
          topicId: '2',
          topicTitle: null,
          sentAt: '2026-01-12T08:00:00Z',
          channelId: 'D1',
          ts: '1.2',
        },
      ],
      { page: 1, hasMore: true, timeZone: 'Europe/Berlin' },
      voice,
    ),
  ],
  ['no past notes', pastNotesMessage([], { page: 0, hasMore: false, timeZone: 'UTC' }, voice)],
  ['the thread choice', threadChoice(null, 'v', voice)],
  ['the unsubscribe question', unsubscribeQuestion(voice)],
  [
    'which item',
    whichItemQuestion(
      { id: '1', items: [] } as unknown as SentReminder,
      'not_yet',
      [{ id: '4', text: p('Log wins'), answer: null }] as unknown as SentReminder['items'],
      voice,
    ),
  ],
  [
    'short answers',
    [
      justAThoughtText(voice),
      keptSubscriptionText(voice),
      unsubscribedText(voice),
      reminderAllAnsweredText(voice),
    ].map((text) => ({ text })),
  ],
  ['the reflection, opening', reflectionNoticeModal(voice)],
  ['the reflection after Partly', buildReflectionModal('1', '2', 'partly', voice)],
  [
    'a modal refused on top',
    withProblemOnTop(
      { callback_id: 'c', title: { type: 'plain_text', text: p('Title') }, blocks: [] },
      p('Try again.'),
      voice,
    ),
  ],
];

describe('the note in the pseudo-language', () => {
  it.each(views)('%s has no word in plain English letters', (_name, view) => {
    expect(shownTexts(view).length).toBeGreaterThan(0);
    expect(plainWordsIn(view)).toEqual([]);
  });
});
