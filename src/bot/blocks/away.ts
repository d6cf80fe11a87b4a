/**
 * Away until a date (issue 18, item 3): the App Home's "I'm away until …" section, and what the
 * bot says about an away. Pure builders of plain values. The section is its own, so the Home
 * tab's other sections can change without touching it.
 */
import type { KnownBlock } from '@slack/types';
import type { Subscription } from '../api-client/index.ts';
import { formatLocalDate } from './format.ts';
import { reminderMetadata } from './reminders.ts';

export const AWAY_ACTIONS = {
  /** The App Home's date picker: the first day back. */
  until: 'home_away_until',
} as const;

/** Why the subscription is paused, when the manager is away until a date. */
export function awayStatusText(pausedUntil: string, locale?: string): string {
  return `You are away until ${formatLocalDate(pausedUntil, locale)}. No notes and no reminders until then; they start again that day, with a welcome back.`;
}

/** The answer to `/blindspot away …` and the date picker, once saved. */
export function awaySavedText(subscription: Subscription): string {
  return subscription.pausedUntil
    ? `Enjoy your time away. ${awayStatusText(subscription.pausedUntil, subscription.locale)} To come back sooner, use Resume on your Home tab or \`/blindspot resume\`.`
    : 'Paused.';
}

/** `/blindspot away` without a date: how to give one. */
export const AWAY_USAGE_TEXT =
  'Tell me the first day you are back, as year-month-day: `/blindspot away until 2027-01-04`. I send nothing until then.';

/** The DM on the day a manager is back. */
export const WELCOME_BACK_TEXT =
  'Welcome back! Your notes start again on your usual days, and I will ask about your open actions on the next one.';

/**
 * The App Home's away section: a date picker for the first day back. While away, it shows the
 * date chosen, to change it; unsubscribed managers don't get it (the Home tab asks them to sign
 * up first).
 */
export function awayBlocks(subscription: Subscription): KnownBlock[] {
  if (subscription.status === 'unsubscribed') return [];
  const away = subscription.pausedUntil;
  return [
    {
      type: 'section',
      block_id: 'away',
      text: {
        type: 'mrkdwn',
        text: away
          ? '*Back on another day?* Pick the first day you are back.'
          : "*I'm away until …* Pick the first day you are back: no notes and no reminders until then.",
      },
      accessory: {
        type: 'datepicker',
        action_id: AWAY_ACTIONS.until,
        ...(away && { initial_date: away }),
        placeholder: { type: 'plain_text', text: 'First day back' },
      },
    },
  ];
}

/** The welcome-back DM, with the reminder metadata the outbox finds a posted one by. */
export function buildWelcomeBackMessage(reminderId: string) {
  return {
    text: WELCOME_BACK_TEXT,
    blocks: [
      { type: 'section' as const, text: { type: 'mrkdwn' as const, text: WELCOME_BACK_TEXT } },
    ],
    metadata: reminderMetadata(reminderId),
  };
}
