/**
 * A manager's answers to a reminder, over real HTTP (test/support/reminders-api.ts): Done,
 * snoozed, a reflection and a usefulness; a replayed click; changing an answer while it may be
 * changed; and the sent reminder read back as its message should read now.
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem, ApiError } from '../../../src/bot/api-client/index.ts';
import type { components } from '../../../src/bot/api-client/schema.ts';
import {
  type History,
  MINUTE_MS,
  REMINDER_DUE,
  type ResponseBody,
  setUpRemindersApi,
  type Who,
} from '../../support/reminders-api.ts';

const api = setUpRemindersApi();
const { clock, newManager, call, signUp, planItem, remindAt, remindedManager, answerItem, metric } =
  api;

describe('answering a reminder', () => {
  it('when the manager answers Done, then 201 with the answer; the same click replayed is 200 with the first answer, and the metrics count it once', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    const done = 'blindspot_reminders_answered_total{answer="done"}';
    const answered = await metric(done);
    const timed = await metric('blindspot_reminder_answer_seconds_count');
    const timedSum = await metric('blindspot_reminder_answer_seconds_sum');

    clock.now = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const first = await answerItem(who, itemId, { answer: 'done', reminderId });
    expect(first).toEqual({
      status: 201,
      body: {
        response: {
          id: expect.stringMatching(/^\d+$/),
          answer: 'done',
          reflection: null,
          usefulness: null,
          answeredAt: clock.now.toISOString(),
        },
        recorded: true,
      },
    });

    clock.now = new Date(clock.now.getTime() + 2_000);
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
    clock.now = new Date(REMINDER_DUE.getTime() + MINUTE_MS);

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
    clock.now = new Date(REMINDER_DUE.getTime() + 10 * MINUTE_MS);
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
    clock.now = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const dropped = await answerItem(who, itemId, { answer: 'dropped', reminderId });
    const responseId = dropped.body.response.id;
    expect(
      (await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who })).body.status,
    ).toBe('dropped');

    clock.now = new Date(REMINDER_DUE.getTime() + 60 * MINUTE_MS);
    const changed = await changeAnswer(who, itemId, responseId, { answer: 'not_yet' });
    expect(changed).toMatchObject({ status: 200, body: { id: responseId, answer: 'not_yet' } });
    expect(
      (await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who })).body,
    ).toMatchObject({ status: 'open', completedAt: null, checkBackOn: '2026-01-19' });
    const answers = await api.database.db
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
    clock.now = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
    const first = await answerItem(who, itemId, { answer: 'not_yet', reminderId });
    const [again] = await remindAt(who, new Date('2026-01-19T08:00:00.000Z'));
    if (!again) throw new Error('no second reminder');
    clock.now = new Date('2026-01-19T08:05:00.000Z');
    const second = await answerItem(who, itemId, { answer: 'done', reminderId: again.id });

    const superseded = await changeAnswer(who, itemId, first.body.response.id, { answer: 'done' });
    expect(superseded.status).toBe(409);
    expect(superseded.body).toMatchObject({
      code: 'answer_locked',
      message:
        'That answer was followed by a newer one about the same action: change that one instead.',
    });

    clock.now = new Date('2026-01-26T08:05:00.001Z');
    const late = await changeAnswer(who, itemId, second.body.response.id, { answer: 'not_yet' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('answer_locked');
    expect(
      (await call<ActionItem>('GET', `/action-items/${itemId}`, { as: who })).body.status,
    ).toBe('done');
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

    clock.now = new Date(REMINDER_DUE.getTime() + 5 * MINUTE_MS);
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
