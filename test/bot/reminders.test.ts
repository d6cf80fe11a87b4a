/**
 * Issue 5 end to end: sign-up → topic → action → reminder → Done → reflection → history on
 * the App Home. Signed requests, the real service, the Slack stand-in, an injected clock.
 *
 * Each test starts from nothing (its own database, service and stand-in) and walks the loop up to
 * the step it checks, so any one of them can run alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
import type { SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0LOOP';
const SAM = 'U0SAM';
/** Plainly a plan ("I will…"), so the thread reply is saved without a question. */
const ACTION = 'I will thank Priya for the migration plan, in specifics';
const REFLECTION = 'Priya said nobody had thanked her like that';
let harness: SlackHarness;
let clock: Date;

beforeEach(async () => {
  /** Monday 23 November 2026, 07:56 UTC: four minutes before Sam's 09:00 in Berlin. */
  clock = new Date('2026-11-23T07:56:00Z');
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
});

afterEach(async () => {
  await harness?.close();
});

async function metrics(): Promise<string> {
  return (await fetch(`${harness.app.url}/metrics`)).text();
}

/** Sam signs up, gets Monday's note, and replies in its thread with the action he plans. */
async function samPlansAnAction() {
  const note = await signUpAndReceiveNote(harness, {
    userId: SAM,
    setClock: (at) => {
      clock = at;
    },
  });
  const saved = await nextCall(harness.standIn, 'chat.postMessage', () =>
    harness.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: note.channel,
      user: SAM,
      text: ACTION,
      ts: `${Math.floor(Date.now() / 1000)}.000101`,
      thread_ts: note.ts,
    }),
  );
  return { note, saved };
}

/** A week on, the planners run before Sam's delivery time, and the reminder goes out at it. */
async function reminderArrives(): Promise<RecordedCall> {
  const { database, standIn } = harness;
  clock = new Date('2026-11-30T07:56:00Z');
  expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 1 });
  await planDueDeliveries(database.db, clock);
  expect(
    standIn
      .callsTo('chat.postMessage')
      .filter((c) => String(c.args.text).includes('Did you do it?')),
  ).toEqual([]);
  clock = new Date('2026-11-30T08:00:00Z');
  const reminder = await standIn.waitForCall('chat.postMessage', (call) =>
    String(call.args.text).includes('Did you do it?'),
  );
  await expect
    .poll(
      async () =>
        (await database.db.selectFrom('reminders').select('status').executeTakeFirst())?.status,
    )
    .toBe('sent');
  return reminder;
}

/** The value of a reminder's button, which carries the reminder it answers. */
function buttonValue(reminder: RecordedCall, actionId: string): string {
  const actions = (
    reminder.args.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string; value?: string }>;
    }>
  ).find((b) => b.type === 'actions');
  return String(actions?.elements?.find((e) => e.action_id === actionId)?.value);
}

/** Sam clicks Done on the reminder, at 11:00 his time; resolves with what the click answered. */
function clickDone(reminder: RecordedCall) {
  clock = new Date('2026-11-30T10:00:00Z');
  return harness.slack.blockActions({
    userId: SAM,
    actionId: 'reminder_done',
    value: buttonValue(reminder, 'reminder_done'),
    messageTs: answerOf(reminder).ts,
    message: { blocks: reminder.args.blocks, text: reminder.args.text },
  });
}

/** Sam says what happened in the reflection modal Done opened. */
function submitReflection(opened: RecordedCall) {
  const view = opened.args.view as { callback_id: string; private_metadata: string };
  return harness.slack.viewSubmission({
    userId: SAM,
    callbackId: 'reflection_modal',
    privateMetadata: view.private_metadata,
    values: {
      reflection: { text: { type: 'plain_text_input', value: REFLECTION } },
      usefulness: { score: { type: 'radio_buttons', selected_option: { value: '4' } } },
    } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'],
  });
}

