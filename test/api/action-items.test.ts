/**
 * Action items over real HTTP, as the bot calls the API: the service token plus the Slack team
 * and user it acts for. The all-in-one service runs on its own test database with an injected
 * clock, so check-back dates are deterministic.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionItem, ApiError, SentDelivery } from '../../src/bot/api-client/index.ts';
import { startTestApp, TEST_SERVICE_TOKEN, type TestApp } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { serviceFetch } from '../support/service-calls.ts';

/**
 * 23:30 UTC on Tuesday 10 March 2026 is 08:30 on Wednesday 11 March in Tokyo: the UTC and the
 * local date differ, so a check-back date counted from the wrong "today" shows.
 */
const NOW = new Date('2026-03-10T23:30:00.000Z');
const TOKYO_TODAY = '2026-03-11';
const HOUR_MS = 3_600_000;
const TEAM = 'T0ACTION';

interface Who {
  team: string;
  user: string;
}

interface Answer<T> {
  status: number;
  headers: Headers;
  body: T;
}

let database: TestDatabase;
let app: TestApp;

// As the bot's client does, every call with an Authorization header is signed.
const fetch = serviceFetch(() => NOW);

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp({ databaseUrl: database.url, clock: () => NOW });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

let managersMade = 0;
/** A Slack user no other test uses, so row counts and lists belong to this test alone. */
function newManager(team = TEAM): Who {
  managersMade += 1;
  return { team, user: `U0M${managersMade}` };
}

function headersOf(who: Who): Record<string, string> {
  return {
    authorization: `Bearer ${TEST_SERVICE_TOKEN}`,
    'x-slack-team-id': who.team,
    'x-slack-user-id': who.user,
  };
}

