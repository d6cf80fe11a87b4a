import type {
  ActionsBlock,
  AnyBlock,
  Button,
  ContextBlock,
  InputBlock,
  KnownBlock,
  ModalView,
  Option,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery, Subscription } from '../../src/bot/api-client/index.ts';
import { DATA_RIGHTS_ACTIONS } from '../../src/bot/blocks/data-rights.ts';
import {
  describeDays,
  describeSchedule,
  formatInstant,
  formatLocalDate,
  timeZoneLabel,
} from '../../src/bot/blocks/format.ts';
import { buildHome, HOME_ACTIONS } from '../../src/bot/blocks/home.ts';
import { confirmationMessage, SEND_NOW_ACTION } from '../../src/bot/blocks/messages.ts';
import {
  buildSignupModal,
  parseSignupSubmission,
  SIGNUP_BLOCKS,
  SIGNUP_CALLBACK_ID,
  signupErrors,
  TIME_ZONE_ACTION,
  timeZoneOptions,
} from '../../src/bot/blocks/signup-modal.ts';
import { TIME_ZONES } from '../../src/bot/blocks/time-zones.ts';
import {
  buildTopicMessage,
  parseTopicButtonValue,
  TOPIC_ACTIONS,
  TOPIC_ACTIONS_BLOCK,
  TOPIC_RATING_BLOCK,
  whyItMattersLine,
  withButtonsReplaced,
  withRating,
} from '../../src/bot/blocks/topic-message.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';

/** English, as a manager in the UK reads it (subscription()'s locale). */
const EN = voiceFor({ locale: 'en-GB' });

/** A winter Monday: Berlin is at UTC+01:00, New York at UTC-05:00. */
const WINTER = new Date('2026-01-12T10:00:00.000Z');
const ENGLISH = voiceFor();
const THEMES = ['clarity-and-direction', 'judging-people-fairly', 'recognition-and-feedback'];

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub-1',
    status: 'active',
    statusReason: null,
    pausedUntil: null,
    holidays: null,
    weeklyDigest: false,
    weekdays: [1, 3, 5],
    localTime: '09:00',
    timeZone: 'Asia/Tokyo',
    skippedCategories: [],
    locale: 'en-GB',
    language: 'en',
    chosenLanguage: null,
    // Monday 2 March 2026 at 09:00 in Tokyo, which is still Sunday in UTC.
    nextDeliveryAt: '2026-03-02T00:00:00.000Z',
    createdAt: '2026-01-05T12:00:00.000Z',
    updatedAt: '2026-01-05T12:00:00.000Z',
    ...overrides,
  };
}

function isInput(block: AnyBlock): block is InputBlock {
  return block.type === 'input';
}
function isSection(block: AnyBlock): block is SectionBlock {
  return block.type === 'section';
}
function isActions(block: AnyBlock): block is ActionsBlock {
  return block.type === 'actions';
}
function isContext(block: AnyBlock): block is ContextBlock {
  return block.type === 'context';
}
function isButton(element: ActionsBlock['elements'][number]): element is Button {
  return element.type === 'button';
}

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

/** The mrkdwn and plain text of section and context blocks, in order. */
function texts(blocks: readonly AnyBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (isSection(block)) return block.text ? [block.text.text] : [];
    if (isContext(block))
      return block.elements.flatMap((element) => ('text' in element ? [element.text] : []));
    return [];
  });
}

