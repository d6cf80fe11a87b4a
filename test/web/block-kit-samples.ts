/**
 * The sample data the Block Kit samples are built from (block-kit-samples-messages.ts,
 * block-kit-samples-views.ts, block-kit-samples-undo.ts): a subscription, action items, topics
 * at their ordinary and their longest, progress and reminders, each a little at odds with the
 * happy path so the builders' branches show.
 */
import type {
  ActionItem,
  ClaimedDelivery,
  ClaimedReminder,
  Progress,
  Subscription,
} from '../../src/bot/api-client/index.ts';
import { buildReminderMessage } from '../../src/bot/blocks/reminders.ts';
import type { Voice } from '../../src/bot/i18n/index.ts';

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

/** A delivered note, with mrkdwn and a link in its text. */
export const delivery: Pick<ClaimedDelivery, 'id' | 'topic'> = {
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
export const longest: Pick<ClaimedDelivery, 'id' | 'topic'> = {
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

export type ReminderItem = ClaimedReminder['items'][number];
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
