/**
 * What the Block Kit builder tests share: a manager's subscription as the API returns it, and
 * readers for the text and the buttons of a list of blocks.
 */
import type {
  ActionsBlock,
  AnyBlock,
  Button,
  ContextBlock,
  InputBlock,
  SectionBlock,
} from '@slack/types';
import type { Subscription } from '../../../src/bot/api-client/index.ts';
import { voiceFor } from '../../../src/bot/i18n/index.ts';

/** English, as a manager in the UK reads it (subscription()'s locale). */
export const EN = voiceFor({ locale: 'en-GB' });

/** A subscription as the API returns it: Mon, Wed and Fri at 09:00 in Tokyo, en-GB. */
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
    timeZone: 'Asia/Tokyo',
    skippedCategories: [],
    locale: 'en-GB',
    language: 'en',
    chosenLanguage: null,
    // Monday 2 March 2026 at 09:00 in Tokyo, which is still Sunday in UTC.
    nextDeliveryAt: '2026-03-02T00:00:00.000Z',
    createdAt: '2026-01-05T12:00:00.000Z',
    updatedAt: '2026-01-05T12:00:00.000Z',
    ...overrides,
  };
}

export function isInput(block: AnyBlock): block is InputBlock {
  return block.type === 'input';
}
export function isSection(block: AnyBlock): block is SectionBlock {
  return block.type === 'section';
}
function isActions(block: AnyBlock): block is ActionsBlock {
  return block.type === 'actions';
}
function isContext(block: AnyBlock): block is ContextBlock {
  return block.type === 'context';
}
function isButton(element: ActionsBlock['elements'][number]): element is Button {
  return element.type === 'button';
}

/** The mrkdwn and plain text of section and context blocks, in order. */
export function texts(blocks: readonly AnyBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (isSection(block)) return block.text ? [block.text.text] : [];
    if (isContext(block))
      return block.elements.flatMap((element) => ('text' in element ? [element.text] : []));
    return [];
  });
}

/** The buttons of the actions blocks, in order. */
export function buttons(blocks: readonly AnyBlock[]): Button[] {
  return blocks.filter(isActions).flatMap((block) => block.elements.filter(isButton));
}
