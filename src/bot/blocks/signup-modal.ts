/**
 * The sign-up modal: which weekdays, what local time, which time zone, themes to skip. Opened by
 * /blindspot and from the App Home; submitting it signs up or changes the schedule.
 */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type {
  Subscription,
  SubscriptionRequest,
  WeekdayLeaning,
  WorkspaceDefaults,
} from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { categoryLabel, dayName, timeZoneLabel } from './format.ts';
import { holidaySelect, placeOfValue } from './holidays.ts';
import { LANGUAGE_ACTIONS, languageOfValue, languageSelect } from './language.ts';

export const SIGNUP_CALLBACK_ID = 'signup_modal';
/** Block ids, so the API's field errors can be shown beside the right field. */
export const SIGNUP_BLOCKS = {
  weekdays: 'weekdays',
  localTime: 'local_time',
  timeZone: 'time_zone',
  skippedCategories: 'skip_themes',
  holidays: 'holidays',
  language: 'language',
} as const;
export const TIME_ZONE_ACTION = 'time_zone_select';
/** The modal's menu of places; its options come from the Home tab's options listener. */
export const SIGNUP_HOLIDAYS_ACTION = 'signup_holiday_place';

/** When the workspace's defaults are not known; the same as a workspace's before any are set. */
const SHIPPED_DEFAULTS = { weekdays: [1, 3, 5], localTime: '09:00' };

/** Slack's limit for an option's description. */
const OPTION_DESCRIPTION_MAX = 75;

function option(text: string, value: string, description?: string): PlainTextOption {
  return {
    text: { type: 'plain_text', text },
    value,
    ...(description && {
      description: { type: 'plain_text', text: truncated(description, OPTION_DESCRIPTION_MAX) },
    }),
  };
}

function truncated(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function timeZoneOption(zone: string, now: Date): PlainTextOption {
  return option(timeZoneLabel(zone, now), zone);
}

export function buildSignupModal(input: {
  subscription?: Subscription;
  profileTimeZone: string;
  categories: readonly string[];
  /** Each weekday's theme: what the day leans to while the manager has topics of it left. */
  leanings?: readonly WeekdayLeaning[];
  now: Date;
  /** The workspace's defaults for a first sign-up (its admins' settings). */
  defaults?: Pick<WorkspaceDefaults, 'weekdays' | 'localTime'>;
  voice: Voice;
}): ModalView {
  const { subscription, categories, now, voice } = input;
  const defaults = input.defaults ?? SHIPPED_DEFAULTS;
  const weekdays = subscription?.weekdays ?? defaults.weekdays;
  const leansTo = new Map((input.leanings ?? []).map((l) => [l.isoWeekday, l.category]));
  const dayOptions = [1, 2, 3, 4, 5, 6, 7].map((day) => {
    const theme = leansTo.get(day);
    return option(
      dayName(day, false, voice),
      String(day),
      theme && voice.t('home.signup.leansTo', { theme: categoryLabel(theme, voice) }),
    );
  });
  const skipped = subscription?.skippedCategories ?? [];
  const themeOptions = categories.map((category) =>
    option(categoryLabel(category, voice), category),
  );
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: voice.t('home.signup.intro'),
      },
    },
    {
      type: 'input',
      block_id: SIGNUP_BLOCKS.weekdays,
      label: { type: 'plain_text', text: voice.t('home.signup.days') },
      ...(leansTo.size > 0 && {
        hint: { type: 'plain_text', text: voice.t('home.signup.daysHint') },
      }),
      element: {
        type: 'checkboxes',
        action_id: 'weekdays',
        options: dayOptions,
        initial_options: dayOptions.filter((o) => weekdays.includes(Number(o.value))),
      },
    },
    {
      type: 'input',
      block_id: SIGNUP_BLOCKS.localTime,
      label: { type: 'plain_text', text: voice.t('home.signup.time') },
      element: {
        type: 'timepicker',
        action_id: 'local_time',
        initial_time: subscription?.localTime ?? defaults.localTime,
      },
    },
    {
      type: 'input',
      block_id: SIGNUP_BLOCKS.timeZone,
      label: { type: 'plain_text', text: voice.t('home.signup.zone') },
      hint: { type: 'plain_text', text: voice.t('home.signup.zoneHint') },
      element: {
        type: 'external_select',
        action_id: TIME_ZONE_ACTION,
        min_query_length: 2,
        initial_option: timeZoneOption(subscription?.timeZone ?? input.profileTimeZone, now),
      },
    },
  ];
  if (themeOptions.length > 0) {
    blocks.push({
      type: 'input',
      block_id: SIGNUP_BLOCKS.skippedCategories,
      optional: true,
      label: { type: 'plain_text', text: voice.t('home.signup.skip') },
      hint: { type: 'plain_text', text: voice.t('home.signup.skipHint') },
      element: {
        type: 'checkboxes',
        action_id: 'skip_themes',
        options: themeOptions,
        ...(skipped.length > 0 && {
          initial_options: themeOptions.filter((o) => skipped.includes(o.value ?? '')),
        }),
      },
    });
  }
  // The language the modal is written in, and every message after it (issue 18).
  blocks.push({
    type: 'input',
    block_id: SIGNUP_BLOCKS.language,
    label: { type: 'plain_text', text: voice.t('home.language.label') },
    hint: { type: 'plain_text', text: voice.t('home.language.hint') },
    element: languageSelect(LANGUAGE_ACTIONS.signup, subscription?.chosenLanguage, voice),
  });
  // The place is picked once (issue 18): here at sign-up, and changed on the Home tab.
  blocks.push({
    type: 'input',
    block_id: SIGNUP_BLOCKS.holidays,
    optional: true,
    label: { type: 'plain_text', text: voice.t('home.signup.holidays') },
    hint: { type: 'plain_text', text: voice.t('home.signup.holidaysHint') },
    element: holidaySelect(SIGNUP_HOLIDAYS_ACTION, subscription?.holidays, voice),
  });
  return {
    type: 'modal',
    callback_id: SIGNUP_CALLBACK_ID,
    title: { type: 'plain_text', text: voice.t('home.signup.title') },
    submit: {
      type: 'plain_text',
      text: subscription ? voice.t('home.signup.save') : voice.t('home.signup.signUp'),
    },
    close: { type: 'plain_text', text: voice.t('home.signup.cancel') },
    blocks,
  };
}

