/**
 * The outbox and the kept Slack statuses (issue 19, items 1–2): a note the API hands out with
 * `statusKnown` is posted without reading the manager's status from Slack (users.profile.get,
 * Tier 4); one whose manager's status the API does not know is read first, as before; and one
 * whose manager is known to be out never reaches the outbox at all. The statuses are pushed as
 * the bot's sweep pushes them, on the harness's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSubscriber } from '../support/factories.ts';
import { deliveryOf, type OutboxWorld, startOutboxWorld } from '../support/outbox-harness.ts';
import { botApiClient } from '../support/service-calls.ts';

let world: OutboxWorld;

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterAll(async () => {
  await world?.close();
});

function postsTo(manager: TestSubscriber) {
  const dm = world.standIn.dmChannelIdFor(manager.who.slackUserId);
  return world.standIn
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === manager.who.slackUserId || call.args.channel === dm);
}

describe('when the outbox sends notes whose managers’ statuses the API keeps', () => {
  it('then it reads Slack only for the manager whose status is unknown, and a known-out manager’s note never comes', async () => {
    const managers = await world.managersDueNow(3);
    const [known, unknown, knownOut] = managers as [TestSubscriber, TestSubscriber, TestSubscriber];
    const api = botApiClient(world.apiUrl, world.clock.now);
    await api.putMemberStatuses(world.workspace.slackTeamId, {
      readAt: world.clock.now().toISOString(),
      statuses: [
        { slackUserId: known.who.slackUserId, away: false },
        { slackUserId: knownOut.who.slackUserId, away: true },
      ],
    });
    world.standIn.reset();

    const sender = world.startSender();
    try {
      await expect
        .poll(
          async () => [
            (await deliveryOf(world, known)).status,
            (await deliveryOf(world, unknown)).status,
          ],
          { timeout: 15_000, interval: 20 },
        )
        .toEqual(['sent', 'sent']);
    } finally {
      await sender.stop();
    }

    const reads = world.standIn.callsTo('users.profile.get').map((call) => call.args.user);
    expect(reads).toEqual([unknown.who.slackUserId]);
    expect(postsTo(known)).toHaveLength(1);
    expect(postsTo(unknown)).toHaveLength(1);
    expect(postsTo(knownOut)).toEqual([]);
    expect(await deliveryOf(world, knownOut)).toMatchObject({ status: 'skipped_away' });
  });
});
