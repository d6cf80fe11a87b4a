/**
 * One manager can never read or change another's action items, over real HTTP as the bot calls the
 * API (test/support/action-items-api.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem, ApiError } from '../../../src/bot/api-client/index.ts';
import { setUpActionItemsApi, type Who } from '../../support/action-items-api.ts';
import { TEST_SERVICE_TOKEN } from '../../support/app.ts';

const { newManager, call, register, signUp, created, listItems, itemCount, sentDelivery } =
  setUpActionItemsApi();

describe("one manager can never read or change another's items", () => {
  async function expectUnchanged(owner: Who, item: ActionItem) {
    const now = await call<ActionItem>('GET', `/action-items/${item.id}`, { as: owner });
    expect(now.status).toBe(200);
    expect(now.body).toEqual(item);
  }

  it("when manager B reads, changes or deletes A's item, then 404 as if it did not exist, and A's item is unchanged", async () => {
    const alice = await register(newManager());
    const bob = await register(newManager());
    const item = await created(alice, { text: "Alice's private plan", note: 'private note' });

    const read = await call<ApiError>('GET', `/action-items/${item.id}`, { as: bob });
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('action_item_not_found');
    expect(JSON.stringify(read.body)).not.toContain('private');

    for (const body of [
      { text: 'Hijacked' },
      { note: 'Hijacked' },
      { status: 'done' },
      { checkBack: { in: '2w' } },
    ]) {
      const patched = await call<ApiError>('PATCH', `/action-items/${item.id}`, { as: bob, body });
      expect(patched.status).toBe(404);
      expect(patched.body.code).toBe('action_item_not_found');
    }
    const deleted = await call<ApiError>('DELETE', `/action-items/${item.id}`, { as: bob });
    expect(deleted.status).toBe(404);
    expect(deleted.body.code).toBe('action_item_not_found');

    // Exactly the same 404 as for an id that never existed.
    const missing = await call<ApiError>('GET', '/action-items/999999999', { as: bob });
    expect({ ...missing.body, requestId: '' }).toEqual({ ...read.body, requestId: '' });

    await expectUnchanged(alice, item);
    expect(await itemCount(alice)).toBe(1);
    expect(await itemCount(bob)).toBe(0);
  });

  it("when manager B lists items, with or without filters, then none of A's appear", async () => {
    const alice = await signUp(newManager());
    const bob = await signUp(newManager());
    const delivery = await sentDelivery(alice, 6);
    const linked = await created(alice, {
      text: 'Linked',
      deliveryId: delivery.id,
      sourceKey: `isolation:${alice.user}`,
    });
    const done = await created(alice, { text: 'Done one' });
    await call('PATCH', `/action-items/${done.id}`, { as: alice, body: { status: 'done' } });
    const bobs = await created(bob, { text: "Bob's own" });

    for (const query of [
      '',
      '?status=open',
      '?status=done',
      `?deliveryId=${delivery.id}`,
      `?sourceKey=isolation:${alice.user}`,
    ]) {
      const listed = await listItems(bob, query);
      expect(listed.status).toBe(200);
      const ids = listed.body.items.map((item) => item.id);
      expect(ids, query).not.toContain(linked.id);
      expect(ids, query).not.toContain(done.id);
    }
    expect((await listItems(bob)).body.items.map((item) => item.id)).toEqual([bobs.id]);
    expect((await listItems(alice)).body.items.map((item) => item.id)).toEqual([
      done.id,
      linked.id,
    ]);
  });

  it('when the same Slack user id exists in two workspaces, then each sees only the items made in its own', async () => {
    const inOne = await register({ team: 'T0WSONE', user: 'U0TWIN' });
    const inTwo = await register({ team: 'T0WSTWO', user: 'U0TWIN' });
    const item = await created(inOne, { text: 'Made in workspace one' });

    expect((await call('GET', `/action-items/${item.id}`, { as: inTwo })).status).toBe(404);
    expect(
      (await call('PATCH', `/action-items/${item.id}`, { as: inTwo, body: { text: 'Two' } }))
        .status,
    ).toBe(404);
    expect((await call('DELETE', `/action-items/${item.id}`, { as: inTwo })).status).toBe(404);
    expect((await listItems(inTwo)).body.items).toEqual([]);

    await expectUnchanged(inOne, item);
  });

  it("when manager B sends A's source key, then B gets 400, not A's item, and A's item is unchanged", async () => {
    const alice = await register(newManager());
    const bob = await register(newManager());
    const key = `slack:event:${alice.user}:shared`;
    const item = await created(alice, { text: "Alice's", sourceKey: key });

    const answer = await call<ApiError & Partial<ActionItem>>('POST', '/action-items', {
      as: bob,
      body: { text: "Bob's", source: 'api', sourceKey: key },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('invalid_source_key');
    expect(answer.body.id).toBeUndefined();
    expect(JSON.stringify(answer.body)).not.toContain("Alice's");
    expect(await itemCount(bob)).toBe(0);
    await expectUnchanged(alice, item);
  });

  it('when a Slack user who is not a manager calls, then 404 manager_not_found and nothing is saved', async () => {
    const stranger = newManager();
    const answer = await call<ApiError>('POST', '/action-items', {
      as: stranger,
      body: { text: 'Who am I', source: 'api' },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.code).toBe('manager_not_found');
    const listed = await call<ApiError>('GET', '/action-items', { as: stranger });
    expect(listed.status).toBe(404);
    expect(listed.body.code).toBe('manager_not_found');
  });

  it('when the service token is missing or wrong, then every route answers 401 and nothing is saved', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Guarded' });
    const routes: Array<[string, string, unknown]> = [
      ['POST', '/action-items', { text: 'Sneaky', source: 'api' }],
      ['GET', '/action-items', undefined],
      ['GET', `/action-items/${item.id}`, undefined],
      ['PATCH', `/action-items/${item.id}`, { text: 'Sneaky' }],
      ['DELETE', `/action-items/${item.id}`, undefined],
      ['GET', '/me/deliveries/by-message?channelId=D0ABC&ts=1.2', undefined],
      ['GET', '/me/deliveries/latest?withinHours=72', undefined],
    ];
    const slackHeaders = { 'x-slack-team-id': alice.team, 'x-slack-user-id': alice.user };
    for (const authorization of [undefined, 'Bearer not-the-token', TEST_SERVICE_TOKEN]) {
      for (const [method, path, body] of routes) {
        const answer = await call<ApiError>(method, path, {
          body,
          headers: { ...slackHeaders, ...(authorization && { authorization }) },
        });
        expect(answer.status, `${method} ${path} with ${authorization}`).toBe(401);
        expect(answer.body.code).toBe('unauthorized');
      }
    }
    expect(await itemCount(alice)).toBe(1);
    await expectUnchanged(alice, item);
  });
});
