/**
 * Action items on every surface: the "Plan an action" modal, the reply in a note's thread, the
 * list of open items (/blindspot actions and the Home tab), and the question asked about a
 * plain DM. Pure builders: no I/O.
 */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { DateTime } from 'luxon';
import type { ActionItem, CheckBack } from '../api-client/index.ts';
import { button, labelled, textWithButtons } from './elements.ts';

export const PLAN_ACTION_CALLBACK_ID = 'plan_action_modal';
export const EDIT_ACTION_CALLBACK_ID = 'edit_action_modal';
export const ACTION_BLOCKS = {
  text: 'action_text',
  checkBack: 'check_back',
  checkBackDate: 'check_back_date',
  note: 'note',
} as const;
export const ITEM_ACTIONS = {
  edit: 'item_edit',
  done: 'item_done',
  delete: 'item_delete',
  keep: 'item_keep',
  checkBack: 'item_check_back',
  saveFromDm: 'dm_save_action',
  notAnAction: 'dm_not_action',
} as const;
/** The block that holds the list of open items, so a click knows it came from the list. */
export const OPEN_ITEMS_BLOCK = 'open_items';

const PRESETS: Array<
  [CheckBack extends infer C ? (C extends { in: infer P } ? P : never) : never, string]
> = [
  ['2d', 'In 2 days'],
  ['1w', 'In a week'],
  ['2w', 'In 2 weeks'],
];
const PICK_A_DATE = 'date';

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text }, value };
}

/** What the modal carries between opening and submitting. */
export interface PlanActionContext {
  deliveryId?: string;
  itemId?: string;
  /** The message to update afterwards: the topic note, or an item's thread reply. */
  channelId?: string;
  messageTs?: string;
}

export function buildActionModal(input: {
  context: PlanActionContext;
  topicTitle?: string;
  item?: ActionItem;
}): ModalView {
  const { item } = input;
  const presetOptions = [
    ...PRESETS.map(([value, label]) => option(label, value)),
    option('On a date…', PICK_A_DATE),
  ];
  const blocks: KnownBlock[] = [];
  if (input.topicTitle) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `About: *${input.topicTitle}*` }],
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: ACTION_BLOCKS.text,
      label: { type: 'plain_text', text: 'What will you do?' },
      element: {
        type: 'plain_text_input',
        action_id: 'text',
        multiline: true,
        max_length: 500,
        ...(item && { initial_value: item.text }),
        placeholder: {
          type: 'plain_text',
          text: 'One concrete step, such as: ask Priya what she needs from me this week',
        },
      },
    },
    {
      type: 'input',
      block_id: ACTION_BLOCKS.checkBack,
      label: { type: 'plain_text', text: 'When should I check back?' },
      element: {
        type: 'static_select',
        action_id: 'preset',
        options: presetOptions,
        initial_option: item
          ? (presetOptions.at(-1) as PlainTextOption)
          : (presetOptions[1] as PlainTextOption),
      },
    },
    {
      type: 'input',
      block_id: ACTION_BLOCKS.checkBackDate,
      optional: true,
      label: { type: 'plain_text', text: 'The date, if you chose "On a date…"' },
      element: {
        type: 'datepicker',
        action_id: 'date',
        ...(item && { initial_date: item.checkBackOn }),
      },
    },
    {
      type: 'input',
      block_id: ACTION_BLOCKS.note,
      optional: true,
      label: { type: 'plain_text', text: 'A note for yourself' },
      element: {
        type: 'plain_text_input',
        action_id: 'note',
        multiline: true,
        max_length: 1000,
        ...(item?.note && { initial_value: item.note }),
      },
    },
  );
  return {
    type: 'modal',
    callback_id: item ? EDIT_ACTION_CALLBACK_ID : PLAN_ACTION_CALLBACK_ID,
    private_metadata: JSON.stringify({ ...input.context, ...(item && { itemId: item.id }) }),
    title: { type: 'plain_text', text: item ? 'Edit your action' : 'Plan an action' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

interface StateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_date?: string | null;
}

/** The modal's state as an item, or the field errors to show when "On a date…" has no date. */
export function parseActionSubmission(
  values: Record<string, Record<string, StateValue>>,
): { text: string; note: string; checkBack: CheckBack } | { errors: Record<string, string> } {
  const text = values[ACTION_BLOCKS.text]?.text?.value ?? '';
  const note = values[ACTION_BLOCKS.note]?.note?.value ?? '';
  const preset = values[ACTION_BLOCKS.checkBack]?.preset?.selected_option?.value ?? '1w';
  const date = values[ACTION_BLOCKS.checkBackDate]?.date?.selected_date ?? undefined;
  if (preset === PICK_A_DATE) {
    if (!date)
      return { errors: { [ACTION_BLOCKS.checkBackDate]: 'Pick the date to check back on.' } };
    return { text, note, checkBack: { on: date } };
  }
  return { text, note, checkBack: { in: preset as '2d' | '1w' | '2w' } };
}

/** The API's field problems, beside the fields they are about. */
export function actionErrors(
  fields: Readonly<Record<string, string>>,
  datePicked: boolean,
): Record<string, string> {
  const errors: Record<string, string> = {};
  if (fields.text) errors[ACTION_BLOCKS.text] = fields.text;
  if (fields.note) errors[ACTION_BLOCKS.note] = fields.note;
  if (fields.checkBack)
    errors[datePicked ? ACTION_BLOCKS.checkBackDate : ACTION_BLOCKS.checkBack] = fields.checkBack;
  return errors;
}

export function parseContext(metadata: string | undefined): PlanActionContext {
  try {
    const parsed = JSON.parse(metadata ?? '{}') as Record<string, unknown>;
    const text = (key: string) =>
      typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined;
    return {
      deliveryId: text('deliveryId'),
      itemId: text('itemId'),
      channelId: text('channelId'),
      messageTs: text('messageTs'),
    };
  } catch {
    return {};
  }
}

/** 'Thursday 26 November': a local date, as a manager reads it. */
export function formatLocalDate(localDate: string): string {
  return DateTime.fromISO(localDate).toFormat('cccc d LLLL');
}

/** Quotes a manager's own words inside a message, as text, never as markup. */
function quoted(text: string): string {
  return `“${text.replace(/[*_~`]/g, (c) => `\u200b${c}`)}”`;
}

function checkBackMenu(item: ActionItem) {
  return {
    type: 'static_select' as const,
    action_id: ITEM_ACTIONS.checkBack,
    placeholder: { type: 'plain_text' as const, text: 'Check back…' },
    options: PRESETS.map(([value, label]) => option(label, `${item.id}:${value}`)),
  };
}

/** The bot's answer in a note's thread, once a reply became an item. */
export function itemReply(item: ActionItem, lead = 'Saved your action') {
  const text = `${lead}: ${quoted(item.text)}. I'll check back on ${formatLocalDate(item.checkBackOn)}.`;
  return {
    text,
    blocks: [
      {
        type: 'section' as const,
        text: { type: 'mrkdwn' as const, text },
        accessory: checkBackMenu(item),
      },
      {
        type: 'actions' as const,
        elements: [
          labelled(button('Edit', ITEM_ACTIONS.edit, item.id), 'Edit', item.text),
          {
            ...labelled(
              button('Delete', ITEM_ACTIONS.delete, item.id, 'danger'),
              'Delete',
              item.text,
            ),
            confirm: {
              title: { type: 'plain_text' as const, text: 'Delete this action?' },
              text: { type: 'plain_text' as const, text: item.text.slice(0, 280) },
              confirm: { type: 'plain_text' as const, text: 'Delete' },
              deny: { type: 'plain_text' as const, text: 'Keep it' },
            },
          },
        ],
      },
    ],
  };
}

