/**
 * Issue 17, item 6: every date the bot writes about a manager's actions follows their Slack
 * locale, as users.info gives it at sign-up: "Monday, November 30" for en-US, "Monday 30
 * November" for en-GB, and for de-DE German words and order, "Montag, 30. November" (the
 * catalogues in src/bot/i18n, src/bot/blocks/format.ts). Saved from a thread reply, a new check-back, an edit in the modal or
 * of the reply itself, an undone delete, a reminder's buttons again, a snooze, the export link.
 * Signed requests, the real service, the Slack stand-in, real PostgreSQL, an injected clock.
 * A German manager's reminder is in German too. Each test starts from nothing: its own
 * database, service and stand-in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import {
  answerOf,
  nextCall,
  type ReceivedNote,
  type RecordedCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0LOCALE';
const USER = 'U0LOCALE';
const PUBLIC_URL = 'https://blindspot.example.org';
const ACTION = 'I will ask Kim what slows the team down';
let harness: SlackHarness;
let clock: Date;
let tsCounter = 0;

type Element = { action_id: string; value?: string; text?: { text: string } };
type Block = { type: string; text?: { text: string }; elements?: Element[]; accessory?: Element };

const wordsOf = (blocks: readonly unknown[] | undefined) =>
  ((blocks ?? []) as Block[]).map((block) => block.text?.text ?? '').join('\n');

beforeEach(async () => {
  /** Monday 23 November 2026, 07:56 UTC: four minutes before 09:00 in Berlin. */
  clock = new Date('2026-11-23T07:56:00Z');
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock, env: { PUBLIC_URL } });
});

afterEach(async () => {
  await harness?.close();
});

function signUp(locale: string): Promise<ReceivedNote> {
  return signUpAndReceiveNote(harness, {
    userId: USER,
    locale,
    setClock: (at) => {
      clock = at;
    },
  });
}

/** The ts of the manager's last message in a thread. */
let lastReplyTs = '';

/** A message in the thread of `root`; resolves with the bot's answer in that thread. */
function replyInThread(root: { channel: string; ts: string }, text: string) {
  const ts = `${Math.floor(clock.getTime() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  lastReplyTs = ts;
  return nextCall(harness.standIn, 'chat.postMessage', () =>
    harness.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: root.channel,
      user: USER,
      text,
      ts,
      thread_ts: root.ts,
      event_ts: ts,
    }),
  );
}

/** Plans ACTION by a reply in the note's thread; resolves once the note lists it too. */
async function planInThread(note: ReceivedNote): Promise<RecordedCall> {
  const updates = harness.standIn.callsTo('chat.update').length;
  const saved = await replyInThread(note, ACTION);
  await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBe(updates + 1);
  return saved;
}

async function itemId(): Promise<string> {
  const row = await harness.database.db
    .selectFrom('action_items')
    .select('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Clicks on a message; resolves with what the app put in its place (response_url). */
async function clickOn(
  message: { channel: string; ts: string; blocks?: unknown },
  input: {
    actionId: string;
    value?: string;
    actionType?: string;
    action?: Record<string, unknown>;
  },
) {
  const response = await harness.slack.blockActions({
    userId: USER,
    ...input,
    channelId: message.channel,
    messageTs: message.ts,
    ...(message.blocks !== undefined && { message: { blocks: message.blocks } }),
  });
  const post = await harness.standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return post.body as { text: string; blocks?: unknown[] };
}

describe('a saved action and a new check-back date, in the manager’s own order', () => {
  const managers = [
    {
      locale: 'en-US',
      said: `Saved your action: “${ACTION}”. I'll check back on Monday, November 30.`,
      changed: `Updated your action: “${ACTION}”. I'll check back on Monday, December 7.`,
      listed: '_Check back Monday, December 7 · ',
    },
    {
      locale: 'en-GB',
      said: `Saved your action: “${ACTION}”. I'll check back on Monday 30 November.`,
      changed: `Updated your action: “${ACTION}”. I'll check back on Monday 7 December.`,
      listed: '_Check back Monday 7 December · ',
    },
    // German words too, from the catalogues (src/bot/i18n): the Slack locale's language.
    {
      locale: 'de-DE',
      said: `Deine Aktion ist gespeichert: “${ACTION}”. Ich frage am Montag, 30. November nach.`,
      changed: `Deine Aktion ist geändert: “${ACTION}”. Ich frage am Montag, 7. Dezember nach.`,
      listed: '_Nachfragen am Montag, 7. Dezember · ',
    },
  ];

  it.each(managers)('for a $locale manager', async ({ locale, said, changed, listed }) => {
    const note = await signUp(locale);
    const saved = await planInThread(note);
    expect(String(saved.args.text)).toBe(said);

    const updated = await clickOn(
      { channel: note.channel, ts: String(answerOf(saved).ts) },
      {
        actionId: 'item_check_back',
        actionType: 'static_select',
        action: { selected_option: { value: `${await itemId()}:2w` } },
      },
    );
    expect(updated.text).toBe(changed);

    const list = await harness.slack.slashCommand({
      command: '/blindspot',
      text: 'actions',
      userId: USER,
    });
    const shown = await harness.standIn.waitForResponseUrlPost((p) => p.url === list.responseUrl);
    expect(wordsOf((shown.body as { blocks: unknown[] }).blocks)).toContain(listed);
  });
});

