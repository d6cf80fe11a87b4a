/** The blind-spot message itself: a Block Kit DM with a plain-text fallback. */
import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { ClaimedDelivery } from '../api-client/index.ts';
import { formatLocalDate } from './action-items.ts';
import { readMoreText } from './reference-link.ts';

export const TOPIC_ACTIONS = {
  planAction: 'topic_plan_action',
  notRelevant: 'topic_not_relevant',
  pause: 'topic_pause',
} as const;
export const TOPIC_ACTIONS_BLOCK = 'topic_actions';

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
  delivery: Pick<ClaimedDelivery, 'id' | 'topic'>,
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
                .map(
                  (item) =>
                    `• ${item.text.replace(/[*_~`]/g, (c) => `\u200b${c}`)} (check back ${formatLocalDate(item.checkBackOn)})`,
                )
                .join('\n')}`,
            },
          },
        ];
  const value = JSON.stringify({
    deliveryId: delivery.id,
    topicId: topic.id,
  } satisfies TopicButtonValue);
  return {
    // The fallback: notifications, screen readers, and clients that cannot show blocks.
    text: `${topic.title}: ${topic.summary} Ask yourself: ${topic.reflectionQuestion}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: topic.title } },
      { type: 'section', text: { type: 'mrkdwn', text: topic.summary } },
      { type: 'section', text: { type: 'mrkdwn', text: `_For example:_ ${topic.example}` } },
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
