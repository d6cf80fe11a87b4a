/**
 * A new note's words depend on its topic and its reader's voice, not on the manager: the
 * delivery shows only in the value its buttons carry and in the message's metadata. A fan-out
 * sends each topic to thousands of managers within minutes, and building the note (eight
 * translated texts with parameters, a dozen blocks) was a tenth of the outbox's CPU, so the
 * outbox builds each (topic, voice) once and gives each delivery a copy of just the parts that
 * carry its id (issue 19, item 2). A topic edited since it was built is built again: its text
 * is compared with the kept one every time, which costs less than building it.
 */
import type { KnownBlock, MessageMetadata } from '@slack/types';
import type { ClaimedDelivery } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { buildTopicMessage, deliveryMetadata, type TopicButtonValue } from './topic-message.ts';

type Topic = ClaimedDelivery['topic'];

interface Template {
  topic: Topic;
  /** The value the template's buttons carry, with the stand-in id below. */
  value: string;
  text: string;
  blocks: readonly KnownBlock[];
}

/** Never a delivery's id (those are digits): marks where each delivery's id goes. */
const STAND_IN_ID = 'delivery-id';

/** Kept templates: topics × languages × locales in use, far fewer than this in practice. */
const KEPT = 500;

function sameTopic(a: Topic, b: Topic): boolean {
  return (
    a.slug === b.slug &&
    a.category === b.category &&
    a.title === b.title &&
    a.summary === b.summary &&
    a.whyItMatters === b.whyItMatters &&
    a.example === b.example &&
    a.reflectionQuestion === b.reflectionQuestion &&
    a.reference === b.reference &&
    a.actions.length === b.actions.length &&
    a.actions.every((action, i) => action === b.actions[i])
  );
}

const buttonValue = (deliveryId: string, topicId: string) =>
  JSON.stringify({ deliveryId, topicId } satisfies TopicButtonValue);

/**
 * `node` with every `value` equal to `from` replaced by `to`: new objects along the way to each
 * replaced value, the template's own objects everywhere else (nothing downstream changes a
 * message's blocks; they are serialised and sent).
 */
function withValue(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) {
    let copy: unknown[] | undefined;
    node.forEach((item, i) => {
      const replaced = withValue(item, from, to);
      if (replaced !== item) {
        copy ??= node.slice();
        copy[i] = replaced;
      }
    });
    return copy ?? node;
  }
  if (typeof node !== 'object' || node === null) return node;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(node)) {
    const replaced = key === 'value' && item === from ? to : withValue(item, from, to);
    if (replaced !== item) {
      copy ??= { ...node };
      copy[key] = replaced;
    }
  }
  return copy ?? node;
}

export type TopicNoteBuilder = (
  delivery: Pick<ClaimedDelivery, 'id' | 'topic'>,
  voice: Voice,
) => { text: string; blocks: KnownBlock[]; metadata: MessageMetadata };

/**
 * A builder of new notes (no planned actions, no rating yet), the same as buildTopicMessage's
 * for them, keeping the last few hundred (topic, voice) templates.
 */
export function createTopicNoteBuilder(): TopicNoteBuilder {
  const templates = new Map<string, Template>();
  return (delivery, voice) => {
    const { topic } = delivery;
    const key = `${topic.id}\u0000${voice.language}\u0000${voice.locale}`;
    let template = templates.get(key);
    if (!template || !sameTopic(template.topic, topic)) {
      const built = buildTopicMessage({ id: STAND_IN_ID, topic }, [], voice);
      template = {
        topic,
        value: buttonValue(STAND_IN_ID, topic.id),
        text: built.text,
        blocks: built.blocks,
      };
      templates.delete(key);
      if (templates.size >= KEPT) templates.delete(templates.keys().next().value as string);
      templates.set(key, template);
    }
    return {
      text: template.text,
      blocks: withValue(
        template.blocks,
        template.value,
        buttonValue(delivery.id, topic.id),
      ) as KnownBlock[],
      metadata: deliveryMetadata(delivery.id),
    };
  };
}
