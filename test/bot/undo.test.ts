/**
 * Issue 17, item 3: every destructive or final choice is asked first or can be undone. Delete,
 * Drop it and Unsubscribe (paused too) carry Slack's confirmation dialog; a deleted action can be
 * put back for a minute of the injected clock, and not after; a hidden topic can be restored from
 * the Home tab; a reminder's answer can be changed for a week. Signed requests, the real service,
 * the Slack stand-in, real PostgreSQL. The tests run in order: Bea's fortnight goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredDeletions } from '../../src/core/action-items/service.ts';
import { dismissedTopicsOf } from '../../src/core/deliveries/repositories/planning.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { planDueReminders } from '../../src/core/reminders/service.ts';
import {
  answerOf,
  nextCall,
  type ReceivedNote,
  type RecordedCall,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0UNDO';
const BEA = 'U0BEAUNDO';
let harness: SlackHarness;
/** Monday 23 November 2026, 07:56 UTC: four minutes before Bea's 09:00 in Berlin. */
let clock = new Date('2026-11-23T07:56:00Z');
let note: ReceivedNote;
let tsCounter = 0;

type Dialog = { title: { text: string }; text: { text: string }; confirm: { text: string } };
type Element = {
  action_id: string;
  value?: string;
  accessibility_label?: string;
  text?: { text: string };
  confirm?: Dialog;
};
type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: Element[];
  accessory?: Element;
};

function elementsOf(blocks: readonly unknown[]): Element[] {
  return (blocks as Block[]).flatMap((block) => [
    ...(block.elements ?? []),
    ...(block.accessory ? [block.accessory] : []),
  ]);
}

function buttonIn(blocks: readonly unknown[], actionId: string): Element {
  const found = elementsOf(blocks).find((element) => element.action_id === actionId);
  expect(found, `a ${actionId} button`).toBeDefined();
  return found as Element;
}

const textOf = (blocks: readonly unknown[]) =>
  (blocks as Block[]).map((block) => block.text?.text ?? '').join('\n');

/**
 * A plan ("I will…") replied in the note's thread; resolves with the bot's answer once the note
 * lists it too, so the bot is done before the clock moves on (its API calls are signed with it).
 */
async function sayInThread(text: string) {
  const ts = `${Math.floor(clock.getTime() / 1000)}.${String(++tsCounter).padStart(6, '0')}`;
  const updates = harness.standIn.callsTo('chat.update').length;
  const answer = await nextCall(harness.standIn, 'chat.postMessage', () =>
    harness.slack.event({
      type: 'message',
      channel_type: 'im',
      channel: note.channel,
      user: BEA,
      text,
      ts,
      thread_ts: note.ts,
      event_ts: ts,
    }),
  );
  await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBe(updates + 1);
  return answer;
}

type Answer = {
  text: string;
  blocks?: unknown[];
  replace_original?: boolean;
  response_type?: string;
};

/**
 * A click on a message's button; resolves with what the bot answered through response_url: the
 * first answer, or the first `count` of them.
 */
async function clickFor(
  count: number,
  message: { blocks: readonly unknown[]; ts?: string; text?: string },
  actionId: string,
  value?: string,
): Promise<Answer[]> {
  const updates = harness.standIn.callsTo('chat.update').length;
  const response = await harness.slack.blockActions({
    userId: BEA,
    actionId,
    value: value ?? buttonIn(message.blocks, actionId).value,
    channelId: note.channel,
    ...(message.ts && { messageTs: message.ts }),
    message: { blocks: message.blocks, text: message.text ?? '' },
  });
  const posts = () =>
    harness.standIn.responseUrlPosts.filter((post) => post.url === response.responseUrl);
  await expect.poll(() => posts().length).toBeGreaterThanOrEqual(count);
  // A deleted or restored item's note is shown again after the answer: wait for it, so that the
  // bot is done before the clock moves on (its API calls are signed with the time).
  const refreshing =
    (actionId === 'item_delete' || actionId === 'item_undo_delete') &&
    posts().every(
      (post) =>
        (post.body as Answer).response_type !== 'ephemeral' &&
        !(post.body as Answer).text.startsWith('Sorry'),
    );
  if (refreshing) {
    await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBeGreaterThan(updates);
  }
  return posts()
    .slice(0, count)
    .map((post) => post.body as Answer);
}

async function click(
  message: { blocks: readonly unknown[]; ts?: string; text?: string },
  actionId: string,
  value?: string,
): Promise<Answer> {
  const [answer] = await clickFor(1, message, actionId, value);
  return answer as Answer;
}

