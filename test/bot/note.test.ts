/**
 * Issue 17, item 1 end to end: the whole note reaches Slack (why it matters, the actions to
 * try), "Plan an action" offers the topic's actions as one-click choices with a check-back in 3
 * days, a week, two weeks or on a date, and every note can be rated without planning anything.
 * Signed requests, the real service, the Slack stand-in, real PostgreSQL.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import { TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch } from '../support/service-calls.ts';
import {
  nextCall,
  type ReceivedNote,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';
import type { SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0NOTE';
const ALEX = 'U0NOTEALEX';
const BLAIR = 'U0NOTEBLAIR';
let harness: SlackHarness;
let standIn: SlackStandIn;
let slack: SlackRequester;
let clock = new Date('2026-11-23T07:58:00Z');
let note: ReceivedNote;
let topic: { actions: string[]; whyItMatters: string; title: string };
let localDate: string;

type Values = Parameters<SlackRequester['viewSubmission']>[0]['values'];

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  ({ standIn, slack } = harness);
  note = await signUpAndReceiveNote(harness, {
    userId: ALEX,
    setClock: (at) => {
      clock = at;
    },
  });
  const row = await harness.database.db
    .selectFrom('deliveries as d')
    .innerJoin('topics as t', 't.id', 'd.topic_id')
    .where('d.id', '=', note.deliveryId)
    .select(['t.actions', 't.why_it_matters', 't.title', 'd.local_date'])
    .executeTakeFirstOrThrow();
  topic = { actions: row.actions, whyItMatters: row.why_it_matters, title: row.title };
  localDate = String(row.local_date);
});

afterAll(async () => {
  await harness?.close();
});

const actionItems = () =>
  harness.database.db.selectFrom('action_items').selectAll().orderBy('id').execute();

const click = (actionId: string, blockId = 'topic_actions') =>
  slack.blockActions({
    userId: ALEX,
    actionId,
    blockId,
    value: note.value,
    channelId: note.channel,
    messageTs: note.ts,
    message: { blocks: note.blocks, text: note.text },
  });

describe('the note', () => {
  it('shows why it matters in one line and the topic’s three actions, within Slack’s limits', () => {
    const shown = JSON.stringify(note.blocks);
    expect(shown).toContain('*Why it matters:*');
    expect(topic.actions).toHaveLength(3);
    for (const action of topic.actions) expect(shown).toContain(`• ${action}`);
    expect(note.blocks.length).toBeLessThanOrEqual(50);
    for (const block of note.blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
  });

  it('when the manager asks for all of why it matters, then only they see it, whole', async () => {
    const clicked = await click('topic_why_it_matters', 'why');
    const shown = await standIn.waitForResponseUrlPost((post) => post.url === clicked.responseUrl);
    expect(shown.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String((shown.body as { text: string }).text)).toContain(topic.whyItMatters);
  });
});

describe('Plan an action, with one click', () => {
  async function openModal() {
    const opened = await nextCall(standIn, 'views.open', () => click('topic_plan_action'));
    const updated = await standIn.waitForCall(
      'views.update',
      (call) => call.args.view_id === (opened.response.body as { view: { id: string } }).view.id,
    );
    return updated.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{
        block_id?: string;
        element?: { options?: Array<{ text: { text: string } }> };
      }>;
    };
  }

  const submit = (privateMetadata: string, values: Record<string, unknown>) =>
    slack.viewSubmission({
      userId: ALEX,
      callbackId: 'plan_action_modal',
      privateMetadata,
      values: values as unknown as Values,
    });

  it('opens at once, then offers the three actions and "something else"; one picked with "in 3 days" is saved as it reads', async () => {
    const view = await openModal();
    const choices = view.blocks.find((block) => block.block_id === 'action_choice');
    expect(choices?.element?.options?.map((option) => option.text.text)).toEqual([
      ...topic.actions.map((action) => (action.length > 75 ? `${action.slice(0, 74)}…` : action)),
      'Something else (write it below)',
    ]);
    const checkBack = view.blocks.find((block) => block.block_id === 'check_back');
    expect(checkBack?.element?.options?.map((option) => option.text.text)).toEqual([
      'In 3 days',
      'In a week',
      'In two weeks',
      'On a date…',
    ]);

    const submitted = await submit(view.private_metadata, {
      action_choice: { choice: { type: 'radio_buttons', selected_option: { value: '1' } } },
      action_text: { text: { type: 'plain_text_input', value: null } },
      check_back: { preset: { type: 'static_select', selected_option: { value: '3d' } } },
    });
    expect(submitted.body).toBe('');
    const saved = (await actionItems()).at(-1);
    expect(saved).toMatchObject({
      text: topic.actions[1],
      source: 'modal',
      delivery_id: note.deliveryId,
      check_back_on: DateTime.fromISO(localDate).plus({ days: 3 }).toISODate(),
    });
    const refreshed = await standIn.waitForCall(
      'chat.update',
      (call) =>
        call.args.ts === note.ts && JSON.stringify(call.args.blocks).includes('You planned'),
    );
    expect(JSON.stringify(refreshed.args.blocks)).toContain(String(topic.actions[1]));
  });

  it('when the manager also writes, then their words are saved instead of the choice', async () => {
    const view = await openModal();
    const submitted = await submit(view.private_metadata, {
      action_choice: { choice: { type: 'radio_buttons', selected_option: { value: '0' } } },
      action_text: { text: { type: 'plain_text_input', value: 'My own version, for Priya' } },
      check_back: { preset: { type: 'static_select', selected_option: { value: '2w' } } },
    });
    expect(submitted.body).toBe('');
    expect((await actionItems()).at(-1)).toMatchObject({
      text: 'My own version, for Priya',
      check_back_on: DateTime.fromISO(localDate).plus({ days: 14 }).toISODate(),
    });
  });

  it('when "something else" is picked and nothing written, then the modal stays open with the problem at the choices, and nothing is saved', async () => {
    const before = (await actionItems()).length;
    const view = await openModal();
    const submitted = await submit(view.private_metadata, {
      action_choice: { choice: { type: 'radio_buttons', selected_option: { value: 'other' } } },
      action_text: { text: { type: 'plain_text_input', value: '  ' } },
      check_back: { preset: { type: 'static_select', selected_option: { value: '1w' } } },
    });
    expect(submitted.json()).toEqual({
      response_action: 'errors',
      errors: { action_choice: 'Write your action in the field below.' },
    });
    const nothing = await submit(view.private_metadata, {
      action_choice: { choice: { type: 'radio_buttons', selected_option: null } },
      check_back: { preset: { type: 'static_select', selected_option: { value: '1w' } } },
    });
    expect(nothing.json()).toEqual({
      response_action: 'errors',
      errors: { action_choice: 'Pick one of these, or write your own below.' },
    });
    expect((await actionItems()).length).toBe(before);
  });
});

describe('rating a note', () => {
  const rating = () =>
    harness.database.db
      .selectFrom('note_ratings')
      .where('delivery_id', '=', note.deliveryId)
      .select('rating')
      .executeTakeFirst();

  async function rate(actionId: string) {
    return nextCall(standIn, 'chat.update', () => click(actionId, 'topic_rating'));
  }

  const ratingButtons = (blocks: unknown) =>
    (blocks as Array<{ block_id?: string; elements?: Array<{ text: { text: string } }> }>)
      .find((block) => block.block_id === 'topic_rating')
      ?.elements?.map((element) => element.text.text);

  it('records "Useful" without planning anything, shows it chosen, and can be changed to "Not for me"', async () => {
    const itemsBefore = (await actionItems()).length;
    const useful = await rate('topic_rate_useful');
    expect(useful.args.ts).toBe(note.ts);
    expect(ratingButtons(useful.args.blocks)).toEqual(['✓ Useful', 'Not for me']);
    expect(await rating()).toEqual({ rating: 'useful' });

    const changed = await rate('topic_rate_not_for_me');
    expect(ratingButtons(changed.args.blocks)).toEqual(['Useful', '✓ Not for me']);
    expect(await rating()).toEqual({ rating: 'not_for_me' });
    // A rating plans nothing and hides nothing: "not relevant" is another button.
    expect((await actionItems()).length).toBe(itemsBefore);
    const hidden = await harness.database.db.selectFrom('topic_feedback').selectAll().execute();
    expect(hidden).toEqual([]);
  });

  it('is the manager’s own: rating another manager’s note is delivery_not_found, and a made-up rating is refused', async () => {
    // As the bot's client does, every call with an Authorization header is signed.
    const fetch = serviceFetch(() => clock);
    const call = (user: string, body: unknown) =>
      fetch(`${harness.app.url}/api/v1/me/deliveries/${note.deliveryId}/rating`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
          'x-slack-team-id': TEAM,
          'x-slack-user-id': user,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const registered = await fetch(`${harness.app.url}/api/v1/me`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
        'x-slack-team-id': TEAM,
        'x-slack-user-id': BLAIR,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ timeZone: 'Europe/Berlin', locale: 'en-GB' }),
    });
    expect(registered.status).toBe(200);
    const other = await call(BLAIR, { rating: 'useful' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: string }).code).toBe('delivery_not_found');
    const madeUp = await call(ALEX, { rating: 'brilliant' });
    expect(madeUp.status).toBe(400);
    expect(await rating()).toEqual({ rating: 'not_for_me' });
  });
});

describe('in the manager’s locale, and a long list in pages', () => {
  it('writes times and dates as the manager’s Slack locale does (en-US: 12-hour, month first), with the zone named once', async () => {
    const confirmation = standIn
      .callsTo('chat.postMessage')
      .find((call) => call.args.channel === ALEX && String(call.args.text).includes('signed up'));
    expect(String(confirmation?.args.text)).toContain(
      "You'll hear from me every weekday at 9:00 AM (Europe/Berlin). The next note comes Monday, November 23 at 9:00 AM (Europe/Berlin).",
    );
  });

  it('shows "1–20 of 25" in the history DM; "Next 5" and "Mark done" change the list and keep the progress above it', async () => {
    const mine = await harness.database.db
      .selectFrom('action_items')
      .where('delivery_id', '=', note.deliveryId)
      .select(['workspace_id', 'manager_id', 'topic_id'])
      .executeTakeFirstOrThrow();
    const open = async () =>
      harness.database.db
        .selectFrom('action_items')
        .where('manager_id', '=', mine.manager_id)
        .where('status', '=', 'open')
        .select('id')
        .execute();
    const more = 25 - (await open()).length;
    await harness.database.db
      .insertInto('action_items')
      .values(
        Array.from({ length: more }, (_, n) => ({
          ...mine,
          delivery_id: note.deliveryId,
          text: `Step number ${n}`,
          source: 'api' as const,
          check_back_on: '2026-11-30',
        })),
      )
      .execute();
    expect(await open()).toHaveLength(25);

    const history = await nextCall(standIn, 'chat.postMessage', () =>
      slack.slashCommand({ command: '/blindspot', text: 'history', userId: ALEX }),
    );
    const first = JSON.stringify(history.args.blocks);
    expect(first).toContain('Your progress');
    expect(first).toContain('*Your open actions* 1–20 of 25');
    expect(first).toContain('Check back Monday, November 30');
    // The notes sent so far, between the progress and the list (issue 17: show both).
    expect(first).toContain('*Your last notes*');
    expect((history.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);

    const turned = await slack.blockActions({
      userId: ALEX,
      actionId: 'items_page',
      value: '1',
      channelId: String(history.args.channel),
      message: { blocks: history.args.blocks as unknown[], text: String(history.args.text) },
    });
    const second = await standIn.waitForResponseUrlPost((post) => post.url === turned.responseUrl);
    const secondShown = JSON.stringify(second.body);
    expect(second.body).toMatchObject({ replace_original: true });
    expect(secondShown).toContain('Your progress');
    expect(secondShown).toContain('*Your open actions* 21–25 of 25');
    expect(secondShown).toContain('Previous 20');
    expect(secondShown).toContain('*Your last notes*');

    const secondBlocks = (second.body as { blocks: Array<{ elements?: unknown[] }> }).blocks;
    const doneButton = secondBlocks
      .flatMap((block) => (block.elements ?? []) as Array<{ action_id?: string; value?: string }>)
      .find((element) => element.action_id === 'item_done');
    const done = await slack.blockActions({
      userId: ALEX,
      actionId: 'item_done',
      value: String(doneButton?.value),
      channelId: String(history.args.channel),
      message: { blocks: secondBlocks, text: String(history.args.text) },
    });
    const after = await standIn.waitForResponseUrlPost((post) => post.url === done.responseUrl);
    const afterShown = JSON.stringify(after.body);
    // Still the history: the progress stays, on the page the manager was on.
    expect(afterShown).toContain('Your progress');
    expect(afterShown).toContain('*Your open actions* 21–24 of 24');
    expect(afterShown).toContain('*Your last notes*');
    expect(await open()).toHaveLength(24);
  });
});