/** Open items, each with Edit / Mark done / Delete, for /blindspot actions and the Home tab. */
export function openItemBlocks(items: readonly ActionItem[]): KnownBlock[] {
  if (items.length === 0) {
    return [
      {
        type: 'section',
        block_id: OPEN_ITEMS_BLOCK,
        text: {
          type: 'mrkdwn',
          text: 'No open actions. Press *Plan an action* on a note, or reply in its thread.',
        },
      },
    ];
  }
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: OPEN_ITEMS_BLOCK,
      text: { type: 'mrkdwn', text: `*Your open actions* (${items.length})` },
    },
  ];
  for (const item of items.slice(0, 20)) {
    const about = item.topic ? ` · ${item.topic.title}` : '';
    blocks.push(
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${quoted(item.text)}\n_Check back ${formatLocalDate(item.checkBackOn)}${about}_`,
        },
      },
      {
        type: 'actions',
        elements: [
          // Twenty rows of the same three buttons: each names its item to a screen reader.
          labelled(button('Edit', ITEM_ACTIONS.edit, item.id), 'Edit', item.text),
          labelled(
            button('Mark done', ITEM_ACTIONS.done, item.id, 'primary'),
            'Mark done',
            item.text,
          ),
          labelled(button('Delete', ITEM_ACTIONS.delete, item.id, 'danger'), 'Delete', item.text),
        ],
      },
    );
  }
  return blocks;
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
export function dmQuestion(topicTitle: string, value: string) {
  return textWithButtons(`Is this an action for “${topicTitle}”?`, [
    button('Yes, save it', ITEM_ACTIONS.saveFromDm, value, 'primary'),
    button('No', ITEM_ACTIONS.notAnAction, 'no'),
  ]);
}

/** Asked when the manager deleted the reply an item was made from. */
export function deletedReplyQuestion(item: ActionItem) {
  return textWithButtons(
    `You deleted the reply behind ${quoted(item.text)}. Delete the action too?`,
    [
      button('Delete it', ITEM_ACTIONS.delete, item.id, 'danger'),
      button('Keep it', ITEM_ACTIONS.keep, item.id),
    ],
  );
}

export const DM_HELP_TEXT =
  'To plan an action, reply in the thread of one of my notes, or press *Plan an action* on it. `/blindspot actions` lists your open actions.';
export const NOT_SAVED_TEXT = (problem: string) => `I didn't save that: ${problem}`;
