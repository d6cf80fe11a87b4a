/**
 * Planning, reading, listing, changing and deleting an action item, over real HTTP as the bot
 * calls the API (test/support/action-items-api.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem, ApiError } from '../../../src/bot/api-client/index.ts';
import { NOW, setUpActionItemsApi, TOKYO_TODAY } from '../../support/action-items-api.ts';

const {
  newManager,
  call,
  register,
  signUp,
  createItem,
  created,
  listItems,
  itemCount,
  sentDelivery,
} = setUpActionItemsApi();

describe('planning, reading, listing, changing and deleting an action item', () => {
  it('when a manager plans an action, then it is saved open, from the api, with nothing linked and their locale (201)', async () => {
    const alice = await register(newManager());
    const answer = await createItem(alice, {
      text: 'Ask Priya what she needs from our 1:1s',
      checkBack: { in: '2d' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      text: 'Ask Priya what she needs from our 1:1s',
      note: null,
      status: 'open',
      source: 'api',
      checkBackOn: '2026-03-13',
      deliveryId: null,
      topic: null,
      // The manager's, as they registered it: the bot writes the item's dates in it, and its
      // words in the language that follows from it (no choice made, no workspace default).
      locale: 'en-GB',
      language: 'en',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      completedAt: null,
    });

    const fetched = await call<ActionItem>('GET', `/action-items/${answer.body.id}`, { as: alice });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(answer.body);
  });

  it('when no check-back is chosen, then it is a week after the local today', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Say thank you in the team channel' });
    expect(item.checkBackOn).toBe('2026-03-18');
  });

  it('when a preset is chosen, then it counts from the local today (11 March in Tokyo, 10 March in London)', async () => {
    const tokyo = await register(newManager(), 'Asia/Tokyo');
    const london = await register(newManager(), 'Europe/London');
    const expected = {
      '2d': { tokyo: '2026-03-13', london: '2026-03-12' },
      '1w': { tokyo: '2026-03-18', london: '2026-03-17' },
      '2w': { tokyo: '2026-03-25', london: '2026-03-24' },
    };
    for (const [preset, dates] of Object.entries(expected)) {
      const inTokyo = await created(tokyo, { text: `Preset ${preset}`, checkBack: { in: preset } });
      const inLondon = await created(london, {
        text: `Preset ${preset}`,
        checkBack: { in: preset },
      });
      expect(inTokyo.checkBackOn).toBe(dates.tokyo);
      expect(inLondon.checkBackOn).toBe(dates.london);
    }
  });

  it('when a date is chosen, then it must be after the local today and within a year', async () => {
    const alice = await register(newManager());
    expect(
      (await created(alice, { text: 'Tomorrow', checkBack: { on: '2026-03-12' } })).checkBackOn,
    ).toBe('2026-03-12');
    // 366 days after 11 March 2026.
    expect(
      (await created(alice, { text: 'Far', checkBack: { on: '2027-03-12' } })).checkBackOn,
    ).toBe('2027-03-12');

    const refused: Array<[string, string]> = [
      // Tomorrow in UTC, but today in Tokyo.
      [TOKYO_TODAY, 'Pick a date after today.'],
      ['2026-03-01', 'Pick a date after today.'],
      ['2027-03-13', 'Pick a date within a year.'],
      ['next week', 'Pick a date from the calendar.'],
      ['2026-13-01', 'Pick a date from the calendar.'],
    ];
    const before = await itemCount(alice);
    for (const [on, problem] of refused) {
      const answer = await call<ApiError>('POST', '/action-items', {
        as: alice,
        body: { text: 'Check back then', source: 'api', checkBack: { on } },
      });
      expect(answer.status, on).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'invalid_action_item',
        message: problem,
        fields: { checkBack: problem },
      });
    }
    expect(await itemCount(alice)).toBe(before);
  });

  it('when the chosen date has the right shape but is not on the calendar (31 April), then 400 and nothing is saved', async () => {
    const alice = await register(newManager());
    const answer = await call<ApiError>('POST', '/action-items', {
      as: alice,
      body: { text: 'Check back then', source: 'api', checkBack: { on: '2026-04-31' } },
    });
    expect(answer.body).toMatchObject({
      code: 'invalid_action_item',
      fields: { checkBack: 'Pick a date from the calendar.' },
    });
    expect(answer.status).toBe(400);
    expect(await itemCount(alice)).toBe(0);
  });

  it('when the manager lists their items, then the newest comes first, and status, deliveryId and sourceKey filter them', async () => {
    const alice = await signUp(newManager());
    const delivery = await sentDelivery(alice, 5);
    const first = await created(alice, { text: 'First' });
    const second = await created(alice, { text: 'Second', deliveryId: delivery.id });
    const third = await created(alice, { text: 'Third', sourceKey: 'slack:msg:C0A:1.2' });
    await call('PATCH', `/action-items/${first.id}`, { as: alice, body: { status: 'done' } });

    const all = await listItems(alice);
    expect(all.status).toBe(200);
    expect(all.body.items.map((item) => item.text)).toEqual(['Third', 'Second', 'First']);

    const open = await listItems(alice, '?status=open');
    expect(open.body.items.map((item) => item.id)).toEqual([third.id, second.id]);
    const done = await listItems(alice, '?status=done');
    expect(done.body.items.map((item) => item.id)).toEqual([first.id]);
    const dropped = await listItems(alice, '?status=dropped');
    expect(dropped.body.items).toEqual([]);

    const linked = await listItems(alice, `?deliveryId=${delivery.id}`);
    expect(linked.body.items.map((item) => item.id)).toEqual([second.id]);

    const bySource = await listItems(
      alice,
      `?sourceKey=${encodeURIComponent('slack:msg:C0A:1.2')}`,
    );
    expect(bySource.body.items.map((item) => item.id)).toEqual([third.id]);
    const unknownSource = await listItems(alice, '?sourceKey=slack:msg:none');
    expect(unknownSource.body.items).toEqual([]);
  });

  it('when the manager changes the text, note and check-back, then the item shows each change', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Draft', note: 'first thoughts' });
    expect(item.note).toBe('first thoughts');

    const edited = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: {
        text: 'Ask for feedback on the roadmap',
        note: 'after the demo',
        checkBack: { in: '2w' },
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: item.id,
      text: 'Ask for feedback on the roadmap',
      note: 'after the demo',
      checkBackOn: '2026-03-25',
      status: 'open',
      updatedAt: NOW.toISOString(),
      createdAt: item.createdAt,
    });

    const dated = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { checkBack: { on: '2026-04-01' } },
    });
    expect(dated.body).toMatchObject({
      checkBackOn: '2026-04-01',
      text: 'Ask for feedback on the roadmap',
    });

    const cleared = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { note: null },
    });
    expect(cleared.body.note).toBeNull();

    const refused = await call<ApiError>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { checkBack: { on: TOKYO_TODAY } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ checkBack: 'Pick a date after today.' });

    const empty = await call<ApiError>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: {},
    });
    expect(empty.status).toBe(400);

    const after = await call<ActionItem>('GET', `/action-items/${item.id}`, { as: alice });
    expect(after.body).toEqual(cleared.body);
  });

  it('when the manager marks an item done, then completedAt is set; reopening or dropping clears it', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Block focus time for the team' });
    const done = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { status: 'done' },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', completedAt: NOW.toISOString() });

    const reopened = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { status: 'open' },
    });
    expect(reopened.body).toMatchObject({ status: 'open', completedAt: null });

    const dropped = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { status: 'dropped' },
    });
    expect(dropped.body).toMatchObject({ status: 'dropped', completedAt: null });

    const lapsed = await call<ApiError>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { status: 'lapsed' },
    });
    expect(lapsed.status).toBe(400);
    expect(lapsed.body.code).toBe('validation_failed');
  });

  it('when the manager deletes an item, then 204, and afterwards reading, changing or deleting it is 404', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Delete me' });
    const deleted = await call('DELETE', `/action-items/${item.id}`, { as: alice });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();

    const gone = await call<ApiError>('GET', `/action-items/${item.id}`, { as: alice });
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      code: 'action_item_not_found',
      message: 'No such action_item.',
    });
    const patched = await call<ApiError>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { text: 'Back again' },
    });
    expect(patched.status).toBe(404);
    const again = await call<ApiError>('DELETE', `/action-items/${item.id}`, { as: alice });
    expect(again.status).toBe(404);
    expect(await itemCount(alice)).toBe(0);
    expect((await listItems(alice)).body.items).toEqual([]);
  });
});
