/**
 * Issue 17, item 2: replies understood. A thread reply to a note that is not plainly a plan gets
 * a one-click choice; a thread reply to a reminder ("done!", "not yet") is recorded, or asks
 * which item, or shows the buttons again; "help", "pause" and "stop" sent as DMs are commands.
 * Signed requests, the real service, the Slack stand-in, real PostgreSQL, an injected clock.
 * The tests run in order: Alex's week goes on from one to the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import {
  answerOf,
  nextCall,
  type RecordedCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0REPLY';
const ALEX = 'U0ALEXR';
let harness: SlackHarness;
/** Monday 23 November 2026, 07:58 UTC: two minutes before Alex's 09:00 in Berlin. */
let clock = new Date('2026-11-23T07:58:00Z');
let note: { channel: string; ts: string };
let reminder: RecordedCall;
let tsCounter = 0;

const newTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

type Block = {
  type: string;
  text?: { text: string };
  elements?: Array<{ action_id: string; value?: string; text?: { text: string } } & object>;
};

function buttonsOf(call: RecordedCall): NonNullable<Block['elements']> {
  return (call.args.blocks as Block[]).flatMap((block) => block.elements ?? []);
}

function button(call: RecordedCall, actionId: string) {
  const found = buttonsOf(call).find((element) => element.action_id === actionId);
  expect(found, `a ${actionId} button`).toBeDefined();
  return found as NonNullable<typeof found>;
}

function message(text: string, threadTs?: string) {
  const ts = newTs();
  return harness.slack.event({
    type: 'message',
    channel_type: 'im',
    channel: note.channel,
    user: ALEX,
    text,
    ts,
    ...(threadTs && { thread_ts: threadTs }),
    event_ts: ts,
  });
}

/** Posts `text` and resolves with the bot's answer to it. */
function answerTo(text: string, threadTs?: string) {
  return nextCall(harness.standIn, 'chat.postMessage', () => message(text, threadTs));
}

async function click(call: RecordedCall, actionId: string, value?: string) {
  const response = await harness.slack.blockActions({
    userId: ALEX,
    actionId,
    value: value ?? button(call, actionId).value,
    channelId: note.channel,
    messageTs: answerOf(call).ts,
  });
  const posted = await harness.standIn.waitForResponseUrlPost(
    (post) => post.url === response.responseUrl,
  );
  return posted.body as { text: string; blocks?: unknown[] };
}

const items = () =>
  harness.database.db
    .selectFrom('action_items')
    .select(['id', 'text', 'source', 'status'])
    .orderBy('id')
    .execute();

const subscriptionStatus = async () =>
  (await harness.database.db.selectFrom('subscriptions').select('status').executeTakeFirstOrThrow())
    .status;

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
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

describe('a thread reply to a note', () => {
  it('that is not plainly a plan gets a choice, and "It was just a thought" saves nothing', async () => {
    const question = await answerTo('Honestly, I rarely ask my team for feedback', note.ts);
    expect(question.args.thread_ts).toBe(note.ts);
    expect(String(question.args.text)).toMatch(/^Save this as an action for “.+”\?$/);
    expect(buttonsOf(question).map((b) => b.text?.text)).toEqual([
      'Save as an action',
      'It was just a thought',
    ]);
    expect(await items()).toEqual([]);

    const answered = await click(question, 'thread_just_a_thought');
    expect(answered.text).toBe('Kept as a thought. Nothing saved.');
    expect(await items()).toEqual([]);
  });

  it('"Save as an action" saves it as the note’s thread item, in one click', async () => {
    const question = await answerTo('Ask Jordan how the 1:1s feel to him', note.ts);
    const saved = await click(question, 'thread_save_action');
    expect(saved.text).toContain('Saved your action: “Ask Jordan how the 1:1s feel to him”');
    expect(await items()).toMatchObject([
      { text: 'Ask Jordan how the 1:1s feel to him', source: 'thread', status: 'open' },
    ]);
  });

  it('that starts with a plan ("I’ll…") is saved at once, as before', async () => {
    const saved = await answerTo('I’ll thank Mei for the review, by name', note.ts);
    expect(String(saved.args.text)).toContain('Saved your action: “I’ll thank Mei');
    expect(await items()).toHaveLength(2);
  });
});

