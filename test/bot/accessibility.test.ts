/**
 * Issue 17, item 7: repeated buttons (Edit, Mark done, Delete; a reminder's Done, Not yet…) carry
 * an accessibility_label naming their item, within Slack's 75 characters.
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem } from '../../src/bot/api-client/index.ts';
import { itemReply } from '../../src/bot/blocks/action-items.ts';
import { itemLabel } from '../../src/bot/blocks/elements.ts';
import { openItemBlocks } from '../../src/bot/blocks/open-items.ts';
import { buildReminderMessage } from '../../src/bot/blocks/reminders.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';

const LONG = `Ask each person on the team ${'what they need from me '.repeat(20)}`.trim();

type Element = { type: string; text?: { text: string }; accessibility_label?: string };
const buttonsIn = (blocks: readonly unknown[]) =>
  (blocks as Array<{ elements?: Element[] }>)
    .flatMap((block) => block.elements ?? [])
    .filter((element) => element.type === 'button');

function item(id: string, text: string): ActionItem {
  return {
    id,
    text,
    note: null,
    status: 'open',
    source: 'thread',
    checkBackOn: '2026-12-01',
    deliveryId: null,
    topic: null,
    createdAt: '2026-11-23T08:00:00Z',
    completedAt: null,
  } as unknown as ActionItem;
}

describe('accessibility labels', () => {
  it('name the item, cut to 75 characters with an ellipsis', () => {
    expect(itemLabel('Edit', 'Ask Priya')).toBe('Edit “Ask Priya”');
    const cut = itemLabel('Mark done', LONG);
    expect(cut.length).toBe(75);
    expect(cut).toMatch(/^Mark done “Ask each person on the team .*…”$/);
  });

  it('are on every button of the open-items list and the thread reply', () => {
    const blocks = [
      ...openItemBlocks([item('1', 'Ask Priya'), item('2', LONG)], { voice: voiceFor() }),
      ...itemReply(item('3', 'Thank Mei'), voiceFor()).blocks,
    ];
    const buttons = buttonsIn(blocks);
    expect(buttons).toHaveLength(8);
    for (const button of buttons) {
      expect(button.accessibility_label?.startsWith(String(button.text?.text))).toBe(true);
      expect(button.accessibility_label?.length).toBeLessThanOrEqual(75);
    }
    expect(buttons.map((b) => b.accessibility_label).slice(0, 3)).toEqual([
      'Edit “Ask Priya”',
      'Mark done “Ask Priya”',
      'Delete “Ask Priya”',
    ]);
  });

  it('tell a reminder’s items apart', () => {
    const { blocks } = buildReminderMessage({
      id: 'r1',
      items: [
        { id: '1', text: 'Ask Priya', topicTitle: null, plannedOn: '2026-11-23', final: false },
        { id: '2', text: LONG, topicTitle: null, plannedOn: '2026-11-23', final: false },
      ],
    });
    const labels = buttonsIn(blocks).map((b) => b.accessibility_label);
    expect(labels.slice(0, 4)).toEqual([
      'Done: “Ask Priya”',
      'Partly: “Ask Priya”',
      'Not yet: “Ask Priya”',
      'Drop it: “Ask Priya”',
    ]);
    for (const label of labels) expect(label?.length).toBeLessThanOrEqual(75);
  });
});
