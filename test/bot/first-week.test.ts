/**
 * A manager's first week, as she lives it (issue 17): she signs up, gets three notes, plans an
 * action with one click from the first, hides the second's topic and restores it from the Home
 * tab, saves an action from a thread reply to the third, deletes it and undoes that, and a week
 * on answers her reminder with a thread reply. Every message she sees is asserted: each DM, each
 * answer in place of a message (response_url), and the Home tab. Signed requests, the real
 * service, the Slack stand-in, real PostgreSQL, one injected clock. The steps run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate } from '../../src/bot/blocks/format.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import {
  answerOf,
  type MessageBlock,
  nextCall,
  type ReceivedNote,
  type RecordedCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0FIRSTWEEK';
const ADA = 'U0ADAFW';
let harness: SlackHarness;
/** Monday 23 November 2026, 07:56 UTC: four minutes before Ada's 09:00 in Berlin. */
let clock = new Date('2026-11-23T07:56:00Z');
let tsCounter = 0;
const notes: ReceivedNote[] = [];
/** The action Ada planned with one click on Monday, as the topic suggested it. */
let firstAction = '';
/**
 * The days Ada is asked about her actions, as the bot writes them everywhere: in her Slack
 * locale (the stand-in's en-US).
 */
const IN_A_WEEK = formatLocalDate('2026-11-30', 'en-US');
const NEXT_WEDNESDAY = formatLocalDate('2026-12-02', 'en-US');
const THREAD_ACTION = 'I will ask Sam how his week really went';

type Element = { action_id: string; value?: string; text?: { text: string } | string };
type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Array<Element & { type?: string }>;
  accessory?: Element;
};

/** A button's text object, or a context element's own text. */
const wordOf = (text: Element['text']) => (typeof text === 'string' ? text : text?.text);

/** The words a manager reads in blocks: sections, contexts, headers and buttons. */
function wordsOf(blocks: readonly unknown[]): string {
  return (blocks as Block[])
    .flatMap((block) => [
      block.text?.text,
      ...(block.elements ?? []).map((element) => wordOf(element.text)),
      wordOf(block.accessory?.text),
    ])
    .filter(Boolean)
    .join('\n');
}

function buttonIn(blocks: readonly unknown[], actionId: string): Element {
  const found = (blocks as Block[])
    .flatMap((block) => [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])])
    .find((element) => element.action_id === actionId);
  expect(found, `a ${actionId} button`).toBeDefined();
  return found as Element;
}

/** Every DM the bot posted to Ada, in order, as their notification text. */
function dmsToAda(): string[] {
  const channel = notes[0]?.channel;
  return harness.standIn
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === ADA || call.args.channel === channel)
    .map((call) => String(call.args.text));
}

/** The next note: the planner runs four minutes before 09:00 in Berlin, the sender at 09:00. */
async function noteOn(day: string): Promise<ReceivedNote> {
  const { database, standIn } = harness;
  clock = new Date(`${day}T07:56:00Z`);
  await planDueDeliveries(database.db, clock);
  const delivery = await database.db
    .selectFrom('deliveries')
    .where('local_date', '=', day)
    .select('id')
    .executeTakeFirstOrThrow();
  clock = new Date(`${day}T08:00:00Z`);
  const call = await standIn.waitForCall(
    'chat.postMessage',
    (candidate) =>
      (candidate.args.metadata as { event_payload?: { delivery_id?: string } } | undefined)
        ?.event_payload?.delivery_id === delivery.id,
  );
  // The ledger knows the note's message once the sender has confirmed it: then a reply in its
  // thread can be matched to it.
  await expect
    .poll(
      async () =>
        (
          await database.db
            .selectFrom('deliveries')
            .where('id', '=', delivery.id)
            .select('status')
            .executeTakeFirst()
        )?.status,
    )
    .toBe('sent');
  const blocks = call.args.blocks as MessageBlock[];
  return {
    call,
    channel: String(answerOf(call).channel),
    ts: String(answerOf(call).ts),
    blocks,
    text: String(call.args.text),
    value: String(blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value),
    deliveryId: delivery.id,
    dueAt: clock,
  };
}

