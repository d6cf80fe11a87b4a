/**
 * Away until a date (issue 18, item 3; issue 17, item 4), end to end: signed requests, the real
 * service, the Slack stand-in and an injected clock. While away no note and no reminder goes;
 * a reminder due meanwhile goes on the first note day back; one "welcome back" comes on return,
 * however many planners run; a bad date is refused and nothing is saved.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { welcomeBackText } from '../../src/bot/blocks/away.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import {
  nextCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const WELCOME_BACK_TEXT = welcomeBackText(voiceFor());

const TEAM = 'T0AWAY';
const ANA = 'U0ANA';
let harness: SlackHarness;
let clock: Date;

beforeEach(async () => {
  /** Monday 7 December 2026, 07:00 UTC (08:00 in Berlin): Ana's first note is at 09:00. */
  clock = new Date('2026-12-07T07:00:00Z');
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
});

afterEach(async () => {
  await harness?.close();
});

/** Ana signs up, gets Monday's note and plans an action in its thread: a check-back in a week. */
async function anaPlansAnAction() {
  const note = await signUpAndReceiveNote(harness, {
    userId: ANA,
    setClock: (at) => {
      clock = at;
    },
  });
  const saved = await nextCall(harness.standIn, 'chat.postMessage', () =>
    harness.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: note.channel,
      user: ANA,
      text: 'I will ask Priya how the review went',
      ts: `${Math.floor(clock.getTime() / 1000)}.000101`,
      thread_ts: note.ts,
    }),
  );
  expect(String(saved.args.text)).toMatch(/14 December|December 14/);
}

/** `/blindspot <text>` from Ana; resolves with the ephemeral answer. */
async function command(text: string): Promise<string> {
  const { slack, standIn } = harness;
  const response = await slack.slashCommand({ command: '/blindspot', text, userId: ANA });
  expect(response.status).toBe(200);
  const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return String((post.body as { text?: string }).text);
}

async function subscription() {
  return harness.database.db
    .selectFrom('subscriptions')
    .select(['status', 'next_due_at', 'paused_until'])
    .executeTakeFirstOrThrow();
}

/** Rows of one kind in the reminders ledger, with their day and state. */
function reminders(kind: 'reminder' | 'welcome_back') {
  return harness.database.db
    .selectFrom('reminders')
    .where('kind', '=', kind)
    .select(['local_date', 'status', 'due_at'])
    .execute();
}

const welcomeBacks = () =>
  harness.standIn.callsTo('chat.postMessage').filter((c) => c.args.text === WELCOME_BACK_TEXT);