function buttons(blocks: readonly AnyBlock[]): Button[] {
  return blocks.filter(isActions).flatMap((block) => block.elements.filter(isButton));
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

describe('the App Home', () => {
  it('when the manager has not signed up, then it explains Blindspot and offers to sign up', () => {
    const home = buildHome(undefined, EN);
    expect(home.type).toBe('home');
    expect(texts(home.blocks).join('\n')).toContain('Every manager has blind spots');
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([HOME_ACTIONS.signUp]);
  });

  it('when the manager is signed up, then it shows the schedule and the next note in their own zone, and the ways to change it', () => {
    const home = buildHome(subscription(), EN);
    expect(texts(home.blocks)).toContain(
      `*You are signed up:* Mon, Wed and Fri at 09:00 (Asia/Tokyo).\n*Next note:* ${formatInstant('2026-03-02T00:00:00.000Z', 'Asia/Tokyo')}.`,
    );
    expect(texts(home.blocks).join('\n')).toContain('*Next note:* Monday 2 March at 09:00');
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([
      HOME_ACTIONS.changeSchedule,
      HOME_ACTIONS.pause,
      HOME_ACTIONS.unsubscribe,
      DATA_RIGHTS_ACTIONS.export,
      DATA_RIGHTS_ACTIONS.erase,
    ]);
  });

  it('when the manager is signed up, then unsubscribing asks for confirmation first', () => {
    const unsubscribe = buttons(buildHome(subscription(), EN).blocks).find(
      (button) => button.action_id === HOME_ACTIONS.unsubscribe,
    );
    expect(unsubscribe?.style).toBe('danger');
    expect(unsubscribe?.confirm?.title?.text).toBe('Unsubscribe?');
  });

  it('when the next note is not planned yet, then it says so', () => {
    const home = buildHome(subscription({ nextDeliveryAt: null }), EN);
    expect(texts(home.blocks).join('\n')).toContain('*Next note:* being planned.');
  });

  it('when Slack could not deliver and the subscription was paused, then it explains why and offers to resume', () => {
    const home = buildHome(
      subscription({ status: 'paused', statusReason: 'slack:account_inactive' }),
      EN,
    );
    expect(texts(home.blocks)).toContain(
      '*Paused because Slack could not deliver your messages.* Your schedule: Mon, Wed and Fri at 09:00 (Asia/Tokyo).',
    );
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([
      HOME_ACTIONS.resume,
      HOME_ACTIONS.changeSchedule,
      HOME_ACTIONS.unsubscribe,
      DATA_RIGHTS_ACTIONS.export,
      DATA_RIGHTS_ACTIONS.erase,
    ]);
  });

  it.each([
    { statusReason: null, says: '*Paused.*' },
    { statusReason: 'workspace_inactive', says: '*Paused while Blindspot was removed' },
    { statusReason: 'on holiday', says: '*Paused (on holiday).*' },
    { statusReason: 'paused from the Home tab', says: '*You paused your notes.*' },
  ])('when paused with reason $statusReason, then it says "$says"', ({ statusReason, says }) => {
    const home = buildHome(subscription({ status: 'paused', statusReason }), EN);
    expect(texts(home.blocks).join('\n')).toContain(says);
    expect(texts(home.blocks).join('\n')).not.toContain('Slack could not deliver');
  });

  it('when the manager unsubscribed, then it says so and offers to sign up again', () => {
    const home = buildHome(subscription({ status: 'unsubscribed' }), EN);
    expect(texts(home.blocks).join('\n')).toContain('You are unsubscribed.');
    expect(texts(home.blocks).join('\n')).not.toContain('Next note');
    // Unsubscribed, their data is still held: theirs to download or delete.
    expect(buttons(home.blocks).map((button) => button.action_id)).toEqual([
      HOME_ACTIONS.signUp,
      DATA_RIGHTS_ACTIONS.export,
      DATA_RIGHTS_ACTIONS.erase,
    ]);
  });
});

const TOPIC: ClaimedDelivery['topic'] = {
  id: 'topic-7',
  slug: 'the-halo-effect',
  category: 'judging-people-fairly',
  title: 'The halo effect',
  summary: 'One strength colours how you see everything else about a person.',
  whyItMatters: 'Reviews drift towards people who remind you of yourself.',
  example: 'Your best presenter gets the benefit of the doubt on a late project.',
  reflectionQuestion: 'Whose work did you judge by their charm this week?',
  actions: ['List evidence', 'Ask a peer', 'Review blind'],
  reference: 'Thorndike (1920), A constant error in psychological ratings.',
};

describe('the topic message', () => {
  const message = buildTopicMessage({ id: 'delivery-42', topic: TOPIC }, [], ENGLISH);

  it('is headed by the topic title', () => {
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'The halo effect' },
    });
  });

  it('has a fallback text with the title and the reflection question, for notifications and screen readers', () => {
    expect(message.text).toContain('The halo effect');
    expect(message.text).toContain('Whose work did you judge by their charm this week?');
  });

  it('shows the summary, the example, the question and the reference', () => {
    const all = texts(message.blocks).join('\n');
    expect(all).toContain(TOPIC.summary);
    expect(all).toContain(TOPIC.example);
    expect(all).toContain(`*Ask yourself:* ${TOPIC.reflectionQuestion}`);
    expect(all).toContain(TOPIC.reference);
  });

  it('when the reference ends with a DOI, then "Read more" links the citation to doi.org', () => {
    const linked = buildTopicMessage(
      {
        id: 'delivery-43',
        topic: {
          ...TOPIC,
          reference:
            'Thorndike, E. L. (1920). A constant error in psychological ratings. https://doi.org/10.1037/h0071663',
        },
      },
      [],
      ENGLISH,
    );
    expect(texts(linked.blocks)).toContain(
      'Read more: <https://doi.org/10.1037/h0071663|Thorndike, E. L. (1920). A constant error in psychological ratings.>',
    );
  });

  it('shows why it matters in one line, and the three actions to try', () => {
    const all = texts(message.blocks).join('\n');
    expect(all).toContain(`*Why it matters:* ${TOPIC.whyItMatters}`);
    expect(all).toContain('*Things to try:*\n• List evidence\n• Ask a peer\n• Review blind');
    expect(message.text).toContain(`Why it matters: ${TOPIC.whyItMatters}`);
    // Short enough to show whole, so no button to read the rest.
    expect(JSON.stringify(message.blocks)).not.toContain(TOPIC_ACTIONS.whyItMatters);
  });

  it('when why it matters is long, then the note shows its first sentence and a button for the rest', () => {
    const whyItMatters = `${'People notice who you listen to. '.repeat(2)}${'And more. '.repeat(30)}`;
    const long = buildTopicMessage({ id: 'd', topic: { ...TOPIC, whyItMatters } }, [], ENGLISH);
    expect(texts(long.blocks)).toContain('*Why it matters:* People notice who you listen to.');
    const why = long.blocks.find(
      (block) => isSection(block) && block.text?.text.startsWith('*Why it matters:*'),
    ) as SectionBlock;
    expect(why.accessory).toMatchObject({
      type: 'button',
      action_id: TOPIC_ACTIONS.whyItMatters,
      text: { text: 'Read all' },
    });
    const oneSentence = whyItMattersLine(`${'word '.repeat(60)}end.`);
    expect(oneSentence.shortened).toBe(true);
    expect(oneSentence.line.length).toBeLessThanOrEqual(160);
    expect(oneSentence.line.endsWith('word…')).toBe(true);
  });

  it('asks "Was this note useful?" with Useful and Not for me, and shows the chosen one checked', () => {
    const ratingIds = (blocks: readonly KnownBlock[]) =>
      buttons(blocks.filter((block) => block.block_id === TOPIC_RATING_BLOCK));
    expect(ratingIds(message.blocks).map((b) => [b.text.text, b.style])).toEqual([
      ['Useful', undefined],
      ['Not for me', undefined],
    ]);
    const rated = withRating(message.blocks, 'v', 'not_for_me', ENGLISH);
    expect(ratingIds(rated).map((b) => [b.text.text, b.style, b.accessibility_label])).toEqual([
      ['Useful', undefined, 'Rate this note useful'],
      ['✓ Not for me', 'primary', 'Not for me: your rating of this note'],
    ]);
    // Everything else is left as it was.
    rated.forEach((block, index) => {
      if (block.block_id !== TOPIC_RATING_BLOCK) expect(block).toBe(message.blocks[index]);
    });
    const again = buildTopicMessage(
      { id: 'delivery-42', topic: TOPIC, rating: 'useful' },
      [],
      ENGLISH,
    );
    expect(ratingIds(again.blocks)[0]?.text.text).toBe('✓ Useful');
  });

  it('has three buttons that each carry the delivery and the topic, and two to rate the note', () => {
    const found = buttons(message.blocks);
    expect(found.map((button) => button.action_id)).toEqual([
      TOPIC_ACTIONS.planAction,
      TOPIC_ACTIONS.notRelevant,
      TOPIC_ACTIONS.pause,
      TOPIC_ACTIONS.rateUseful,
      TOPIC_ACTIONS.rateNotForMe,
    ]);
    const values = found.map((button) => button.value);
    expect(new Set(values).size).toBe(1);
    expect(JSON.parse(values[0] ?? '')).toEqual({ deliveryId: 'delivery-42', topicId: 'topic-7' });
    expect(parseTopicButtonValue(values[0])).toEqual({
      deliveryId: 'delivery-42',
      topicId: 'topic-7',
    });
  });

  it('is marked with its delivery id, so a retrying sender can find it', () => {
    expect(message.metadata.event_type).toBe('blindspot_delivery');
    expect(message.metadata.event_payload.delivery_id).toBe('delivery-42');
  });

  it('when the manager has chosen, then only the buttons are replaced by a note', () => {
    const replaced = withButtonsReplaced(message.blocks, 'Marked not relevant.');
    expect(replaced).toHaveLength(message.blocks.length);
    const at = message.blocks.findIndex((block) => block.block_id === TOPIC_ACTIONS_BLOCK);
    expect(at).toBeGreaterThan(0);
    replaced.forEach((block, index) => {
      if (index === at) {
        expect(block).toEqual({
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Marked not relevant.' }],
        });
      } else {
        expect(block).toBe(message.blocks[index]);
      }
    });
    expect(buttons(replaced).map((b) => b.action_id)).toEqual([
      TOPIC_ACTIONS.rateUseful,
      TOPIC_ACTIONS.rateNotForMe,
    ]);
  });

  it('when another actions block is in the message, then it is kept', () => {
    const other: KnownBlock = {
      type: 'actions',
      block_id: 'something_else',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Other' }, action_id: 'other' },
      ],
    };
    const replaced = withButtonsReplaced([...message.blocks, other], 'Done.');
    expect(replaced.at(-1)).toBe(other);
  });

  it.each([
    undefined,
    '',
    'not json',
    'null',
    '42',
    '[]',
    '{}',
    '{"deliveryId":"delivery-42"}',
    '{"topicId":"topic-7"}',
    '{"deliveryId":42,"topicId":"topic-7"}',
    '{"deliveryId":"delivery-42","topicId":null}',
  ])('when a button value is %j, then it is rejected', (value) => {
    expect(parseTopicButtonValue(value)).toBeUndefined();
  });

  it('when a button value has extra properties, then only the delivery and topic are kept', () => {
    expect(
      parseTopicButtonValue('{"deliveryId":"d","topicId":"t","admin":true,"__proto__":{"x":1}}'),
    ).toEqual({ deliveryId: 'd', topicId: 't' });
  });
});

