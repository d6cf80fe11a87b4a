/**
 * Reminders over real HTTP, as the bot calls the API: the service token, plus the Slack team and
 * user it acts for on a manager's behalf. The all-in-one service runs on its own test database
 * with a clock the test moves. Planning is the worker's job; the test runs the planner itself at
 * the right moment rather than waiting for the worker's minute.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type {
  ActionItem,
  ApiError,
  ClaimedReminder,
  Progress,
} from '../../src/bot/api-client/index.ts';
import type { components, paths } from '../../src/bot/api-client/schema.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { serviceFetch } from '../support/service-calls.ts';

const TEAM = 'T0REMIND';
const BERLIN = 'Europe/Berlin';
/** Monday 5 January 2026, 10:00 in Berlin (CET, UTC+1). */
const PLANNED_AT = new Date('2026-01-05T09:00:00.000Z');
/** A week later, 09:00 in Berlin: the check-back date at the delivery time. */
const REMINDER_DUE = new Date('2026-01-12T08:00:00.000Z');
const MINUTE_MS = 60_000;

let clock = PLANNED_AT;

// As the bot's client does, every call with an Authorization header is signed.
const fetch = serviceFetch(() => clock);

const testApp = setUpTestApp({ clock: () => clock });

interface Who {
  team: string;
  user: string;
}

type ResponseBody = components['schemas']['Response'];
type AnswerBody =
  paths['/api/v1/action-items/{id}/responses']['post']['responses']['201']['content']['application/json'];
type History =
  paths['/api/v1/action-items/{id}/history']['get']['responses']['200']['content']['application/json'];
type Claims =
  paths['/api/v1/reminders/claims']['post']['responses']['200']['content']['application/json'];
type Confirmation =
  paths['/api/v1/reminders/{id}/confirmation']['post']['responses']['200']['content']['application/json'];

interface Reply<T> {
  status: number;
  body: T;
}

let managersMade = 0;
/** A Slack user no other test uses. */
function newManager(): Who {
  managersMade += 1;
  return { team: TEAM, user: `U0R${managersMade}` };
}