describe('a thread reply to a reminder', () => {
  it('that is not understood gets the reminder’s buttons again', async () => {
    // A week on, both items are due: one reminder asks about both.
    clock = new Date('2026-11-30T07:56:00Z');
    expect(await planDueReminders(harness.database.db, clock)).toMatchObject({ planned: 1 });
    await planDueDeliveries(harness.database.db, clock);
    clock = new Date('2026-11-30T08:00:00Z');
    reminder = await harness.standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).includes('2 actions to check in on'),
    );
    await expect
      .poll(
        async () =>
          (await harness.database.db.selectFrom('reminders').select('status').executeTakeFirst())
            ?.status,
      )
      .toBe('sent');

    const again = await answerTo('hmm, sort of?', answerOf(reminder).ts);
    expect(again.args.thread_ts).toBe(answerOf(reminder).ts);
    expect(String(again.args.text)).toContain("I didn't catch that.");
    expect(buttonsOf(again).filter((b) => b.action_id === 'reminder_done')).toHaveLength(2);
  });

  it('"done!" about a reminder of two items asks which, and the pick records it', async () => {
    const question = await answerTo('done!', answerOf(reminder).ts);
    expect(String(question.args.text)).toBe('Which action is “done” about?');
    const picks = buttonsOf(question) as Array<{ value: string; accessibility_label?: string }>;
    expect(picks).toHaveLength(2);
    expect(picks[0]?.accessibility_label).toBe('Mark “Ask Jordan how the 1:1s feel to him” done');
    // Nothing is recorded until Alex picks.
    expect((await items()).map((i) => i.status)).toEqual(['open', 'open']);

    const recorded = await click(question, 'reminder_reply_item', picks[0]?.value);
    expect(recorded.text).toBe('“Ask Jordan how the 1:1s feel to him”: Done. Recorded, well done.');
    expect((await items()).map((i) => i.status)).toEqual(['done', 'open']);
    const responses = await harness.database.db.selectFrom('responses').select('answer').execute();
    expect(responses).toEqual([{ answer: 'done' }]);
  });

  it('"Not yet." with one item left records it at once; after that, says it is answered', async () => {
    const recorded = await answerTo('Not yet.', answerOf(reminder).ts);
    expect(String(recorded.args.text)).toBe(
      "“I’ll thank Mei for the review, by name”: Not yet. I'll ask again after the same interval.",
    );
    const answers = await harness.database.db
      .selectFrom('responses')
      .select('answer')
      .orderBy('id')
      .execute();
    expect(answers).toEqual([{ answer: 'done' }, { answer: 'not_yet' }]);

    const answered = await answerTo('drop it', answerOf(reminder).ts);
    expect(String(answered.args.text)).toBe(
      'That reminder is answered already. Your Home tab lists your open actions.',
    );
    expect(await harness.database.db.selectFrom('responses').select('id').execute()).toHaveLength(
      2,
    );
  });
});

describe('a command sent as a DM', () => {
  it('"Help!" is the help, not "Is this an action?"', async () => {
    const help = await answerTo('Help!');
    expect(String(help.args.text)).toContain('`/blindspot actions`');
    expect(String(help.args.text)).not.toContain('Is this an action');
  });

  it('"pause" pauses, with the command’s own words', async () => {
    const paused = await answerTo('pause');
    expect(String(paused.args.text)).toBe(
      'Paused. Nothing more until you resume, from your Home tab or with `/blindspot resume`.',
    );
    expect(await subscriptionStatus()).toBe('paused');
  });

  it('"STOP" asks first; "Keep them coming" changes nothing, "Unsubscribe" unsubscribes', async () => {
    const question = await answerTo('STOP');
    expect(String(question.args.text)).toContain('Unsubscribe from Blindspot?');
    expect(await subscriptionStatus()).toBe('paused');

    const kept = await click(question, 'dm_keep_subscription');
    expect(kept.text).toContain('Still subscribed.');
    expect(await subscriptionStatus()).toBe('paused');

    const again = await answerTo('unsubscribe');
    const done = await click(again, 'dm_unsubscribe');
    expect(done.text).toContain('Unsubscribed: no more notes.');
    expect(await subscriptionStatus()).toBe('unsubscribed');
  });
});
