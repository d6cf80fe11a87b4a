/**
 * The renderer's public types: the Slack payload shapes it hands to its owner (a block action,
 * a view's state values) and the props it takes. Blocks themselves stay `unknown`: they come
 * from the bot through the emulator, and the renderer reads them defensively (see read.ts).
 */

/** A plain_text or mrkdwn option, as Slack sends it back in `selected_option(s)`. */
export interface Option {
  text: { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
  value: string;
  description?: unknown;
}

/** One element's entry in `view.state.values`. */
export type ViewStateValue = {
  type: string;
  value?: string | null;
  selected_option?: Option | null;
  selected_options?: Option[];
  selected_date?: string | null;
  selected_time?: string | null;
};

/** `view.state.values`: by block_id, then by action_id. */
export type ViewStateValues = Record<
  string /* block_id */,
  Record<string /* action_id */, ViewStateValue>
>;

/** One entry of a block_actions payload's `actions`. */
export interface BlockAction {
  type: string;
  action_id: string;
  block_id: string;
  value?: string;
  selected_option?: Option | null;
  selected_options?: Option[];
  selected_date?: string | null;
  selected_time?: string | null;
  /** 'seconds.micros', like Slack's. */
  action_ts: string;
}

export interface BlockKitProps {
  blocks: readonly unknown[];
  /** Buttons, and selects/pickers/checkboxes/radios outside input blocks (and inside input blocks with dispatch_action). */
  onAction?: (action: BlockAction) => void;
  /** Input-block values, controlled. The modal owner keeps it and submits it as view.state.values. */
  state?: ViewStateValues;
  onStateChange?: (next: ViewStateValues) => void;
  /** external_select: asks the app for options (the sandbox relays a block_suggestion). */
  loadOptions?: (query: {
    action_id: string;
    block_id: string;
    value: string;
  }) => Promise<Option[]>;
  /** Display names for <@U123> mentions. */
  users?: Readonly<Record<string, string>>;
  /** view_submission `response_action: 'errors'`, by block_id, shown under that input. */
  errors?: Readonly<Record<string, string>>;
  disabled?: boolean;
}