describe('the full loop', () => {
  it('sign-up, note, and an action planned by replying in the note’s thread', async () => {
    const { saved } = await samPlansAnAction();
    // In Sam's Slack locale, the stand-in's en-US, as the reminder writes its dates.
    expect(String(saved.args.text)).toContain("I'll check back on Monday, November 30.");
  });

  it('reminds a week later, at the usual delivery time, bundled in one message', async () => {
    const { note } = await samPlansAnAction();
    const reminder = await reminderArrives();

    const { title } = await harness.database.db
      .selectFrom('topics')
      .innerJoin('deliveries', 'deliveries.topic_id', 'topics.id')
      .where('deliveries.id', '=', note.deliveryId)
      .select('topics.title')
      .executeTakeFirstOrThrow();
    const blocks = JSON.stringify(reminder.args.blocks);
    expect(blocks).toContain(
      `You planned: “${ACTION}” — after *${title}* on Monday, November 23. Did you do it?`,
    );
    for (const action of [
      'reminder_done',
      'reminder_partly',
      'reminder_not_yet',
      'reminder_snooze',
      'reminder_drop',
    ]) {
      expect(blocks).toContain(action);
    }
    expect(await metrics()).toMatch(/^blindspot_reminders_sent_total 1$/m);
  });

  it('Done records the answer, replaces the buttons, and asks what happened; the reflection is stored', async () => {
    const { standIn, database } = harness;
    await samPlansAnAction();
    const reminder = await reminderArrives();

    const opened = await nextCall(standIn, 'views.update', async () => {
      // The modal opens at once, within the trigger id's 3 seconds, with a notice...
      const notice = await nextCall(standIn, 'views.open', async () => {
        const response = await clickDone(reminder);
        const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
        expect(JSON.stringify(post.body)).toContain('✓ Done. Recorded, well done.');
        expect(JSON.stringify(post.body)).not.toContain('reminder_done');
      });
      expect(JSON.stringify(notice.args.view)).toContain('One moment: recording your answer…');
    });
    // ...and gets its form once the answer is recorded.
    expect((opened.args.view as { callback_id: string }).callback_id).toBe('reflection_modal');
    expect(JSON.stringify(opened.args.view)).toContain('What happened?');

    const submitted = await submitReflection(opened);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    expect(await database.db.selectFrom('responses').selectAll().execute()).toMatchObject([
      { answer: 'done', reflection: REFLECTION, usefulness: 4 },
    ]);
    expect(await database.db.selectFrom('action_items').select('status').execute()).toEqual([
      { status: 'done' },
    ]);

    // The same click again (a replayed payload) records nothing more and asks nothing more:
    // its modal says so, with no form.
    const told = await nextCall(standIn, 'views.update', async () => {
      const replay = await clickDone(reminder);
      await standIn.waitForResponseUrlPost((p) => p.url === replay.responseUrl);
    });
    expect(await database.db.selectFrom('responses').selectAll().execute()).toHaveLength(1);
    expect(JSON.stringify(told.args.view)).toContain('That answer was recorded already.');
    expect(JSON.stringify(told.args.view)).not.toContain('What happened?');
    const text = await metrics();
    expect(text).toMatch(/^blindspot_reminders_answered_total\{answer="done"\} 1$/m);
    expect(text).toMatch(/^blindspot_reminder_answer_seconds_count 1$/m);
  });

  it('shows the history on the App Home: completion, streak, and the reflection', async () => {
    const { standIn, slack } = harness;
    await samPlansAnAction();
    const reminder = await reminderArrives();
    const opened = await nextCall(standIn, 'views.update', () => clickDone(reminder));
    expect((await submitReflection(opened)).status).toBe(200);

    const home = await nextCall(standIn, 'views.publish', () =>
      slack.event({
        type: 'app_home_opened',
        user: SAM,
        channel: standIn.dmChannelIdFor(SAM),
        tab: 'home',
      }),
    );
    const shown = JSON.stringify(home.args.view);
    expect(shown).toContain('The one action you planned in the last 8 weeks is done.');
    expect(shown).toContain('A streak of *1 week* with at least one action done.');
    expect(shown).toContain(REFLECTION);
    expect(shown).toContain('Weekly digest:* off');
  });
});
