/**
 * The sign-up modal (src/bot/blocks/signup-modal.ts): what it offers and shows, what an untouched
 * or cleared submission asks the API for, the API's field problems at their fields, and the
 * time-zone menu it searches.
 */
import type { InputBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { timeZoneLabel } from '../../../src/bot/blocks/format.ts';
import {
  buildSignupModal,
  parseSignupSubmission,
  SIGNUP_BLOCKS,
  SIGNUP_CALLBACK_ID,
  signupErrors,
  TIME_ZONE_ACTION,
  timeZoneOptions,
} from '../../../src/bot/blocks/signup-modal.ts';
import { TIME_ZONES } from '../../../src/bot/blocks/time-zones.ts';
import { EN, isInput, subscription } from './block-kit.ts';

/** A winter Monday: Berlin is at UTC+01:00, New York at UTC-05:00. */
const WINTER = new Date('2026-01-12T10:00:00.000Z');
const THEMES = ['clarity-and-direction', 'judging-people-fairly', 'recognition-and-feedback'];

function inputBlock(view: ModalView, blockId: string): InputBlock {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  if (!block || !isInput(block)) throw new Error(`no input block ${blockId}`);
  return block;
}

function checkboxValues(view: ModalView, blockId: string): string[] | undefined {
  const { element } = inputBlock(view, blockId);
  if (element.type !== 'checkboxes') throw new Error(`${blockId} is a ${element.type}`);
  return element.initial_options?.map((option) => option.value ?? '');
}

interface SubmittedValue {
  type: string;
  selected_options?: Option[];
  selected_time?: string | null;
  selected_option?: PlainTextOption | null;
}

/**
 * The `view.state.values` Slack posts when the modal is submitted untouched: each input's
 * initial value as its selection, keyed by block id and then action id.
 */
function submittedUntouched(view: ModalView): Record<string, Record<string, SubmittedValue>> {
  const values: Record<string, Record<string, SubmittedValue>> = {};
  for (const block of view.blocks.filter(isInput)) {
    const { element } = block;
    let value: SubmittedValue;
    if (element.type === 'checkboxes') {
      value = { type: element.type, selected_options: element.initial_options ?? [] };
    } else if (element.type === 'timepicker') {
      value = { type: element.type, selected_time: element.initial_time ?? null };
    } else if (element.type === 'external_select' || element.type === 'static_select') {
      value = { type: element.type, selected_option: element.initial_option ?? null };
    } else {
      throw new Error(`unexpected ${element.type} in the sign-up modal`);
    }
    values[block.block_id ?? ''] = { [element.action_id ?? '']: value };
  }
  return values;
}

describe('the sign-up modal', () => {
  it('when a manager signs up for the first time, then it offers Mon, Wed and Fri at 09:00 in their profile zone, to "Sign up"', () => {
    const view = buildSignupModal({
      profileTimeZone: 'Europe/Berlin',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });

    expect(view.callback_id).toBe(SIGNUP_CALLBACK_ID);
    expect(view.submit?.text).toBe('Sign up');
    expect(checkboxValues(view, SIGNUP_BLOCKS.weekdays)).toEqual(['1', '3', '5']);
    expect(inputBlock(view, SIGNUP_BLOCKS.localTime).element).toMatchObject({
      type: 'timepicker',
      initial_time: '09:00',
    });
    expect(inputBlock(view, SIGNUP_BLOCKS.timeZone).element).toMatchObject({
      type: 'external_select',
      action_id: TIME_ZONE_ACTION,
      initial_option: {
        text: { type: 'plain_text', text: 'Europe/Berlin (UTC+01:00)' },
        value: 'Europe/Berlin',
      },
    });
    // Slack rejects an empty initial_options, so a first sign-up has none for the themes.
    expect(checkboxValues(view, SIGNUP_BLOCKS.skippedCategories)).toBeUndefined();
  });

  it('offers all seven days, Monday first, as ISO weekday numbers', () => {
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });
    const { element } = inputBlock(view, SIGNUP_BLOCKS.weekdays);
    expect(element.type === 'checkboxes' && element.options).toEqual(
      ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map(
        (day, index) => ({ text: { type: 'plain_text', text: day }, value: String(index + 1) }),
      ),
    );
  });

  it('when the workspace has weekday themes, then each day says what it leans to, and the field says themes are a preference', () => {
    const leanings = [
      { isoWeekday: 1, category: 'clarity-and-direction' },
      { isoWeekday: 2, category: 'judging-people-fairly' },
      {
        isoWeekday: 7,
        category: `a-family-with-a-name-longer-than-slack-allows-${'x'.repeat(60)}`,
      },
    ];
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: THEMES,
      leanings,
      now: WINTER,
      voice: EN,
    });
    const { element, hint } = inputBlock(view, SIGNUP_BLOCKS.weekdays);
    const options = element.type === 'checkboxes' ? element.options : [];
    expect(options.map((o) => o.description?.text)).toEqual([
      'leans to: Clarity and direction',
      'leans to: Judging people fairly',
      undefined,
      undefined,
      undefined,
      undefined,
      expect.stringMatching(/^leans to: A family with a name longer .*…$/),
    ]);
    // Slack refuses an option description over 75 characters.
    expect(options[6]?.description?.text).toHaveLength(75);
    expect(hint?.text).toContain('every note before any comes again');
  });

  it('when the API gave no weekday themes, then the days have no descriptions and no hint', () => {
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });
    const { element, hint } = inputBlock(view, SIGNUP_BLOCKS.weekdays);
    expect(hint).toBeUndefined();
    expect(element.type === 'checkboxes' && element.options.some((o) => o.description)).toBe(false);
  });

  it('offers each theme by a readable label, with the slug as the value', () => {
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });
    const { element, optional } = inputBlock(view, SIGNUP_BLOCKS.skippedCategories);
    expect(optional).toBe(true);
    expect(element.type === 'checkboxes' && element.options[1]).toEqual({
      text: { type: 'plain_text', text: 'Judging people fairly' },
      value: 'judging-people-fairly',
    });
  });

  it("names the two newer families as people say them, not by their slug's words", () => {
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: ['decisions-under-uncertainty', 'energy-and-attention'],
      now: WINTER,
      voice: EN,
    });
    const { element } = inputBlock(view, SIGNUP_BLOCKS.skippedCategories);
    expect(element.type === 'checkboxes' && element.options.map((o) => o.text.text)).toEqual([
      'Decisions under uncertainty',
      'Your energy and attention',
    ]);
  });

  it('when there are no themes, then the modal has no themes field', () => {
    const view = buildSignupModal({
      profileTimeZone: 'UTC',
      categories: [],
      now: WINTER,
      voice: EN,
    });
    expect(view.blocks.map((block) => block.block_id).filter(Boolean)).toEqual([
      SIGNUP_BLOCKS.weekdays,
      SIGNUP_BLOCKS.localTime,
      SIGNUP_BLOCKS.timeZone,
      SIGNUP_BLOCKS.language,
      SIGNUP_BLOCKS.holidays,
    ]);
  });

  it('when a manager already has a schedule, then the modal shows it, in its zone rather than the profile one, to "Save"', () => {
    const view = buildSignupModal({
      subscription: subscription({
        weekdays: [2, 4, 6],
        localTime: '07:30',
        timeZone: 'America/New_York',
        skippedCategories: ['judging-people-fairly'],
      }),
      profileTimeZone: 'Europe/Berlin',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });

    expect(view.submit?.text).toBe('Save');
    expect(checkboxValues(view, SIGNUP_BLOCKS.weekdays)).toEqual(['2', '4', '6']);
    expect(inputBlock(view, SIGNUP_BLOCKS.localTime).element).toMatchObject({
      initial_time: '07:30',
    });
    expect(inputBlock(view, SIGNUP_BLOCKS.timeZone).element).toMatchObject({
      initial_option: {
        text: { text: 'America/New York (UTC-05:00)' },
        value: 'America/New_York',
      },
    });
    expect(checkboxValues(view, SIGNUP_BLOCKS.skippedCategories)).toEqual([
      'judging-people-fairly',
    ]);
  });

  it('when a first sign-up is submitted untouched, then the request is the defaults', () => {
    const view = buildSignupModal({
      profileTimeZone: 'Asia/Kolkata',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });
    expect(parseSignupSubmission(submittedUntouched(view))).toEqual({
      weekdays: [1, 3, 5],
      localTime: '09:00',
      timeZone: 'Asia/Kolkata',
      skippedCategories: [],
      // "As in Slack": no language chosen.
      language: null,
    });
  });

  it('when an existing schedule is submitted untouched, then the request is that schedule', () => {
    const existing = subscription({
      weekdays: [1, 7],
      localTime: '18:45',
      timeZone: 'America/New_York',
      skippedCategories: ['clarity-and-direction', 'recognition-and-feedback'],
      chosenLanguage: 'fr',
    });
    const view = buildSignupModal({
      subscription: existing,
      profileTimeZone: 'Europe/Berlin',
      categories: THEMES,
      now: WINTER,
      voice: EN,
    });
    expect(parseSignupSubmission(submittedUntouched(view))).toEqual({
      weekdays: [1, 7],
      localTime: '18:45',
      timeZone: 'America/New_York',
      skippedCategories: ['clarity-and-direction', 'recognition-and-feedback'],
      language: 'fr',
    });
  });

  it('when fields were cleared or are missing from the state, then the request is empty there, for the API to reject', () => {
    expect(
      parseSignupSubmission({
        [SIGNUP_BLOCKS.weekdays]: { weekdays: { selected_options: [] } },
        [SIGNUP_BLOCKS.localTime]: { local_time: { selected_time: null } },
        [SIGNUP_BLOCKS.timeZone]: { [TIME_ZONE_ACTION]: { selected_option: null } },
      }),
    ).toEqual({ weekdays: [], localTime: '', timeZone: '', skippedCategories: [] });
  });

  it('when the API reports field problems, then each is shown at its field and unknown fields are dropped', () => {
    expect(
      signupErrors({
        weekdays: 'Pick at least one day.',
        localTime: 'Pick a time of day, such as 09:00.',
        timeZone: 'Not a zone.',
        skippedCategories: 'Leave at least one theme.',
        nickname: 'Not a field of the modal.',
      }),
    ).toEqual({
      weekdays: 'Pick at least one day.',
      local_time: 'Pick a time of day, such as 09:00.',
      time_zone: 'Not a zone.',
      skip_themes: 'Leave at least one theme.',
    });
    expect(signupErrors({ nickname: 'Not a field of the modal.' })).toEqual({});
  });
});

