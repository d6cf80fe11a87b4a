/**
 * Samples of what issue 17, item 3 (undo everywhere) and `/blindspot topics` added to the bot's
 * surfaces, at their longest: block-kit-coverage.test.ts renders them and checks Slack's limits
 * as it does the others (./block-kit-samples.ts).
 */

import type { HomeView } from '@slack/types';
import { deletedReply } from '../../src/bot/blocks/action-items.ts';
import { recentNotesBlocks } from '../../src/bot/blocks/history.ts';
import { buildHome } from '../../src/bot/blocks/home.ts';
import { openItemBlocks } from '../../src/bot/blocks/open-items.ts';
import { pastNotesMessage } from '../../src/bot/blocks/past-notes.ts';
import { progressBlocks, withAnswer, withAnswerButtons } from '../../src/bot/blocks/reminders.ts';
import { replyRecorded } from '../../src/bot/blocks/replies.ts';
import { type Voice, voiceFor } from '../../src/bot/i18n/index.ts';
import {
  asking,
  FULL_PROGRESS,
  item,
  MANY_ITEMS,
  progress,
  reminder,
  subscription,
} from './block-kit-samples.ts';

/** Notes as /blindspot topics lists them: titles at the catalogue's longest. */
const PAST_NOTES = Array.from({ length: 10 }, (_, n) => ({
  id: `delivery-${n}`,
  topicId: `topic-${n}`,
  topicTitle: n === 3 ? null : `${n} ${'T'.repeat(119)}`,
  sentAt: '2026-01-12T08:00:00.000Z',
  channelId: 'D0ADA',
  ts: `1768204800.00010${n}`,
}));

/** Issue 17, item 3 (undo everywhere) and `/blindspot topics`. */
export function undoMessages(
  voice: Voice = voiceFor(),
): Array<{ name: string; blocks: readonly unknown[] }> {
  const oneReminder = reminder([asking], voice);
  const change = { reminderId: 'reminder-1', responseId: 'response-1' };
  const longItem = item({ text: 'x'.repeat(500) });
  return [
    {
      name: 'an item deleted in its thread, with Undo',
      blocks: deletedReply(longItem, voice).blocks,
    },
    {
      name: 'open actions, one just deleted, with Undo',
      blocks: openItemBlocks(MANY_ITEMS, { deleted: longItem, voice }),
    },
    {
      name: '/blindspot history, a full page of actions and one just deleted',
      blocks: [
        ...progressBlocks(FULL_PROGRESS, voice),
        ...recentNotesBlocks(PAST_NOTES, { timeZone: 'Europe/Berlin', voice }),
        ...openItemBlocks(MANY_ITEMS, { deleted: longItem, voice }),
      ],
    },
    ...['done', 'not_yet', 'dropped'].map((answer) => ({
      name: `a reminder answered ${answer}, with Change answer`,
      blocks: withAnswer(oneReminder.blocks, 'item-1', answer, undefined, change),
    })),
    {
      name: 'a reminder whose answer is being changed',
      blocks: withAnswerButtons(
        withAnswer(oneReminder.blocks, 'item-1', 'done', undefined, change),
        { itemId: 'item-1', ...change },
        'x'.repeat(500),
        voice,
      ),
    },
    {
      name: 'a reminder reply recorded, with Change answer',
      blocks:
        replyRecorded('x'.repeat(500), 'dropped', voice, { ...change, itemId: 'item-1' }).blocks ??
        [],
    },
    {
      name: '/blindspot topics, nothing yet',
      blocks: pastNotesMessage([], { page: 0, hasMore: false, timeZone: 'UTC' }, voice).blocks,
    },
    {
      name: '/blindspot topics, a middle page of long titles',
      blocks: pastNotesMessage(
        PAST_NOTES,
        { page: 2, hasMore: true, timeZone: 'America/New_York' },
        voiceFor({ language: voice.language, locale: 'en-US' }),
      ).blocks,
    },
    {
      name: '/blindspot topics, the first page',
      blocks: pastNotesMessage(
        PAST_NOTES.slice(0, 3),
        { page: 0, hasMore: true, timeZone: 'Europe/Berlin' },
        voice,
      ).blocks,
    },
  ];
}

export function undoHomeViews(voice: Voice = voiceFor()): Array<{ name: string; view: HomeView }> {
  return [
    {
      name: 'active, a full page of actions, one just deleted, and many topics hidden',
      view: buildHome(subscription({ weeklyDigest: true }), voice, {
        openItems: MANY_ITEMS,
        progress: FULL_PROGRESS,
        deleted: item({ text: 'x'.repeat(500) }),
        hiddenTopics: Array.from({ length: 15 }, (_, n) => ({
          topicId: `topic-${n}`,
          title: `${n} ${'T'.repeat(119)}`,
          hiddenAt: '2026-01-12T10:00:00.000Z',
        })),
      }),
    },
    {
      name: 'paused, one topic hidden',
      view: buildHome(subscription({ status: 'paused' }), voice, {
        progress: progress(),
        hiddenTopics: [
          { topicId: 'topic-1', title: 'Recency bias', hiddenAt: '2026-01-12T10:00:00.000Z' },
        ],
      }),
    },
  ];
}