describe('when a manager says they are away until a date', () => {
  it('then nothing comes while away, the reminder waits for the first note day back, and one welcome back comes', async () => {
    const { database, standIn } = harness;
    await anaPlansAnAction();
    clock = new Date('2026-12-07T12:00:00Z');
    expect(await command('away until 2026-12-17')).toBe(
      'Enjoy your time away. You are away until Thursday, December 17. No notes and no reminders until then; they start again that day, with a welcome back. To come back sooner, use Resume on your Home tab or `/blindspot resume`.',
    );
    expect(await subscription()).toMatchObject({ status: 'paused', paused_until: '2026-12-17' });

    // Every weekday while away, the planners run before and at Ana's time: nothing is planned,
    // not even the reminder due on Monday 14th.
    const postsBefore = standIn.callsTo('chat.postMessage').length;
    for (const day of ['08', '09', '10', '11', '14', '15', '16']) {
      clock = new Date(`2026-12-${day}T07:56:00Z`);
      expect(await planDueDeliveries(database.db, clock)).toMatchObject({
        planned: 0,
        returned: 0,
      });
      expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 0 });
    }
    expect(await reminders('reminder')).toEqual([]);
    expect(standIn.callsTo('chat.postMessage')).toHaveLength(postsBefore);
    // Unanswered reminders are what lapse an item: none went, so none counted.
    const item = await database.db
      .selectFrom('action_items')
      .select(['status', 'unanswered_reminders'])
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ status: 'open', unanswered_reminders: 0 });

    // Thursday 17th starts in Berlin at 23:00 UTC: two planners run at once; one brings Ana
    // back, and there is one welcome back, planned for her usual time.
    clock = new Date('2026-12-16T23:01:00Z');
    const runs = await Promise.all([
      planDueDeliveries(database.db, clock),
      planDueDeliveries(database.db, clock),
    ]);
    expect(runs.map((run) => run.returned).sort()).toEqual([0, 1]);
    expect(await subscription()).toMatchObject({
      status: 'active',
      paused_until: null,
      next_due_at: new Date('2026-12-17T08:00:00Z'),
    });
    expect(await reminders('welcome_back')).toEqual([
      { local_date: '2026-12-17', status: 'pending', due_at: new Date('2026-12-17T08:00:00Z') },
    ]);
    expect(await planDueDeliveries(database.db, clock)).toMatchObject({ returned: 0 });

    // At 09:00 her time: the welcome back, the note, and the reminder moved to this first day.
    clock = new Date('2026-12-17T07:56:00Z');
    expect(await planDueReminders(database.db, clock)).toMatchObject({ planned: 1 });
    expect(await planDueDeliveries(database.db, clock)).toMatchObject({ planned: 1 });
    expect(await reminders('reminder')).toMatchObject([{ local_date: '2026-12-17' }]);
    clock = new Date('2026-12-17T08:00:00Z');
    await standIn.waitForCall('chat.postMessage', (c) => c.args.text === WELCOME_BACK_TEXT);
    await standIn.waitForCall('chat.postMessage', (c) =>
      String(c.args.text).includes('Did you do it?'),
    );
    await expect
      .poll(async () => (await reminders('welcome_back')).map((row) => row.status))
      .toEqual(['sent']);
    expect(welcomeBacks()).toHaveLength(1);
    expect(welcomeBacks()[0]?.args.channel).toMatch(/^D/);
  });

  it('then `/blindspot away 2027-01-04` works without "until", and the Home tab says so', async () => {
    await anaPlansAnAction();
    expect(await command('away 2027-01-04')).toContain('You are away until Monday, January 4.');
    expect(await subscription()).toMatchObject({ status: 'paused', paused_until: '2027-01-04' });
    const home = await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.event({ type: 'app_home_opened', user: ANA, tab: 'home' }),
    );
    const text = JSON.stringify(home.args.view);
    expect(text).toContain('You are away until Monday, January 4.');
    expect(text).toContain('"initial_date":"2027-01-04"');
  });

  it('then a date in the past, over a year ahead, or no date at all is refused and nothing is saved', async () => {
    await anaPlansAnAction();
    expect(await command('away until 2026-12-01')).toBe(
      '2026-12-01 is not after today (2026-12-07). Give the first day you are back.',
    );
    expect(await command('away until 2028-01-04')).toBe(
      '2028-01-04 is more than a year away. Pick a day within a year, or unsubscribe instead.',
    );
    expect(await command('away until next friday')).toBe(
      'I couldn\'t read "next friday" as a date. Write the day you are back as year-month-day, such as 2026-12-21.',
    );
    // A pause with an end date is the same away, judged the same way.
    expect(await command('pause until 2026-12-07')).toBe(
      '2026-12-07 is not after today (2026-12-07). Give the first day you are back.',
    );
    expect(await command('away')).toBe(
      'Tell me the first day you are back, as year-month-day: `/blindspot away until 2027-01-04`. I send nothing until then.',
    );
    expect(await subscription()).toMatchObject({ status: 'active', paused_until: null });
  });
});

describe('when a manager picks the day they are back on the Home tab', () => {
  it('then they are away until then, and a past day is refused in a DM', async () => {
    await anaPlansAnAction();
    const home = await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.blockActions({
        userId: ANA,
        actionId: 'home_away_until',
        actionType: 'datepicker',
        action: { selected_date: '2026-12-21' },
        view: { type: 'home' },
      }),
    );
    expect(JSON.stringify(home.args.view)).toContain('You are away until Monday, December 21.');
    expect(await subscription()).toMatchObject({ status: 'paused', paused_until: '2026-12-21' });

    const refused = await nextCall(harness.standIn, 'chat.postMessage', () =>
      harness.slack.blockActions({
        userId: ANA,
        actionId: 'home_away_until',
        actionType: 'datepicker',
        action: { selected_date: '2026-12-06' },
        view: { type: 'home' },
      }),
    );
    expect(refused.args.text).toBe(
      '2026-12-06 is not after today (2026-12-07). Give the first day you are back.',
    );
    expect(await subscription()).toMatchObject({ paused_until: '2026-12-21' });
  });
});
