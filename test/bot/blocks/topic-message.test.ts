/**
 * The note a manager gets (src/bot/blocks/topic-message.ts): its text and fallback, its
 * buttons and their values, the rating, and how a choice replaces the buttons.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../../src/bot/api-client/index.ts';
import {
  buildTopicMessage,
  parseTopicButtonValue,
  TOPIC_ACTIONS,
  TOPIC_ACTIONS_BLOCK,
  TOPIC_RATING_BLOCK,
  whyItMattersLine,
  withButtonsReplaced,
  withRating,
} from '../../../src/bot/blocks/topic-message.ts';
import { voiceFor } from '../../../src/bot/i18n/index.ts';
import { buttons, isSection, texts } from './block-kit.ts';

const ENGLISH = voiceFor();

const TOPIC: ClaimedDelivery['topic'] = {
  id: 'topic-7',
  slug: 'the-halo-effect',
  category: 'judging-people-fairly',
  title: 'The halo effect',
  summary: 'One strength colours how you see everything else about a person.',
  whyItMatters: 'Reviews drift towards people who remind you of yourself.',
  example: 'Your best presenter gets the benefit of the doubt on a late project.',
  reflectionQuestion: 'Whose work did you judge by their charm this week?',
  actions: ['List evidence', 'Ask a peer', 'Review blind'],
  reference: 'Thorndike (1920), A constant error in psychological ratings.',
};

describe('the topic message', () => {
  const message = buildTopicMessage({ id: 'delivery-42', topic: TOPIC }, [], ENGLISH);

  it('is headed by the topic title', () => {
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'The halo effect' },
    });
  });

  it('has a fallback text with the title and the reflection question, for notifications and screen readers', () => {
    expect(message.text).toContain('The halo effect');
    expect(message.text).toContain('Whose work did you judge by their charm this week?');
  });

  it('shows the summary, the example, the question and the reference', () => {
    const all = texts(message.blocks).join('\n');
    expect(all).toContain(TOPIC.summary);
    expect(all).toContain(TOPIC.example);
    expect(all).toContain(`*Ask yourself:* ${TOPIC.reflectionQuestion}`);
    expect(all).toContain(TOPIC.reference);
  });

  it('when the reference ends with a DOI, then "Read more" links the citation to doi.org', () => {
    const linked = buildTopicMessage(
      {
        id: 'delivery-43',
        topic: {
          ...TOPIC,
          reference:
            'Thorndike, E. L. (1920). A constant error in psychological ratings. https://doi.org/10.1037/h0071663',
        },
      },
      [],
      ENGLISH,
    );
    expect(texts(linked.blocks)).toContain(
      'Read more: <https://doi.org/10.1037/h0071663|Thorndike, E. L. (1920). A constant error in psychological ratings.>',
    );
  });

  it('shows why it matters in one line, and the three actions to try', () => {
    const all = texts(message.blocks).join('\n');
    expect(all).toContain(`*Why it matters:* ${TOPIC.whyItMatters}`);
    expect(all).toContain('*Things to try:*\n• List evidence\n• Ask a peer\n• Review blind');
    expect(message.text).toContain(`Why it matters: ${TOPIC.whyItMatters}`);
    // Short enough to show whole, so no button to read the rest.
    expect(JSON.stringify(message.blocks)).not.toContain(TOPIC_ACTIONS.whyItMatters);
  });

  it('when why it matters is long, then the note shows its first sentence and a button for the rest', () => {
    const whyItMatters = `${'People notice who you listen to. '.repeat(2)}${'And more. '.repeat(30)}`;
    const long = buildTopicMessage({ id: 'd', topic: { ...TOPIC, whyItMatters } }, [], ENGLISH);
    expect(texts(long.blocks)).toContain('*Why it matters:* People notice who you listen to.');
    const why = long.blocks.find(
      (block) => isSection(block) && block.text?.text.startsWith('*Why it matters:*'),
    ) as SectionBlock;
    expect(why.accessory).toMatchObject({
      type: 'button',
      action_id: TOPIC_ACTIONS.whyItMatters,
      text: { text: 'Read all' },
    });
    const oneSentence = whyItMattersLine(`${'word '.repeat(60)}end.`);
    expect(oneSentence.shortened).toBe(true);
    expect(oneSentence.line.length).toBeLessThanOrEqual(160);
    expect(oneSentence.line.endsWith('word…')).toBe(true);
  });

  it('asks "Was this note useful?" with Useful and Not for me, and shows the chosen one checked', () => {
    const ratingIds = (blocks: readonly KnownBlock[]) =>
      buttons(blocks.filter((block) => block.block_id === TOPIC_RATING_BLOCK));
    expect(ratingIds(message.blocks).map((b) => [b.text.text, b.style])).toEqual([
      ['Useful', undefined],
      ['Not for me', undefined],
    ]);
    const rated = withRating(message.blocks, 'v', 'not_for_me', ENGLISH);
    expect(ratingIds(rated).map((b) => [b.text.text, b.style, b.accessibility_label])).toEqual([
      ['Useful', undefined, 'Rate this note useful'],
      ['✓ Not for me', 'primary', 'Not for me: your rating of this note'],
    ]);
    // Everything else is left as it was.
    rated.forEach((block, index) => {
      if (block.block_id !== TOPIC_RATING_BLOCK) expect(block).toBe(message.blocks[index]);
    });
    const again = buildTopicMessage(
      { id: 'delivery-42', topic: TOPIC, rating: 'useful' },
      [],
      ENGLISH,
    );
    expect(ratingIds(again.blocks)[0]?.text.text).toBe('✓ Useful');
  });

  it('has three buttons that each carry the delivery and the topic, and two to rate the note', () => {
    const found = buttons(message.blocks);
    expect(found.map((button) => button.action_id)).toEqual([
      TOPIC_ACTIONS.planAction,
      TOPIC_ACTIONS.notRelevant,
      TOPIC_ACTIONS.pause,
      TOPIC_ACTIONS.rateUseful,
      TOPIC_ACTIONS.rateNotForMe,
    ]);
    const values = found.map((button) => button.value);
    expect(new Set(values).size).toBe(1);
    expect(JSON.parse(values[0] ?? '')).toEqual({ deliveryId: 'delivery-42', topicId: 'topic-7' });
    expect(parseTopicButtonValue(values[0])).toEqual({
      deliveryId: 'delivery-42',
      topicId: 'topic-7',
    });
  });

  it('is marked with its delivery id, so a retrying sender can find it', () => {
    expect(message.metadata.event_type).toBe('blindspot_delivery');
    expect(message.metadata.event_payload.delivery_id).toBe('delivery-42');
  });

  it('when the manager has chosen, then only the buttons are replaced by a note', () => {
    const replaced = withButtonsReplaced(message.blocks, 'Marked not relevant.');
    expect(replaced).toHaveLength(message.blocks.length);
    const at = message.blocks.findIndex((block) => block.block_id === TOPIC_ACTIONS_BLOCK);
    expect(at).toBeGreaterThan(0);
    replaced.forEach((block, index) => {
      if (index === at) {
        expect(block).toEqual({
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Marked not relevant.' }],
        });
      } else {
        expect(block).toBe(message.blocks[index]);
      }
    });
    expect(buttons(replaced).map((b) => b.action_id)).toEqual([
      TOPIC_ACTIONS.rateUseful,
      TOPIC_ACTIONS.rateNotForMe,
    ]);
  });

  it('when another actions block is in the message, then it is kept', () => {
    const other: KnownBlock = {
      type: 'actions',
      block_id: 'something_else',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Other' }, action_id: 'other' },
      ],
    };
    const replaced = withButtonsReplaced([...message.blocks, other], 'Done.');
    expect(replaced.at(-1)).toBe(other);
  });

  it.each([
    undefined,
    '',
    'not json',
    'null',
    '42',
    '[]',
    '{}',
    '{"deliveryId":"delivery-42"}',
    '{"topicId":"topic-7"}',
    '{"deliveryId":42,"topicId":"topic-7"}',
    '{"deliveryId":"delivery-42","topicId":null}',
  ])('when a button value is %j, then it is rejected', (value) => {
    expect(parseTopicButtonValue(value)).toBeUndefined();
  });

  it('when a button value has extra properties, then only the delivery and topic are kept', () => {
    expect(
      parseTopicButtonValue('{"deliveryId":"d","topicId":"t","admin":true,"__proto__":{"x":1}}'),
    ).toEqual({ deliveryId: 'd', topicId: 't' });
  });
});
