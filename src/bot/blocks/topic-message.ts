/** The blind-spot message itself: a Block Kit DM with a plain-text fallback. */
import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { ClaimedDelivery, NoteRating } from '../api-client/index.ts';
import { clipped } from './action-items.ts';
import { formatLocalDate } from './format.ts';
import { readMoreText } from './reference-link.ts';

export const TOPIC_ACTIONS = {
  planAction: 'topic_plan_action',
  notRelevant: 'topic_not_relevant',
  pause: 'topic_pause',
  whyItMatters: 'topic_why_it_matters',
  rateUseful: 'topic_rate_useful',
  rateNotForMe: 'topic_rate_not_for_me',
} as const;
export const TOPIC_ACTIONS_BLOCK = 'topic_actions';
export const TOPIC_RATING_BLOCK = 'topic_rating';

/**
 * The planned actions a note lists, and how much of each: a section holds 3,000 characters,
 * and ten actions of 500 would not fit. The full list is a command away.
 */
const PLANNED_SHOWN = 8;
const PLANNED_TEXT_SHOWN = 200;

/** The longest "why it matters" line shown in the note; the rest is one click away. */
const WHY_LINE_LENGTH = 160;

/**
 * "Why it matters" as one line: its first sentence when that is short enough, else cut at a
 * word. `shortened` says whether the note needs a way to the full text.
 */
export function whyItMattersLine(text: string): { line: string; shortened: boolean } {
  const full = text.trim().replace(/\s+/g, ' ');
  if (full.length <= WHY_LINE_LENGTH) return { line: full, shortened: false };
  const sentence = /^.+?[.!?](?=\s)/.exec(full)?.[0];
  if (sentence && sentence.length <= WHY_LINE_LENGTH) return { line: sentence, shortened: true };
  const cut = full.slice(0, WHY_LINE_LENGTH - 1);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(' '), WHY_LINE_LENGTH / 2));
  return { line: `${atWord.replace(/[\s,;:]+$/, '')}…`, shortened: true };
}

const RATING_LABELS: Record<NoteRating, string> = {
  useful: 'Useful',
  not_for_me: 'Not for me',
};

/**
 * "Was this useful?" with its two answers; the chosen one reads "✓ Useful" and is primary, and
 * either can be pressed again to change it.
 */
export function ratingBlock(value: string, rating: NoteRating | null): KnownBlock {
  const choice = (kind: NoteRating, actionId: string) => ({
    type: 'button' as const,
    text: {
      type: 'plain_text' as const,
      text: rating === kind ? `✓ ${RATING_LABELS[kind]}` : RATING_LABELS[kind],
    },
    action_id: actionId,
    value,
    ...(rating === kind && { style: 'primary' as const }),
    // A screen reader says the state the check mark shows.
    accessibility_label:
      rating === kind
        ? `${RATING_LABELS[kind]}: your rating of this note`
        : `Rate this note ${RATING_LABELS[kind].toLowerCase()}`,
  });
  return {
    type: 'actions',
    block_id: TOPIC_RATING_BLOCK,
    elements: [
      choice('useful', TOPIC_ACTIONS.rateUseful),
      choice('not_for_me', TOPIC_ACTIONS.rateNotForMe),
    ],
  };
}

/** The note's blocks with its rating shown as `rating`, everything else as it was. */
export function withRating(
  blocks: readonly KnownBlock[],
  value: string,
  rating: NoteRating,
): KnownBlock[] {
  return blocks.map((block) =>
    block.type === 'actions' && block.block_id === TOPIC_RATING_BLOCK
      ? ratingBlock(value, rating)
      : block,
  );
}

/** What each button carries, so a click needs no lookup to know its delivery and topic. */
export interface TopicButtonValue {
  deliveryId: string;
  topicId: string;
}

/**
 * The note. With `planned` items it is the same note after the manager planned actions on it:
 * they are listed, and the first button reads "Add another".
 */
