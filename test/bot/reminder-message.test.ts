/**
 * A reminder's own message follows its answers wherever they are given (issue 17): Mark done on
 * the Home tab, a thread reply that asks which item and the pick, a thread reply recorded at
 * once, and "Change answer" in the thread. Each time, the stand-in's copy of the original
 * reminder shows the answer in place of that item's buttons, as if it had been pressed there.
 * Signed requests, the real service, the Slack stand-in, real PostgreSQL, an injected clock.
 * The tests run in order: Lee's second week goes on from one to the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import type { EmulatedMessage } from '../../src/slack-emulator/types.ts';
import {
  answerOf,
  nextCall,
  type ReceivedNote,
  type RecordedCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0FOLLOW';
const LEE = 'U0LEEFOLLOW';
const ACTIONS = [
  'I will ask Noor about the release plan',
  'I will thank Omar in the team meeting',
  'I will block an hour for 1:1 notes',
] as const;
let harness: SlackHarness;
/** Monday 23 November 2026, 07:56 UTC: four minutes before Lee's 09:00 in Berlin. */
let clock = new Date('2026-11-23T07:56:00Z');
let note: ReceivedNote;
let reminder: RecordedCall;
let root: { channel: string; ts: string };
let tsCounter = 0;
const itemIds: string[] = [];

type Element = { action_id: string; value?: string; text?: { text: string } };
type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Element[];
  accessory?: Element;
};

const elementsOf = (blocks: readonly unknown[] | undefined) =>
  ((blocks ?? []) as Block[]).flatMap((block) => [
    ...(block.elements ?? []),
    ...(block.accessory ? [block.accessory] : []),
  ]);

function buttonIn(blocks: readonly unknown[] | undefined, actionId: string): Element {
  const found = elementsOf(blocks).find((element) => element.action_id === actionId);
  expect(found, `a ${actionId} button`).toBeDefined();
  return found as Element;
}

/** The original reminder, as Lee's Slack shows it now. */
function original(): EmulatedMessage {
  const found = harness.standIn.snapshot(LEE).dm.find((message) => message.ts === root.ts);
  expect(found, 'the reminder in the DM').toBeDefined();
  return found as EmulatedMessage;
}

/** What the reminder shows for one item: its answer, or the buttons (by their action ids). */
function shownFor(itemId: string): string {
  const block = (original().blocks as Block[]).find(
    (candidate) => candidate.block_id === `reminder_item_${itemId}`,
  );
  if (!block) return 'nothing';
  return block.type === 'actions'
    ? elementsOf([block])
        .map((element) => element.action_id.split(':')[0])
        .join(' ')
    : String(block.text?.text ?? (block.elements?.[0] as { text?: string })?.text);
}

