/**
 * Issue 4 end to end: a manager answers a blind-spot note with the actions they plan, from the
 * note's button, by replying in its thread, or by a plain DM. Signed requests, the real service,
 * the Slack stand-in, real PostgreSQL. Each check is visible in the stand-in and the database.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import type { TestApp } from '../support/app.ts';
import type { TestDatabase } from '../support/database.ts';
import {
  answerOf,
  nextCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';
import type { SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0ACTS';
const ALEX = 'U0ALEX';
let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let slack: SlackRequester;
let harness: SlackHarness;
/** Monday 23 November 2026, 08:00 UTC: 09:00 in Berlin, Alex's delivery time. */
let clock = new Date('2026-11-23T07:58:00Z');
let note: { channel: string; ts: string; blocks: unknown[]; text: string; value: string };
let tsCounter = 0;

const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

async function items(where: { source?: string } = {}) {
  let query = database.db.selectFrom('action_items').selectAll().orderBy('id');
  if (where.source) query = query.where('source', '=', where.source as 'modal');
  return query.execute();
}

/** Waits until `count` requests carrying this request id have completed (Slack's and the API calls it made). */
async function requestsDone(requestId: string | null, count: number) {
  await expect
    .poll(
      () =>
        app.logs.lines.filter(
          (line) => line.requestId === requestId && line.msg === 'request completed',
        ).length,
    )
    .toBeGreaterThanOrEqual(count);
}

