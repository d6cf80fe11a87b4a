/**
 * "Topics you hid", on the App Home: the topics the manager marked "not relevant", each with a
 * Restore button that puts it back into their rotation. Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import type { HiddenTopic } from '../api-client/index.ts';
import { button, labelled } from './elements.ts';
import { escapeMrkdwn } from './reference-link.ts';

export const HIDDEN_TOPIC_ACTIONS = { restore: 'home_restore_topic' } as const;
/** The section's heading block, so a test or a refresh can find it. */
export const HIDDEN_TOPICS_BLOCK = 'hidden_topics';
/**
 * Topics listed at most: one block each, which with the rest of the Home tab stays under the
 * 100 blocks Slack allows a view. Restoring one shows the next.
 */
export const HIDDEN_TOPICS_SHOWN = 10;

/** Nothing when no topic is hidden: the Home tab doesn't list what isn't there. */
export function hiddenTopicsBlocks(topics: readonly HiddenTopic[]): KnownBlock[] {
  if (topics.length === 0) return [];
  const shown = topics.slice(0, HIDDEN_TOPICS_SHOWN);
  const more = topics.length - shown.length;
  return [
    { type: 'divider' },
    {
      type: 'section',
      block_id: HIDDEN_TOPICS_BLOCK,
      text: {
        type: 'mrkdwn',
        text: `*Topics you hid*\nYou marked these not relevant, so I don't send them. Restore one to get it again.${
          more > 0 ? ` (The ${shown.length} you hid last; ${more} more after these.)` : ''
        }`,
      },
    },
    ...shown.map(
      (topic): KnownBlock => ({
        type: 'section',
        text: { type: 'mrkdwn', text: `• ${escapeMrkdwn(topic.title)}` },
        accessory: labelled(
          button('Restore', HIDDEN_TOPIC_ACTIONS.restore, topic.topicId),
          'Restore',
          topic.title,
        ),
      }),
    ),
  ];
}
