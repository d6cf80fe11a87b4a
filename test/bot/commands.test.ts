/**
 * The `/blindspot` subcommands issue 17 added, through signed requests, the real service and the
 * Slack stand-in: `now` (a note now, once a day) and `unsubscribe` (asked first, as the DM and
 * the Home tab ask).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY_ACTIONS } from '../../src/bot/blocks/replies.ts';
import {
  type SlackHarness,
  signUpAndReceiveNote,
  signupModalValues,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0COMMANDS';
let harness: SlackHarness;
let clock = new Date('2026-12-07T07:00:00Z');

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
});

afterAll(async () => {
  await harness?.close();
});

async function signUp(userId: string) {
  const { standIn, slack } = harness;
  standIn.addUser({ id: userId, teamId: TEAM, tz: 'Europe/Berlin' });
  const submitted = await slack.viewSubmission({
    userId,
    callbackId: 'signup_modal',
    values: signupModalValues({
      weekdays: [1, 2, 3, 4, 5],
      localTime: '09:00',
      timeZone: 'Europe/Berlin',
    }),
  });
  expect(submitted.body).toBe('');
}

async function command(userId: string, text: string) {
  const { slack, standIn } = harness;
  const response = await slack.slashCommand({ command: '/blindspot', text, userId });
  expect(response.status).toBe(200);
  const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return { post: post.body as { text?: string; blocks?: unknown[] }, response };
}

describe('/blindspot now', () => {
  it('then a manager with no note today gets one at once, and a second asks for none', async () => {
    await signUp('U0NOW');
    const { post } = await command('U0NOW', 'now');
    expect(post.text).toBe('On its way.');
    const note = await harness.standIn.waitForCall(
      'chat.postMessage',
      (call) =>
        call.args.channel === 'U0NOW' &&
        (call.args.metadata as { event_type?: string } | undefined)?.event_type !== undefined,
    );
    expect(JSON.stringify(note.args.blocks)).toContain('Why it matters');
    const again = await command('U0NOW', 'now');
    expect(again.post.text).toBe(
      "You've had today's note already. The next one comes on your schedule.",
    );
  });

  it('then a manager whose scheduled note came today is told so', async () => {
    const note = await signUpAndReceiveNote(harness, {
      userId: 'U0HADONE',
      setClock: (at) => {
        clock = at;
      },
    });
    expect(note.deliveryId).toBeTruthy();
    const { post } = await command('U0HADONE', 'now');
    expect(post.text).toContain("You've had today's note already");
  });
});

describe('/blindspot history', () => {
  it('then the DM shows the notes sent, newest first, beside the progress and open actions', async () => {
    const { standIn, slack } = harness;
    const title = await harness.database.db
      .selectFrom('deliveries')
      .innerJoin('managers', 'managers.id', 'deliveries.manager_id')
      .innerJoin('topics', 'topics.id', 'deliveries.topic_id')
      .where('managers.slack_user_id', '=', 'U0HADONE')
      .where('deliveries.status', '=', 'sent')
      .select('topics.title')
      .executeTakeFirstOrThrow();
    const response = await slack.slashCommand({
      command: '/blindspot',
      text: 'history',
      userId: 'U0HADONE',
    });
    expect(response.status).toBe(200);
    const dm = await standIn.waitForCall(
      'chat.postMessage',
      (call) =>
        call.args.channel === 'U0HADONE' && call.args.text === 'Your progress with Blindspot',
    );
    const blocks = dm.args.blocks as Array<{ block_id?: string; text?: { text?: string } }>;
    const notes = blocks.find((block) => block.block_id === 'recent_notes')?.text?.text ?? '';
    expect(notes).toContain('*Your last notes*');
    expect(notes).toContain(`• *${title.title}*, `);
    // A manager with no note yet is told when the first comes, not shown an empty list.
    await signUp('U0NEWCOMER');
    await slack.slashCommand({ command: '/blindspot', text: 'history', userId: 'U0NEWCOMER' });
    const empty = await standIn.waitForCall(
      'chat.postMessage',
      (call) =>
        call.args.channel === 'U0NEWCOMER' && call.args.text === 'Your progress with Blindspot',
    );
    expect(JSON.stringify(empty.args.blocks)).toContain(
      'None yet: your first comes on your schedule.',
    );
  });
});

describe('/blindspot unsubscribe', () => {
  it('then it asks first, and only the Unsubscribe button unsubscribes', async () => {
    await signUp('U0LEAVING');
    const { post, response } = await command('U0LEAVING', 'unsubscribe');
    expect(post.text).toContain('Unsubscribe from Blindspot?');
    expect(JSON.stringify(post.blocks)).toContain(REPLY_ACTIONS.keepSubscription);
    const status = () =>
      harness.database.db
        .selectFrom('subscriptions')
        .innerJoin('managers', 'managers.id', 'subscriptions.manager_id')
        .where('managers.slack_user_id', '=', 'U0LEAVING')
        .select('subscriptions.status')
        .executeTakeFirstOrThrow();
    // Asking changed nothing.
    expect((await status()).status).toBe('active');

    const clicked = await harness.slack.blockActions({
      userId: 'U0LEAVING',
      actionId: REPLY_ACTIONS.unsubscribe,
      value: 'unsubscribe',
      responseUrl: response.responseUrl,
    });
    expect(clicked.status).toBe(200);
    await harness.standIn.waitForResponseUrlPost(
      (p) =>
        p.url === response.responseUrl &&
        JSON.stringify(p.body).includes('Unsubscribed: no more notes.'),
    );
    expect((await status()).status).toBe('unsubscribed');
  });
});
