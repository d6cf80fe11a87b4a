/**
 * Issue 3 end to end: a manager signs up in Slack, and the blind-spot DM arrives at their
 * chosen local minute, once. Real signed requests, the real service (API, bot, planner) on real
 * PostgreSQL, the Slack stand-in at the network edge, and an injected clock.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import type { SlackStandIn } from '../../src/slack-emulator/index.ts';
import type { TestApp } from '../support/app.ts';
import type { TestDatabase } from '../support/database.ts';
import {
  answerOf,
  nextCall,
  type SlackHarness,
  startSlackHarness,
} from '../support/slack-harness.ts';
import { encodeSlackForm, type SlackRequester } from '../support/slack-requests.ts';

const TEAM = 'T0FLOW';
let database: TestDatabase;
let standIn: SlackStandIn;
let app: TestApp;
let slack: SlackRequester;
let harness: SlackHarness;
/** Sunday 22 November 2026, 12:00 UTC (13:00 in Berlin). */
let clock = new Date('2026-11-22T12:00:00Z');

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  ({ database, standIn, app, slack } = harness);
});

afterAll(async () => {
  await harness?.close();
});

function signupValues(input: { weekdays: string[]; time: string; zone: string; skip?: string[] }) {
  return {
    weekdays: {
      weekdays: {
        type: 'checkboxes',
        selected_options: input.weekdays.map((value) => ({ value })),
      },
    },
    local_time: { local_time: { type: 'timepicker', selected_time: input.time } },
    time_zone: {
      time_zone_select: { type: 'external_select', selected_option: { value: input.zone } },
    },
    skip_themes: {
      skip_themes: {
        type: 'checkboxes',
        selected_options: (input.skip ?? []).map((value) => ({ value })),
      },
    },
  } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'];
}

async function subscriptionOf(slackUserId: string) {
  return database.db
    .selectFrom('subscriptions')
    .innerJoin('managers', 'managers.id', 'subscriptions.manager_id')
    .where('managers.slack_user_id', '=', slackUserId)
    .selectAll('subscriptions')
    .executeTakeFirst();
}

/** The API's log lines for the bot's claims of notes: one line a claim (src/http/request-log.ts). */
function claimLines() {
  return app.logs.lines.filter(
    (line) => (line.req as { url?: string } | undefined)?.url === '/api/v1/deliveries/claims',
  );
}

/** How many claims the bot's sender has made so far: each is one request to the API. */
function claimCount(): number {
  return claimLines().length;
}

function postsTo(user: string) {
  return standIn
    .callsTo('chat.postMessage')
    .filter(
      (call) =>
        call.args.channel === user || answerOf(call).channel === standIn.dmChannelIdFor(user),
    );
}

describe('signing up in Slack', () => {
  it('rejects a sign-up with no days: the modal stays open with the problem on the field, and nothing is saved', async () => {
    standIn.addUser({ id: 'U0MAYA', teamId: TEAM, tz: 'Europe/Berlin', locale: 'en-GB' });
    const response = await slack.viewSubmission({
      userId: 'U0MAYA',
      callbackId: 'signup_modal',
      values: signupValues({ weekdays: [], time: '09:00', zone: 'Europe/Berlin' }),
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      response_action: 'errors',
      errors: { weekdays: 'Pick at least one day.' },
    });
    expect(await subscriptionOf('U0MAYA')).toBeUndefined();
  });

  it('rejects an unknown time zone on its field', async () => {
    const response = await slack.viewSubmission({
      userId: 'U0MAYA',
      callbackId: 'signup_modal',
      values: signupValues({ weekdays: ['1'], time: '09:00', zone: 'Mars/Olympus_Mons' }),
    });
    expect(response.json()).toEqual({
      response_action: 'errors',
      errors: {
        time_zone: '"Mars/Olympus_Mons" is not a time zone we know. Pick one from the list.',
      },
    });
    expect(await subscriptionOf('U0MAYA')).toBeUndefined();
  });

  it('offers time zones matching what the manager types', async () => {
    const payload = {
      type: 'block_suggestion',
      user: { id: 'U0MAYA', team_id: TEAM },
      team: { id: TEAM, domain: 'flow' },
      api_app_id: standIn.identity.appId,
      action_id: 'time_zone_select',
      block_id: 'time_zone',
      value: 'kathm',
      view: { id: 'V0SIGNUP', type: 'modal', callback_id: 'signup_modal' },
    };
    const response = await slack.raw({
      body: encodeSlackForm({ payload: JSON.stringify(payload) }),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      options: [
        {
          text: { type: 'plain_text', text: 'Asia/Kathmandu (UTC+05:45)' },
          value: 'Asia/Kathmandu',
        },
      ],
    });
  });

  it('from /blindspot to the modal to a confirmation DM with the next delivery in their own time zone', async () => {
    const command = await slack.slashCommand({ command: '/blindspot', userId: 'U0MAYA' });
    expect(command.status).toBe(200);
    const opened = await standIn.waitForCall(
      'views.open',
      (call) => call.args.trigger_id === command.triggerId,
    );
    expect(JSON.stringify(opened.args.view)).toContain('"value":"Europe/Berlin"');

    const submitted = await slack.viewSubmission({
      userId: 'U0MAYA',
      callbackId: 'signup_modal',
      values: signupValues({ weekdays: ['1', '3'], time: '09:00', zone: 'Europe/Berlin' }),
    });
    // An empty 200 closes the modal.
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');

    const confirmation = await standIn.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === 'U0MAYA',
    );
    const text = String(confirmation.args.text);
    expect(text).toContain("You're signed up.");
    expect(text).toContain('Mon and Wed at 09:00 (Europe/Berlin)');
    // Maya's Slack locale is en-GB: day before month, on a 24-hour clock. A de-DE manager reads
    // German (test/bot/languages.test.ts).
    expect(text).toContain('Monday 23 November at 09:00 (Europe/Berlin)');
    expect(JSON.stringify(confirmation.args.blocks)).toContain('"action_id":"send_now"');
    const home = await standIn.waitForCall(
      'views.publish',
      (call) => call.args.user_id === 'U0MAYA',
    );
    expect(JSON.stringify(home.args.view)).toContain('You are signed up');

    const subscription = await subscriptionOf('U0MAYA');
    expect(subscription).toMatchObject({
      status: 'active',
      weekdays: [1, 3],
      time_zone: 'Europe/Berlin',
    });
    // 09:00 in Berlin in November is 08:00 UTC.
    expect(subscription?.next_due_at?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
  });
});

