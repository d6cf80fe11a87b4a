/**
 * Confirming sent messages in batches over real HTTP: POST /deliveries/confirmations and
 * /reminders/confirmations record many messages in one call, answer each in the order asked,
 * and let one unknown or conflicting row fail none of the rest. The bot's outbox uses them for
 * everything it sends, so a busy minute costs one call per batch rather than one per message.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../../src/bot/api-client/schema.ts';
import { createActionItem } from '../../src/core/action-items/service.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { insertReminder, insertReminderItem } from '../../src/core/reminders/repository.ts';
import { setUpTestApp, TEST_SERVICE_TOKEN } from '../support/app.ts';
import { createSubscriber, createWorkspace, type TestWorkspace } from '../support/factories.ts';
import { serviceFetch, servicePost } from '../support/service-calls.ts';

const SUBSCRIBED_AT = new Date('2026-12-07T12:00:00Z');
/** 09:00 in Berlin on 2026-12-08: the subscribers' delivery time. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');

type Batch =
  paths['/api/v1/deliveries/confirmations']['post']['responses']['200']['content']['application/json'];
type Claimed = { id: string; attempt: number; slackUserId: string; dmChannelId: string | null };

let workspace: TestWorkspace;
let clock = DUE_AT;
const fetch = serviceFetch(() => clock);

const testApp = setUpTestApp({ clock: () => clock });

beforeAll(async () => {
  workspace = await createWorkspace(testApp.database.db);
});

const post = <T>(path: string, body: unknown, token: string | null = TEST_SERVICE_TOKEN) =>
  servicePost<T>(fetch, `${testApp.url}/api/v1${path}`, body, token);

async function claim(ledger: 'deliveries' | 'reminders'): Promise<Claimed[]> {
  const reply = await post<Record<string, Claimed[]>>(`/${ledger}/claims`, {
    limit: 100,
    leaseSeconds: 20,
  });
  expect(reply.status).toBe(200);
  return reply.body[ledger] ?? [];
}

const channelOf = (index: number) => `D0BATCH${index}`;
const tsOf = (index: number) => `1765180800.00010${index}`;

describe('when the bot confirms a batch of deliveries', () => {
  let claimed: Claimed[] = [];

  beforeAll(async () => {
    clock = SUBSCRIBED_AT;
    for (let index = 0; index < 4; index += 1)
      await createSubscriber(testApp.database.db, workspace, {}, SUBSCRIBED_AT);
    await planDueDeliveries(testApp.database.db, new Date(DUE_AT.getTime() - 2 * 60_000));
    clock = new Date(DUE_AT.getTime() + 6 * 60_000);
    claimed = await claim('deliveries');
    expect(claimed).toHaveLength(4);
  });

  it('then each is recorded as sent with its own message and lateness, and its manager’s DM remembered', async () => {
    const [a, b, c] = claimed as [Claimed, Claimed, Claimed];
    const reply = await post<Batch>('/deliveries/confirmations', {
      confirmations: [a, b, c].map((row, index) => ({
        id: row.id,
        attempt: row.attempt,
        channelId: channelOf(index),
        ts: tsOf(index),
      })),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.confirmations).toEqual([
      { id: a.id, status: 'sent' },
      { id: b.id, status: 'sent' },
      { id: c.id, status: 'sent' },
    ]);
    const rows = await testApp.database.db
      .selectFrom('deliveries')
      .innerJoin('managers', 'managers.id', 'deliveries.manager_id')
      .where('deliveries.id', 'in', [a.id, b.id, c.id])
      .select([
        'deliveries.id',
        'deliveries.status',
        'deliveries.slack_channel_id as channel',
        'deliveries.slack_ts as ts',
        'deliveries.sent_at as sentAt',
        'deliveries.late',
        'deliveries.lease_expires_at as lease',
        'managers.dm_channel_id as dm',
      ])
      .orderBy('deliveries.id')
      .execute();
    const expected = [a, b, c].map((row, index) => ({
      id: row.id,
      status: 'sent',
      channel: channelOf(index),
      ts: tsOf(index),
      sentAt: clock,
      // Six minutes after its due time: past the five that count as on time (LATE_AFTER_MS).
      late: true,
      lease: null,
      dm: channelOf(index),
    }));
    expect(rows).toEqual(expected.sort((x, y) => Number(x.id) - Number(y.id)));
  });

  it('then a repeat, another message for a sent row, an unknown id and a new row are each answered in order, and the new one is recorded', async () => {
    const [a, b, , d] = claimed as [Claimed, Claimed, Claimed, Claimed];
    const reply = await post<Batch>('/deliveries/confirmations', {
      confirmations: [
        { id: a.id, attempt: a.attempt, channelId: channelOf(0), ts: tsOf(0) },
        { id: b.id, attempt: b.attempt, channelId: channelOf(1), ts: '1765180899.000001' },
        { id: '999999999', attempt: 1, channelId: 'D0NOBODY', ts: tsOf(8) },
        { id: d.id, attempt: d.attempt, channelId: channelOf(3), ts: tsOf(3) },
        // The same row twice in one batch, with the same message: recorded once.
        { id: d.id, attempt: d.attempt, channelId: channelOf(3), ts: tsOf(3) },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.confirmations).toEqual([
      { id: a.id, status: 'repeated' },
      { id: b.id, status: 'conflict' },
      { id: '999999999', status: 'not_found' },
      { id: d.id, status: 'sent' },
      { id: d.id, status: 'repeated' },
    ]);
    const conflicted = await testApp.database.db
      .selectFrom('deliveries')
      .where('id', '=', b.id)
      .select('slack_ts')
      .executeTakeFirstOrThrow();
    expect(conflicted.slack_ts).toBe(tsOf(1));
    const metrics = await (await globalThis.fetch(`${testApp.url}/metrics`)).text();
    expect(metrics).toMatch(/^blindspot_deliveries_sent_total 4$/m);
  });
});

describe('when the bot confirms a batch of reminders', () => {
  it('then each is sent once and its open items count one more unanswered reminder', async () => {
    clock = new Date('2026-12-09T10:00:00Z');
    const manager = await createSubscriber(testApp.database.db, workspace, {}, clock);
    const { item } = await createActionItem(
      testApp.database.db,
      manager.who,
      { text: 'Ask Priya what she needs', source: 'api', checkBack: { in: '1w' } },
      clock,
    );
    const reminderId = await insertReminder(testApp.database.db, {
      workspaceId: workspace.id,
      managerId: manager.id,
      localDate: '2026-12-09',
      kind: 'reminder',
      dueAt: clock,
      wantedAt: clock,
    });
    if (!reminderId) throw new Error('expected a new reminder');
    await insertReminderItem(testApp.database.db, {
      reminderId,
      actionItemId: item.id,
      workspaceId: workspace.id,
      final: false,
    });
    const [first] = (await claim('reminders')) as [Claimed];
    const sent = { id: first.id, attempt: first.attempt, channelId: 'D0REMIND', ts: tsOf(5) };
    const reply = await post<Batch>('/reminders/confirmations', {
      confirmations: [sent, { ...sent, id: '999999998' }, sent],
    });
    expect(reply.body.confirmations).toEqual([
      { id: reminderId, status: 'sent' },
      { id: '999999998', status: 'not_found' },
      { id: reminderId, status: 'repeated' },
    ]);
    const row = await testApp.database.db
      .selectFrom('action_items')
      .where('id', '=', item.id)
      .select('unanswered_reminders')
      .executeTakeFirstOrThrow();
    expect(row.unanswered_reminders).toBe(1);
  });
});

describe('when a batch is not the bot’s, or is malformed', () => {
  it('then it is refused whole with a clear 4xx, and nothing is recorded', async () => {
    const anonymous = await post<{ code: string }>(
      '/deliveries/confirmations',
      { confirmations: [{ id: '1', attempt: 1, channelId: 'D0X', ts: tsOf(1) }] },
      null,
    );
    expect(anonymous.status).toBe(401);
    for (const body of [
      { confirmations: [] },
      { confirmations: [{ id: '1', attempt: 1, channelId: 'D0X', ts: 'not-a-ts' }] },
      {
        confirmations: Array.from({ length: 501 }, () => ({
          id: '1',
          attempt: 1,
          channelId: 'D0X',
          ts: tsOf(1),
        })),
      },
    ]) {
      const reply = await post<{ code: string; message: string; requestId: string }>(
        '/deliveries/confirmations',
        body,
      );
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual(
        expect.objectContaining({ code: 'validation_failed', requestId: expect.any(String) }),
      );
    }
  });
});
