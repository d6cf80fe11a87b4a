/**
 * Notes that must not go, at the claim, over real HTTP: a due note whose manager unsubscribed
 * or paused after it was planned, or whose workspace uninstalled the app, is recorded as
 * cancelled when the bot's claim reaches it and is never handed out; the others go. Judged
 * among the rows claimed (not by a scan of every due row before each claim, which grew with
 * the backlog), so a claim smaller than the backlog cancels only what it reached, and the
 * next claim the rest.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/bot/api-client/index.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { markWorkspaceInactive } from '../../src/core/workspaces/repository.ts';
import { setUpTestApp } from '../support/app.ts';
import { createSubscriber, createWorkspace, type TestSubscriber } from '../support/factories.ts';
import { botApiClient } from '../support/service-calls.ts';

const SUBSCRIBED_AT = new Date('2026-12-07T12:00:00Z');
/** 09:00 in Berlin on 2026-12-08: the subscribers' delivery time. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');

let api: ApiClient;
let clock = SUBSCRIBED_AT;

const testApp = setUpTestApp({ clock: () => clock });

beforeAll(async () => {
  api = botApiClient(testApp.url, () => clock);
});

function statusOf(manager: TestSubscriber) {
  return testApp.database.db
    .selectFrom('deliveries')
    .where('manager_id', '=', manager.id)
    .select('status')
    .executeTakeFirstOrThrow()
    .then((row) => row.status);
}

function stopSubscription(manager: TestSubscriber, status: 'unsubscribed' | 'paused') {
  return testApp.database.db
    .updateTable('subscriptions')
    .set({ status, next_due_at: null })
    .where('id', '=', manager.subscription.id)
    .execute();
}

describe('when the bot claims notes planned before their subscription or workspace stopped', () => {
  it('then those are cancelled as the claims reach them, never handed out, and the rest go', async () => {
    const here = await createWorkspace(testApp.database.db);
    const gone = await createWorkspace(testApp.database.db);
    const staying = [
      await createSubscriber(testApp.database.db, here, {}, SUBSCRIBED_AT),
      await createSubscriber(testApp.database.db, here, {}, SUBSCRIBED_AT),
    ];
    const unsubscribed = await createSubscriber(testApp.database.db, here, {}, SUBSCRIBED_AT);
    const paused = await createSubscriber(testApp.database.db, here, {}, SUBSCRIBED_AT);
    const uninstalled = await createSubscriber(testApp.database.db, gone, {}, SUBSCRIBED_AT);
    await planDueDeliveries(testApp.database.db, new Date(DUE_AT.getTime() - 2 * 60_000));
    await stopSubscription(unsubscribed, 'unsubscribed');
    await stopSubscription(paused, 'paused');
    await markWorkspaceInactive(testApp.database.db, gone.slackTeamId, 'app_uninstalled', DUE_AT);
    clock = DUE_AT;

    // Two at a time: the claims reach the five rows in turn.
    const handedOut: string[] = [];
    for (let claim = 0; claim < 5; claim++) {
      for (const delivery of await api.claimDeliveries(2, 60)) {
        handedOut.push(delivery.slackUserId);
      }
    }
    expect(handedOut.sort()).toEqual(staying.map((manager) => manager.who.slackUserId).sort());
    for (const manager of [unsubscribed, paused, uninstalled]) {
      expect(await statusOf(manager)).toBe('cancelled');
    }
    for (const manager of staying) expect(await statusOf(manager)).toBe('claimed');
  });
});
