/**
 * Public holidays and skipped notes on the App Home (issue 18, item 3): which place's holidays
 * the manager keeps, a menu to change it, and the last notes not sent and why. Pure builders.
 */
import type { KnownBlock, PlainTextOption } from '@slack/types';
import type { HolidayPlace, SkippedNote, Subscription } from '../api-client/index.ts';
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
export function holidayOptions(places: readonly HolidayPlace[], typed: string): PlainTextOption[] {
  const query = typed.trim().toLowerCase();
  const matching = places.filter(
    (place) =>
      query === '' ||
      place.name.toLowerCase().includes(query) ||
      placeValue(place).toLowerCase() === query,
  );
  return [
    ...(query === '' || 'none'.startsWith(query)
      ? [option('None: send notes on holidays too', NO_HOLIDAYS)]
      : []),
    ...matching.map((place) => option(place.name, placeValue(place))),
  ].slice(0, MAX_OPTIONS);
}

/** "Public holidays" on the Home tab: the place kept, and the menu to pick another. */
export function holidayBlocks(subscription: Subscription): KnownBlock[] {
  if (subscription.status === 'unsubscribed') return [];
  const kept = subscription.holidays;
  return [
    {
      type: 'section',
      block_id: 'holidays',
      text: {
        type: 'mrkdwn',
        text: kept
          ? `*Public holidays:* ${kept.name}. No note comes on its public holidays.`
          : '*Public holidays:* none. Pick your country (and region) and no note comes on its public holidays.',
      },
      accessory: {
        type: 'external_select',
        action_id: HOLIDAY_ACTIONS.place,
        min_query_length: 0,
        placeholder: { type: 'plain_text', text: 'Type your country' },
        ...(kept && { initial_option: option(kept.name, placeValue(kept)) }),
      },
    },
  ];
}

/** Why a note did not come, as the manager reads it. */
function skipReason(note: SkippedNote): string {
  if (note.reason === 'away') return 'your Slack status said you were out';
  return note.holiday ? `a public holiday (${note.holiday})` : 'a public holiday';
}

/** "Notes skipped": the last few days a note did not come on purpose, and why; none, nothing. */
export function skippedNotesBlocks(notes: readonly SkippedNote[], locale?: string): KnownBlock[] {
  if (notes.length === 0) return [];
  const lines = notes.map(
    (note) => `• ${formatLocalDate(note.localDate, locale)}: ${skipReason(note)}`,
  );
  return [
    {
      type: 'section',
      block_id: 'skipped_notes',
      text: { type: 'mrkdwn', text: `*Notes skipped*\n${lines.join('\n')}` },
    },
  ];
}