describe('an en-US manager reads "Tuesday, December 8" everywhere', () => {
  it('after an edit, an edited reply, an undone delete, on a reminder, a snooze and the export link', async () => {
    const { standIn, slack, database } = harness;
    const note = await signUp('en-US');
    const saved = await planInThread(note);
    const written = lastReplyTs;
    const reply = { channel: note.channel, ts: String(answerOf(saved).ts) };
    const id = await itemId();

    // "Edit" on the bot's reply: the modal's submission updates that reply.
    const submitted = await slack.viewSubmission({
      userId: USER,
      callbackId: 'edit_action_modal',
      privateMetadata: JSON.stringify({
        itemId: id,
        channelId: reply.channel,
        messageTs: reply.ts,
      }),
      values: {
        action_text: { text: { type: 'plain_text_input', value: ACTION } },
        check_back: { preset: { type: 'static_select', selected_option: { value: 'date' } } },
        check_back_date: { date: { type: 'datepicker', selected_date: '2026-12-08' } },
        note: { note: { type: 'plain_text_input', value: null } },
      } as never,
    });
    expect(submitted.body).toBe('');
    const edited = await standIn.waitForCall('chat.update', (call) => call.args.ts === reply.ts);
    const tuesday = "I'll check back on Tuesday, December 8.";
    expect(String(edited.args.text)).toBe(`Updated your action: “${ACTION}”. ${tuesday}`);

    // The manager edits their own reply: the item follows, and the bot says so in the thread.
    const renamed = `${ACTION}, in our 1:1`;
    const followed = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        subtype: 'message_changed',
        channel_type: 'im',
        channel: note.channel,
        hidden: true,
        ts: `${Math.floor(clock.getTime() / 1000)}.${String(++tsCounter).padStart(6, '0')}`,
        message: { type: 'message', user: USER, text: renamed, ts: written, thread_ts: note.ts },
        previous_message: {
          type: 'message',
          user: USER,
          text: ACTION,
          ts: written,
          thread_ts: note.ts,
        },
      }),
    );
    expect(String(followed.args.text)).toBe(`Updated your action: “${renamed}”. ${tuesday}`);

    // Deleted, then put back within the minute.
    const deleted = await clickOn(reply, { actionId: 'item_delete', value: id });
    expect(deleted.text).toBe(`Deleted your action “${renamed}”.`);
    const restored = await clickOn(reply, { actionId: 'item_undo_delete', value: id });
    expect(restored.text).toBe(`Restored your action: “${renamed}”. ${tuesday}`);

    // Tuesday 8 December: the reminder, and a reply it does not understand.
    clock = new Date('2026-12-08T07:56:00Z');
    expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 1 });
    clock = new Date('2026-12-08T08:00:00Z');
    const reminder = await standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).endsWith('Did you do it?'),
    );
    expect(wordsOf(reminder.args.blocks as unknown[])).toContain(' on Monday, November 23. ');
    await expect
      .poll(
        async () =>
          (await database.db.selectFrom('reminders').select('status').executeTakeFirst())?.status,
      )
      .toBe('sent');
    const root = { channel: String(answerOf(reminder).channel), ts: String(answerOf(reminder).ts) };
    const again = await replyInThread(root, 'hmm');
    expect(wordsOf(again.args.blocks as unknown[])).toContain(' on Monday, November 23. ');

    // Snoozed with the reminder's date picker, whose action id carries the reminder and item.
    const { id: reminderId } = await database.db
      .selectFrom('reminders')
      .select('id')
      .executeTakeFirstOrThrow();
    const snoozed = await clickOn(
      { ...root, blocks: reminder.args.blocks },
      {
        actionId: `reminder_snooze_date:${reminderId}:${id}`,
        actionType: 'datepicker',
        action: { selected_date: '2026-12-15' },
      },
    );
    expect(wordsOf(snoozed.blocks)).toContain('✓ Snoozed until Tuesday, December 15.');

    // The export link's expiry: a date and a 12-hour time.
    await slack.slashCommand({ command: '/blindspot', text: 'export', userId: USER });
    const link = await standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).includes('/exports?token='),
    );
    expect(String(link.args.text)).toMatch(
      /until (Monday|Tuesday|Wednesday), December \d{1,2} at \d{1,2}:\d{2} [AP]M \(Europe\/Berlin\)\./,
    );
  });
});

describe('a de-DE manager’s reminder, in German', () => {
  it('asks in German, with German dates, and shows an answer given in its thread', async () => {
    const { standIn, database } = harness;
    const note = await signUp('de-DE');
    await planInThread(note);

    clock = new Date('2026-11-30T07:56:00Z');
    expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 1 });
    clock = new Date('2026-11-30T08:00:00Z');
    const reminder = await standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).endsWith('Hast du es gemacht?'),
    );
    expect(String(reminder.args.text)).toBe(`Dein Plan: ${ACTION}. Hast du es gemacht?`);
    expect(wordsOf(reminder.args.blocks as unknown[])).toContain(' am Montag, 23. November. ');
    const buttons = (reminder.args.blocks as Block[]).flatMap((block) => block.elements ?? []);
    expect(buttons.map((element) => element.text?.text).slice(0, 3)).toEqual([
      'Erledigt',
      'Teilweise',
      'Noch nicht',
    ]);
    await expect
      .poll(
        async () =>
          (await database.db.selectFrom('reminders').select('status').executeTakeFirst())?.status,
      )
      .toBe('sent');

    // Answered in the thread: the reminder itself says so, in German.
    const root = { channel: String(answerOf(reminder).channel), ts: String(answerOf(reminder).ts) };
    await replyInThread(root, 'done');
    const original = () => standIn.snapshot(USER).dm.find((message) => message.ts === root.ts);
    await expect
      .poll(() => wordsOf(original()?.blocks))
      .toContain('✓ Erledigt. Notiert, gut gemacht.');
  });
});