export function buildTopicMessage(
  delivery: Pick<ClaimedDelivery, 'id' | 'topic'> & {
    rating?: NoteRating | null;
    locale?: string;
  },
  planned: ReadonlyArray<{ text: string; checkBackOn: string }> = [],
): {
  text: string;
  blocks: KnownBlock[];
  metadata: MessageMetadata;
} {
  const { topic } = delivery;
  const plannedBlocks: KnownBlock[] =
    planned.length === 0
      ? []
      : [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `*You planned:*\n${planned
                .slice(0, PLANNED_SHOWN)
                .map(
                  (item) =>
                    `• ${clipped(item.text, PLANNED_TEXT_SHOWN).replace(/[*_~`]/g, (c) => `\u200b${c}`)} (check back ${formatLocalDate(item.checkBackOn, delivery.locale)})`,
                )
                .join('\n')}${
                planned.length > PLANNED_SHOWN
                  ? `\n…and ${planned.length - PLANNED_SHOWN} more in \`/blindspot actions\``
                  : ''
              }`,
            },
          },
        ];
  const value = JSON.stringify({
    deliveryId: delivery.id,
    topicId: topic.id,
  } satisfies TopicButtonValue);
  const why = whyItMattersLine(topic.whyItMatters);
  const actions = topic.actions.map((action) => `• ${action}`).join('\n');
  return {
    // The fallback: notifications, screen readers, and clients that cannot show blocks.
    text: `${topic.title}: ${topic.summary} Why it matters: ${why.line} Ask yourself: ${topic.reflectionQuestion}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: topic.title } },
      { type: 'section', text: { type: 'mrkdwn', text: topic.summary } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*Why it matters:* ${why.line}` },
        ...(why.shortened && {
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: 'Read all' },
            action_id: TOPIC_ACTIONS.whyItMatters,
            value,
            accessibility_label: 'Read all of why it matters',
          },
        }),
      },
      { type: 'section', text: { type: 'mrkdwn', text: `_For example:_ ${topic.example}` } },
      ...(actions
        ? [
            {
              type: 'section' as const,
              text: { type: 'mrkdwn' as const, text: `*Things to try:*\n${actions}` },
            },
          ]
        : []),
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*Ask yourself:* ${topic.reflectionQuestion}` },
      },
      ...plannedBlocks,
      {
        type: 'actions',
        block_id: TOPIC_ACTIONS_BLOCK,
        elements: [
          {
            type: 'button',
            style: 'primary',
            text: {
              type: 'plain_text',
              text: planned.length > 0 ? 'Add another' : 'Plan an action',
            },
            action_id: TOPIC_ACTIONS.planAction,
            value,
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Not relevant' },
            action_id: TOPIC_ACTIONS.notRelevant,
            value,
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Pause' },
            action_id: TOPIC_ACTIONS.pause,
            value,
          },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Was this note useful to you?' }] },
      ratingBlock(value, delivery.rating ?? null),
      { type: 'context', elements: [{ type: 'mrkdwn', text: readMoreText(topic.reference) }] },
    ],
    // Marks the message as this delivery's, so a sender retrying after a crash can find it.
    metadata: { event_type: 'blindspot_delivery', event_payload: { delivery_id: delivery.id } },
  };
}

/** The message's buttons replaced by a note of what the manager chose. */
export function withButtonsReplaced(blocks: readonly KnownBlock[], note: string): KnownBlock[] {
  return blocks.map((block) =>
    block.type === 'actions' && block.block_id === TOPIC_ACTIONS_BLOCK
      ? { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }
      : block,
  );
}

export function parseTopicButtonValue(value: string | undefined): TopicButtonValue | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<TopicButtonValue>;
    return typeof parsed.deliveryId === 'string' && typeof parsed.topicId === 'string'
      ? { deliveryId: parsed.deliveryId, topicId: parsed.topicId }
      : undefined;
  } catch {
    return undefined;
  }
}
