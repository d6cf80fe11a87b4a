/**
 * Away until a date (issue 18, item 3): the App Home's "I'm away until …" section, and what the
 * bot says about an away. Pure builders of plain values. The section is its own, so the Home
 * tab's other sections can change without touching it.
 */
import type { KnownBlock } from '@slack/types';
import type { Subscription } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { formatLocalDate } from './format.ts';
import { reminderMetadata } from './reminders.ts';

export const AWAY_ACTIONS = {
  /** The App Home's date picker: the first day back. */
  until: 'home_away_until',
} as const;

/** Why the subscription is paused, when the manager is away until a date. */
export function awayStatusText(pausedUntil: string, voice: Voice): string {
  return voice.t('home.away.status', { date: formatLocalDate(pausedUntil, voice) });
}

/** The answer to `/blindspot away …` and the date picker, once saved. */
export function awaySavedText(subscription: Subscription, voice: Voice): string {
  return subscription.pausedUntil
    ? voice.t('home.away.saved', { status: awayStatusText(subscription.pausedUntil, voice) })
    : voice.t('home.paused.plain');
}

/** `/blindspot away` without a date: how to give one. */
export const awayUsageText = (voice: Voice) => voice.t('home.away.usage');

/** The DM on the day a manager is back. */
export const welcomeBackText = (voice: Voice) => voice.t('home.away.welcomeBack');

/**
 * The App Home's away section: a date picker for the first day back. While away, it shows the
 * date chosen, to change it; unsubscribed managers don't get it (the Home tab asks them to sign
 * up first).
 */
export function awayBlocks(subscription: Subscription, voice: Voice): KnownBlock[] {
  if (subscription.status === 'unsubscribed') return [];
  const away = subscription.pausedUntil;
  return [
    {
      type: 'section',
      block_id: 'away',
      text: {
        type: 'mrkdwn',
        text: away ? voice.t('home.away.pickAgain') : voice.t('home.away.pick'),
      },
      accessory: {
        type: 'datepicker',
        action_id: AWAY_ACTIONS.until,
        ...(away && { initial_date: away }),
        placeholder: { type: 'plain_text', text: voice.t('home.away.firstDayBack') },
      },
    },
  ];
}

/** The welcome-back DM, with the reminder metadata the outbox finds a posted one by. */
export function buildWelcomeBackMessage(reminderId: string, voice: Voice) {
  const text = welcomeBackText(voice);
  return {
    text,
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
    metadata: reminderMetadata(reminderId),
  };
}
