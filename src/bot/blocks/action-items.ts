/**
 * Action items in messages: the reply in a note's thread, with its check-back menu, delete and
 * undo, and the question asked about a plain DM; and the check-back presets that menu and the
 * modal offer. The "Plan an action" modal is ./action-modal.ts, the list of open items
 * ./open-items.ts. Pure builders: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import type { ActionItem, CheckBack } from '../api-client/index.ts';
import type { MessageKey, Voice } from '../i18n/index.ts';
import { button, confirmed, labelled, option, textWithButtons } from './elements.ts';
import { formatLocalDate } from './format.ts';

export const ITEM_ACTIONS = {
  edit: 'item_edit',
  done: 'item_done',
  delete: 'item_delete',
  keep: 'item_keep',
  checkBack: 'item_check_back',
  undoDelete: 'item_undo_delete',
  saveFromDm: 'dm_save_action',
  notAnAction: 'dm_not_action',
  page: 'items_page',
} as const;

/** The check-back presets, offered by the modal (./action-modal.ts) and by an item's menu. */
type Preset = CheckBack extends infer C ? (C extends { in: infer P } ? P : never) : never;
/** The presets' lengths, as the API counts them (src/core/action-items/rules.ts). */
export const CHECK_BACK_DAYS: Record<Preset, number> = { '2d': 2, '3d': 3, '1w': 7, '2w': 14 };
export const PRESETS: Array<[Preset, MessageKey]> = [
  ['3d', 'items.checkBack.in3Days'],
  ['1w', 'items.checkBack.inAWeek'],
  ['2w', 'items.checkBack.inTwoWeeks'],
];
/** Presets a modal or menu can send back: '2d' from messages sent before '3d' replaced it. */
export function isPreset(value: string | undefined): value is Preset {
  return value === '2d' || PRESETS.some(([preset]) => preset === value);
}

/** Quotes a manager's own words inside a message, as text, never as markup. */
export function quoted(text: string): string {
  return `“${text.replace(/[*_~`]/g, (c) => `\u200b${c}`)}”`;
}

function checkBackMenu(item: ActionItem, { t }: Voice) {
  return {
    type: 'static_select' as const,
    action_id: ITEM_ACTIONS.checkBack,
    placeholder: { type: 'plain_text' as const, text: t('items.checkBack.menu') },
    options: PRESETS.map(([value, label]) => option(t(label), `${item.id}:${value}`)),
  };
}

/**
 * Delete, wherever an item shows: asked first, as a slip costs the manager their words; and for a
 * minute after, the message offers "Undo" too (deletedNotice).
 */
export function deleteButton(item: Pick<ActionItem, 'id' | 'text'>, { t }: Voice) {
  const word = t('items.reply.delete');
  return confirmed(
    labelled(button(word, ITEM_ACTIONS.delete, item.id, 'danger'), word, item.text),
    {
      title: t('items.reply.deleteTitle'),
      text: item.text,
      confirm: word,
      deny: t('items.reply.keepIt'),
    },
  );
}

/** The block of "Deleted … Undo"; a list shown again after any other click leaves it out. */
const DELETED_NOTICE_BLOCK = 'item_deleted';

/** "Deleted your action … [Undo]": shown for the minute in which the API can put it back. */
export function deletedNotice(item: Pick<ActionItem, 'id' | 'text'>, { t }: Voice): KnownBlock {
  return {
    type: 'section',
    block_id: DELETED_NOTICE_BLOCK,
    text: { type: 'mrkdwn', text: t('items.reply.deletedUndo', { item: quoted(item.text) }) },
    accessory: labelled(
      button(t('items.reply.undo'), ITEM_ACTIONS.undoDelete, item.id),
      t('items.reply.undoLabel'),
      item.text,
    ),
  };
}

/** The thread reply an item was saved from, once the item is deleted: with "Undo" for a minute. */
export function deletedReply(item: Pick<ActionItem, 'id' | 'text'>, voice: Voice) {
  return {
    text: voice.t('items.reply.deleted', { item: quoted(item.text) }),
    blocks: [deletedNotice(item, voice)],
  };
}

/** What the bot says it did with an item. */
export type ItemDone = 'saved' | 'updated' | 'restored';

/**
 * The bot's answer about an item (saved from a reply, edited, restored), in the manager's voice,
 * its check-back date in their language and region.
 */
export function itemReply(item: ActionItem, voice: Voice, done: ItemDone = 'saved') {
  const { t } = voice;
  const text = t(`items.reply.${done}`, {
    item: quoted(item.text),
    date: formatLocalDate(item.checkBackOn, voice),
  });
  const edit = t('items.reply.edit');
  return {
    text,
    blocks: [
      {
        type: 'section' as const,
        text: { type: 'mrkdwn' as const, text },
        accessory: checkBackMenu(item, voice),
      },
      {
        type: 'actions' as const,
        elements: [
          labelled(button(edit, ITEM_ACTIONS.edit, item.id), edit, item.text),
          deleteButton(item, voice),
        ],
      },
    ],
  };
}

/** What "Yes, save it" carries: the note, the DM's source key and its text, so one click saves it. */
export interface DmButtonValue {
  deliveryId: string;
  sourceKey: string;
  text: string;
}

export function dmButtonValue(value: DmButtonValue): string {
  return JSON.stringify({ d: value.deliveryId, k: value.sourceKey, t: value.text });
}

/**
 * The value back, or undefined if it is not one of ours. Never lets JSON.parse throw: its
 * message would quote the value, and with it the manager's words, into the log.
 */
export function parseDmButtonValue(value: string | undefined): DmButtonValue | undefined {
  try {
    const { d, k, t } = JSON.parse(value ?? '') as Record<string, unknown>;
    return typeof d === 'string' && typeof k === 'string' && typeof t === 'string'
      ? { deliveryId: d, sourceKey: k, text: t }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Asked after a plain DM soon after a note: one click turns it into an action for that note. */
export function dmQuestion(topicTitle: string, value: string, { t }: Voice) {
  return textWithButtons(t('items.dm.question', { topic: topicTitle }), [
    button(t('items.dm.yes'), ITEM_ACTIONS.saveFromDm, value, 'primary'),
    button(t('items.dm.no'), ITEM_ACTIONS.notAnAction, 'no'),
  ]);
}

/** Asked when the manager deleted the reply an item was made from. */
export function deletedReplyQuestion(item: ActionItem, { t }: Voice) {
  return textWithButtons(t('items.reply.deletedReply', { item: quoted(item.text) }), [
    button(t('items.reply.deleteIt'), ITEM_ACTIONS.delete, item.id, 'danger'),
    button(t('items.reply.keepIt'), ITEM_ACTIONS.keep, item.id),
  ]);
}

/** How to plan an action, for a DM that can't be one. */
export const dmHelpText = ({ t }: Voice) => t('items.dm.help');
/** "I didn't save that: …", with the API's reason. */
export const notSavedText = (problem: string, { t }: Voice) => t('items.dm.notSaved', { problem });
