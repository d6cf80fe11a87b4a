/**
 * Public holidays and skipped notes on the App Home (issue 18, item 3): which place's holidays
 * the manager keeps, a menu to change it, and the last notes not sent and why. Pure builders.
 */
import type { KnownBlock, PlainTextOption } from '@slack/types';
import type { HolidayPlace, SkippedNote, Subscription } from '../api-client/index.ts';
import type { Voice } from '../i18n/index.ts';
import { formatLocalDate } from './format.ts';

export const HOLIDAY_ACTIONS = {
  /** The external select of places; its options come from the API's list, as typed. */
  place: 'home_holiday_place',
} as const;

/** The menu's value for "no public holidays". */
export const NO_HOLIDAYS = 'none';
/** Slack's limits: an option's text, and the options an external select may return. */
const OPTION_TEXT_LIMIT = 75;
const MAX_OPTIONS = 100;

/** A place as the menu's value: 'DE' or 'DE/BY'. */
export function placeValue(place: { country: string; region: string | null }): string {
  return place.region ? `${place.country}/${place.region}` : place.country;
}

/** The place a menu value names; null for "none". */
export function placeOfValue(value: string): { country: string; region: string | null } | null {
  if (value === NO_HOLIDAYS) return null;
  const [country = '', region] = value.split('/');
  return { country, region: region || null };
}

function option(text: string, value: string): PlainTextOption {
  const shown = text.length > OPTION_TEXT_LIMIT ? `${text.slice(0, OPTION_TEXT_LIMIT - 1)}…` : text;
  return { text: { type: 'plain_text', text: shown }, value };
}

/** The menu's options for what the manager typed: places whose name or code contains it. */
export function holidayOptions(
  places: readonly HolidayPlace[],
  typed: string,
  voice: Voice,
): PlainTextOption[] {
  const query = typed.trim().toLowerCase();
  const matching = places.filter(
    (place) =>
      query === '' ||
      place.name.toLowerCase().includes(query) ||
      placeValue(place).toLowerCase() === query,
  );
  const none = voice.t('home.holidays.noneOption');
  // "none" in English or the words of the manager's language ("keine", "aucun").
  const offerNone = query === '' || 'none'.startsWith(query) || none.toLowerCase().includes(query);
  return [
    ...(offerNone ? [option(none, NO_HOLIDAYS)] : []),
    ...matching.map((place) => option(place.name, placeValue(place))),
  ].slice(0, MAX_OPTIONS);
}

/** "Public holidays" on the Home tab: the place kept, and the menu to pick another. */
export function holidayBlocks(subscription: Subscription, voice: Voice): KnownBlock[] {
  if (subscription.status === 'unsubscribed') return [];
  const kept = subscription.holidays;
  return [
    {
      type: 'section',
      block_id: 'holidays',
      text: {
        type: 'mrkdwn',
        text: kept
          ? voice.t('home.holidays.kept', { place: kept.name })
          : voice.t('home.holidays.none'),
      },
      accessory: holidaySelect(HOLIDAY_ACTIONS.place, kept, voice),
    },
  ];
}

/**
 * The menu of places, typed to search: on the Home tab (acting at once) and in the sign-up
 * modal (read on submission). Both list the same options, from the same options listener.
 */
export function holidaySelect(
  actionId: string,
  kept: { country: string; region: string | null; name: string } | null | undefined,
  voice: Voice,
) {
  return {
    type: 'external_select' as const,
    action_id: actionId,
    min_query_length: 0,
    placeholder: { type: 'plain_text' as const, text: voice.t('home.holidays.placeholder') },
    ...(kept && { initial_option: option(kept.name, placeValue(kept)) }),
  };
}

/** Why a note did not come, as the manager reads it. */
function skipReason(note: SkippedNote, voice: Voice): string {
  if (note.reason === 'away') return voice.t('home.holidays.reasonAway');
  return note.holiday
    ? voice.t('home.holidays.reasonHoliday', { holiday: note.holiday })
    : voice.t('home.holidays.reasonHolidayUnnamed');
}

/** "Notes skipped": the last few days a note did not come on purpose, and why; none, nothing. */
export function skippedNotesBlocks(notes: readonly SkippedNote[], voice: Voice): KnownBlock[] {
  if (notes.length === 0) return [];
  const lines = notes.map((note) =>
    voice.t('home.holidays.skippedLine', {
      date: formatLocalDate(note.localDate, voice),
      reason: skipReason(note, voice),
    }),
  );
  return [
    {
      type: 'section',
      block_id: 'skipped_notes',
      text: { type: 'mrkdwn', text: [voice.t('home.holidays.skipped'), ...lines].join('\n') },
    },
  ];
}
