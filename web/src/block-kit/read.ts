/**
 * Reading Block Kit JSON that arrives as `unknown`. Blocks come from the bot through the Slack
 * emulator, and a hand-edited page or a newer bot may send anything: every reader here answers
 * with a usable value (or undefined) and never throws, so one odd block can't break the page.
 */
import type { Option } from './types.ts';

export type Json = Readonly<Record<string, unknown>>;

export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

export function string(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A block's or element's `type`, or '(none)' when it has none, as the placeholder names it. */
export function typeOf(value: unknown): string {
  return string(record(value)?.type) ?? '(none)';
}

/**
 * Slack gives a block without a block_id a random one. Ours is made from the block's position,
 * so the state (initialState) and the rendered inputs agree on it without sharing anything.
 */
export function blockIdOf(block: Json | undefined, index: number): string {
  return string(block?.block_id) || `block_${index}`;
}

/** As blockIdOf, for an element without an action_id: unique within its block. */
export function actionIdOf(element: Json | undefined, index: number): string {
  return string(element?.action_id) || `action_${index}`;
}

/** A text object's type and text; a bare string counts as plain text. */
export function textObject(
  value: unknown,
): { type: 'plain_text' | 'mrkdwn'; text: string; emoji: boolean } | undefined {
  if (typeof value === 'string') return { type: 'plain_text', text: value, emoji: true };
  const object = record(value);
  const text = string(object?.text);
  if (!object || text === undefined) return undefined;
  return {
    type: object.type === 'mrkdwn' ? 'mrkdwn' : 'plain_text',
    text,
    // Slack maps :shortcodes: in plain_text unless the text says `emoji: false`.
    emoji: object.emoji !== false,
  };
}

/** An option as Slack sends it back: its text object and value, nothing added. */
export function toOption(value: unknown): Option | undefined {
  const object = record(value);
  const text = textObject(object?.text);
  const optionValue = string(object?.value);
  if (!object || !text || optionValue === undefined) return undefined;
  const textOut: Option['text'] = { type: text.type, text: text.text };
  const rawEmoji = record(object.text)?.emoji;
  if (typeof rawEmoji === 'boolean') textOut.emoji = rawEmoji;
  return {
    text: textOut,
    value: optionValue,
    ...(object.description !== undefined && { description: object.description }),
  };
}

export function toOptions(value: unknown): Option[] {
  return list(value).flatMap((item) => toOption(item) ?? []);
}

export interface OptionGroup {
  label: string;
  options: Option[];
}

/**
 * A select's options, flat and grouped. Values repeat only in a malformed menu; the first wins,
 * since Mantine's Select throws on a duplicate value and a menu must never break the page.
 */
export function menuOptions(element: Json): { options: Option[]; groups: OptionGroup[] } {
  const seen = new Set<string>();
  const unique = (options: Option[]) =>
    options.filter((option) => !seen.has(option.value) && seen.add(option.value));
  const options = unique(toOptions(element.options));
  const groups = list(element.option_groups).flatMap((group) => {
    const label = textObject(record(group)?.label)?.text ?? '';
    const items = unique(toOptions(record(group)?.options));
    return items.length > 0 ? [{ label, options: items }] : [];
  });
  return { options, groups };
}