describe('describeDays', () => {
  it.each([
    { days: [1, 2, 3, 4, 5], says: 'every weekday' },
    { days: [5, 4, 3, 2, 1, 1], says: 'every weekday' },
    { days: [1, 2, 3, 4, 5, 6, 7], says: 'every day' },
    { days: [1], says: 'Mondays' },
    { days: [7], says: 'Sundays' },
    { days: [1, 3, 5], says: 'Mon, Wed and Fri' },
    { days: [5, 1, 3, 3], says: 'Mon, Wed and Fri' },
    { days: [6, 7], says: 'Sat and Sun' },
    { days: [1, 2, 3, 4, 6], says: 'Mon, Tue, Wed, Thu and Sat' },
  ])('when the days are $days, then they read "$says"', ({ days, says }) => {
    expect(describeDays(days)).toBe(says);
  });
});

describe('the sign-up confirmation', () => {
  it('when a manager signs up, then it says their schedule and when the next note comes, in their own zone', () => {
    const message = confirmationMessage(subscription(), true, EN);
    expect(message.text).toMatch(/^You're signed up\. /);
    expect(message.text).toContain("You'll hear from me Mon, Wed and Fri at 09:00 (Asia/Tokyo).");
    // 00:00 UTC on Sunday is 09:00 on Monday in Tokyo.
    expect(message.text).toContain('The next note comes Monday 2 March at 09:00');
    expect(message.text).not.toContain('Sunday');
  });

  it('when a manager changes their schedule, then it says it is updated', () => {
    const message = confirmationMessage(
      subscription({
        weekdays: [1, 2, 3, 4, 5],
        localTime: '08:15',
        timeZone: 'America/New_York',
        nextDeliveryAt: '2026-01-13T13:15:00.000Z',
      }),
      false,
      EN,
    );
    expect(message.text).toBe(
      `Your schedule is updated. You'll hear from me every weekday at 08:15 (America/New York). The next note comes ${formatInstant('2026-01-13T13:15:00.000Z', 'America/New_York')}.`,
    );
    expect(message.text).toContain('Tuesday 13 January at 08:15');
  });

  it('when the next note is not planned yet, then it says it comes soon', () => {
    const message = confirmationMessage(subscription({ nextDeliveryAt: null }), true, EN);
    expect(message.text).toMatch(/The next note comes soon\.$/);
  });

  it('shows the text and a button to get a note now', () => {
    const message = confirmationMessage(subscription(), true, EN);
    expect(texts(message.blocks)).toEqual([message.text]);
    expect(buttons(message.blocks).map((button) => button.action_id)).toEqual([SEND_NOW_ACTION]);
    expect(SEND_NOW_ACTION).toBe('send_now');
  });
});

describe('formatInstant', () => {
  it.each([
    ['2026-11-23T08:00:00Z', 'Europe/Berlin', 'Monday 23 November at 09:00 (Europe/Berlin)'],
    ['2026-07-06T07:00:00Z', 'Europe/Berlin', 'Monday 6 July at 09:00 (Europe/Berlin)'],
    ['2026-11-23T14:00:00Z', 'America/New_York', 'Monday 23 November at 09:00 (America/New York)'],
    ['2026-11-22T22:00:00Z', 'Australia/Sydney', 'Monday 23 November at 09:00 (Australia/Sydney)'],
    ['2026-11-23T03:15:00Z', 'Asia/Kathmandu', 'Monday 23 November at 09:00 (Asia/Kathmandu)'],
    ['2026-11-23T09:00:00Z', 'UTC', 'Monday 23 November at 09:00 (UTC)'],
  ])(
    'shows %s in %s as "%s": local time, and the zone named as the schedule names it',
    (instant, zone, text) => {
      expect(formatInstant(instant, zone)).toBe(text);
    },
  );

  it.each([
    ['en-US', 'Monday, November 23 at 9:00 AM (Europe/Berlin)'],
    ['en-GB', 'Monday 23 November at 09:00 (Europe/Berlin)'],
    // English words, in the region's order and clock.
    ['de-DE', 'Monday, 23 November at 09:00 (Europe/Berlin)'],
    ['not a locale', 'Monday 23 November at 09:00 (Europe/Berlin)'],
  ])('in the Slack locale %s, writes "%s"', (locale, text) => {
    expect(formatInstant('2026-11-23T08:00:00Z', 'Europe/Berlin', locale)).toBe(text);
  });

  it('writes a schedule and the same zone the same way, on a 12-hour clock for en-US', () => {
    const schedule = { weekdays: [1, 3, 5], localTime: '17:30', timeZone: 'America/New_York' };
    expect(describeSchedule(schedule, 'en-US')).toBe(
      'Mon, Wed and Fri at 5:30 PM (America/New York)',
    );
    expect(describeSchedule(schedule, 'en-GB')).toBe(
      'Mon, Wed and Fri at 17:30 (America/New York)',
    );
    expect(formatLocalDate('2026-11-26', 'en-US')).toBe('Thursday, November 26');
  });
});