interface StateValue {
  selected_options?: Array<{ value?: string }>;
  selected_option?: { value?: string } | null;
  selected_time?: string | null;
}
type StateValues = Record<string, Record<string, StateValue>>;

/** The modal's state as a subscription request; the API validates it. */
export function parseSignupSubmission(values: StateValues): SubscriptionRequest {
  const field = (block: string, action: string): StateValue => values[block]?.[action] ?? {};
  const language = field(SIGNUP_BLOCKS.language, LANGUAGE_ACTIONS.signup).selected_option?.value;
  return {
    weekdays: (field(SIGNUP_BLOCKS.weekdays, 'weekdays').selected_options ?? []).map((o) =>
      Number(o.value),
    ),
    localTime: field(SIGNUP_BLOCKS.localTime, 'local_time').selected_time ?? '',
    timeZone: field(SIGNUP_BLOCKS.timeZone, TIME_ZONE_ACTION).selected_option?.value ?? '',
    skippedCategories: (
      field(SIGNUP_BLOCKS.skippedCategories, 'skip_themes').selected_options ?? []
    ).map((o) => String(o.value)),
    // A modal without the menu (one opened before it existed) leaves the choice as it was.
    ...(language !== undefined && { language: languageOfValue(language) }),
  };
}

/**
 * The place whose public holidays the manager keeps, as picked in the modal: a place, null for
 * "none", or undefined when nothing was picked (what was kept stays).
 */
export function parseSignupHolidays(
  values: StateValues,
): { country: string; region: string | null } | null | undefined {
  const value =
    values[SIGNUP_BLOCKS.holidays]?.[SIGNUP_HOLIDAYS_ACTION]?.selected_option?.value ?? undefined;
  return value === undefined ? undefined : placeOfValue(value);
}

/** The API's field problems as Slack's `response_action: errors`, by block id. */
export function signupErrors(fields: Readonly<Record<string, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const block = SIGNUP_BLOCKS[field as keyof typeof SIGNUP_BLOCKS];
    if (block) errors[block] = message;
  }
  return errors;
}

/** Zones matching what the manager typed, for the time-zone menu (Slack shows at most 100). */
export function timeZoneOptions(
  query: string,
  zones: readonly string[],
  now: Date,
): PlainTextOption[] {
  const needle = query.trim().toLowerCase().replace(/\s+/g, '_');
  return zones
    .filter((zone) => zone.toLowerCase().includes(needle))
    .slice(0, 100)
    .map((zone) => timeZoneOption(zone, now));
}
