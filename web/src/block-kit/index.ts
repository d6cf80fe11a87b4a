/**
 * The Block Kit renderer: Slack messages, modals and the App Home as the bot builds them, for
 * the sandbox (issue 14) and the admin's topic preview (issue 15).
 */
export { BlockKit } from './block-kit.tsx';
export { initialState, plainText, unsupportedParts } from './inspect.ts';
export { Mrkdwn } from './mrkdwn.tsx';
export type {
  BlockAction,
  BlockKitProps,
  Option,
  ViewStateValue,
  ViewStateValues,
} from './types.ts';
