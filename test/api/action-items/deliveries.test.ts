/**
 * Action items and the notes they come from: linking an item to a delivery, and finding the
 * manager's delivery for a Slack message, over real HTTP as the bot calls the API
 * (test/support/action-items-api.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ApiError, SentDelivery } from '../../../src/bot/api-client/index.ts';
import { setUpActionItemsApi } from '../../support/action-items-api.ts';

const api = setUpActionItemsApi();
const { newManager, call, register, signUp, created, managerOf, itemCount, sentDelivery } = api;

describe('linking an action item to a delivery', () => {
  it("when created with the manager's own deliveryId, then the item carries that delivery's topic", async () => {
    const alice = await signUp(newManager());
    await sentDelivery(alice, 30);
    const delivery = await sentDelivery(alice, 3);
    const item = await created(alice, { text: 'Try the exercise', deliveryId: delivery.id });
    expect(item.deliveryId).toBe(delivery.id);
    expect(item.topic).toEqual({ id: delivery.topic.id, title: delivery.topic.title });

    const row = await api.db
      .selectFrom('action_items')
      .where('id', '=', item.id)
      .select(['delivery_id', 'topic_id'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ delivery_id: delivery.id, topic_id: delivery.topic.id });
  });

  it("when the deliveryId is another manager's, then 404 and nothing is saved", async () => {
    const alice = await signUp(newManager());
    const bob = await signUp(newManager());
    const bobs = await sentDelivery(bob, 4);
    const answer = await call<ApiError>('POST', '/action-items', {
      as: alice,
      body: { text: 'Not mine to link', source: 'api', deliveryId: bobs.id },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('delivery_not_found');
    expect(await itemCount(alice)).toBe(0);
    expect(await itemCount(bob)).toBe(0);
  });

  it("when the topicId is another workspace's, then 404 and nothing is saved", async () => {
    const alice = await register(newManager());
    const elsewhere = await register(newManager('T0OTHERCO'));
    const foreignTopic = await api.db
      .selectFrom('topics')
      .where('workspace_id', '=', (await managerOf(elsewhere)).workspaceId)
      .select('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const answer = await call<ApiError>('POST', '/action-items', {
      as: alice,
      body: { text: 'Linked to a stranger', source: 'api', topicId: foreignTopic.id },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('topic_not_found');
    expect(await itemCount(alice)).toBe(0);
  });
});

describe("finding the manager's delivery for a Slack message", () => {
  it('when the message is the root of a delivery, then its owner finds it; another manager gets 404', async () => {
    const alice = await signUp(newManager());
    const bob = await signUp(newManager());
    const delivery = await sentDelivery(alice, 2);
    const query = `?channelId=${delivery.channelId}&ts=${delivery.ts}`;

    const found = await call<SentDelivery>('GET', `/me/deliveries/by-message${query}`, {
      as: alice,
    });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      id: delivery.id,
      topicId: delivery.topic.id,
      topicTitle: delivery.topic.title,
      sentAt: delivery.sentAt.toISOString(),
      channelId: delivery.channelId,
      ts: delivery.ts,
    });

    const forBob = await call<ApiError>('GET', `/me/deliveries/by-message${query}`, { as: bob });
    expect(forBob.status).toBe(404);
    expect(forBob.body.code).toBe('delivery_not_found');

    const otherTs = await call<ApiError>(
      'GET',
      `/me/deliveries/by-message?channelId=${delivery.channelId}&ts=1.000001`,
      { as: alice },
    );
    expect(otherTs.status).toBe(404);
  });

  it('when the latest delivery is within the window, then it is the newest one; older than the window is 404', async () => {
    const alice = await signUp(newManager());
    const bob = await signUp(newManager());
    const carol = await signUp(newManager());
    await sentDelivery(alice, 100);
    const recent = await sentDelivery(alice, 2);
    const old = await sentDelivery(carol, 73);

    const latest = await call<SentDelivery>('GET', '/me/deliveries/latest?withinHours=72', {
      as: alice,
    });
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ id: recent.id, topicId: recent.topic.id, ts: recent.ts });

    const forBob = await call<ApiError>('GET', '/me/deliveries/latest?withinHours=72', {
      as: bob,
    });
    expect(forBob.status).toBe(404);
    expect(forBob.body.code).toBe('delivery_not_found');

    const tooOld = await call<ApiError>('GET', '/me/deliveries/latest?withinHours=72', {
      as: carol,
    });
    expect(tooOld.status).toBe(404);
    expect(tooOld.body.code).toBe('delivery_not_found');
    const wider = await call<SentDelivery>('GET', '/me/deliveries/latest?withinHours=74', {
      as: carol,
    });
    expect(wider.status).toBe(200);
    expect(wider.body.id).toBe(old.id);
  });

  it('when the window is out of range, then 400', async () => {
    const alice = await signUp(newManager());
    for (const hours of ['0', '337', 'soon']) {
      const answer = await call<ApiError>('GET', `/me/deliveries/latest?withinHours=${hours}`, {
        as: alice,
      });
      expect(answer.status, hours).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
    }
  });
});
