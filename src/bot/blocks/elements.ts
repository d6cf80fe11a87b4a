/** Block Kit elements the builders share. */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Voice } from '../i18n/index.ts';

/** A button whose click reaches the listener for `actionId`, carrying `value`. */
export function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
) {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text },
    action_id: actionId,
    value,
    ...(style && { style }),
  };
}

/** A menu's or radio buttons' option: `text` shown, `value` sent back. */
export function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text }, value };
}

/** What Slack asks before a destructive button acts: the words of its confirmation dialog. */
export interface Confirmation {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

/**
 * `element` with Slack's confirmation dialog: the click reaches us only after "confirm".
 * https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object
 * (title 100 characters, text 300, buttons 30).
 */
export function confirmed<Element extends object>(element: Element, dialog: Confirmation) {
  return {
    ...element,
    confirm: {
      title: { type: 'plain_text' as const, text: dialog.title },
      text: { type: 'plain_text' as const, text: clip(dialog.text, 300) },
      confirm: { type: 'plain_text' as const, text: dialog.confirm },
      deny: { type: 'plain_text' as const, text: dialog.deny },
    },
  };
}

function clip(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join('')}…`;
}

/** A message of one paragraph with a row of buttons under it; `text` also shows in notifications. */
export function textWithButtons<Element>(text: string, elements: Element[]) {
  return {
    text,
    blocks: [
      { type: 'section' as const, text: { type: 'mrkdwn' as const, text } },
      { type: 'actions' as const, elements },
    ],
  };
}

/** The block that shows, on top of a modal, a problem that belongs to no one field. */
export const MODAL_PROBLEM_BLOCK = 'modal_problem';

/** What Slack sends back of a submitted modal, as far as showing it again needs. */
interface SubmittedModal {
  callback_id: string;
  private_metadata?: string;
  title: { type: 'plain_text'; text: string };
  submit?: { type: 'plain_text'; text: string } | null;
  close?: { type: 'plain_text'; text: string } | null;
  blocks: readonly unknown[];
}

/** The submitted modal again, with `problem` on top in place of any earlier one. */
export function withProblemOnTop(view: SubmittedModal, problem: string, voice: Voice): ModalView {
  const blocks = view.blocks.filter(
    (block) => (block as { block_id?: string }).block_id !== MODAL_PROBLEM_BLOCK,
  ) as KnownBlock[];
  return {
    type: 'modal',
    callback_id: view.callback_id,
    private_metadata: view.private_metadata ?? '',
    title: view.title,
    ...(view.submit && { submit: view.submit }),
    ...(view.close && { close: view.close }),
    blocks: [
      {
        type: 'section',
        block_id: MODAL_PROBLEM_BLOCK,
        text: { type: 'mrkdwn', text: voice.t('note.modal.notSaved', { problem }) },
      },
      ...blocks,
    ],
  };
}

/** Slack's limit on a button's accessibility_label. */
const ACCESSIBILITY_LABEL_MAX = 75;

/**
 * A label a screen reader reads instead of a repeated button's text ("Edit"), naming the item it
 * acts on: "Edit “Ask Priya what she needs”", cut to Slack's 75 characters.
 */
export function itemLabel(verb: string, itemText: string): string {
  const room = ACCESSIBILITY_LABEL_MAX - verb.length - 3;
  const name = itemText.length <= room ? itemText : `${itemText.slice(0, room - 1)}…`;
  return `${verb} “${name}”`;
}

/** `element` with an accessibility label naming its item. */
export function labelled<Element extends object>(
  element: Element,
  verb: string,
  itemText: string,
): Element & { accessibility_label: string } {
  return { ...element, accessibility_label: itemLabel(verb, itemText) };
}
