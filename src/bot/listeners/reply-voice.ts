/**
 * The language to answer a listener's caller in when the listener holds no API answer about
 * them: a failure reply (which has only the caller's team and user), or a modal that must open
 * before anything is read. Listeners that hold an answer (a subscription, a delivery) use
 * `voiceFor(answer)` instead, and tell it to `speakAs`, so that a failure after it is told in
 * the same language at no cost.
 */
import type { App } from '@slack/bolt';
import { ApiCallError, type ApiClient, type CallContext } from '../api-client/index.ts';
import { type Voice, voiceFor } from '../i18n/index.ts';
import { managerVoice, slackProfileVoice } from './manager-voice.ts';

/** Where Bolt's per-request context holds the look-up (registerReplyVoice). */
const LOOK_UP = 'blindspotReplyVoice';
const knownVoices = new WeakMap<CallContext, Voice>();
/** Calls whose work failed because the API could not serve them (see `apiFailed`). */
const apiUnavailableFor = new WeakSet<object>();

type VoiceLookUp = (call: CallContext) => Promise<Voice>;

/**
 * Lets listeners look a caller's language up: Bolt middleware, once per app. The look-up
 * (managerVoice: the API's record of the manager, their language and locale, else their Slack
 * profile) is made only when asked for; if it fails (the API may be what failed), English,
 * rather than hide the first failure.
 */
export function registerReplyVoice(app: App, { api }: { api: ApiClient }): void {
  app.use(async ({ context, client, next }) => {
    const lookUp: VoiceLookUp = (call) =>
      (apiUnavailableFor.has(call)
        ? slackProfileVoice(client, call)
        : managerVoice(client, api, call)
      ).catch(() => voiceFor());
    context[LOOK_UP] = lookUp;
    await next();
  });
}

/**
 * Whether an error says the API could not serve at all: busy or without its database (503), a
 * gateway's 5xx, or no answer within the bot's deadline. Asking it again for the manager's
 * language would wait the same way before the failure could be told.
 */
function isApiUnavailable(error: unknown): boolean {
  if (error instanceof ApiCallError) return error.status >= 500;
  return error instanceof DOMException && error.name === 'TimeoutError';
}

/**
 * Tells the look-up that this call's work failed with `error`. When the API could not serve,
 * the failure reply takes the language from the manager's Slack profile instead of asking the
 * API again: under an outage, that second call doubled the requests waiting on the pool and
 * kept the manager waiting another deadline for the word "busy".
 */
export function apiFailed(call: object, error: unknown): void {
  if (isApiUnavailable(error)) apiUnavailableFor.add(call);
}

/** The manager's voice, learned from an answer: a failure after it is told in their language. */
export function speakAs(call: CallContext, voice: Voice): Voice {
  knownVoices.set(call, voice);
  return voice;
}

/**
 * The caller's voice: the one the listener learned (`speakAs`), else the look-up's, else
 * English. With `waitMs`, English once that long has passed: a modal's trigger id and a
 * submission's answer each have 3 seconds.
 */
export async function replyVoice(
  context: Record<string, unknown>,
  call: CallContext,
  waitMs?: number,
): Promise<Voice> {
  const known = knownVoices.get(call);
  if (known) return known;
  const lookUp = context[LOOK_UP] as VoiceLookUp | undefined;
  if (typeof lookUp !== 'function') return voiceFor();
  if (waitMs === undefined) return lookUp(call);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Voice>((resolve) => {
    timer = setTimeout(() => resolve(voiceFor()), waitMs);
  });
  try {
    return await Promise.race([lookUp(call), late]);
  } finally {
    clearTimeout(timer);
  }
}
