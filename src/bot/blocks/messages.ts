/**
 * What the bot says, as pure functions of plain values and the manager's Voice. No I/O, so
 * every word is testable, in every language.
 */
import type { Subscription } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { textWithButtons } from './elements.ts';
import { describeSchedule, formatInstant } from './format.ts';

export const helpText = (voice: Voice) => voice.t('commands.help');

export const exportSentText = (voice: Voice) => voice.t('commands.exportSent');

/** PUBLIC_URL is unset, so there is no address to link to: the operator's to fix. */
export const exportUnavailableText = (voice: Voice) => voice.t('commands.exportUnavailable');

/** The history DM's fallback text: progress, and the open actions under it. */
export const historyText = (voice: Voice) => voice.t('commands.history');

/** The fallback text of a list of open actions. */
export const openActionsText = (voice: Voice) => voice.t('commands.openActions');

export const tryAgainText = (voice: Voice) => voice.t('commands.tryAgain');

export const staleInputText = (voice: Voice) => voice.t('commands.staleInput');

export const busyText = (voice: Voice) => voice.t('commands.busy');

/** What the manager typed after `/blindspot` is shown back as they typed it, in code style. */
export const unknownCommandText = (command: string, voice: Voice) =>
  voice.t('commands.unknown', { command, help: helpText(voice) });

export const SEND_NOW_ACTION = 'send_now';

/** The DM after sign-up: the schedule, and the next delivery in the manager's own zone. */
export function confirmationMessage(subscription: Subscription, isNew: boolean, voice: Voice) {
  const schedule = { schedule: describeSchedule(subscription, voice) };
  const opening = isNew
    ? voice.t('commands.confirmation.signedUp', schedule)
    : voice.t('commands.confirmation.updated', schedule);
  const next = subscription.nextDeliveryAt
    ? voice.t('commands.confirmation.next', {
        next: formatInstant(subscription.nextDeliveryAt, subscription.timeZone, voice),
      })
    : voice.t('commands.confirmation.nextSoon');
  const text = `${opening} ${next}`;
  return textWithButtons(text, [
    {
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: voice.t('commands.confirmation.sendNow') },
      action_id: SEND_NOW_ACTION,
    },
  ]);
}

/** The answer to "Send me one now" and `/blindspot now`, by the API's result. */
export function sendNowText(status: 'queued' | 'already_sent', voice: Voice): string {
  return status === 'queued'
    ? voice.t('commands.sendNow.queued')
    : voice.t('commands.sendNow.alreadySent');
}

export const pausedText = (voice: Voice) => voice.t('commands.paused');
export const resumedText = (voice: Voice) => voice.t('commands.resumed');
export const notRelevantNote = (voice: Voice) => voice.t('commands.notRelevant');
export const undoTooLateText = (voice: Voice) => voice.t('commands.undoTooLate');
export const notSignedUpText = (voice: Voice) => voice.t('commands.notSignedUp');
