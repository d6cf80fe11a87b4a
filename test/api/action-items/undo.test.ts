/**
 * Undoing the deletion of an action item, over real HTTP as the bot calls the API
 * (test/support/action-items-api.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem, ApiError } from '../../../src/bot/api-client/index.ts';
import { setUpActionItemsApi } from '../../support/action-items-api.ts';

const api = setUpActionItemsApi();
const { newManager, call, register, created, itemCount } = api;

describe('undoing a deletion (the minute of Slack\'s "Undo")', () => {
  const keptCopies = () =>
    api.db.selectFrom('deleted_action_items').select('action_item_id').execute();

  it('when the manager restores an item they deleted, then it is back as it was, under its id (200); again answers the same', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Put me back', note: 'with my note' });
    expect((await call('DELETE', `/action-items/${item.id}`, { as: alice })).status).toBe(204);
    const restored = await call<ActionItem>('POST', `/action-items/${item.id}/restore`, {
      as: alice,
    });
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual(item);
    expect((await call('GET', `/action-items/${item.id}`, { as: alice })).body).toEqual(item);
    const again = await call<ActionItem>('POST', `/action-items/${item.id}/restore`, {
      as: alice,
    });
    expect(again).toMatchObject({ status: 200, body: item });
    expect(await itemCount(alice)).toBe(1);
  });

  it('when another manager tries to restore it, or an item never deleted, then 409 undo_expired and nothing comes back', async () => {
    const alice = await register(newManager());
    const bob = await register(newManager());
    const item = await created(alice, { text: "Alice's deleted plan" });
    await call('DELETE', `/action-items/${item.id}`, { as: alice });
    for (const [who, id] of [
      [bob, item.id],
      [alice, '999999999'],
    ] as const) {
      const refused = await call<ApiError>('POST', `/action-items/${id}/restore`, { as: who });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('undo_expired');
    }
    expect(await itemCount(alice)).toBe(0);
    expect(await itemCount(bob)).toBe(0);
  });

  it('when the manager is erased within the minute, then the copy kept for the undo goes too', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Erase me with the rest' });
    await call('DELETE', `/action-items/${item.id}`, { as: alice });
    expect(await keptCopies()).toContainEqual({ action_item_id: item.id });
    expect((await call('DELETE', '/me', { as: alice })).status).toBe(200);
    expect(await keptCopies()).not.toContainEqual({ action_item_id: item.id });
  });
});