describe('delivery at the chosen minute', () => {
  it('is planned ahead, not sent a minute early, and sent at 09:00 local, once', async () => {
    clock = new Date('2026-11-23T07:56:00Z');
    const planned = await planDueDeliveries(database.db, clock);
    expect(planned.planned).toBe(1);

    // One minute early: let the sender claim at least twice, and see nothing sent.
    clock = new Date('2026-11-23T07:59:00Z');
    const claimsBefore = claimCount();
    await expect.poll(claimCount).toBeGreaterThan(claimsBefore + 1);
    expect(postsTo('U0MAYA').filter((call) => call.args.metadata)).toEqual([]);

    clock = new Date('2026-11-23T08:00:00Z');
    const sent = await standIn.waitForCall('chat.postMessage', (call) =>
      Boolean(call.args.metadata),
    );
    const blocks = sent.args.blocks as Array<{ type: string; text?: { text: string } }>;
    const title = blocks[0]?.text?.text;
    // Monday's theme is clarity-and-direction: its first topic in the catalogue.
    // Maya's Slack locale is en-GB: she reads the topic's English text. A de-DE manager's note is
    // German (test/api/languages.test.ts).
    const topic = await database.db
      .selectFrom('topics')
      .where('category', '=', 'clarity-and-direction')
      .orderBy('id')
      .select(['id', 'title'])
      .executeTakeFirstOrThrow();
    expect(title).toBe(topic.title);
    expect(String(sent.args.text)).toContain(topic.title);
    expect(JSON.stringify(blocks)).toContain('Plan an action');

    await expect
      .poll(() => database.db.selectFrom('deliveries').selectAll().execute())
      .toMatchObject([
        { status: 'sent', late: false, slack_ts: answerOf(sent).ts, local_date: '2026-11-23' },
      ]);

    // Only the claim that handed the note out is logged at info; the empty ones, at debug.
    expect(claimLines().filter((line) => line.level === 'info')).toEqual([
      expect.objectContaining({ msg: 'request completed', res: { statusCode: 200 } }),
    ]);
    expect(claimLines().filter((line) => line.level === 'debug').length).toBeGreaterThan(1);

    // Planning again for the same day plans nothing: the ledger has its row.
    expect((await planDueDeliveries(database.db, clock)).planned).toBe(0);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^blindspot_deliveries_sent_total 1$/m);
    expect(metrics).toMatch(/^blindspot_delivery_lateness_seconds_count 1$/m);
    expect(metrics).toMatch(/^blindspot_delivery_oldest_unsent_due_seconds 0$/m);
  });

  it('marks the topic not relevant from the message, and replaces the buttons', async () => {
    const [message] = standIn.callsTo('chat.postMessage').filter((call) => call.args.metadata);
    const value = (
      (message?.args.blocks ?? []) as Array<{
        type: string;
        elements?: Array<{ action_id: string; value: string }>;
      }>
    )
      .find((block) => block.type === 'actions')
      ?.elements?.find((element) => element.action_id === 'topic_not_relevant')?.value;
    const response = await slack.blockActions({
      userId: 'U0MAYA',
      actionId: 'topic_not_relevant',
      blockId: 'topic_actions',
      value,
      channelId: String(answerOf(message).channel),
      messageTs: String(answerOf(message).ts),
      message: { blocks: message?.args.blocks, text: message?.args.text },
    });
    expect(response.status).toBe(200);
    const update = await standIn.waitForCall('chat.update');
    expect(JSON.stringify(update.args.blocks)).toContain(
      "Marked not relevant: you won't get this one again.",
    );
    expect(JSON.stringify(update.args.blocks)).not.toContain('topic_not_relevant');
    const feedback = await database.db.selectFrom('topic_feedback').selectAll().execute();
    expect(feedback).toMatchObject([
      { kind: 'not_relevant', topic_id: JSON.parse(String(value)).topicId },
    ]);
  });

  it('"Send me one now" on a day without a delivery sends one at once', async () => {
    clock = new Date('2026-11-24T10:00:00Z'); // Tuesday: not one of Maya's days
    const response = await slack.blockActions({
      userId: 'U0MAYA',
      actionId: 'send_now',
      value: '',
    });
    expect(response.status).toBe(200);
    const post = await standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
    expect(JSON.stringify(post.body)).toContain('On its way.');
    const today = () =>
      database.db
        .selectFrom('deliveries')
        .where('local_date', '=', '2026-11-24')
        .selectAll()
        .executeTakeFirst();
    await expect.poll(async () => (await today())?.status).toBe('sent');
    const row = await today();
    const sent = await standIn.waitForCall(
      'chat.postMessage',
      (call) =>
        (call.args.metadata as { event_payload?: { delivery_id?: string } } | undefined)
          ?.event_payload?.delivery_id === row?.id,
    );
    expect(answerOf(sent).ts).toBe(row?.slack_ts);

    const again = await slack.blockActions({ userId: 'U0MAYA', actionId: 'send_now', value: '' });
    const second = await standIn.waitForResponseUrlPost((p) => p.url === again.responseUrl);
    expect(JSON.stringify(second.body)).toContain("You've had today's note already.");
  });
});

