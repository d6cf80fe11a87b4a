/**
 * In the all-in-one process, a planner that has just run wakes the delivery sender: what it made
 * due goes at once, not at the sender's next poll. The sandbox's time machine relies on it to
 * show a note as soon as it jumps (it used to poll every 300 ms for that). The real service on
 * real PostgreSQL, the Slack stand-in, the worker running the job, and an injected clock; the
 * sender's poll is ten minutes, so only the wake can send the note within the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { createSubscriber, createWorkspace } from '../support/factories.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';

/** 09:00 in Berlin on Tuesday 8 December 2026: the subscriber's delivery time. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');
/**
 * Twenty seconds past the minute: an idle sender waits for the next minute (40 s) or its poll
 * (ten minutes), both longer than the wait below.
 */
const AFTER_DUE = new Date(DUE_AT.getTime() + 20_000);
const WITHIN = { timeout: 15_000, interval: 50 };

let clock = new Date('2026-12-07T12:00:00Z');
let harness: SlackHarness;

beforeAll(async () => {
  harness = await startSlackHarness({
    teamId: 'T0WAKE',
    clock: () => clock,
    senderPollMs: 600_000,
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('when the worker has run a planner in the all-in-one process', () => {
  it('then the sender claims at once, and a note already due goes without waiting for a poll', async () => {
    const { database, standIn, app } = harness;
    const workspace = await createWorkspace(database.db);
    const manager = await createSubscriber(database.db, workspace, {}, clock);
    // A member of the stand-in's workspace, so that it opens a DM with them.
    standIn.addUser({ id: manager.who.slackUserId, teamId: workspace.slackTeamId });
    await planDueDeliveries(database.db, new Date(DUE_AT.getTime() - 2 * 60_000));
    clock = AFTER_DUE;
    // The sender's first claims happened at start, with nothing due: it is asleep now.
    expect(standIn.callsTo('chat.postMessage')).toEqual([]);

    await app.app.runTask('plan_deliveries');

    await expect
      .poll(
        () =>
          standIn
            .callsTo('chat.postMessage')
            .filter((call) => call.args.channel === manager.who.slackUserId).length,
        WITHIN,
      )
      .toBe(1);
    await expect
      .poll(
        async () =>
          (
            await database.db
              .selectFrom('deliveries')
              .where('manager_id', '=', manager.id)
              .select('status')
              .executeTakeFirstOrThrow()
          ).status,
        WITHIN,
      )
      .toBe('sent');
  });
});