function replyInThread(thread: { channel: string; ts: string }, text: string) {
  const ts = `${Math.floor(clock.getTime() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  return nextCall(harness.standIn, 'chat.postMessage', () =>
    harness.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: thread.channel,
      user: LEE,
      text,
      ts,
      thread_ts: thread.ts,
      event_ts: ts,
    }),
  );
}

/** One of the bot's messages in the reminder's thread, as Lee's client has it. */
interface InThread {
  ts: string;
  text: string;
  blocks: unknown[];
}

const inThread = (call: RecordedCall): InThread => ({
  ts: String(answerOf(call).ts),
  text: String(call.args.text),
  blocks: call.args.blocks as unknown[],
});

/** Clicks on one of the bot's messages in the thread; resolves with what replaced it. */
async function clickOn(message: InThread, actionId: string, value?: string) {
  const response = await harness.slack.blockActions({
    userId: LEE,
    actionId,
    value: value ?? buttonIn(message.blocks, actionId).value,
    channelId: root.channel,
    messageTs: message.ts,
    message: { blocks: message.blocks, text: message.text, thread_ts: root.ts },
  });
  const post = await harness.standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return post.body as { text: string; blocks?: unknown[] };
}

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  note = await signUpAndReceiveNote(harness, {
    userId: LEE,
    setClock: (at) => {
      clock = at;
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

const BUTTONS =
  'reminder_done reminder_partly reminder_not_yet reminder_snooze reminder_snooze_date reminder_drop';

describe('the original reminder follows an answer given elsewhere', () => {
  it('three plans from the note’s thread; a week on, one reminder asks about all three, each with its buttons', async () => {
    // Three plans in the note's thread; each time the note lists it before the next.
    for (const action of ACTIONS) {
      const updates = harness.standIn.callsTo('chat.update').length;
      await replyInThread(note, action);
      await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBe(updates + 1);
    }
    const rows = await harness.database.db
      .selectFrom('action_items')
      .select('id')
      .orderBy('id')
      .execute();
    itemIds.push(...rows.map((row) => row.id));

    // A week on, one reminder asks about all three.
    clock = new Date('2026-11-30T07:56:00Z');
    expect(await planDueReminders(harness.database.db, clock)).toMatchObject({ planned: 1 });
    clock = new Date('2026-11-30T08:00:00Z');
    reminder = await harness.standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).includes('3 actions to check in on'),
    );
    await expect
      .poll(
        async () =>
          (await harness.database.db.selectFrom('reminders').select('status').executeTakeFirst())
            ?.status,
      )
      .toBe('sent');
    root = { channel: String(answerOf(reminder).channel), ts: String(answerOf(reminder).ts) };
    clock = new Date('2026-11-30T09:00:00Z');
    expect(itemIds.map(shownFor)).toEqual([BUTTONS, BUTTONS, BUTTONS]);
    expect(original().edited).toBeFalsy();
  });

  it('Mark done on the Home tab: that item says so, the others keep their buttons', async () => {
    const [first] = itemIds as [string];
    await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.blockActions({
        userId: LEE,
        actionId: 'item_done',
        value: first,
        view: { type: 'home', blocks: [] },
      }),
    );
    await expect.poll(() => shownFor(first)).toBe('✓ Marked done. Well done.');
    expect(itemIds.slice(1).map(shownFor)).toEqual([BUTTONS, BUTTONS]);
    expect(original().text).toBe(String(reminder.args.text));
  });

  it('"done!" in the thread asks which of the two still open, and the pick shows on the reminder', async () => {
    const [, second, third] = itemIds as [string, string, string];
    const question = await replyInThread(root, 'done!');
    expect(String(question.args.text)).toBe('Which action is “done” about?');
    // The item marked done on the Home tab is not offered again.
    const picks = elementsOf(question.args.blocks as unknown[]);
    expect(picks.map((pick) => pick.text?.text)).toEqual([ACTIONS[1], ACTIONS[2]]);

    const recorded = await clickOn(inThread(question), 'reminder_reply_item', picks[0]?.value);
    expect(recorded.text).toBe(`“${ACTIONS[1]}”: Done. Recorded, well done.`);
    await expect.poll(() => shownFor(second)).toBe('✓ Done. Recorded, well done.');
    expect(shownFor(third)).toBe(BUTTONS);
    // Its "Change answer" there changes this very answer.
    const change = JSON.parse(String(buttonIn(original().blocks, 'reminder_change_answer').value));
    expect(change).toMatchObject({ itemId: second, reminderId: expect.any(String) });
    expect(
      (await harness.database.db.selectFrom('responses').select('id').execute()).map((r) => r.id),
    ).toEqual([change.responseId]);
  });

  it('"not yet" about the last one is recorded at once, and shows on the reminder', async () => {
    const [, , third] = itemIds as [string, string, string];
    const recorded = await replyInThread(root, 'not yet');
    expect(String(recorded.args.text)).toBe(
      `“${ACTIONS[2]}”: Not yet. I'll ask again after the same interval.`,
    );
    await expect
      .poll(() => shownFor(third))
      .toBe("✓ Not yet. I'll ask again after the same interval.");
    expect(JSON.stringify(original().blocks)).not.toContain('"reminder_done"');
  });

  it('"Change answer" in the thread, then Drop it: the reminder shows the new answer', async () => {
    const [first, second, third] = itemIds as [string, string, string];
    const recorded = inThread(
      harness.standIn
        .callsTo('chat.postMessage')
        .filter((call) => call.args.thread_ts === root.ts)
        .at(-1) as RecordedCall,
    );
    const buttons = await clickOn(recorded, 'reminder_change_answer');
    const dropped = await clickOn(
      { ts: recorded.ts, text: buttons.text, blocks: buttons.blocks ?? [] },
      'reminder_drop',
    );
    expect(dropped.text).toBe(`“${ACTIONS[2]}”: Dropped. Recorded.`);
    await expect.poll(() => shownFor(third)).toBe('✓ Dropped. Recorded.');
    expect([first, second].map(shownFor)).toEqual([
      '✓ Marked done. Well done.',
      '✓ Done. Recorded, well done.',
    ]);
    // Nothing failed behind the scenes, the reminder's updates included.
    expect(
      harness.app.logs.lines.filter(
        (line) => line.component === 'slack-listener' && line.level !== 'debug',
      ),
    ).toEqual([]);
  });
});