describe('the App Home and the app lifecycle', () => {
  it('shows the status and next delivery, and pauses from the Home tab', async () => {
    const home = await nextCall(standIn, 'views.publish', () =>
      slack.event({
        type: 'app_home_opened',
        user: 'U0MAYA',
        channel: standIn.dmChannelIdFor('U0MAYA'),
        tab: 'home',
      }),
    );
    expect(JSON.stringify(home.args.view)).toContain('Wednesday 25 November at 09:00');

    const paused = await nextCall(standIn, 'views.publish', () =>
      slack.blockActions({ userId: 'U0MAYA', actionId: 'home_pause', view: { type: 'home' } }),
    );
    expect(JSON.stringify(paused.args.view)).toContain('You paused your notes.');
    expect(await subscriptionOf('U0MAYA')).toMatchObject({ status: 'paused', next_due_at: null });

    // The Home tab shown after a click is built from the subscription the change returned.
    const resumed = await nextCall(standIn, 'views.publish', () =>
      slack.blockActions({ userId: 'U0MAYA', actionId: 'home_resume', view: { type: 'home' } }),
    );
    expect(JSON.stringify(resumed.args.view)).toContain('*You are signed up:*');
    expect(JSON.stringify(resumed.args.view)).toContain('Wednesday 25 November at 09:00');
    expect(await subscriptionOf('U0MAYA')).toMatchObject({ status: 'active' });
  });

  it('deactivates the workspace when the app is uninstalled, and a retried event changes nothing more', async () => {
    const event = { type: 'app_uninstalled' };
    const first = await slack.event(event);
    expect(first.status).toBe(200);
    await expect
      .poll(() =>
        database.db
          .selectFrom('workspaces')
          .where('slack_team_id', '=', TEAM)
          .select('status')
          .executeTakeFirst(),
      )
      .toEqual({ status: 'inactive' });
    expect(await subscriptionOf('U0MAYA')).toMatchObject({
      status: 'paused',
      status_reason: 'workspace_inactive',
    });
    const retry = await slack.event(event, { retryNum: 1, eventId: first.eventId });
    expect(retry.status).toBe(200);
    const audits = await database.db
      .selectFrom('audit_events')
      .where('action', '=', 'workspace.deactivated')
      .selectAll()
      .execute();
    await expect
      .poll(
        async () =>
          (
            await database.db
              .selectFrom('audit_events')
              .where('action', '=', 'workspace.deactivated')
              .selectAll()
              .execute()
          ).length,
      )
      .toBe(1);
    expect(audits).toHaveLength(1);
  });
});