async function command(text: string) {
  const response = await harness.slack.slashCommand({ command: '/blindspot', text, userId: BEA });
  const posted = await harness.standIn.waitForResponseUrlPost(
    (post) => post.url === response.responseUrl,
  );
  return posted.body as { text: string; blocks?: unknown[] };
}

/** The Home tab, as published when Bea opens it. */
async function openHome(): Promise<unknown[]> {
  const published = await nextCall(harness.standIn, 'views.publish', () =>
    harness.slack.event({ type: 'app_home_opened', user: BEA, tab: 'home' }),
  );
  return (published.args.view as { blocks: unknown[] }).blocks;
}

/** A click on the Home tab; resolves with the Home tab published after it. */
async function clickHome(blocks: unknown[], actionId: string, value: string) {
  const updates = harness.standIn.callsTo('chat.update').length;
  const published = await nextCall(harness.standIn, 'views.publish', () =>
    harness.slack.blockActions({
      userId: BEA,
      actionId,
      value,
      view: { type: 'home', blocks: blocks as never },
    }),
  );
  // The item's note follows a delete or an undo, after the Home tab.
  if (actionId.startsWith('item_'))
    await expect.poll(() => harness.standIn.callsTo('chat.update').length).toBeGreaterThan(updates);
  return (published.args.view as { blocks: unknown[] }).blocks;
}

const items = () =>
  harness.database.db
    .selectFrom('action_items')
    .select(['id', 'text', 'status', 'check_back_on'])
    .orderBy('id')
    .execute();
