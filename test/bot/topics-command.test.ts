/**
 * `/blindspot topics` (issue 17, item 4): the notes a manager has had, ten to a page, newest
 * first, and "Read", which shows one again as the bot sent it. Signed requests, the real
 * service, the Slack stand-in, real PostgreSQL.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ReceivedNote,
  type SlackHarness,
  signUpAndReceiveNote,
  signupModalValues,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0TOPICS';
const CY = 'U0CYTOPICS';
let harness: SlackHarness;
let clock = new Date('2026-11-23T07:56:00Z');
let note: ReceivedNote;
/** Titles of the eleven earlier notes, newest first. */
let earlier: string[] = [];

type Element = { action_id: string; value?: string; text?: { text: string } };
type Block = { type: string; text?: { text: string }; elements?: Element[]; accessory?: Element };
type Posted = {
  text: string;
  blocks?: Block[];
  response_type?: string;
  replace_original?: boolean;
};

const buttons = (blocks: readonly Block[] = []) =>
  blocks.flatMap((block) => [
    ...(block.elements ?? []),
    ...(block.accessory ? [block.accessory] : []),
  ]);
const lines = (blocks: readonly Block[] = []) => blocks.map((block) => block.text?.text ?? '');

async function topics(userId: string): Promise<Posted> {
  const response = await harness.slack.slashCommand({
    command: '/blindspot',
    text: 'topics',
    userId,
  });
  expect(response.status).toBe(200);
  const post = await harness.standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return post.body as Posted;
}

async function click(blocks: readonly Block[], actionId: string, value: string): Promise<Posted> {
  const response = await harness.slack.blockActions({
    userId: CY,
    actionId,
    value,
    message: { blocks, text: 'Your past notes' },
  });
  const post = await harness.standIn.waitForResponseUrlPost((p) => p.url === response.responseUrl);
  return post.body as Posted;
}

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  note = await signUpAndReceiveNote(harness, {
    userId: CY,
    setClock: (at) => {
      clock = at;
    },
  });
  // Eleven earlier notes, one a day before this one, each of another topic: a history of twelve.
  const { db } = harness.database;
  const sent = await db
    .selectFrom('deliveries')
    .where('id', '=', note.deliveryId)
    .selectAll()
    .executeTakeFirstOrThrow();
  const others = await db
    .selectFrom('topics')
    .where('workspace_id', '=', sent.workspace_id)
    .where('id', '!=', String(sent.topic_id))
    .select(['id', 'title'])
    .orderBy('id')
    .limit(11)
    .execute();
  for (const [index, topic] of others.entries()) {
    const at = DateTime.fromJSDate(sent.due_at).minus({ days: index + 1 });
    await db
      .insertInto('deliveries')
      .values({
        workspace_id: sent.workspace_id,
        subscription_id: sent.subscription_id,
        manager_id: sent.manager_id,
        local_date: String(at.setZone('Europe/Berlin').toISODate()),
        topic_id: topic.id,
        due_at: at.toJSDate(),
        status: 'sent',
        sent_at: at.toJSDate(),
        slack_channel_id: note.channel,
        slack_ts: `${Math.floor(at.toSeconds())}.000100`,
      })
      .execute();
  }
  earlier = others.map((topic) => topic.title);
});

afterAll(async () => {
  await harness?.close();
});

describe('/blindspot topics', () => {
  let firstPage: Posted;

  it('lists the ten newest notes, to the manager alone, each with Read, and a way to older ones', async () => {
    firstPage = await topics(CY);
    expect(firstPage.response_type).toBe('ephemeral');
    const title = note.blocks.find((block) => block.type === 'header')?.text?.text;
    expect(lines(firstPage.blocks)[0]).toBe(
      '*Your past notes* 1–10, newest first. Press *Read* to see one again.',
    );
    expect(lines(firstPage.blocks)[1]).toMatch(new RegExp(`^\\*${title}\\*\\n`));
    expect(
      lines(firstPage.blocks)
        .slice(2, 11)
        .map((line) => line.split('\n')[0]),
    ).toEqual(earlier.slice(0, 9).map((title) => `*${title}*`));
    const reads = buttons(firstPage.blocks).filter((b) => b.action_id === 'past_note_open');
    expect(reads).toHaveLength(10);
    expect(reads[0]?.value).toBe(note.deliveryId);
    expect(buttons(firstPage.blocks).filter((b) => b.action_id === 'past_notes_page')).toEqual([
      expect.objectContaining({ text: expect.objectContaining({ text: 'Older' }), value: '1' }),
    ]);
  });

  it('"Older" shows the next page in place of this one, with a way back', async () => {
    const older = await click(firstPage.blocks ?? [], 'past_notes_page', '1');
    expect(older.replace_original).toBe(true);
    expect(lines(older.blocks)[0]).toContain('*Your past notes* 11–12');
    expect(
      lines(older.blocks)
        .slice(1, 3)
        .map((line) => line.split('\n')[0]),
    ).toEqual(earlier.slice(9, 11).map((title) => `*${title}*`));
    expect(
      buttons(older.blocks)
        .filter((b) => b.action_id === 'past_notes_page')
        .map((b) => [b.text?.text, b.value]),
    ).toEqual([['Newer', '0']]);
  });

  it('"Read" shows the note again, as it was sent, under the list', async () => {
    const shown = await click(firstPage.blocks ?? [], 'past_note_open', note.deliveryId);
    expect(shown).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(shown.text).toBe(note.text);
    expect(shown.blocks).toEqual(note.blocks);
  });

  it('a manager with no note yet is told when the first comes', async () => {
    harness.standIn.addUser({ id: 'U0NEWTOPICS', teamId: TEAM, tz: 'Europe/Berlin' });
    const submitted = await harness.slack.viewSubmission({
      userId: 'U0NEWTOPICS',
      callbackId: 'signup_modal',
      values: signupModalValues({
        weekdays: [1, 2, 3, 4, 5],
        localTime: '09:00',
        timeZone: 'Europe/Berlin',
      }),
    });
    expect(submitted.body).toBe('');
    expect((await topics('U0NEWTOPICS')).text).toBe(
      'No notes yet: your first comes on your schedule.',
    );
  });
});
