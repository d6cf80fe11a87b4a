/**
 * The same source key twice makes one action item, over real HTTP as the bot calls the API
 * (test/support/action-items-api.ts).
 */
import { describe, expect, it } from 'vitest';
import { setUpActionItemsApi } from '../../support/action-items-api.ts';

const api = setUpActionItemsApi();
const { newManager, register, createItem, itemCount } = api;

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

    const rows = await api.db
      .selectFrom('action_items')
      .where('source_key', '=', key)
      .select('id')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe([...ids][0]);
    const audit = await api.db
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
