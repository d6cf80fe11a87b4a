/**
 * The outbox builds a new note once per topic and voice and puts each delivery's id into a copy
 * (issue 19, item 2). What it posts must be exactly what buildTopicMessage would have built for
 * that delivery, whatever the topic's text, language and region; a topic edited since is built
 * again; and no delivery's message shares an id with another's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../src/bot/api-client/index.ts';
import { buildTopicMessage } from '../../src/bot/blocks/topic-message.ts';
import { createTopicNoteBuilder } from '../../src/bot/blocks/topic-note-templates.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';

type Topic = ClaimedDelivery['topic'];

const TOPIC: Topic = {
  id: '42',
  slug: 'recency-bias',
  category: 'judgement',
  title: 'Recency bias',
  summary: 'The last few weeks weigh more than the months before them.',
  whyItMatters:
    'Reviews then reward whoever shone lately. People notice, and learn that steady work counts for less than a good last month, which is not what you meant to teach them at all.',
  example: 'A review written in December that remembers only November.',
  reflectionQuestion: 'What did each person do in the first half of the year?',
  actions: ['Keep a running log', 'Read it before each review'],
  reference: 'Kahneman, D. (2011). Thinking, Fast and Slow.',
};

const delivery = (id: string, topic: Topic = TOPIC) => ({ id, topic });

describe('when the outbox builds new notes from kept templates', () => {
  it('then each note is the one buildTopicMessage builds for its delivery, for any topic text, language and region', () => {
    const text = fc.string({ minLength: 1, maxLength: 300 });
    const topic = fc.record({
      id: fc.integer({ min: 1, max: 5 }).map(String),
      slug: fc.constantFrom('a', 'b'),
      category: fc.constantFrom('judgement', 'delegation'),
      title: text,
      summary: text,
      whyItMatters: fc.oneof(text, fc.string({ minLength: 161, maxLength: 600 })),
      example: text,
      reflectionQuestion: text,
      actions: fc.array(text, { maxLength: 4 }),
      reference: fc.oneof(text, fc.constant('https://example.com/paper')),
    });
    const voice = fc
      .record({
        language: fc.constantFrom('en', 'de', 'fr'),
        locale: fc.constantFrom('en-GB', 'en-US', 'de-AT', 'fr-CA', undefined),
      })
      .map((choice) => voiceFor(choice));
    // One builder across every run: templates kept from earlier topics with the same id but
    // other text must not leak into a later note.
    const build = createTopicNoteBuilder();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1e9 }).map(String), topic, voice), {
          minLength: 1,
          maxLength: 6,
        }),
        (notes) => {
          for (const [id, noteTopic, noteVoice] of notes) {
            expect(build(delivery(id, noteTopic), noteVoice)).toEqual(
              buildTopicMessage(delivery(id, noteTopic), [], noteVoice),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('then two managers sent the same topic get buttons and metadata carrying their own delivery only', () => {
    const build = createTopicNoteBuilder();
    const voice = voiceFor({ locale: 'en-GB' });
    const first = build(delivery('1001'), voice);
    const second = build(delivery('1002'), voice);
    const firstJson = JSON.stringify(first);
    const secondJson = JSON.stringify(second);
    expect(firstJson).toContain('\\"deliveryId\\":\\"1001\\"');
    expect(firstJson).not.toContain('1002');
    expect(secondJson).toContain('\\"deliveryId\\":\\"1002\\"');
    expect(secondJson).not.toContain('1001');
    // Building the second left the first as it was.
    expect(first).toEqual(buildTopicMessage(delivery('1001'), [], voice));
    expect(first.metadata).toEqual({
      event_type: 'blindspot_delivery',
      event_payload: { delivery_id: '1001' },
    });
  });

  it('then a topic edited since its template was built is sent as edited', () => {
    const build = createTopicNoteBuilder();
    const voice = voiceFor({ locale: 'de-DE', language: 'de' });
    build(delivery('1'), voice);
    const edited = { ...TOPIC, actions: [...TOPIC.actions.slice(0, 1), 'Ask a peer'] };
    const note = build(delivery('2', edited), voice);
    expect(note).toEqual(buildTopicMessage(delivery('2', edited), [], voice));
    expect(JSON.stringify(note.blocks)).toContain('Ask a peer');
    expect(JSON.stringify(note.blocks)).not.toContain('Read it before each review');
  });
});