/** Ada clicks a button on a message; resolves with what the bot put in its place. */
async function clickOn(message: RecordedCall, actionId: string) {
  const blocks = message.args.blocks as unknown[];
  const response = await harness.slack.blockActions({
    userId: ADA,
    actionId,
    value: buttonIn(blocks, actionId).value,
    channelId: String(answerOf(message).channel),
    messageTs: String(answerOf(message).ts),
    message: {
      blocks,
      text: message.args.text,
      ...(message.args.thread_ts !== undefined && { thread_ts: message.args.thread_ts }),
    },
  });
  const posted = await harness.standIn.waitForResponseUrlPost(
    (post) => post.url === response.responseUrl,
  );
  return posted.body as { text: string; blocks?: unknown[] };
}

/** Ada replies in a message's thread; resolves with the bot's answer there. */
function replyInThread(message: { channel: string; ts: string }, text: string) {
  const ts = `${Math.floor(clock.getTime() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  return nextCall(harness.standIn, 'chat.postMessage', () =>
    harness.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: message.channel,
      user: ADA,
      text,
      ts,
      thread_ts: message.ts,
      event_ts: ts,
    }),
  );
}

/** The Home tab the bot published last, as Ada reads it. */
function lastHome(): { blocks: unknown[]; words: string } {
  const call = harness.standIn.callsTo('views.publish').at(-1);
  if (!call) throw new Error('no Home tab published yet');
  const blocks = (call.args.view as { blocks: unknown[] }).blocks;
  return { blocks, words: wordsOf(blocks) };
}

const itemRows = () =>
  harness.database.db
    .selectFrom('action_items')
    .select(['id', 'text', 'status', 'source'])
    .orderBy('id')
    .execute();

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
});

afterAll(async () => {
  await harness?.close();
});

describe("Ada's first week", () => {
  it('Monday: she signs up, is told when her notes come, and gets the first one', async () => {
    notes.push(
      await signUpAndReceiveNote(harness, {
        userId: ADA,
        setClock: (at) => {
          clock = at;
        },
      }),
    );
    const [confirmation, first] = dmsToAda();
    expect(confirmation).toMatch(
      /^You're signed up\. You'll hear from me every weekday at 9:00 AM \(Europe\/Berlin\)\. The next note comes Monday, November 23 at 9:00 AM \(Europe\/Berlin\)\.$/,
    );
    const title = notes[0]?.blocks.find((block) => block.type === 'header')?.text?.text;
    expect(first).toMatch(new RegExp(`^${title}: .+ Why it matters: .+ Ask yourself: .+$`));
    expect(wordsOf(notes[0]?.blocks ?? [])).toContain('Plan an action');
    expect(lastHome().words).toContain('*You are signed up:*');
  });

  it('she plans an action with one click: the first of the topic’s suggestions', async () => {
    const note = notes[0] as ReceivedNote;
    const opened = await nextCall(harness.standIn, 'views.open', () =>
      harness.slack.blockActions({
        userId: ADA,
        actionId: 'topic_plan_action',
        blockId: 'topic_actions',
        value: note.value,
        channelId: note.channel,
        messageTs: note.ts,
        message: { blocks: note.blocks, text: note.text },
      }),
    );
    const viewId = (opened.response.body as { view: { id: string } }).view.id;
    const filled = await harness.standIn.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId,
    );
    const view = filled.args.view as { private_metadata: string; blocks: Block[] };
    const choices = view.blocks.find((block) => block.block_id === 'action_choice') as unknown as {
      element: { options: Array<{ text: { text: string } }> };
    };
    const suggestion = choices.element.options[0]?.text.text ?? '';
    expect(choices.element.options.at(-1)?.text.text).toBe('Something else (write it below)');

    const published = harness.standIn.callsTo('views.publish').length;
    const refreshed = nextCall(harness.standIn, 'chat.update', async () => {
      const submitted = await harness.slack.viewSubmission({
        userId: ADA,
        callbackId: 'plan_action_modal',
        privateMetadata: view.private_metadata,
        values: {
          action_choice: { choice: { type: 'radio_buttons', selected_option: { value: '0' } } },
          action_text: { text: { type: 'plain_text_input', value: null } },
          check_back: { preset: { type: 'static_select', selected_option: { value: '1w' } } },
        } as never,
      });
      expect(submitted.body).toBe('');
    });
    const updated = await refreshed;
    // The Home tab follows; the bot is done before the clock moves on.
    await expect.poll(() => harness.standIn.callsTo('views.publish').length).toBe(published + 1);
    // The note now says what she planned, and offers "Add another".
    const words = wordsOf(updated.args.blocks as unknown[]);
    expect(words).toContain('*You planned:*');
    expect(words).toContain(`(check back ${IN_A_WEEK})`);
    expect(words).toContain('Add another');
    expect(await itemRows()).toMatchObject([{ source: 'modal', status: 'open' }]);
    expect(suggestion.replace(/…$/, '')).not.toBe('');
  });

  it('Tuesday: the second note’s topic is not for her; she hides it, and the Home tab lists it', async () => {
    notes.push(await noteOn('2026-11-24'));
    const note = notes[1] as ReceivedNote;
    const title = String(note.blocks.find((block) => block.type === 'header')?.text?.text);
    const published = harness.standIn.callsTo('views.publish').length;
    const updated = await nextCall(harness.standIn, 'chat.update', () =>
      harness.slack.blockActions({
        userId: ADA,
        actionId: 'topic_not_relevant',
        blockId: 'topic_actions',
        value: note.value,
        channelId: note.channel,
        messageTs: note.ts,
        message: { blocks: note.blocks, text: note.text },
      }),
    );
    expect(wordsOf(updated.args.blocks as unknown[])).toContain(
      "Marked not relevant: you won't get this one again. Changed your mind? *Topics you hid*, on your Home tab, can restore it.",
    );
    await expect.poll(() => harness.standIn.callsTo('views.publish').length).toBe(published + 1);
    const home = lastHome();
    expect(home.words).toContain('*Topics you hid*');
    expect(home.words).toContain(`• ${title}`);
    expect(wordOf(buttonIn(home.blocks, 'home_restore_topic').text)).toBe('Restore');
  });

  it('she changes her mind and restores it from the Home tab: it is in her rotation again', async () => {
    const home = lastHome();
    const restored = await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.blockActions({
        userId: ADA,
        actionId: 'home_restore_topic',
        value: buttonIn(home.blocks, 'home_restore_topic').value,
        view: { type: 'home', blocks: home.blocks as never },
      }),
    );
    const words = wordsOf((restored.args.view as { blocks: unknown[] }).blocks);
    expect(words).not.toContain('Topics you hid');
    expect(await harness.database.db.selectFrom('topic_feedback').selectAll().execute()).toEqual(
      [],
    );
  });

  it('Wednesday: a thread reply to the third note is saved; she deletes it, and undoes that', async () => {
    notes.push(await noteOn('2026-11-25'));
    const note = notes[2] as ReceivedNote;
    const before = harness.standIn.callsTo('chat.update').length;
    const saved = await replyInThread(note, THREAD_ACTION);
    // The note lists it: the bot has finished with the reply.
    await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBe(before + 1);
    expect(String(saved.args.text)).toBe(
      `Saved your action: “${THREAD_ACTION}”. I'll check back on ${NEXT_WEDNESDAY}.`,
    );

    clock = new Date('2026-11-25T08:05:00Z');
    const updates = harness.standIn.callsTo('chat.update').length;
    const deleted = await clickOn(saved, 'item_delete');
    expect(deleted.text).toBe(`Deleted your action “${THREAD_ACTION}”.`);
    expect(wordsOf(deleted.blocks ?? [])).toBe(
      `Deleted your action “${THREAD_ACTION}”. Changed your mind? Undo within a minute.\nUndo`,
    );
    expect((await itemRows()).map((row) => row.source)).toEqual(['modal']);

    clock = new Date('2026-11-25T08:05:40Z');
    const undone = await clickOn(
      { ...saved, args: { ...saved.args, ...deleted } },
      'item_undo_delete',
    );
    expect(undone.text).toBe(
      `Restored your action: “${THREAD_ACTION}”. I'll check back on ${NEXT_WEDNESDAY}.`,
    );
    expect(await itemRows()).toMatchObject([
      { source: 'modal', status: 'open' },
      { source: 'thread', status: 'open', text: THREAD_ACTION },
    ]);
    // The note followed each step (without the action, then with it again): the bot is done
    // before the clock moves on.
    await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBe(updates + 2);
    const note3 = harness.standIn.callsTo('chat.update').at(-1);
    expect(wordsOf(note3?.args.blocks as unknown[])).toContain(THREAD_ACTION);
  });

  it('a week on, she answers the reminder with a thread reply, and can still change the answer', async () => {
    const { database, standIn } = harness;
    clock = new Date('2026-11-30T07:56:00Z');
    expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 1 });
    await planDueDeliveries(database.db, clock);
    clock = new Date('2026-11-30T08:00:00Z');
    const reminder = await standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).endsWith('Did you do it?'),
    );
    await expect
      .poll(
        async () =>
          (await database.db.selectFrom('reminders').select('status').executeTakeFirst())?.status,
      )
      .toBe('sent');
    const [planned] = await itemRows();
    firstAction = String(planned?.text);
    expect(String(reminder.args.text)).toBe(`You planned: ${planned?.text}. Did you do it?`);

    const recorded = await replyInThread(
      { channel: String(answerOf(reminder).channel), ts: String(answerOf(reminder).ts) },
      'done!',
    );
    expect(String(recorded.args.text)).toBe(`“${planned?.text}”: Done. Recorded, well done.`);
    expect(wordsOf(recorded.args.blocks as unknown[])).toContain('Change answer');
    expect((await itemRows()).map((row) => row.status)).toEqual(['done', 'open']);
    // The reminder itself says so too, as if she had pressed Done on it: no buttons left there.
    const original = () =>
      standIn.snapshot(ADA).dm.find((message) => message.ts === answerOf(reminder).ts);
    await expect
      .poll(() => wordsOf(original()?.blocks ?? []))
      .toContain('✓ Done. Recorded, well done.');
    expect(JSON.stringify(original()?.blocks)).not.toContain('reminder_done');

    // On second thought it is only half done: Change answer, then Not yet, in the same message.
    clock = new Date('2026-11-30T08:30:00Z');
    const buttons = await clickOn(recorded, 'reminder_change_answer');
    expect(wordsOf(buttons.blocks ?? [])).toContain('Not yet');
    const changed = await clickOn(
      { ...recorded, args: { ...recorded.args, ...buttons } },
      'reminder_not_yet',
    );
    expect(changed.text).toBe(
      `“${planned?.text}”: Not yet. I'll ask again after the same interval.`,
    );
    expect(wordsOf(changed.blocks ?? [])).toContain(
      "✓ Not yet. I'll ask again after the same interval.",
    );
    await expect
      .poll(() => wordsOf(original()?.blocks ?? []))
      .toContain("✓ Not yet. I'll ask again after the same interval.");
    expect((await itemRows()).map((row) => row.status)).toEqual(['open', 'open']);
    expect(await database.db.selectFrom('responses').select('answer').execute()).toEqual([
      { answer: 'not_yet' },
    ]);
  });

  it('every message she saw, in order', () => {
    // Nothing failed behind the scenes: no listener logged a failure or a refusal.
    expect(
      harness.app.logs.lines.filter(
        (line) => line.component === 'slack-listener' && line.level !== 'debug',
      ),
    ).toEqual([]);
    const [first, second, third] = notes.map((note) => note.text);
    const dms = dmsToAda();
    expect(dms.slice(0, 5)).toEqual([
      expect.stringMatching(/^You're signed up\./),
      first,
      second,
      third,
      `Saved your action: “${THREAD_ACTION}”. I'll check back on ${NEXT_WEDNESDAY}.`,
    ]);
    // Monday's reminder and Monday's note come at the same minute, in either order.
    expect(dms.slice(5, 7)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ Did you do it\?$/),
        expect.stringMatching(/: .+ Why it matters: .+ Ask yourself: /),
      ]),
    );
    expect(dms.slice(7)).toEqual([expect.stringMatching(/^“.+”: Done\. Recorded, well done\.$/)]);
    // Answers in place of a message: the two steps of the undo, and of changing the answer.
    expect(
      harness.standIn.responseUrlPosts.map((post) => (post.body as { text: string }).text),
    ).toEqual([
      `Deleted your action “${THREAD_ACTION}”.`,
      `Restored your action: “${THREAD_ACTION}”. I'll check back on ${NEXT_WEDNESDAY}.`,
      `“${firstAction}”: Done. Recorded, well done.`,
      `“${firstAction}”: Not yet. I'll ask again after the same interval.`,
    ]);
  });
});