function threadReply(text: string, ts = newTs(), user = ALEX) {
  return {
    type: 'message',
    channel_type: 'im',
    channel: note.channel,
    user,
    text,
    ts,
    thread_ts: note.ts,
    event_ts: ts,
  };
}

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  ({ database, standIn, app, slack } = harness);
  // Alex signs up in Slack and receives Monday's note.
  note = await signUpAndReceiveNote(harness, {
    userId: ALEX,
    setClock: (at) => {
      clock = at;
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('Plan an action, from the note', () => {
  it('opens the modal, saves the item linked to its note, and updates the note with an "Add another" button', async () => {
    const opened = await nextCall(standIn, 'views.open', () =>
      slack.blockActions({
        userId: ALEX,
        actionId: 'topic_plan_action',
        blockId: 'topic_actions',
        value: note.value,
        channelId: note.channel,
        messageTs: note.ts,
        message: { blocks: note.blocks, text: note.text },
      }),
    );
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('plan_action_modal');

    const submitted = await slack.viewSubmission({
      userId: ALEX,
      callbackId: 'plan_action_modal',
      privateMetadata: view.private_metadata,
      values: {
        action_text: {
          text: { type: 'plain_text_input', value: 'Ask Priya what she needs from me this week' },
        },
        check_back: { preset: { type: 'static_select', selected_option: { value: '2d' } } },
        check_back_date: { date: { type: 'datepicker', selected_date: null } },
        note: { note: { type: 'plain_text_input', value: '' } },
      } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'],
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');

    const [item] = await items({ source: 'modal' });
    const delivery = await database.db
      .selectFrom('deliveries')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      text: 'Ask Priya what she needs from me this week',
      delivery_id: delivery.id,
      topic_id: delivery.topic_id,
      check_back_on: '2026-11-25',
      status: 'open',
    });
    const update = await standIn.waitForCall('chat.update', (call) => call.args.ts === note.ts);
    const updated = JSON.stringify(update.args.blocks);
    expect(updated).toContain('You planned:');
    expect(updated).toContain('Ask Priya what she needs from me this week');
    expect(updated).toContain('Add another');
    expect(update.args.channel).toBe(note.channel);
  });

  it('keeps the modal open with the problem on its field when the text is empty or the date is missing, and saves nothing', async () => {
    const before = (await items()).length;
    const empty = await slack.viewSubmission({
      userId: ALEX,
      callbackId: 'plan_action_modal',
      privateMetadata: JSON.stringify({ deliveryId: '1' }),
      values: {
        action_text: { text: { type: 'plain_text_input', value: '   ' } },
        check_back: { preset: { type: 'static_select', selected_option: { value: '1w' } } },
      } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'],
    });
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { action_text: 'Write what you will do: it cannot be empty.' },
    });
    const noDate = await slack.viewSubmission({
      userId: ALEX,
      callbackId: 'plan_action_modal',
      privateMetadata: JSON.stringify({ deliveryId: '1' }),
      values: {
        action_text: { text: { type: 'plain_text_input', value: 'Something real' } },
        check_back: { preset: { type: 'static_select', selected_option: { value: 'date' } } },
      } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'],
    });
    expect(noDate.json()).toEqual({
      response_action: 'errors',
      errors: { check_back_date: 'Pick the date to check back on.' },
    });
    expect((await items()).length).toBe(before);
  });
});

describe('replying in the note’s thread', () => {
  it('turns a reply that is plainly a plan into an item, answers in the thread with its check-back date and buttons, and a retried event adds nothing', async () => {
    const reply = threadReply('I will block 30 minutes on Friday to write specific thanks');
    let eventId = '';
    const posted = await nextCall(standIn, 'chat.postMessage', async () => {
      eventId = (await slack.event(reply)).eventId;
    });
    expect(posted.args.thread_ts).toBe(note.ts);
    expect(String(posted.args.text)).toContain(
      'Saved your action: “I will block 30 minutes on Friday to write specific thanks”',
    );
    // Items from a message check back in a week, counted in Alex's local days, and written in
    // his Slack locale (the stand-in's en-US).
    expect(String(posted.args.text)).toContain('Monday, November 30');
    const buttons = JSON.stringify(posted.args.blocks);
    expect(buttons).toContain('item_check_back');
    expect(buttons).toContain('item_edit');
    expect(buttons).toContain('item_delete');
    expect(await items({ source: 'thread' })).toHaveLength(1);

    const repliesBefore = standIn.callsTo('chat.postMessage').length;
    const retried = await slack.event(reply, { retryNum: 1, retryReason: 'http_timeout', eventId });
    expect(retried.status).toBe(200);
    // The retry is done when Slack's request and the bot's two API calls have completed.
    await requestsDone(retried.headers.get('x-request-id'), 3);
    expect(await items({ source: 'thread' })).toHaveLength(1);
    expect(standIn.callsTo('chat.postMessage').length).toBe(repliesBefore);
  });

  it('rejects empty and over-long replies with a friendly message, and saves nothing', async () => {
    const before = (await items()).length;
    const blank = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event(threadReply('   ')),
    );
    expect(String(blank.args.text)).toBe(
      "I didn't save that: Write what you will do: it cannot be empty.",
    );
    const long = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event(threadReply('x'.repeat(501))),
    );
    expect(String(long.args.text)).toContain('That is 501 characters; an action fits in 500.');
    expect((await items()).length).toBe(before);
  });

  it('stores the text exactly as typed: emoji, quotes, SQL-looking text, right-to-left scripts', async () => {
    // Slack escapes &, < and > in message text; the item holds what the manager typed.
    const typed = `I'll say "thank you" 👩🏽‍💻 to O'Brien & <team>; '); DROP TABLE action_items; -- שלום مرحبا`;
    const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await nextCall(standIn, 'chat.postMessage', () => slack.event(threadReply(escaped)));
    const stored = await database.db
      .selectFrom('action_items')
      .where('text', '=', typed)
      .select('text')
      .execute();
    expect(stored).toEqual([{ text: typed }]);
  });

  it('follows an edited reply to its item, and asks before deleting the item of a deleted reply', async () => {
    const ts = newTs();
    await nextCall(standIn, 'chat.postMessage', () =>
      slack.event(threadReply('Plan: skip the status meeting', ts)),
    );
    const edited = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        subtype: 'message_changed',
        channel_type: 'im',
        channel: note.channel,
        hidden: true,
        ts: newTs(),
        message: {
          type: 'message',
          user: ALEX,
          text: 'Cancel the status meeting, send notes instead',
          ts,
          thread_ts: note.ts,
        },
        previous_message: {
          type: 'message',
          user: ALEX,
          text: 'Plan: skip the status meeting',
          ts,
          thread_ts: note.ts,
        },
      }),
    );
    expect(String(edited.args.text)).toContain(
      'Updated your action: “Cancel the status meeting, send notes instead”',
    );
    const [item] = await database.db
      .selectFrom('action_items')
      .where('source_key', '=', `message:${note.channel}:${ts}`)
      .selectAll()
      .execute();
    expect(item?.text).toBe('Cancel the status meeting, send notes instead');

    const question = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        subtype: 'message_deleted',
        channel_type: 'im',
        channel: note.channel,
        hidden: true,
        ts: newTs(),
        deleted_ts: ts,
        previous_message: {
          type: 'message',
          user: ALEX,
          text: 'Cancel the status meeting, send notes instead',
          ts,
          thread_ts: note.ts,
        },
      }),
    );
    expect(String(question.args.text)).toContain('Delete the action too?');
    expect(
      await database.db
        .selectFrom('action_items')
        .where('id', '=', String(item?.id))
        .select('id')
        .execute(),
    ).toHaveLength(1);

    let response: Awaited<ReturnType<SlackRequester['blockActions']>> | undefined;
    // Deleting the item also shows the note again without it.
    const refreshed = await nextCall(standIn, 'chat.update', async () => {
      response = await slack.blockActions({
        userId: ALEX,
        actionId: 'item_delete',
        value: String(item?.id),
        messageTs: answerOf(question).ts,
      });
    });
    expect(refreshed.args.ts).toBe(note.ts);
    const done = await standIn.waitForResponseUrlPost((post) => post.url === response?.responseUrl);
    // In place of the question: deleted, with Undo for a minute (test/bot/undo.test.ts).
    expect(JSON.stringify(done.body)).toContain('Deleted your action “Cancel the status meeting');
    expect(JSON.stringify(done.body)).toContain('item_undo_delete');
    expect(
      await database.db
        .selectFrom('action_items')
        .where('id', '=', String(item?.id))
        .select('id')
        .execute(),
    ).toEqual([]);
  });

  it("ignores messages from bots, the bot's own included", async () => {
    const before = (await items()).length;
    const calls = standIn.calls.length;
    const response = await slack.event({
      ...threadReply('I am a bot'),
      bot_id: 'B0OTHER',
      subtype: 'bot_message',
    });
    await requestsDone(response.headers.get('x-request-id'), 1);
    expect((await items()).length).toBe(before);
    // Nothing answered it: other tests' trailing note refreshes aside, no message was posted.
    expect(standIn.calls.slice(calls).filter((call) => call.method === 'chat.postMessage')).toEqual(
      [],
    );
  });
});