async function call<T>(
  method: string,
  path: string,
  options: { as?: Who; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const response = await fetch(`${app.url}/api/v1${path}`, {
    method,
    headers: {
      ...(options.as && headersOf(options.as)),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
  };
}

/** Registers a manager (and their workspace, on first contact) as the bot does. */
async function register(who: Who, timeZone = 'Asia/Tokyo'): Promise<Who> {
  const answer = await call('PUT', '/me', { as: who, body: { timeZone, locale: 'en-GB' } });
  expect(answer.status).toBe(200);
  return who;
}

/** Signs a manager up; weekdays at 17:00 Tokyo time, hours after NOW, so nothing is planned. */
async function signUp(who: Who): Promise<Who> {
  const answer = await call('PUT', '/subscriptions/me', {
    as: who,
    body: { weekdays: [1, 2, 3, 4, 5], localTime: '17:00', timeZone: 'Asia/Tokyo' },
  });
  expect(answer.status).toBe(200);
  return who;
}

function createItem(who: Who, body: Record<string, unknown>, headers?: Record<string, string>) {
  return call<ActionItem>('POST', '/action-items', {
    as: who,
    body: { source: 'api', ...body },
    headers,
  });
}

async function created(who: Who, body: Record<string, unknown>): Promise<ActionItem> {
  const answer = await createItem(who, body);
  expect(answer.status).toBe(201);
  return answer.body;
}

function listItems(who: Who, query = '') {
  return call<{ items: ActionItem[] }>('GET', `/action-items${query}`, { as: who });
}

async function managerOf(who: Who): Promise<{ id: string; workspaceId: string }> {
  return database.db
    .selectFrom('managers as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .where('w.slack_team_id', '=', who.team)
    .where('m.slack_user_id', '=', who.user)
    .select(['m.id', 'm.workspace_id as workspaceId'])
    .executeTakeFirstOrThrow();
}

async function itemCount(who: Who): Promise<number> {
  const { id } = await managerOf(who);
  const row = await database.db
    .selectFrom('action_items')
    .where('manager_id', '=', id)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

let deliveriesMade = 0;
/**
 * A delivery the bot has sent to a signed-up manager, written as the confirm step leaves it.
 * Each one gets a different topic of the workspace, so a link to the wrong one shows.
 */
async function sentDelivery(who: Who, hoursAgo: number) {
  const manager = await managerOf(who);
  const subscription = await database.db
    .selectFrom('subscriptions')
    .where('manager_id', '=', manager.id)
    .select('id')
    .executeTakeFirstOrThrow();
  const topic = await database.db
    .selectFrom('topics')
    .where('workspace_id', '=', manager.workspaceId)
    .orderBy('id')
    .offset(deliveriesMade % 10)
    .limit(1)
    .select(['id', 'title'])
    .executeTakeFirstOrThrow();
  deliveriesMade += 1;
  const sentAt = new Date(NOW.getTime() - hoursAgo * HOUR_MS);
  const channelId = `D0${who.user}`;
  const ts = `${Math.floor(sentAt.getTime() / 1000)}.${String(deliveriesMade).padStart(6, '0')}`;
  const row = await database.db
    .insertInto('deliveries')
    .values({
      workspace_id: manager.workspaceId,
      subscription_id: subscription.id,
      manager_id: manager.id,
      local_date: sentAt.toISOString().slice(0, 10),
      topic_id: topic.id,
      due_at: sentAt,
      status: 'sent',
      lease_expires_at: null,
      slack_channel_id: channelId,
      slack_ts: ts,
      sent_at: sentAt,
      error_code: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, topic, sentAt, channelId, ts };
}

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

describe('undoing a deletion (the minute of Slack\'s "Undo")', () => {
  const keptCopies = () =>
    database.db.selectFrom('deleted_action_items').select('action_item_id').execute();

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

describe('linking an action item to a delivery', () => {
  it("when created with the manager's own deliveryId, then the item carries that delivery's topic", async () => {
    const alice = await signUp(newManager());
    await sentDelivery(alice, 30);
    const delivery = await sentDelivery(alice, 3);
    const item = await created(alice, { text: 'Try the exercise', deliveryId: delivery.id });
    expect(item.deliveryId).toBe(delivery.id);
    expect(item.topic).toEqual({ id: delivery.topic.id, title: delivery.topic.title });

    const row = await database.db
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
    const foreignTopic = await database.db
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

describe('the same source key twice makes one item', () => {
  it('when the same sourceKey is sent again, then the answer is 200 with the first item, unchanged', async () => {
    const alice = await register(newManager());
    const first = await createItem(alice, { text: 'From the thread', sourceKey: 'slack:ev:Ev01' });
    const second = await createItem(alice, {
      text: 'A retry says this',
      sourceKey: 'slack:ev:Ev01',
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await itemCount(alice)).toBe(1);
  });

  it('when five creates with the same sourceKey race, then exactly one row exists and all five answer with it', async () => {
    const alice = await register(newManager());
    const key = `slack:ev:race:${alice.user}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createItem(alice, { text: `Attempt ${i}`, sourceKey: key }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);

    const rows = await database.db
      .selectFrom('action_items')
      .where('source_key', '=', key)
      .select('id')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe([...ids][0]);
    const audit = await database.db
      .selectFrom('audit_events')
      .where('action', '=', 'action_item.created')
      .where('subject_id', '=', String(rows[0]?.id))
      .select('id')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('when another workspace uses the same sourceKey, then it is a separate item', async () => {
    const inOne = await register(newManager('T0KEYONE'));
    const inTwo = await register(newManager('T0KEYTWO'));
    const one = await createItem(inOne, { text: 'One', sourceKey: 'slack:ev:same' });
    const two = await createItem(inTwo, { text: 'Two', sourceKey: 'slack:ev:same' });
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.body.id).not.toBe(one.body.id);
    expect(two.body.text).toBe('Two');
  });
});

describe('text that cannot be an action item', () => {
  it.each([
    ['empty', '', 'Write what you will do: it cannot be empty.'],
    ['whitespace only', '  \n\t  ', 'Write what you will do: it cannot be empty.'],
    [
      'over 500 characters',
      'a'.repeat(501),
      'That is 501 characters; an action fits in 500. Try the first step only.',
    ],
    [
      '501 emoji',
      '😀'.repeat(501),
      'That is 501 characters; an action fits in 500. Try the first step only.',
    ],
  ])(
    'when the text is %s, then 400 invalid_action_item names the text field and nothing is saved',
    async (_, text, message) => {
      const alice = await register(newManager());
      const answer = await createItem(
        alice,
        { text },
        { 'x-request-id': `bad-text-${alice.user}` },
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 'invalid_action_item',
        message,
        requestId: `bad-text-${alice.user}`,
        fields: { text: message },
      });
      expect(await itemCount(alice)).toBe(0);
    },
  );

  it('when the text is 500 emoji, then it is accepted: characters count, not UTF-16 units', async () => {
    const alice = await register(newManager());
    const text = '😀'.repeat(500);
    expect(text.length).toBe(1000);
    const item = await created(alice, { text });
    expect(item.text).toBe(text);
  });

  it('when the text is 500 characters plus a trailing newline, then it is accepted as typed', async () => {
    // The rule counts the trimmed text, as the manager sees it; the newline is kept.
    const alice = await register(newManager());
    const text = `${'a'.repeat(500)}\n`;
    const answer = await createItem(alice, { text });
    expect(answer.body.text).toBe(text);
    expect(answer.status).toBe(201);
  });

  it('when the note is over 1000 characters, then 400 names the note field and nothing is saved', async () => {
    const alice = await register(newManager());
    const answer = await call<ApiError>('POST', '/action-items', {
      as: alice,
      body: { text: 'Fine', note: 'n'.repeat(1001), source: 'api' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'invalid_action_item',
      fields: { note: 'The note is 1001 characters; keep it under 1000.' },
    });
    expect(await itemCount(alice)).toBe(0);
  });

  it('when both text and check-back are wrong, then each field gets its own problem', async () => {
    const alice = await register(newManager());
    const answer = await call<ApiError>('POST', '/action-items', {
      as: alice,
      body: { text: ' ', checkBack: { on: '2020-01-01' }, source: 'api' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.fields).toEqual({
      text: 'Write what you will do: it cannot be empty.',
      checkBack: 'Pick a date after today.',
    });
  });

  it('when a change would empty or overfill the text, then 400 and the item keeps its text', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Keep me' });
    for (const text of ['', '   ', 'b'.repeat(501)]) {
      const answer = await call<ApiError>('PATCH', `/action-items/${item.id}`, {
        as: alice,
        body: { text },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_action_item');
      expect(Object.keys(answer.body.fields ?? {})).toEqual(['text']);
    }
    const after = await call<ActionItem>('GET', `/action-items/${item.id}`, { as: alice });
    expect(after.body).toEqual(item);
  });
});

describe('an action item is stored exactly as typed', () => {
  const typed: Array<[string, string]> = [
    ['emoji, including a ZWJ sequence and a flag', 'Pair with 👩🏽‍💻 on the 🇯🇵 launch 🎉'],
    ['straight and curly quotes and a backtick', `It's "fine" — say \`why\` and “mean it”`],
    ['text that looks like SQL', "'); DROP TABLE action_items; --"],
    ['Arabic', 'اسأل الفريق عن رأيهم في الاجتماع'],
    ['Hebrew mixed with English', 'לשאול את Dana על ה-roadmap'],
    ['newlines', 'First line\nsecond line\r\nthird line'],
    ['leading and trailing spaces', '   spaced out   '],
    ['characters Slack escapes', '<b> & &amp; &lt;'],
  ];

  it.each(typed)(
    'when the text holds %s, then the API and the database give back the same bytes',
    async (_, text) => {
      const alice = await register(newManager());
      const item = await created(alice, { text, note: text });
      expect(item.text).toBe(text);
      expect(item.note).toBe(text);

      const fetched = await call<ActionItem>('GET', `/action-items/${item.id}`, { as: alice });
      expect(Buffer.from(fetched.body.text, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
      expect(fetched.body.note).toBe(text);
      const listed = await listItems(alice);
      expect(listed.body.items.map((each) => each.text)).toEqual([text]);

      const { rows } = await sql<{ text: string; bytes: Buffer; note: string }>`
      SELECT text, convert_to(text, 'UTF8') AS bytes, note
      FROM action_items WHERE id = ${item.id}
    `.execute(database.db);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.text).toBe(text);
      expect(rows[0]?.note).toBe(text);
      expect(rows[0]?.bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    },
  );

  it('when a change holds SQL-looking text, then it is stored as text and the table is still there', async () => {
    const alice = await register(newManager());
    const item = await created(alice, { text: 'Plain' });
    const text = "x'); DELETE FROM action_items; --";
    const edited = await call<ActionItem>('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { text },
    });
    expect(edited.body.text).toBe(text);
    expect(await itemCount(alice)).toBe(1);
    const all = await database.db
      .selectFrom('action_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(all.n)).toBeGreaterThan(1);
  });
});

describe('metrics', () => {
  async function metric(series: string): Promise<number> {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = text.split('\n').find((each) => each.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }
  const CREATED = 'blindspot_action_items_created_total{source="api"}';
  const EDITED = 'blindspot_action_items_edited_total';
  const DELETED = 'blindspot_action_items_deleted_total';

  it('when items are created, changed and deleted, then the counters rise by one each, and refusals and repeats do not count', async () => {
    const alice = await register(newManager());
    const before = {
      created: await metric(CREATED),
      edited: await metric(EDITED),
      deleted: await metric(DELETED),
    };
    const item = await created(alice, { text: 'Counted', sourceKey: `metrics:${alice.user}` });
    expect(
      (await createItem(alice, { text: 'Repeat', sourceKey: `metrics:${alice.user}` })).status,
    ).toBe(200);
    expect((await createItem(alice, { text: '' })).status).toBe(400);
    expect(await metric(CREATED)).toBe(before.created + 1);

    expect(
      (await call('PATCH', `/action-items/${item.id}`, { as: alice, body: { status: 'done' } }))
        .status,
    ).toBe(200);
    expect(
      (await call('PATCH', `/action-items/${item.id}`, { as: alice, body: { text: '' } })).status,
    ).toBe(400);
    expect(await metric(EDITED)).toBe(before.edited + 1);

    expect((await call('DELETE', `/action-items/${item.id}`, { as: alice })).status).toBe(204);
    expect((await call('DELETE', `/action-items/${item.id}`, { as: alice })).status).toBe(404);
    expect(await metric(DELETED)).toBe(before.deleted + 1);

    const exposition = await (await fetch(`${app.url}/metrics`)).text();
    const itemLines = exposition.split('\n').filter((line) => line.includes('action_items'));
    expect(itemLines.join('\n')).not.toContain(alice.user);
    expect(itemLines.join('\n')).not.toContain(alice.team);
  });
});

describe('audit events', () => {
  it('when an item is created, changed and deleted, then each is audited with its request id, and none holds the words', async () => {
    const alice = await signUp(newManager());
    const delivery = await sentDelivery(alice, 7);
    const secretText = 'SECRET-TEXT tell Sam about the reorg';
    const secretNote = 'SECRET-NOTE only after Friday';
    const secretEdit = 'SECRET-EDIT speak to HR first';

    const item = (
      await createItem(
        alice,
        { text: secretText, note: secretNote, deliveryId: delivery.id },
        { 'x-request-id': `audit-create-${alice.user}` },
      )
    ).body;
    await call('PATCH', `/action-items/${item.id}`, {
      as: alice,
      body: { text: secretEdit, note: 'SECRET-NOTE-2', status: 'done' },
      headers: { 'x-request-id': `audit-update-${alice.user}` },
    });
    await call('DELETE', `/action-items/${item.id}`, {
      as: alice,
      headers: { 'x-request-id': `audit-delete-${alice.user}` },
    });

    const events = await database.db
      .selectFrom('audit_events')
      .where('subject_type', '=', 'action_item')
      .where('subject_id', '=', item.id)
      .orderBy('id')
      .select(['action', 'actor', 'request_id', 'details'])
      .execute();
    expect(events).toEqual([
      {
        action: 'action_item.created',
        actor: `slack:${alice.user}`,
        request_id: `audit-create-${alice.user}`,
        details: { source: 'api', deliveryId: delivery.id },
      },
      {
        action: 'action_item.updated',
        actor: `slack:${alice.user}`,
        request_id: `audit-update-${alice.user}`,
        details: { fields: ['note', 'status', 'text'], status: 'done' },
      },
      {
        action: 'action_item.deleted',
        actor: `slack:${alice.user}`,
        request_id: `audit-delete-${alice.user}`,
        details: {},
      },
    ]);

    const { rows } = await sql<{ details: string }>`
      SELECT details::text AS details FROM audit_events
      WHERE workspace_id = ${(await managerOf(alice)).workspaceId}
    `.execute(database.db);
    const everything = rows.map((row) => row.details).join('\n');
    expect(everything).not.toContain('SECRET');
    expect(everything).not.toContain('reorg');
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