describe('the time-zone menu', () => {
  const values = (query: string) =>
    timeZoneOptions(query, TIME_ZONES, WINTER).map((option) => option.value);

  it('when a manager types "Kolkata", then Asia/Kolkata is offered with its offset, not the old Asia/Calcutta', () => {
    expect(values('Kolkata')).toEqual(['Asia/Kolkata']);
    expect(timeZoneOptions('kolk', TIME_ZONES, WINTER)).toEqual([
      { text: { type: 'plain_text', text: 'Asia/Kolkata (UTC+05:30)' }, value: 'Asia/Kolkata' },
    ]);
  });

  it('when a manager types "Kathmandu", then Asia/Kathmandu is offered', () => {
    expect(values('kathmandu')).toEqual(['Asia/Kathmandu']);
    expect(timeZoneLabel('Asia/Kathmandu', WINTER)).toBe('Asia/Kathmandu (UTC+05:45)');
  });

  it('when a manager types a city with a space, then it matches the underscore in the zone id', () => {
    expect(values('  new york ')).toEqual(['America/New_York']);
  });

  it('when a query matches more than 100 zones, then the first 100 are offered, as Slack shows no more', () => {
    const matching = TIME_ZONES.filter((zone) => zone.toLowerCase().includes('america'));
    expect(matching.length).toBeGreaterThan(100);
    expect(values('America')).toEqual(matching.slice(0, 100));
  });

  it('when nothing matches, then nothing is offered', () => {
    expect(values('Atlantis')).toEqual([]);
  });

  it('lists current IANA names, once each, sorted, with UTC, and every one a zone the API accepts', () => {
    expect(TIME_ZONES).toEqual(expect.arrayContaining(['UTC', 'Asia/Kolkata', 'Europe/Kyiv']));
    expect(TIME_ZONES).not.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(Asia\/Calcutta|Asia\/Katmandu|Europe\/Kiev)$/),
      ]),
    );
    expect(new Set(TIME_ZONES).size).toBe(TIME_ZONES.length);
    expect([...TIME_ZONES].sort()).toEqual(TIME_ZONES);
    expect(TIME_ZONES.filter((zone) => !IANAZone.isValidZone(zone))).toEqual([]);
  });
});
