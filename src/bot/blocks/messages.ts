/**
 * What the bot says, as pure functions of plain values. No I/O, so every word is testable.
 */
import type { Subscription } from '../api-client/index.ts';
import { textWithButtons } from './elements.ts';
import { describeSchedule, formatInstant } from './format.ts';

export const HELP_TEXT = [
  '*Blindspot* sends you one short note about a management blind spot on the days you choose, with a question to reflect on.',
  '',
  '• `/blindspot`: sign up, or change your days and time',
  '• `/blindspot now`: a note now, if you have not had today’s',
  '• `/blindspot actions`: your open actions, to edit, mark done or delete',
  '• `/blindspot history`: what you have done, and your streak',
  '• `/blindspot topics`: the notes you have had, to read again',
  '• `/blindspot pause` and `/blindspot resume`: take a break, and come back',
  '• `/blindspot away until 2027-01-04` (or `pause until …`): away until that day, no notes or reminders till then',
  '• `/blindspot unsubscribe`: no more notes (you confirm first)',
  '• `/blindspot export`: a download link to everything Blindspot holds about you',
  '• `/blindspot delete my data`: delete all of it, for good (you confirm first)',
  '• `/blindspot help`: this message',
  '',
  'Your Home tab shows your schedule and when the next note comes.',
].join('\n');

export const EXPORT_SENT_TEXT =
  'I have sent you a download link in a direct message. It works once, for 24 hours.';

/** PUBLIC_URL is unset, so there is no address to link to: the operator's to fix. */
export const EXPORT_UNAVAILABLE_TEXT =
  "Downloads aren't set up on this Blindspot yet, so I can't send you a link. Please ask whoever runs Blindspot for your workspace.";

/** The history DM's fallback text: progress, and the open actions under it. */
export const HISTORY_TEXT = 'Your progress with Blindspot';

export const TRY_AGAIN_TEXT =
  'Sorry, Blindspot could not do that just now. Nothing was changed; please try again in a minute.';

export const STALE_INPUT_TEXT =
  'That button or form is out of date, so nothing was changed. Please use a newer message, or type `/blindspot`.';

export const BUSY_TEXT =
  'Blindspot is busy right now. Nothing was changed; please try again in a minute.';

export const UNKNOWN_COMMAND_TEXT = (text: string) =>
  `I don't know \`/blindspot ${text}\`. ${HELP_TEXT}`;

export const SEND_NOW_ACTION = 'send_now';

/** The DM after sign-up: the schedule, and the next delivery in the manager's own zone. */
export function confirmationMessage(subscription: Subscription, isNew: boolean) {
  const next = subscription.nextDeliveryAt
    ? formatInstant(subscription.nextDeliveryAt, subscription.timeZone, subscription.locale)
    : 'soon';
  const opening = isNew ? "You're signed up." : 'Your schedule is updated.';
  const text = `${opening} You'll hear from me ${describeSchedule(subscription, subscription.locale)}. The next note comes ${next}.`;
  return textWithButtons(text, [
    {
      type: 'button' as const,
      text: { type: 'plain_text' as const, text: 'Send me one now' },
      action_id: SEND_NOW_ACTION,
    },
  ]);
}

export const SEND_NOW_TEXT = {
  queued: 'On its way.',
  already_sent: "You've had today's note already. The next one comes on your schedule.",
} as const;

export const PAUSED_TEXT =
  'Paused. Nothing more until you resume, from your Home tab or with `/blindspot resume`.';
export const RESUMED_TEXT = 'Welcome back. Your notes resume on your schedule.';
export const NOT_RELEVANT_NOTE =
  "Marked not relevant: you won't get this one again. Changed your mind? *Topics you hid*, on your Home tab, can restore it.";
export const UNDO_TOO_LATE_TEXT =
  'Sorry, it is too late to undo that: a deleted action can be put back for a minute only. To plan it again, press *Plan an action* on its note.';
export const NOT_SIGNED_UP_TEXT =
  'You are not signed up yet. Type `/blindspot` to choose your days.';