async function call<T>(
  method: string,
  path: string,
  options: { as?: Who; bot?: boolean; body?: unknown } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.as || options.bot) headers.authorization = `Bearer ${TEST_SERVICE_TOKEN}`;
  if (options.as) {
    headers['x-slack-team-id'] = options.as.team;
    headers['x-slack-user-id'] = options.as.user;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${testApp.url}/api/v1${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** Signs a manager up, every day at 09:00 in Berlin, as the bot's sign-up modal does. */
async function signUp(who: Who): Promise<Who> {
  const reply = await call('PUT', '/subscriptions/me', {
    as: who,
    body: { weekdays: [1, 2, 3, 4, 5, 6, 7], localTime: '09:00', timeZone: BERLIN },
  });
  expect(reply.status).toBe(200);
  return who;
}

async function planItem(who: Who, text: string, checkBack: unknown = { in: '1w' }) {
  const reply = await call<ActionItem>('POST', '/action-items', {
    as: who,
    body: { text, source: 'api', checkBack },
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

function claim(): Promise<Reply<Claims>> {
  return call('POST', '/reminders/claims', { bot: true, body: { limit: 50, leaseSeconds: 60 } });
}

let messages = 0;
function confirm(reminder: ClaimedReminder) {
  messages += 1;
  return call<Confirmation>('POST', `/reminders/${reminder.id}/confirmation`, {
    bot: true,
    body: {
      attempt: reminder.attempt,
      channelId: `D${reminder.slackUserId.slice(1)}`,
      ts: `${Math.floor(clock.getTime() / 1000)}.${String(messages).padStart(6, '0')}`,
    },
  });
}

/** Whether the ledger holds a reminder (or digest) of this manager for a local date. */
async function isPlanned(who: Who, localDate: string): Promise<boolean> {
  const row = await testApp.database.db
    .selectFrom('reminders as r')
    .innerJoin('managers as m', 'm.id', 'r.manager_id')
    .where('m.slack_user_id', '=', who.user)
    .where('r.local_date', '=', localDate)
    .select('r.id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Runs the planner at `now` until the manager's reminder for `localDate` is in the ledger. The
 * app's own worker plans every minute with the same clock; if its run holds the subscriptions
 * (SKIP LOCKED), ours skips them, so poll until the row is there rather than assume.
 */
async function planUntilPlanned(who: Who, localDate: string, now: Date): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    await planDueReminders(testApp.database.db, now);
    if (await isPlanned(who, localDate)) return;
    if (Date.now() > deadline)
      throw new Error(`no reminder planned for ${who.user} on ${localDate}`);
  }
}

/**
 * The worker plans a minute before the slot; at the slot the bot claims and confirms everything
 * due. Returns what this manager was sent. With `expectNone`, the planner runs once and nothing
 * is waited for.
 */
async function remindAt(
  who: Who,
  slot: Date,
  options: { expectNone?: boolean } = {},
): Promise<ClaimedReminder[]> {
  clock = new Date(slot.getTime() - MINUTE_MS);
  const localDate = DateTime.fromJSDate(slot, { zone: BERLIN }).toISODate() ?? '';
  if (options.expectNone) await planDueReminders(testApp.database.db, clock);
  else await planUntilPlanned(who, localDate, clock);
  clock = slot;
  const claimed = await claim();
  expect(claimed.status).toBe(200);
  for (const reminder of claimed.body.reminders) expect((await confirm(reminder)).status).toBe(200);
  return claimed.body.reminders.filter((r) => r.slackUserId === who.user);
}

/** A manager with one item planned on 5 January and reminded about on 12 January at 09:00. */
async function remindedManager(text = 'Ask Priya what she needs') {
  clock = PLANNED_AT;
  const who = await signUp(newManager());
  const itemId = await planItem(who, text);
  const [reminder] = await remindAt(who, REMINDER_DUE);
  if (!reminder) throw new Error('no reminder was sent');
  return { who, itemId, reminderId: reminder.id };
}

function answerItem(who: Who, itemId: string, body: Record<string, unknown>) {
  return call<AnswerBody & ApiError>('POST', `/action-items/${itemId}/responses`, {
    as: who,
    body,
  });
}

/** One sample's value from /metrics (0 when the series has not been written yet). */
async function metric(series: string): Promise<number> {
  const text = await (await fetch(`${testApp.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('the bot’s reminder endpoints', () => {
  it('when the bot claims at the slot, then it gets the reminder with its items; confirming records the send once, with its lateness', async () => {
    clock = PLANNED_AT;
    const who = await signUp(newManager());
    const itemId = await planItem(who, 'Ask Priya what she needs');
    const sentBefore = await metric('blindspot_reminders_sent_total');
    const latenessBefore = await metric('blindspot_reminder_lateness_seconds_count');

    clock = new Date(REMINDER_DUE.getTime() - MINUTE_MS);
    await planUntilPlanned(who, '2026-01-12', clock);
    const early = await claim();
    expect(early.body.reminders.filter((r) => r.slackUserId === who.user)).toEqual([]);

    clock = new Date(REMINDER_DUE.getTime() + 30_000);
    const claimed = await claim();
    expect(claimed.status).toBe(200);
    const mine = claimed.body.reminders.filter((r) => r.slackUserId === who.user);
    expect(mine).toEqual([
      {
        id: expect.stringMatching(/^\d+$/),
        attempt: 1,
        kind: 'reminder',
        dueAt: REMINDER_DUE.toISOString(),
        localDate: '2026-01-12',
        slackTeamId: TEAM,
        slackUserId: who.user,
        dmChannelId: null,
        timeZone: BERLIN,
        // The manager's Slack locale, as the bot registered them: the message's dates follow it.
        locale: 'en-US',
        // No choice, an English Slack locale, no workspace default: English.
        language: 'en',
        items: [
          {
            id: itemId,
            text: 'Ask Priya what she needs',
            topicTitle: null,
            plannedOn: '2026-01-05',
            final: false,
          },
        ],
        digest: null,
      },
    ]);
    const reminder = mine[0] as ClaimedReminder;

    const confirmed = await confirm(reminder);
    expect(confirmed).toEqual({ status: 200, body: { latenessSeconds: 30 } });
    // A retried confirmation changes nothing and is not counted again.
    expect((await confirm(reminder)).status).toBe(200);
    expect(await metric('blindspot_reminders_sent_total')).toBe(sentBefore + 1);
    expect(await metric('blindspot_reminder_lateness_seconds_count')).toBe(latenessBefore + 1);
    // Confirmed: no longer handed out.
    expect((await claim()).body.reminders.filter((r) => r.id === reminder.id)).toEqual([]);
  });

  it('when the service token is missing or the request is malformed, then the bot endpoints refuse it', async () => {
    const noToken = await call('POST', '/reminders/claims', {
      body: { limit: 5, leaseSeconds: 60 },
    });
    expect(noToken.status).toBe(401);
    const badLimit = await call<ApiError>('POST', '/reminders/claims', {
      bot: true,
      body: { limit: 0, leaseSeconds: 60 },
    });
    expect(badLimit.status).toBe(400);
    const unknown = await call<ApiError>('POST', '/reminders/999999/confirmation', {
      bot: true,
      body: { attempt: 1, channelId: 'D0NOBODY', ts: '1767945600.000001' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('reminder_not_found');
  });
});

describe('answering a reminder', () => {
  it('when the manager answers Done, then 201 with the answer; the same click replayed is 200 with the first answer, and the metrics count it once', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    const done = 'blindspot_reminders_answered_total{answer="done"}';
    const answered = await metric(done);
    const timed = await metric('blindspot_reminder_answer_seconds_count');
    const timedSum = await metric('blindspot_reminder_answer_seconds_sum');

    clock = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const first = await answerItem(who, itemId, { answer: 'done', reminderId });
    expect(first).toEqual({
      status: 201,
      body: {
        response: {
          id: expect.stringMatching(/^\d+$/),
          answer: 'done',
          reflection: null,
          usefulness: null,
          answeredAt: clock.toISOString(),
        },
        recorded: true,
      },
    });

    clock = new Date(clock.getTime() + 2_000);
    const replay = await answerItem(who, itemId, { answer: 'done', reminderId });
    expect(replay).toEqual({
      status: 200,
      body: { response: first.body.response, recorded: false },
    });

    expect(await metric(done)).toBe(answered + 1);
    expect(await metric('blindspot_reminder_answer_seconds_count')).toBe(timed + 1);
    expect(await metric('blindspot_reminder_answer_seconds_sum')).toBe(timedSum + 300);
    const item = await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who });
    expect(item.body).toMatchObject({
      status: 'done',
      completedAt: new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS).toISOString(),
    });
  });

  it('when the manager snoozes without a date after today, then 400 with the field to fix, and nothing is recorded', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    clock = new Date(REMINDER_DUE.getTime() + MINUTE_MS);

    for (const until of [undefined, '2026-01-12', '2026-01-01']) {
      const refused = await answerItem(who, itemId, { answer: 'snoozed', reminderId, until });
      expect(refused.status, String(until)).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'invalid_answer',
        fields: { until: expect.any(String) },
      });
    }
    const history = await call<History>('GET', `/action-items/${itemId}/history`, { as: who });
    expect(history.body.events.map((e) => e.kind)).toEqual(['planned', 'reminded']);

    const snoozed = await answerItem(who, itemId, {
      answer: 'snoozed',
      reminderId,
      until: '2026-02-02',
    });
    expect(snoozed.status).toBe(201);
    const item = await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who });
    expect(item.body.checkBackOn).toBe('2026-02-02');
  });

  it('when the manager adds a reflection and a usefulness to the answer, then it is saved; a usefulness of 6 is refused', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    clock = new Date(REMINDER_DUE.getTime() + 10 * MINUTE_MS);
    const { body } = await answerItem(who, itemId, { answer: 'partly', reminderId });
    const path = `/action-items/${itemId}/responses/${body.response.id}`;

    const reflected = await call<ResponseBody>('PATCH', path, {
      as: who,
      body: { reflection: '  She wants fewer status meetings.  ', usefulness: 4 },
    });
    expect(reflected).toEqual({
      status: 200,
      body: { ...body.response, reflection: 'She wants fewer status meetings.', usefulness: 4 },
    });

    const tooUseful = await call<ApiError>('PATCH', path, { as: who, body: { usefulness: 6 } });
    expect(tooUseful.status).toBe(400);
    expect(tooUseful.body.code).toBe('validation_failed');
    const stranger = await signUp(newManager());
    const notTheirs = await call<ApiError>('PATCH', path, {
      as: stranger,
      body: { usefulness: 1 },
    });
    expect(notTheirs.status).toBe(404);

    const history = await call<History>('GET', `/action-items/${itemId}/history`, { as: who });
    expect(history.body.events.at(-1)).toMatchObject({
      kind: 'answered',
      answer: 'partly',
      reflection: 'She wants fewer status meetings.',
      usefulness: 4,
    });
  });
});

describe('changing an answer', () => {
  function changeAnswer(who: Who, itemId: string, responseId: string, body: object) {
    return call<ResponseBody & ApiError>(
      'PUT',
      `/action-items/${itemId}/responses/${responseId}/answer`,
      { as: who, body },
    );
  }

  it('when the manager changes Drop it to Not yet, then the answer is replaced and the item is open again, asked after its interval', async () => {
    const { who, itemId, reminderId } = await remindedManager('Change my mind');
    clock = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const dropped = await answerItem(who, itemId, { answer: 'dropped', reminderId });
    const responseId = dropped.body.response.id;
    expect(
      (await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who })).body.status,
    ).toBe('dropped');

    clock = new Date(REMINDER_DUE.getTime() + 60 * MINUTE_MS);
    const changed = await changeAnswer(who, itemId, responseId, { answer: 'not_yet' });
    expect(changed).toMatchObject({ status: 200, body: { id: responseId, answer: 'not_yet' } });
    expect(
      (await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who })).body,
    ).toMatchObject({ status: 'open', completedAt: null, checkBackOn: '2026-01-19' });
    const answers = await testApp.database.db
      .selectFrom('responses')
      .where('action_item_id', '=', itemId)
      .select('answer')
      .execute();
    expect(answers).toEqual([{ answer: 'not_yet' }]);

    const refused = await changeAnswer(who, itemId, responseId, { answer: 'snoozed' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid_answer');
    const bob = await signUp(newManager());
    const theirs = await changeAnswer(bob, itemId, responseId, { answer: 'done' });
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('action_item_not_found');
  });

  it('when a later reminder was answered, or a week has passed, then 409 answer_locked and nothing changes', async () => {
    const { who, itemId, reminderId } = await remindedManager('Ask twice');
    clock = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const first = await answerItem(who, itemId, { answer: 'not_yet', reminderId });
    const [again] = await remindAt(who, new Date('2026-01-19T08:00:00.000Z'));
    if (!again) throw new Error('no second reminder');
    clock = new Date('2026-01-19T08:05:00.000Z');
    const second = await answerItem(who, itemId, { answer: 'done', reminderId: again.id });

    const superseded = await changeAnswer(who, itemId, first.body.response.id, { answer: 'done' });
    expect(superseded.status).toBe(409);
    expect(superseded.body).toMatchObject({
      code: 'answer_locked',
      message:
        'That answer was followed by a newer one about the same action: change that one instead.',
    });

    clock = new Date('2026-01-26T08:05:00.001Z');
    const late = await changeAnswer(who, itemId, second.body.response.id, { answer: 'not_yet' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('answer_locked');
    expect(
      (await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who })).body.status,
    ).toBe('done');
  });
});

describe('history and progress', () => {
  it('when the manager reads an item’s history, then it lists when it was planned, reminded and answered, in that order; for another manager it does not exist', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    const answeredAt = new Date(REMINDER_DUE.getTime() + 3 * 60 * MINUTE_MS);
    clock = answeredAt;
    await answerItem(who, itemId, { answer: 'not_yet', reminderId });

    const history = await call<History>('GET', `/action-items/${itemId}/history`, { as: who });
    expect(history).toEqual({
      status: 200,
      body: {
        events: [
          { kind: 'planned', at: PLANNED_AT.toISOString() },
          { kind: 'reminded', at: REMINDER_DUE.toISOString() },
          {
            kind: 'answered',
            at: answeredAt.toISOString(),
            answer: 'not_yet',
            reflection: null,
            usefulness: null,
          },
        ],
      },
    });

    const stranger = await signUp(newManager());
    const hidden = await call<ApiError>('GET', `/action-items/${itemId}/history`, {
      as: stranger,
    });
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('action_item_not_found');
  });

  it('when the manager reads their progress, then it shows the completion rate over 8 weeks, the weekly streak, open items and what they completed with its reflection', async () => {
    const { who, itemId, reminderId } = await remindedManager('Ask Priya what she needs');
    clock = PLANNED_AT;
    const open = await planItem(who, 'Share the roadmap draft', { on: '2026-01-20' });
    const answeredAt = new Date(REMINDER_DUE.getTime() + 20 * MINUTE_MS);
    clock = answeredAt;
    const { body } = await answerItem(who, itemId, { answer: 'done', reminderId });
    await call('PATCH', `/action-items/${itemId}/responses/${body.response.id}`, {
      as: who,
      body: { reflection: 'She wants fewer status meetings.', usefulness: 5 },
    });

    // Wednesday of the same week.
    clock = new Date('2026-01-14T12:00:00.000Z');
    const progress = await call('GET', '/me/progress', { as: who });
    expect(progress).toEqual({
      status: 200,
      body: {
        completionRate: 0.5,
        planned: 2,
        done: 1,
        streakWeeks: 1,
        open: [
          {
            id: open,
            text: 'Share the roadmap draft',
            checkBackOn: '2026-01-20',
            topicTitle: null,
          },
        ],
        recentlyCompleted: [
          {
            id: itemId,
            text: 'Ask Priya what she needs',
            completedAt: answeredAt.toISOString(),
            reflection: 'She wants fewer status meetings.',
            topicTitle: null,
          },
        ],
      },
    });

    // The next week, with nothing done yet, keeps the streak; a week later it is gone.
    clock = new Date('2026-01-20T12:00:00.000Z');
    expect((await call<Progress>('GET', '/me/progress', { as: who })).body).toMatchObject({
      streakWeeks: 1,
    });
    clock = new Date('2026-01-27T12:00:00.000Z');
    expect((await call<Progress>('GET', '/me/progress', { as: who })).body).toMatchObject({
      streakWeeks: 0,
    });
  });

  it('when a manager who has planned nothing reads their progress, then it is empty, with a null rate, whatever other managers have done', async () => {
    clock = PLANNED_AT;
    const busy = await signUp(newManager());
    const doneElsewhere = await planItem(busy, 'Thank the on-call team');
    const marked = await call('PATCH', `/action-items/${doneElsewhere}`, {
      as: busy,
      body: { status: 'done' },
    });
    expect(marked.status).toBe(200);

    const who = await signUp(newManager());
    const progress = await call('GET', '/me/progress', { as: who });
    expect(progress).toEqual({
      status: 200,
      body: {
        completionRate: null,
        planned: 0,
        done: 0,
        streakWeeks: 0,
        open: [],
        recentlyCompleted: [],
      },
    });
  });
});

describe('the weekly digest', () => {
  it('when the manager turns the weekly digest on, then the next Monday the bot is handed a digest of last week; off again, none comes', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    clock = new Date(REMINDER_DUE.getTime() + MINUTE_MS);
    await answerItem(who, itemId, { answer: 'done', reminderId });

    const on = await call('PUT', '/subscriptions/me/weekly-digest', {
      as: who,
      body: { enabled: true },
    });
    expect(on).toEqual({ status: 200, body: { enabled: true } });

    // Monday 19 January, 09:00 in Berlin.
    const digests = await remindAt(who, new Date('2026-01-19T08:00:00.000Z'));
    expect(digests).toEqual([
      expect.objectContaining({
        kind: 'digest',
        localDate: '2026-01-19',
        items: [],
        digest: {
          weekStart: '2026-01-12',
          topicsReceived: 0,
          actionsPlanned: 0,
          actionsDone: 1,
          actionsLapsed: 0,
        },
      }),
    ]);

    const off = await call('PUT', '/subscriptions/me/weekly-digest', {
      as: who,
      body: { enabled: false },
    });
    expect(off).toEqual({ status: 200, body: { enabled: false } });
    expect(await remindAt(who, new Date('2026-01-26T08:00:00.000Z'), { expectNone: true })).toEqual(
      [],
    );
  });

  it('when someone with no subscription turns the digest on, then 404', async () => {
    const who = newManager();
    await call('PUT', '/me', { as: who, body: { timeZone: BERLIN, locale: 'en-GB' } });
    const reply = await call<ApiError>('PUT', '/subscriptions/me/weekly-digest', {
      as: who,
      body: { enabled: true },
    });
    expect(reply.status).toBe(404);
  });
});

describe('a sent reminder as its message should read now', () => {
  type ReminderMessage = components['schemas']['ReminderMessage'];

  it('when the manager reads a sent reminder, by its id or by an item it asked about, then it has its message, their locale and each item’s answer; another manager gets 404', async () => {
    const { who, itemId, reminderId } = await remindedManager('Read it back');
    const before = await call<ReminderMessage>('GET', `/me/reminders/${reminderId}`, { as: who });
    expect(before).toMatchObject({
      status: 200,
      body: {
        id: reminderId,
        channelId: `D${who.user.slice(1)}`,
        ts: expect.stringMatching(/^\d+\.\d+$/),
        locale: 'en-US',
        items: [
          {
            id: itemId,
            text: 'Read it back',
            topicTitle: null,
            plannedOn: '2026-01-05',
            final: false,
            status: 'open',
            answer: null,
            responseId: null,
            snoozedUntil: null,
          },
        ],
      },
    });

    clock = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const snoozed = await answerItem(who, itemId, {
      answer: 'snoozed',
      until: '2026-01-15',
      reminderId,
    });
    expect(snoozed.status).toBe(201);
    const after = await call<ReminderMessage>(
      'GET',
      `/me/reminders/by-item?actionItemId=${itemId}`,
      { as: who },
    );
    expect(after.status).toBe(200);
    expect(after.body).toEqual({
      ...before.body,
      items: [
        {
          ...before.body.items[0],
          answer: 'snoozed',
          responseId: snoozed.body.response.id,
          snoozedUntil: '2026-01-15',
        },
      ],
    });

    const bob = await signUp(newManager());
    for (const path of [
      `/me/reminders/${reminderId}`,
      `/me/reminders/by-item?actionItemId=${itemId}`,
    ]) {
      const theirs = await call<ApiError>('GET', path, { as: bob });
      expect(theirs.status, path).toBe(404);
      expect(theirs.body.code).toBe('reminder_not_found');
    }
    // An item no reminder has asked about yet.
    const fresh = await planItem(who, 'Not asked yet');
    const none = await call<ApiError>('GET', `/me/reminders/by-item?actionItemId=${fresh}`, {
      as: who,
    });
    expect(none.status).toBe(404);
    expect(none.body.code).toBe('reminder_not_found');
  });
});
