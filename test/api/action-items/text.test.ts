/**
 * An action item's text: what cannot be one, and that it is stored exactly as typed, over real
 * HTTP as the bot calls the API (test/support/action-items-api.ts).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ActionItem, ApiError } from '../../../src/bot/api-client/index.ts';
import { setUpActionItemsApi } from '../../support/action-items-api.ts';

const api = setUpActionItemsApi();
const { newManager, call, register, createItem, created, listItems, itemCount } = api;

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
    `.execute(api.db);
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
    const all = await api.db
      .selectFrom('action_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(all.n)).toBeGreaterThan(1);
  });
});
