/**
 * What a listener tells the manager when its work failed, on its own surface and in their voice:
 * the words for a failure, and the replies that carry them (under the message clicked, by DM,
 * beside a modal's fields). The wrapper in ./shared.ts decides when; these decide what and where.
 */

import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import { ApiCallError, type CallContext, type ErrorCode } from '../api-client/index.ts';
import {
  busyText,
  exportUnavailableText,
  notSignedUpText,
  staleInputText,
  tryAgainText,
  undoTooLateText,
} from '../blocks/messages.ts';
import type { Voice } from '../i18n/index.ts';
import { MalformedInputError } from './malformed-input.ts';
import { isRefusal, refusalText } from './refusals.ts';
import { replyVoice } from './reply-voice.ts';

/** The API's answers that mean the manager has not signed up (or has left). */
const NOT_SIGNED_UP: ReadonlySet<ErrorCode> = new Set([
  'subscription_not_found',
  'manager_not_found',
]);

/**
 * What to tell a manager when something failed, in their voice; the details go to the log, not
 * to them.
 */
export function failureText(error: unknown, voice: Voice): string {
  if (error instanceof MalformedInputError) return staleInputText(voice);
  if (error instanceof ApiCallError) {
    if (error.code === 'export_unavailable') return exportUnavailableText(voice);
    if (error.code === 'undo_expired') return undoTooLateText(voice);
    if (error.status === 503) return busyText(voice);
    if (NOT_SIGNED_UP.has(error.code)) return notSignedUpText(voice);
    if (isRefusal(error)) return refusalText(error, voice);
  }
  return tryAgainText(voice);
}

/** For work no one waits to see (a Home tab refresh): the log line is all. */
export async function logOnly(): Promise<void> {}

/** A reply only the manager sees, under the message they clicked, which stays as it was. */
export async function ephemeralFailure(
  args: { respond: RespondFn; context: Record<string, unknown> },
  error: unknown,
  call: CallContext,
): Promise<unknown> {
  const voice = await replyVoice(args.context, call);
  return args.respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: failureText(error, voice),
  });
}

/** A DM: the Home tab has no place for a reply. */
export async function dmFailure(
  args: AllMiddlewareArgs,
  error: unknown,
  call: CallContext,
): Promise<unknown> {
  const voice = await replyVoice(args.context, call);
  return args.client.chat.postMessage({
    channel: call.slackUserId,
    text: failureText(error, voice),
  });
}

/** The API's problems with a modal's fields, beside them; any other failure on `fallbackBlock`. */
export function modalErrors(
  error: unknown,
  toBlocks: (fields: Readonly<Record<string, string>>) => Record<string, string>,
  fallbackBlock: string,
  voice: Voice,
): Record<string, string> {
  const errors =
    error instanceof ApiCallError && error.status === 400 ? toBlocks(error.fields) : {};
  if (Object.keys(errors).length > 0) return errors;
  return {
    [fallbackBlock]: error instanceof MalformedInputError ? staleInputText(voice) : busyText(voice),
  };
}
