/**
 * Issue 5 end to end: sign-up → topic → action → reminder → Done → reflection → history on
 * the App Home. Signed requests, the real service, the Slack stand-in, an injected clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import type { SlackStandIn } from '../../tools/slack-stand-in/index.ts';
import type { TestApp } from '../support/app.ts';
import { TEST_SERVICE_TOKEN } from '../support/app.ts';
import type { TestDatabase } from '../support/database.ts';
import {
  answerOf,
  nextCall,
  type SlackHarness,
  startSlackHarness,
} from '../support/slack-harness.ts';
import type { SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0LOOP';
const SAM = 'U0SAM';
let harness: SlackHarness;
let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let slack: SlackRequester;
/** Monday 23 November 2026, 07:56 UTC: four minutes before Sam's 09:00 in Berlin. */
let clock = new Date('2026-11-23T07:56:00Z');

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  ({ database, standIn, app, slack } = harness);
  standIn.addUser({ id: SAM, teamId: TEAM, tz: 'Europe/Berlin' });
});

afterAll(async () => {
  await harness?.close();
});

async function metrics(): Promise<string> {
  return (await fetch(`${app.url}/metrics`)).text();
}

describe('the full loop', () => {
  let reminder: Awaited<ReturnType<typeof nextCall>>;
  let doneValue: string;

  it('sign-up, note, and an action planned by replying in the note’s thread', async () => {
    const signedUp = await fetch(`${app.url}/api/v1/subscriptions/me`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
        'x-slack-team-id': TEAM,
        'x-slack-user-id': SAM,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        weekdays: [1, 2, 3, 4, 5],
        localTime: '09:00',
        timeZone: 'Europe/Berlin',
      }),
    });
    expect(signedUp.status).toBe(200);
    await planDueDeliveries(database.db, clock);
    clock = new Date('2026-11-23T08:00:00Z');
    const note = await standIn.waitForCall('chat.postMessage', (call) =>
      Boolean(call.args.metadata),
    );
    await expect
      .poll(
        async () =>
          (await database.db.selectFrom('deliveries').select('status').executeTakeFirst())?.status,
      )
      .toBe('sent');
    const ts = `${Math.floor(Date.now() / 1000)}.000101`;
    const saved = await nextCall(standIn, 'chat.postMessage', () =>
      slack.event({
        type: 'message',
        channel_type: 'im',
        channel: answerOf(note).channel,
        user: SAM,
        text: 'Thank Priya for the migration plan, in specifics',
        ts,
        thread_ts: answerOf(note).ts,
      }),
    );
    expect(String(saved.args.text)).toContain("I'll check back on Monday 30 November.");
  });

  it('reminds a week later, at the usual delivery time, bundled in one message', async () => {
    clock = new Date('2026-11-30T07:56:00Z');
    expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 1 });
    await planDueDeliveries(database.db, clock);
    expect(
      standIn
        .callsTo('chat.postMessage')
        .filter((c) => String(c.args.text).includes('Did you do it?')),
    ).toEqual([]);
    clock = new Date('2026-11-30T08:00:00Z');
    reminder = await standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).includes('Did you do it?'),
    );
    const title = (
      await database.db
        .selectFrom('topics')
        .innerJoin('deliveries', 'deliveries.topic_id', 'topics.id')
        .select('topics.title')
        .executeTakeFirstOrThrow()
    ).title;
    const blocks = JSON.stringify(reminder.args.blocks);
    expect(blocks).toContain(
      `You planned: “Thank Priya for the migration plan, in specifics” — after *${title}* on Monday 23 November. Did you do it?`,
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
    const actions = (
      reminder.args.blocks as Array<{
        type: string;
        elements?: Array<{ action_id: string; value?: string }>;
      }>
    ).find((b) => b.type === 'actions');
    doneValue = String(actions?.elements?.find((e) => e.action_id === 'reminder_done')?.value);
    await expect
      .poll(
        async () =>
          (await database.db.selectFrom('reminders').select('status').executeTakeFirst())?.status,
      )
      .toBe('sent');
    expect(await metrics()).toMatch(/^blindspot_reminders_sent_total 1$/m);
  });

  it('Done records the answer, replaces the buttons, and asks what happened; the reflection is stored', async () => {
    clock = new Date('2026-11-30T10:00:00Z');
    const click = () =>
      slack.blockActions({
        userId: SAM,
        actionId: 'reminder_done',
        value: doneValue,
        messageTs: answerOf(reminder).ts,
        message: { blocks: reminder.args.blocks, text: reminder.args.text },
      });
    const opened = await nextCall(standIn, 'views.open', async () => {
      const response = await click();
      const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
      expect(JSON.stringify(post.body)).toContain('✓ Done. Recorded, well done.');
      expect(JSON.stringify(post.body)).not.toContain('reminder_done');
    });
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('reflection_modal');

    const submitted = await slack.viewSubmission({
      userId: SAM,
      callbackId: 'reflection_modal',
      privateMetadata: view.private_metadata,
      values: {
        reflection: {
          text: { type: 'plain_text_input', value: 'Priya said nobody had thanked her like that' },
        },
        usefulness: { score: { type: 'radio_buttons', selected_option: { value: '4' } } },
      } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'],
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    expect(await database.db.selectFrom('responses').selectAll().execute()).toMatchObject([
      { answer: 'done', reflection: 'Priya said nobody had thanked her like that', usefulness: 4 },
    ]);
    expect(await database.db.selectFrom('action_items').select('status').execute()).toEqual([
      { status: 'done' },
    ]);

    // The same click again (a replayed payload) records nothing more and asks nothing more.
    const opens = standIn.callsTo('views.open').length;
    const replay = await click();
    await standIn.waitForResponseUrlPost((p) => p.url === replay.responseUrl);
    expect(await database.db.selectFrom('responses').selectAll().execute()).toHaveLength(1);
    expect(standIn.callsTo('views.open').length).toBe(opens);
    const text = await metrics();
    expect(text).toMatch(/^blindspot_reminders_answered_total\{answer="done"\} 1$/m);
    expect(text).toMatch(/^blindspot_reminder_answer_seconds_count 1$/m);
  });

  it('shows the history on the App Home: completion, streak, and the reflection', async () => {
    const home = await nextCall(standIn, 'views.publish', () =>
      slack.event({
        type: 'app_home_opened',
        user: SAM,
        channel: standIn.dmChannelIdFor(SAM),
        tab: 'home',
      }),
    );
    const shown = JSON.stringify(home.args.view);
    expect(shown).toContain('*100%* of the 1 actions you planned in the last 8 weeks are done.');
    expect(shown).toContain('A streak of *1 week* with at least one action done.');
    expect(shown).toContain('Priya said nobody had thanked her like that');
    expect(shown).toContain('Weekly digest:* off');
  });
});
