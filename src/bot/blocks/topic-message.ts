/** The blind-spot message itself: a Block Kit DM with a plain-text fallback. */
import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { ClaimedDelivery, NoteRating } from '../api-client/index.ts';
import type { MessageKey, Voice } from '../i18n/index.ts';
import { clipped } from './action-modal.ts';
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

/** Each rating's words: its button, the button once chosen, and what a screen reader says. */
const RATING_WORDS: Record<
  NoteRating,
  Record<'button' | 'chosen' | 'rateLabel' | 'chosenLabel', MessageKey>
> = {
  useful: {
    button: 'note.rating.useful.button',
    chosen: 'note.rating.useful.chosen',
    rateLabel: 'note.rating.useful.rateLabel',
    chosenLabel: 'note.rating.useful.chosenLabel',
  },
  not_for_me: {
    button: 'note.rating.notForMe.button',
    chosen: 'note.rating.notForMe.chosen',
    rateLabel: 'note.rating.notForMe.rateLabel',
    chosenLabel: 'note.rating.notForMe.chosenLabel',
  },
};

/**
 * "Was this useful?" with its two answers; the chosen one reads "✓ Useful" and is primary, and
 * either can be pressed again to change it.
 */
export function ratingBlock(value: string, rating: NoteRating | null, voice: Voice): KnownBlock {
  const choice = (kind: NoteRating, actionId: string) => {
    const chosen = rating === kind;
    const words = RATING_WORDS[kind];
    return {
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: voice.t(chosen ? words.chosen : words.button) },
      action_id: actionId,
      value,
      ...(chosen && { style: 'primary' as const }),
      // A screen reader says the state the check mark shows.
      accessibility_label: voice.t(chosen ? words.chosenLabel : words.rateLabel),
    };
  };
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
  voice: Voice,
): KnownBlock[] {
  return blocks.map((block) =>
    block.type === 'actions' && block.block_id === TOPIC_RATING_BLOCK
      ? ratingBlock(value, rating, voice)
      : block,
  );
}

/** Marks a message as the delivery's, so a sender retrying after a crash can find it. */
export function deliveryMetadata(deliveryId: string): MessageMetadata {
  return { event_type: 'blindspot_delivery', event_payload: { delivery_id: deliveryId } };
}

/** What each button carries, so a click needs no lookup to know its delivery and topic. */
export interface TopicButtonValue {
  deliveryId: string;
  topicId: string;
}

/** A manager's words in the note, cut and with mrkdwn's markers shown as they typed them. */
const asTyped = (text: string) =>
  clipped(text, PLANNED_TEXT_SHOWN).replace(/[*_~`]/g, (c) => `\u200b${c}`);

function plannedBlocks(
  planned: ReadonlyArray<{ text: string; checkBackOn: string }>,
  voice: Voice,
): KnownBlock[] {
  if (planned.length === 0) return [];
  const lines = planned.slice(0, PLANNED_SHOWN).map((item) =>
    voice.t('note.topic.plannedItem', {
      text: asTyped(item.text),
      date: formatLocalDate(item.checkBackOn, voice),
    }),
  );
  if (planned.length > PLANNED_SHOWN) {
    lines.push(voice.t('note.topic.plannedMore', { count: planned.length - PLANNED_SHOWN }));
  }
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: voice.t('note.topic.planned', { items: lines.join('\n') }) },
    },
  ];
}

/**
 * The note, in the manager's voice (the topic's own text comes from the API in their language).
 * With `planned` items it is the same note after the manager planned actions on it: they are
 * listed, and the first button reads "Add another".
 */
export function buildTopicMessage(
  delivery: Pick<ClaimedDelivery, 'id' | 'topic'> & { rating?: NoteRating | null },
  planned: ReadonlyArray<{ text: string; checkBackOn: string }>,
  voice: Voice,
): {
  text: string;
  blocks: KnownBlock[];
  metadata: MessageMetadata;
} {
  const { topic } = delivery;
  const value = JSON.stringify({
    deliveryId: delivery.id,
    topicId: topic.id,
  } satisfies TopicButtonValue);
  const why = whyItMattersLine(topic.whyItMatters);
  const actions = topic.actions.map((action) => `• ${action}`).join('\n');
  return {
    // The fallback: notifications, screen readers, and clients that cannot show blocks.
    text: voice.t('note.topic.fallback', {
      title: topic.title,
      summary: topic.summary,
      why: why.line,
      question: topic.reflectionQuestion,
    }),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: topic.title } },
      { type: 'section', text: { type: 'mrkdwn', text: topic.summary } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: voice.t('note.topic.whyItMatters', { text: why.line }) },
        ...(why.shortened && {
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: voice.t('note.topic.readAll') },
            action_id: TOPIC_ACTIONS.whyItMatters,
            value,
            accessibility_label: voice.t('note.topic.readAllLabel'),
          },
        }),
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: voice.t('note.topic.example', { text: topic.example }) },
      },
      ...(actions
        ? [
            {
              type: 'section' as const,
              text: {
                type: 'mrkdwn' as const,
                text: voice.t('note.topic.thingsToTry', { actions }),
              },
            },
          ]
        : []),
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: voice.t('note.topic.askYourself', { question: topic.reflectionQuestion }),
        },
      },
      ...plannedBlocks(planned, voice),
      {
        type: 'actions',
        block_id: TOPIC_ACTIONS_BLOCK,
        elements: [
          {
            type: 'button',
            style: 'primary',
            text: {
              type: 'plain_text',
              text: voice.t(planned.length > 0 ? 'note.topic.addAnother' : 'note.topic.planAction'),
            },
            action_id: TOPIC_ACTIONS.planAction,
            value,
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: voice.t('note.topic.notRelevant') },
            action_id: TOPIC_ACTIONS.notRelevant,
            value,
          },
          {
            type: 'button',
            text: { type: 'plain_text', text: voice.t('note.topic.pause') },
            action_id: TOPIC_ACTIONS.pause,
            value,
          },
        ],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: voice.t('note.topic.wasItUseful') }],
      },
      ratingBlock(value, delivery.rating ?? null, voice),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: readMoreText(topic.reference, voice) }],
      },
    ],
    metadata: deliveryMetadata(delivery.id),
  };
}

/** "*Why “Recency bias” matters:* …": all of it, as the note's "Read all" shows it. */
export function whyItMattersInFull(
  topic: { title: string; whyItMatters: string },
  voice: Voice,
): string {
  return voice.t('note.topic.whyInFull', { title: topic.title, text: topic.whyItMatters });
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
