/**
 * What a manager reads back about their action items, over real HTTP
 * (test/support/reminders-api.ts): an item's history, and their progress over eight weeks.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError, Progress } from '../../../src/bot/api-client/index.ts';
import {
  type History,
  MINUTE_MS,
  PLANNED_AT,
  REMINDER_DUE,
  setUpRemindersApi,
} from '../../support/reminders-api.ts';

const api = setUpRemindersApi();
const { clock, newManager, call, signUp, planItem, remindedManager, answerItem } = api;

describe('history and progress', () => {
  it('when the manager reads an item’s history, then it lists when it was planned, reminded and answered, in that order; for another manager it does not exist', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    const answeredAt = new Date(REMINDER_DUE.getTime() + 3 * 60 * MINUTE_MS);
    clock.now = answeredAt;
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
    clock.now = PLANNED_AT;
    const open = await planItem(who, 'Share the roadmap draft', { on: '2026-01-20' });
    const answeredAt = new Date(REMINDER_DUE.getTime() + 20 * MINUTE_MS);
    clock.now = answeredAt;
    const { body } = await answerItem(who, itemId, { answer: 'done', reminderId });
    await call('PATCH', `/action-items/${itemId}/responses/${body.response.id}`, {
      as: who,
      body: { reflection: 'She wants fewer status meetings.', usefulness: 5 },
    });

    // Wednesday of the same week.
    clock.now = new Date('2026-01-14T12:00:00.000Z');
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
    clock.now = new Date('2026-01-20T12:00:00.000Z');
    expect((await call<Progress>('GET', '/me/progress', { as: who })).body).toMatchObject({
      streakWeeks: 1,
    });
    clock.now = new Date('2026-01-27T12:00:00.000Z');
    expect((await call<Progress>('GET', '/me/progress', { as: who })).body).toMatchObject({
      streakWeeks: 0,
    });
  });

  it('when a manager who has planned nothing reads their progress, then it is empty, with a null rate, whatever other managers have done', async () => {
    clock.now = PLANNED_AT;
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
