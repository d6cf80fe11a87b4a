/**
 * The bot's side of reminders, over real HTTP (test/support/reminders-api.ts): claiming what is
 * due and confirming the send, the token and input it refuses, and the weekly digest it is
 * handed on a Monday.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError, ClaimedReminder } from '../../../src/bot/api-client/index.ts';
import {
  BERLIN,
  MINUTE_MS,
  PLANNED_AT,
  REMINDER_DUE,
  setUpRemindersApi,
  TEAM,
} from '../../support/reminders-api.ts';

const api = setUpRemindersApi();
const {
  clock,
  newManager,
  call,
  signUp,
  planItem,
  claim,
  confirm,
  planUntilPlanned,
  remindAt,
  remindedManager,
  answerItem,
  metric,
} = api;

describe('the bot’s reminder endpoints', () => {
  it('when the bot claims at the slot, then it gets the reminder with its items; confirming records the send once, with its lateness', async () => {
    clock.now = PLANNED_AT;
    const who = await signUp(newManager());
    const itemId = await planItem(who, 'Ask Priya what she needs');
    const sentBefore = await metric('blindspot_reminders_sent_total');
    const latenessBefore = await metric('blindspot_reminder_lateness_seconds_count');

    clock.now = new Date(REMINDER_DUE.getTime() - MINUTE_MS);
    await planUntilPlanned(who, '2026-01-12', clock.now);
    const early = await claim();
    expect(early.body.reminders.filter((r) => r.slackUserId === who.user)).toEqual([]);

    clock.now = new Date(REMINDER_DUE.getTime() + 30_000);
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

describe('the weekly digest', () => {
  it('when the manager turns the weekly digest on, then the next Monday the bot is handed a digest of last week; off again, none comes', async () => {
    const { who, itemId, reminderId } = await remindedManager();
    clock.now = new Date(REMINDER_DUE.getTime() + MINUTE_MS);
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
