/**
 * What creating, changing and deleting action items leaves in the metrics and the audit trail,
 * over real HTTP as the bot calls the API (test/support/action-items-api.ts).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { setUpActionItemsApi } from '../../support/action-items-api.ts';

const api = setUpActionItemsApi();
const { newManager, call, register, signUp, createItem, created, managerOf, sentDelivery } = api;

describe('metrics', () => {
  async function metric(series: string): Promise<number> {
    const text = await (await api.fetch(`${api.url}/metrics`)).text();
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

    const exposition = await (await api.fetch(`${api.url}/metrics`)).text();
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

    const events = await api.db
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
    `.execute(api.db);
    const everything = rows.map((row) => row.details).join('\n');
    expect(everything).not.toContain('SECRET');
    expect(everything).not.toContain('reorg');
  });
});