const keptCopies = () =>
  harness.database.db.selectFrom('deleted_action_items').select('action_item_id').execute();

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  note = await signUpAndReceiveNote(harness, {
    userId: BEA,
    setClock: (at) => {
      clock = at;
    },
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('asked first', () => {
  it('Delete, in a thread reply and in every list, asks before it deletes', async () => {
    const saved = await sayInThread('I will write down three wins of each person');
    const dialog = buttonIn(saved.args.blocks as unknown[], 'item_delete').confirm;
    expect(dialog).toMatchObject({
      title: { text: 'Delete this action?' },
      text: { text: 'I will write down three wins of each person' },
      confirm: { text: 'Delete' },
    });
    await sayInThread('I will ask Kim what slows her down');

    const list = await command('actions');
    const deletes = elementsOf(list.blocks ?? []).filter((e) => e.action_id === 'item_delete');
    expect(deletes).toHaveLength(2);
    for (const button of deletes) expect(button.confirm?.title.text).toBe('Delete this action?');
  });

  it('Unsubscribe on the Home tab asks first while paused, as it does while active', async () => {
    const active = await openHome();
    expect(buttonIn(active, 'home_unsubscribe').confirm?.title.text).toBe('Unsubscribe?');
    await command('pause');
    const paused = await openHome();
    expect(textOf(paused)).toContain('You paused your notes.');
    expect(buttonIn(paused, 'home_unsubscribe').confirm).toMatchObject({
      title: { text: 'Unsubscribe?' },
      confirm: { text: 'Unsubscribe' },
    });
    await command('resume');
  });
});

describe('Undo, for a minute', () => {
  it('deleted from /blindspot actions, the list offers Undo above it; Undo puts it back as it was', async () => {
    const before = await items();
    const list = await command('actions');
    const kim = before.find((item) => item.text.startsWith('I will ask Kim')) as (typeof before)[0];
    clock = new Date('2026-11-23T09:00:00Z');
    const deleted = await click({ blocks: list.blocks ?? [] }, 'item_delete', kim.id);
    expect(deleted.replace_original).toBe(true);
    expect(textOf(deleted.blocks ?? [])).toContain(
      'Deleted your action “I will ask Kim what slows her down”. Changed your mind? Undo within a minute.',
    );
    expect(
      elementsOf(deleted.blocks ?? []).filter((e) => e.action_id === 'item_delete'),
    ).toHaveLength(1);
    expect((await items()).map((item) => item.id)).not.toContain(kim.id);
    expect(await keptCopies()).toEqual([{ action_item_id: kim.id }]);

    clock = new Date('2026-11-23T09:01:00Z');
    const undone = await click({ blocks: deleted.blocks ?? [] }, 'item_undo_delete');
    expect(textOf(undone.blocks ?? [])).not.toContain('Deleted your action');
    expect(
      elementsOf(undone.blocks ?? []).filter((e) => e.action_id === 'item_delete'),
    ).toHaveLength(2);
    expect(await items()).toEqual(before);
    expect(await keptCopies()).toEqual([]);

    // A second click on the same Undo finds the item back: the list again, and no complaint.
    const twice = await click({ blocks: deleted.blocks ?? [] }, 'item_undo_delete');
    expect(twice.response_type).toBeUndefined();
    expect(
      elementsOf(twice.blocks ?? []).filter((e) => e.action_id === 'item_delete'),
    ).toHaveLength(2);
  });

  it('a minute and a second later, Undo says kindly that it is too late, and the copy is purged', async () => {
    const list = await command('actions');
    const [, kim] = await items();
    clock = new Date('2026-11-23T09:10:00Z');
    const deleted = await click({ blocks: list.blocks ?? [] }, 'item_delete', kim?.id);
    clock = new Date('2026-11-23T09:11:01Z');
    // The worker's purge has not run yet: the copy is there, and still too late.
    expect(await keptCopies()).toHaveLength(1);
    const [list2, tooLate] = await clickFor(
      2,
      { blocks: deleted.blocks ?? [] },
      'item_undo_delete',
    );
    // The list loses its Undo, and only Bea reads why under it.
    expect(textOf(list2?.blocks ?? [])).not.toContain('Deleted your action');
    expect(tooLate).toMatchObject({
      response_type: 'ephemeral',
      text: 'Sorry, it is too late to undo that: a deleted action can be put back for a minute only. To plan it again, press *Plan an action* on its note.',
    });
    expect((await items()).map((item) => item.id)).not.toContain(kim?.id);
    expect(await purgeExpiredDeletions(harness.database.db, clock)).toBe(1);
    expect(await keptCopies()).toEqual([]);
  });

  it('deleted in its thread, the reply offers Undo in its place; too late, it says so there', async () => {
    const saved = await sayInThread('I will block an hour for 1:1 notes');
    clock = new Date('2026-11-23T09:20:00Z');
    const deleted = await click(
      { blocks: saved.args.blocks as unknown[], ts: answerOf(saved).ts },
      'item_delete',
    );
    expect(deleted.text).toBe('Deleted your action “I will block an hour for 1:1 notes”.');
    clock = new Date('2026-11-23T09:25:00Z');
    const tooLate = await click({ blocks: deleted.blocks ?? [] }, 'item_undo_delete');
    expect(tooLate).toMatchObject({ replace_original: true });
    expect(tooLate.text).toContain('Sorry, it is too late to undo that');
    expect(tooLate.blocks).toBeUndefined();
  });

  it('deleted on the Home tab, the Home tab offers Undo; Undo shows the item again', async () => {
    const home = await openHome();
    const [wins] = await items();
    clock = new Date('2026-11-23T10:00:00Z');
    const afterDelete = await clickHome(home, 'item_delete', String(wins?.id));
    expect(textOf(afterDelete)).toContain(
      'Deleted your action “I will write down three wins of each person”. Changed your mind? Undo within a minute.',
    );
    expect(textOf(afterDelete)).toContain('No open actions.');
    clock = new Date('2026-11-23T10:00:30Z');
    const afterUndo = await clickHome(afterDelete, 'item_undo_delete', String(wins?.id));
    expect(textOf(afterUndo)).not.toContain('Deleted your action');
    expect(textOf(afterUndo)).toContain('“I will write down three wins of each person”');
    expect(await items()).toHaveLength(1);
  });
});

describe('Topics you hid', () => {
  it('"Not relevant" takes the topic out of the rotation; Restore on the Home tab puts it back', async () => {
    const managers = await harness.database.db.selectFrom('managers').select('id').execute();
    const managerId = String(managers[0]?.id);
    const { topicId } = JSON.parse(note.value) as { topicId: string };
    await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.blockActions({
        userId: BEA,
        actionId: 'topic_not_relevant',
        blockId: 'topic_actions',
        value: note.value,
        channelId: note.channel,
        messageTs: note.ts,
        message: { blocks: note.blocks, text: note.text },
      }),
    );
    expect((await dismissedTopicsOf(harness.database.db, [managerId])).get(managerId)).toEqual(
      new Set([topicId]),
    );
    const home = await openHome();
    expect(textOf(home)).toContain('*Topics you hid*');
    const restore = buttonIn(home, 'home_restore_topic');
    expect(restore.value).toBe(topicId);

    const after = await clickHome(home, 'home_restore_topic', topicId);
    expect(textOf(after)).not.toContain('Topics you hid');
    expect((await dismissedTopicsOf(harness.database.db, [managerId])).get(managerId)).toEqual(
      new Set(),
    );
    // Restoring it again changes nothing and fails nothing: the Home tab is shown as it is.
    expect(textOf(await clickHome(after, 'home_restore_topic', topicId))).not.toContain(
      'Topics you hid',
    );
  });
});

describe('Change answer', () => {
  let reminder: RecordedCall;
  let answered: { text: string; blocks?: unknown[] };

  it('Drop it asks first; an answer shows with "Change answer" beside it', async () => {
    clock = new Date('2026-11-30T07:56:00Z');
    expect(await planDueReminders(harness.database.db, clock)).toMatchObject({ planned: 1 });
    await planDueDeliveries(harness.database.db, clock);
    clock = new Date('2026-11-30T08:00:00Z');
    reminder = await harness.standIn.waitForCall('chat.postMessage', (call) =>
      String(call.args.text).endsWith('Did you do it?'),
    );
    await expect
      .poll(
        async () =>
          (await harness.database.db.selectFrom('reminders').select('status').executeTakeFirst())
            ?.status,
      )
      .toBe('sent');
    const blocks = reminder.args.blocks as unknown[];
    expect(buttonIn(blocks, 'reminder_drop').confirm).toMatchObject({
      title: { text: 'Drop this action?' },
      confirm: { text: 'Drop it' },
    });

    clock = new Date('2026-11-30T09:00:00Z');
    answered = await click(
      { blocks, ts: answerOf(reminder).ts, text: String(reminder.args.text) },
      'reminder_not_yet',
    );
    expect(textOf(answered.blocks ?? [])).toContain(
      "✓ Not yet. I'll ask again after the same interval.",
    );
    expect(buttonIn(answered.blocks ?? [], 'reminder_change_answer')).toMatchObject({
      text: { text: 'Change answer' },
      // A reminder may list several actions: the button names its own to a screen reader.
      accessibility_label: 'Change answer: “I will write down three wins of each person”',
    });
    expect(await items()).toMatchObject([{ status: 'open', check_back_on: '2026-12-07' }]);
  });

  it('"Change answer" brings the buttons back, and Done then replaces the answer', async () => {
    const again = await click(
      { blocks: answered.blocks ?? [], ts: answerOf(reminder).ts },
      'reminder_change_answer',
    );
    const done = buttonIn(again.blocks ?? [], 'reminder_done');
    expect(JSON.parse(String(done.value))).toMatchObject({ responseId: expect.any(String) });

    const opened = harness.standIn.callsTo('views.open').length;
    const changed = await click(
      { blocks: again.blocks ?? [], ts: answerOf(reminder).ts },
      'reminder_done',
    );
    expect(textOf(changed.blocks ?? [])).toContain('✓ Done. Recorded, well done.');
    expect(await items()).toMatchObject([{ status: 'done' }]);
    const answers = await harness.database.db.selectFrom('responses').select('answer').execute();
    expect(answers).toEqual([{ answer: 'done' }]);
    // Done asks how it went, as a first Done does.
    await expect.poll(() => harness.standIn.callsTo('views.open').length).toBe(opened + 1);
    answered = changed;
  });

  it('more than a week later the answer stays, and the manager is told why', async () => {
    clock = new Date('2026-12-08T09:00:01Z');
    const again = await click(
      { blocks: answered.blocks ?? [], ts: answerOf(reminder).ts },
      'reminder_change_answer',
    );
    const refused = await click(
      { blocks: again.blocks ?? [], ts: answerOf(reminder).ts },
      'reminder_not_yet',
    );
    expect(refused).toMatchObject({ response_type: 'ephemeral' });
    expect(refused.text).toBe(
      'That answer is more than a week old, so it stays as it is. Your Home tab lists your open actions.',
    );
    expect(await items()).toMatchObject([{ status: 'done' }]);
  });
});

describe('behind the scenes', () => {
  it('no listener failed unseen: the only refusals were the two "too late"s and the locked answer', () => {
    const refusals = harness.app.logs.lines
      .filter((line) => line.component === 'slack-listener' && line.level !== 'debug')
      .map((line) => [line.msg, line.code]);
    expect(refusals).toEqual([
      ['undoing the deletion of an action rejected', 'undo_expired'],
      ['undoing the deletion of an action rejected', 'undo_expired'],
      ['answering a reminder rejected', 'answer_locked'],
    ]);
  });
});