describe('a plain DM', () => {
  it('within 3 days of a note, asks in one click whether it is an action for that note', async () => {
    const question = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        channel_type: 'im',
        channel: note.channel,
        user: ALEX,
        text: 'Ask for feedback in my 1:1s',
        ts: newTs(),
      }),
    );
    const title = (note.blocks[0] as { text: { text: string } }).text.text;
    expect(String(question.args.text)).toBe(`Is this an action for “${title}”?`);
    const yes = (
      question.args.blocks as Array<{
        type: string;
        elements?: Array<{ action_id: string; value: string }>;
      }>
    )
      .find((b) => b.type === 'actions')
      ?.elements?.find((e) => e.action_id === 'dm_save_action');
    const response = await slack.blockActions({
      userId: ALEX,
      actionId: 'dm_save_action',
      value: yes?.value,
      messageTs: answerOf(question).ts,
    });
    const saved = await standIn.waitForResponseUrlPost((post) => post.url === response.responseUrl);
    expect(JSON.stringify(saved.body)).toContain(
      'Saved your action: “Ask for feedback in my 1:1s”',
    );
    expect(await items({ source: 'dm' })).toMatchObject([{ text: 'Ask for feedback in my 1:1s' }]);
  });

  it('with no recent note, answers with short help', async () => {
    clock = new Date('2026-11-27T09:00:00Z'); // four days after the note
    const help = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        channel_type: 'im',
        channel: note.channel,
        user: ALEX,
        text: 'hello?',
        ts: newTs(),
      }),
    );
    expect(String(help.args.text)).toContain('reply in the thread of one of my notes');
  });
});

describe('/blindspot actions', () => {
  it('lists open items with Edit, Mark done and Delete, and Mark done updates the list', async () => {
    const command = await slack.slashCommand({
      command: '/blindspot',
      text: 'actions',
      userId: ALEX,
    });
    const list = await standIn.waitForResponseUrlPost((post) => post.url === command.responseUrl);
    const shown = JSON.stringify(list.body);
    expect(shown).toContain('Your open actions');
    expect(shown).toContain('Ask Priya what she needs from me this week');
    expect(shown).toContain('item_done');
    const open = await items();
    const priya = open.find((item) => item.text.startsWith('Ask Priya'));
    const blocks = (list.body as { blocks: unknown[] }).blocks;
    // Each row's buttons name their item to a screen reader, within Slack's 75 characters.
    const priyaButtons = (blocks as Array<{ elements?: Array<{ value?: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .filter((element) => element.value === String(priya?.id));
    expect(
      priyaButtons.map((b) => (b as { accessibility_label?: string }).accessibility_label),
    ).toEqual([
      'Edit “Ask Priya what she needs from me this week”',
      'Mark done “Ask Priya what she needs from me this week”',
      'Delete “Ask Priya what she needs from me this week”',
    ]);
    const clicked = await slack.blockActions({
      userId: ALEX,
      actionId: 'item_done',
      value: String(priya?.id),
      message: { blocks },
      responseUrl: command.responseUrl,
    });
    expect(clicked.status).toBe(200);
    await expect
      .poll(
        async () =>
          (
            await database.db
              .selectFrom('action_items')
              .where('id', '=', String(priya?.id))
              .select('status')
              .executeTakeFirst()
          )?.status,
      )
      .toBe('done');
    await expect
      .poll(
        () => standIn.responseUrlPosts.filter((post) => post.url === command.responseUrl).length,
      )
      .toBe(2);
    const last = standIn.responseUrlPosts.filter((post) => post.url === command.responseUrl).at(-1);
    expect(JSON.stringify(last?.body)).not.toContain('Ask Priya');
  });
});
