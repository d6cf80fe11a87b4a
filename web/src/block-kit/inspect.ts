/**
 * What the renderer knows, and what it can say about a list of blocks without rendering it:
 * the parts it would show as placeholders, a modal's initial state, a text object's text.
 */
import { withEmoji } from './emoji.ts';
import {
  actionIdOf,
  blockIdOf,
  type Json,
  list,
  record,
  string,
  textObject,
  toOption,
  toOptions,
  typeOf,
} from './read.ts';
import type { ViewStateValue, ViewStateValues } from './types.ts';

export const SUPPORTED_BLOCKS: ReadonlySet<string> = new Set([
  'section',
  'context',
  'actions',
  'header',
  'divider',
  'input',
]);

/** Where an element sits, since Slack allows each kind of element in some places only. */
export type Place = 'accessory' | 'actions' | 'input' | 'context';

const CHOICES = [
  'static_select',
  'external_select',
  'datepicker',
  'timepicker',
  'radio_buttons',
  'checkboxes',
];
const SUPPORTED_ELEMENTS: Readonly<Record<Place, ReadonlySet<string>>> = {
  accessory: new Set(['button', 'image', ...CHOICES]),
  actions: new Set(['button', ...CHOICES]),
  input: new Set(['plain_text_input', ...CHOICES]),
  context: new Set(['plain_text', 'mrkdwn', 'image']),
};

export function isSupportedElement(place: Place, type: string): boolean {
  return SUPPORTED_ELEMENTS[place].has(type);
}

/** 'element:overflow', or 'element:button (in input)' for a known element in a place it can't be. */
export function elementPart(place: Place, type: string): string {
  const elsewhere = Object.values(SUPPORTED_ELEMENTS).some((types) => types.has(type));
  return elsewhere ? `element:${type} (in ${place})` : `element:${type}`;
}

/** The elements of a block, each with the place it sits in. */
export function elementsOf(block: Json): Array<{ place: Place; element: unknown }> {
  switch (block.type) {
    case 'section':
      return block.accessory === undefined
        ? []
        : [{ place: 'accessory', element: block.accessory }];
    case 'context':
      return list(block.elements).map((element) => ({ place: 'context', element }));
    case 'actions':
      return list(block.elements).map((element) => ({ place: 'actions', element }));
    case 'input':
      return [{ place: 'input', element: block.element }];
    default:
      return [];
  }
}

/**
 * The blocks and elements the renderer would show as placeholders, such as
 * ['block:video', 'element:overflow']; [] when it shows everything.
 */
export function unsupportedParts(blocks: readonly unknown[]): string[] {
  const parts = new Set<string>();
  for (const block of list(blocks)) {
    const type = typeOf(block);
    const object = record(block);
    if (!object || !SUPPORTED_BLOCKS.has(type)) {
      parts.add(`block:${type}`);
      continue;
    }
    for (const { place, element } of elementsOf(object)) {
      const elementType = typeOf(element);
      if (!isSupportedElement(place, elementType)) parts.add(elementPart(place, elementType));
    }
  }
  return [...parts];
}

/** A text object's text as shown: plain_text with its :shortcodes: as emoji, mrkdwn as written. */
export function plainText(obj: unknown): string {
  const text = textObject(obj);
  if (!text) return '';
  return text.type === 'plain_text' && text.emoji ? withEmoji(text.text) : text.text;
}

/** An input element's value before the person touches it, as Slack reports it. */
export function initialValue(element: Json): ViewStateValue | undefined {
  const type = string(element.type);
  switch (type) {
    case 'plain_text_input':
      return { type, value: string(element.initial_value) ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: toOption(element.initial_option) ?? null };
    case 'checkboxes':
      return { type, selected_options: toOptions(element.initial_options) };
    case 'datepicker':
      return { type, selected_date: string(element.initial_date) ?? null };
    case 'timepicker':
      return { type, selected_time: string(element.initial_time) ?? null };
    default:
      return undefined;
  }
}

/** A view's `state.values` as Slack has them before any change: from the input blocks' initial values. */
export function initialState(blocks: readonly unknown[]): ViewStateValues {
  const state: ViewStateValues = {};
  list(blocks).forEach((block, index) => {
    const object = record(block);
    const element = record(object?.element);
    if (object?.type !== 'input' || !element) return;
    const value = initialValue(element);
    if (value) state[blockIdOf(object, index)] = { [actionIdOf(element, 0)]: value };
  });
  return state;
}
