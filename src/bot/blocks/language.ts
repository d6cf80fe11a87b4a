/**
 * The manager's language (issue 18, item 2): a menu in the sign-up modal and on the Home tab,
 * offering Blindspot's languages by their own names, or to follow Slack (their Slack locale's
 * language, else the workspace's). Pure builders.
 */
import type { KnownBlock, PlainTextOption } from '@slack/types';
import type { Subscription } from '../api-client/index.ts';
import { isLanguage, LANGUAGES, type Language, type Voice } from '../i18n/index.ts';

export const LANGUAGE_ACTIONS = {
  /** The Home tab's menu: choosing acts at once. */
  home: 'home_language',
  /** The sign-up modal's menu: read when the modal is submitted. */
  signup: 'signup_language',
} as const;

/** The menu's value for "no choice": the API then follows Slack, then the workspace. */
export const FOLLOW_SLACK = 'slack';

/** Each language by its own name, as a reader looks for it whatever language they read now. */
const NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
};

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text }, value };
}

function languageOptions(voice: Voice): PlainTextOption[] {
  return [
    option(voice.t('home.language.followSlack'), FOLLOW_SLACK),
    ...LANGUAGES.map((language) => option(NAMES[language], language)),
  ];
}

/** The menu, showing the manager's choice (or "As in Slack" when they made none). */
export function languageSelect(actionId: string, chosen: string | null | undefined, voice: Voice) {
  const options = languageOptions(voice);
  const value = isLanguage(chosen) ? chosen : FOLLOW_SLACK;
  return {
    type: 'static_select' as const,
    action_id: actionId,
    options,
    initial_option: options.find((o) => o.value === value) ?? options[0],
  };
}

/** The language a menu value names; null for "As in Slack", or for anything unknown. */
export function languageOfValue(value: string | undefined): Language | null {
  return isLanguage(value) ? value : null;
}

/** "Language" on the Home tab, with the menu to change it. */
export function languageBlocks(subscription: Subscription, voice: Voice): KnownBlock[] {
  if (subscription.status === 'unsubscribed') return [];
  return [
    {
      type: 'section',
      block_id: 'language',
      text: { type: 'mrkdwn', text: voice.t('home.language.section') },
      accessory: languageSelect(LANGUAGE_ACTIONS.home, subscription.chosenLanguage, voice),
    },
  ];
}
