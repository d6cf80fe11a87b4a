/**
 * The list of open action items, for /blindspot actions, the history DM and the Home tab: one
 * page at a time, each item with Edit / Mark done / Delete. Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import type { ActionItem } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { deleteButton, deletedNotice, ITEM_ACTIONS, quoted } from './action-items.ts';
import { button, labelled } from './elements.ts';
import { formatLocalDate } from './format.ts';

/** The block that holds the list of open items, so a click knows it came from the list. */
export const OPEN_ITEMS_BLOCK = 'open_items';
/** The list's page buttons; the block id carries the page shown, so a refresh keeps it. */
const PAGES_BLOCK = 'open_items_page:';
/**
 * Items on one page: two blocks each, which with the heading, the page buttons and a progress
 * summary above stays under Slack's 50 blocks in a message.
 */
export const ITEMS_PER_PAGE = 20;

/** The page of the list a message or view shows, read from its page buttons; 0 without them. */
export function pageShown(blocks: ReadonlyArray<{ block_id?: string }> | undefined): number {
  const id = blocks?.find((block) => block.block_id?.startsWith(PAGES_BLOCK))?.block_id;
  const page = Number(id?.slice(PAGES_BLOCK.length));
  return Number.isInteger(page) && page > 0 ? page : 0;
}

/**
 * Open items, each with Edit / Mark done / Delete, for /blindspot actions, the history DM and
 * the Home tab: one page of them, with "1–20 of 25" and buttons to the other pages. `deleted`:
 * the item just deleted from the list, offered back with "Undo" above it.
 */
export function openItemBlocks(
  items: readonly ActionItem[],
  options: { voice: Voice; page?: number; deleted?: Pick<ActionItem, 'id' | 'text'> },
): KnownBlock[] {
  const notice = options.deleted ? [deletedNotice(options.deleted, options.voice)] : [];
  return [...notice, ...listBlocks(items, options)];
}

function listBlocks(
  items: readonly ActionItem[],
  options: { voice: Voice; page?: number },
): KnownBlock[] {
  const { voice } = options;
  const { t } = voice;
  if (items.length === 0) {
    return [
      {
        type: 'section',
        block_id: OPEN_ITEMS_BLOCK,
        text: {
          type: 'mrkdwn',
          text: t('items.list.none'),
        },
      },
    ];
  }
  const pages = Math.ceil(items.length / ITEMS_PER_PAGE);
  const page = Math.min(Math.max(options.page ?? 0, 0), pages - 1);
  const first = page * ITEMS_PER_PAGE;
  const shown = items.slice(first, first + ITEMS_PER_PAGE);
  const heading =
    pages === 1
      ? t('items.list.heading', { count: items.length })
      : t('items.list.headingPage', {
          first: first + 1,
          last: first + shown.length,
          count: items.length,
        });
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: OPEN_ITEMS_BLOCK,
      text: { type: 'mrkdwn', text: heading },
    },
  ];
  const [edit, markDone] = [t('items.list.edit'), t('items.list.markDone')];
  for (const item of shown) {
    const date = formatLocalDate(item.checkBackOn, voice);
    const checkBack = item.topic
      ? t('items.list.checkBackAbout', { date, topic: item.topic.title })
      : t('items.list.checkBack', { date });
    blocks.push(
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${quoted(item.text)}\n${checkBack}` },
      },
      {
        type: 'actions',
        elements: [
          // Rows of the same three buttons: each names its item to a screen reader.
          labelled(button(edit, ITEM_ACTIONS.edit, item.id), edit, item.text),
          labelled(button(markDone, ITEM_ACTIONS.done, item.id, 'primary'), markDone, item.text),
          deleteButton(item, voice),
        ],
      },
    );
  }
  if (pages > 1) {
    const size = (to: number) => Math.min(ITEMS_PER_PAGE, items.length - to * ITEMS_PER_PAGE);
    blocks.push({
      type: 'actions',
      block_id: `${PAGES_BLOCK}${page}`,
      elements: [
        ...(page > 0
          ? [
              button(
                t('items.list.previous', { count: ITEMS_PER_PAGE }),
                ITEM_ACTIONS.page,
                String(page - 1),
              ),
            ]
          : []),
        ...(page < pages - 1
          ? [
              button(
                t('items.list.next', { count: size(page + 1) }),
                ITEM_ACTIONS.page,
                String(page + 1),
              ),
            ]
          : []),
      ],
    });
  }
  return blocks;
}
