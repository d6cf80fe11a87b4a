/**
 * The "Plan an action" and "Edit your action" modal: building it, and reading its submission
 * back. Pure builders: no I/O.
 */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { ActionItem, CheckBack } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { CHECK_BACK_DAYS, isPreset, PRESETS } from './action-items.ts';
import { option } from './elements.ts';

export const PLAN_ACTION_CALLBACK_ID = 'plan_action_modal';
export const EDIT_ACTION_CALLBACK_ID = 'edit_action_modal';
export const ACTION_BLOCKS = {
  choice: 'action_choice',
  text: 'action_text',
  checkBack: 'check_back',
  checkBackDate: 'check_back_date',
  note: 'note',
} as const;
export const PICK_A_DATE = 'date';
/** The workspace's check-back default, when it is none of the presets: the API applies it. */
const WORKSPACE_DEFAULT = 'default';
/** The radio value for "something else": the text input alone says what. */
const SOMETHING_ELSE = 'other';
/** Slack's limit on an option's text. */
const OPTION_TEXT_LIMIT = 75;

/** A text cut to `limit` characters at most, with an ellipsis when cut. */
export function clipped(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/** What the modal carries between opening and submitting. */
export interface PlanActionContext {
  deliveryId?: string;
  itemId?: string;
  /** The message to update afterwards: the topic note, or an item's thread reply. */
  channelId?: string;
  messageTs?: string;
}

/**
 * The check-back choices, with the one to start on: the preset matching the workspace's
 * default, or an option of its own for a default no preset matches; "On a date…" for an item.
 */
function checkBackChoices(item: ActionItem | undefined, checkBackDays: number, voice: Voice) {
  const { t } = voice;
  const preset = PRESETS.find(([value]) => CHECK_BACK_DAYS[value] === checkBackDays)?.[0];
  const options = [
    ...(preset || item
      ? []
      : [option(t('items.checkBack.inDays', { count: checkBackDays }), WORKSPACE_DEFAULT)]),
    ...PRESETS.map(([value, label]) => option(t(label), value)),
    option(t('items.checkBack.onADate'), PICK_A_DATE),
  ];
  const initial = item ? PICK_A_DATE : (preset ?? WORKSPACE_DEFAULT);
  return { options, initial: options.find((o) => o.value === initial) as PlainTextOption };
}

/**
 * "Plan an action" or "Edit your action". With `choices` (the topic's suggested actions) the
 * manager can pick one with a click, or write their own; words in the text field win, so a
 * choice can be edited by writing it there as they want it.
 */
export function buildActionModal(input: {
  context: PlanActionContext;
  topicTitle?: string;
  item?: ActionItem;
  /** The workspace's check-back default, in days (its settings); a week when not known. */
  checkBackDays?: number;
  choices?: readonly string[];
  voice: Voice;
}): ModalView {
  const { item, voice } = input;
  const { t } = voice;
  const checkBack = checkBackChoices(item, input.checkBackDays ?? CHECK_BACK_DAYS['1w'], voice);
  const choices = item ? [] : (input.choices ?? []);
  const blocks: KnownBlock[] = [];
  if (input.topicTitle) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: t('items.modal.about', { title: input.topicTitle }) }],
    });
  }
  if (choices.length > 0) {
    blocks.push({
      type: 'input',
      block_id: ACTION_BLOCKS.choice,
      optional: true,
      label: { type: 'plain_text', text: t('items.modal.pickOne') },
      element: {
        type: 'radio_buttons',
        action_id: 'choice',
        options: [
          ...choices.map((choice, index) =>
            option(clipped(choice, OPTION_TEXT_LIMIT), String(index)),
          ),
          option(t('items.modal.somethingElse'), SOMETHING_ELSE),
        ],
      },
    });
  }
  blocks.push(
    {
      type: 'input',
      block_id: ACTION_BLOCKS.text,
      optional: choices.length > 0,
      label: {
        type: 'plain_text',
        text: t(choices.length > 0 ? 'items.modal.ownWords' : 'items.modal.whatWillYouDo'),
      },
      ...(choices.length > 0 && {
        hint: {
          type: 'plain_text',
          text: t('items.modal.ownWordsHint'),
        },
      }),
      element: {
        type: 'plain_text_input',
        action_id: 'text',
        multiline: true,
        max_length: 500,
        ...(item && { initial_value: item.text }),
        placeholder: {
          type: 'plain_text',
          text: t('items.modal.placeholder'),
        },
      },
    },
    {
      type: 'input',
      block_id: ACTION_BLOCKS.checkBack,
      label: { type: 'plain_text', text: t('items.modal.checkBack') },
      element: {
        type: 'static_select',
        action_id: 'preset',
        options: checkBack.options,
        initial_option: checkBack.initial,
      },
    },
    {
      type: 'input',
      block_id: ACTION_BLOCKS.checkBackDate,
      optional: true,
      label: { type: 'plain_text', text: t('items.modal.checkBackDate') },
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
      label: { type: 'plain_text', text: t('items.modal.note') },
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
    title: {
      type: 'plain_text',
      text: t(item ? 'items.modal.editTitle' : 'items.modal.planTitle'),
    },
    submit: { type: 'plain_text', text: t('items.modal.save') },
    close: { type: 'plain_text', text: t('items.modal.cancel') },
    blocks,
  };
}

interface StateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_date?: string | null;
}

/**
 * The modal's state as an item, or the field errors to show (no date for "On a date…", nothing
 * picked or written). `choices` are the topic's actions the radio buttons stand for. No
 * `checkBack` when the workspace's default was kept: the API applies it.
 */
export function parseActionSubmission(
  values: Record<string, Record<string, StateValue>>,
  choices: readonly string[],
  { t }: Voice,
): { text: string; note: string; checkBack?: CheckBack } | { errors: Record<string, string> } {
  const written = values[ACTION_BLOCKS.text]?.text?.value?.trim() ?? '';
  const picked = values[ACTION_BLOCKS.choice]?.choice?.selected_option?.value;
  const text = written || (picked === undefined ? '' : (choices[Number(picked)] ?? ''));
  const note = values[ACTION_BLOCKS.note]?.note?.value ?? '';
  const preset = values[ACTION_BLOCKS.checkBack]?.preset?.selected_option?.value ?? '1w';
  const date = values[ACTION_BLOCKS.checkBackDate]?.date?.selected_date ?? undefined;
  if (!text && ACTION_BLOCKS.choice in values) {
    return {
      errors: {
        [ACTION_BLOCKS.choice]: t(
          picked === SOMETHING_ELSE ? 'items.modal.writeBelow' : 'items.modal.pickOrWrite',
        ),
      },
    };
  }
  if (preset === PICK_A_DATE) {
    if (!date) return { errors: { [ACTION_BLOCKS.checkBackDate]: t('items.modal.pickDate') } };
    return { text, note, checkBack: { on: date } };
  }
  if (preset === WORKSPACE_DEFAULT) return { text, note };
  if (!isPreset(preset))
    return { errors: { [ACTION_BLOCKS.checkBack]: t('items.modal.pickWhen') } };
  return { text, note, checkBack: { in: preset } };
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
