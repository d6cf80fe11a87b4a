/**
 * Renewing the bot's leases over real HTTP: POST /deliveries/leases and /reminders/leases renew,
 * in one call, every lease the caller still holds, and answer `renewed: false` for one it does
 * not (claimed again since, or no such row), so the bot drops that row. The API's clock is the
 * test's: a lease runs out by moving it, not by waiting.
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
const LEASE_SECONDS = 20;

type Renewals =
  paths['/api/v1/deliveries/leases']['post']['responses']['200']['content']['application/json'];
type Claimed = { id: string; attempt: number };

let workspace: TestWorkspace;
let clock = DUE_AT;

// As the bot's client does, every call with an Authorization header is signed.
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
    leaseSeconds: LEASE_SECONDS,
  });
  expect(reply.status).toBe(200);
  return (reply.body[ledger] ?? []).map(({ id, attempt }) => ({ id, attempt }));
}

function leaseOf(table: 'deliveries' | 'reminders', id: string) {
  return testApp.database.db
    .selectFrom(table)
    .where('id', '=', id)
    .select(['status', 'attempts', 'lease_expires_at as leaseExpiresAt'])
    .executeTakeFirstOrThrow();
}

function fromNow(ms: number): Date {
  return new Date(clock.getTime() + ms);
}

describe('when the bot renews the leases it holds on deliveries', () => {
  let held: Claimed[] = [];

  beforeAll(async () => {
    clock = SUBSCRIBED_AT;
    for (let index = 0; index < 3; index += 1)
      await createSubscriber(testApp.database.db, workspace, {}, SUBSCRIBED_AT);
    await planDueDeliveries(testApp.database.db, new Date(DUE_AT.getTime() - 2 * 60_000));
    clock = DUE_AT;
    held = await claim('deliveries');
    expect(held).toHaveLength(3);
  });

  it('then each is held for leaseSeconds from now, past the lease it was claimed with', async () => {
    clock = fromNow(15_000);
    const reply = await post<Renewals>('/deliveries/leases', { leases: held, leaseSeconds: 30 });
    expect(reply.status).toBe(200);
    const until = new Date(clock.getTime() + 30_000).toISOString();
    expect(reply.body.leases).toEqual(
      held.map(({ id, attempt }) => ({ id, attempt, renewed: true, leaseExpiresAt: until })),
    );
    for (const { id } of held) {
      const row = await leaseOf('deliveries', id);
      expect(row).toEqual({ status: 'claimed', attempts: 1, leaseExpiresAt: new Date(until) });
    }
    // Past the first lease (20 s from the claim), the rows are still not claimable.
    clock = fromNow(10_000);
    expect(await claim('deliveries')).toEqual([]);
  });

  it('then a holder whose row was claimed again since, or a row that does not exist, is told renewed: false', async () => {
    const [lapsed, kept] = held as [Claimed, Claimed];
    // Only `kept` is renewed; `lapsed`'s lease runs out and another sender claims it.
    clock = fromNow(1_000);
    await post<Renewals>('/deliveries/leases', { leases: [kept], leaseSeconds: 600 });
    clock = fromNow(60_000);
    const reclaimed = await claim('deliveries');
    expect(reclaimed.map((row) => row.id)).toContain(lapsed.id);
    expect(reclaimed.map((row) => row.id)).not.toContain(kept.id);

    const unknown = { id: '999999999', attempt: 1 };
    const reply = await post<Renewals>('/deliveries/leases', {
      leases: [lapsed, kept, unknown],
      leaseSeconds: LEASE_SECONDS,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.leases.map(({ id, renewed }) => ({ id, renewed }))).toEqual([
      { id: lapsed.id, renewed: false },
      { id: kept.id, renewed: true },
      { id: unknown.id, renewed: false },
    ]);
    expect(reply.body.leases[0]?.leaseExpiresAt).toBeNull();
    // The stale holder's renewal did not touch the new holder's lease.
    expect(await leaseOf('deliveries', lapsed.id)).toEqual(
      expect.objectContaining({ attempts: 2, leaseExpiresAt: fromNow(LEASE_SECONDS * 1000) }),
    );
  });

  it('then a renewal never shortens a lease a failure report pushed out to Slack’s Retry-After', async () => {
    const [, kept] = held as [Claimed, Claimed];
    const failure = await post<{ status: string }>(`/deliveries/${kept.id}/failure`, {
      attempt: kept.attempt,
      code: 'ratelimited',
      kind: 'rate_limited',
      retryAfterSeconds: 300,
    });
    expect(failure.body.status).toBe('retrying');
    const reply = await post<Renewals>('/deliveries/leases', {
      leases: [kept],
      leaseSeconds: LEASE_SECONDS,
    });
    expect(reply.body.leases[0]?.leaseExpiresAt).toBe(fromNow(300_000).toISOString());
  });
});

describe('when the bot renews the leases it holds on reminders', () => {
  it('then the current holder is renewed and a stale one is not', async () => {
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
    const [first] = await claim('reminders');
    expect(first).toEqual({ id: reminderId, attempt: 1 });

    clock = fromNow(10_000);
    const renewed = await post<Renewals>('/reminders/leases', {
      leases: [first],
      leaseSeconds: LEASE_SECONDS,
    });
    expect(renewed.body.leases).toEqual([
      { id: reminderId, attempt: 1, renewed: true, leaseExpiresAt: fromNow(20_000).toISOString() },
    ]);
    expect((await leaseOf('reminders', reminderId)).leaseExpiresAt).toEqual(fromNow(20_000));

    const stale = await post<Renewals>('/reminders/leases', {
      leases: [{ id: reminderId, attempt: 2 }],
      leaseSeconds: LEASE_SECONDS,
    });
    expect(stale.body.leases[0]?.renewed).toBe(false);
  });
});

describe('when a renewal is not the bot’s, or is malformed', () => {
  it('then a call without the service token is refused with 401', async () => {
    for (const ledger of ['deliveries', 'reminders']) {
      const reply = await post<{ code: string }>(
        `/${ledger}/leases`,
        { leases: [], leaseSeconds: LEASE_SECONDS },
        null,
      );
      expect(reply.status).toBe(401);
      const wrong = await post<{ code: string }>(
        `/${ledger}/leases`,
        { leases: [], leaseSeconds: LEASE_SECONDS },
        'not-the-service-token-0000000000000000000',
      );
      expect(wrong.status).toBe(401);
    }
  });

  it('then more than 500 leases, or a lease outside 5..600 s, is a 400 validation error', async () => {
    const many = Array.from({ length: 501 }, (_, index) => ({ id: String(index + 1), attempt: 1 }));
    const cases = [
      { leases: many, leaseSeconds: LEASE_SECONDS },
      { leases: [], leaseSeconds: 4 },
      { leases: [], leaseSeconds: 601 },
      { leases: [{ id: 'abc', attempt: 1 }], leaseSeconds: LEASE_SECONDS },
      { leases: [{ id: '1', attempt: 0 }], leaseSeconds: LEASE_SECONDS },
    ];
    for (const body of cases) {
      const reply = await post<{ code: string; requestId: string }>('/deliveries/leases', body);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(reply.body).toEqual(
        expect.objectContaining({ code: 'validation_failed', requestId: expect.any(String) }),
      );
    }
  });

  it('then an empty list renews nothing', async () => {
    const reply = await post<Renewals>('/reminders/leases', {
      leases: [],
      leaseSeconds: LEASE_SECONDS,
    });
    expect(reply).toEqual({ status: 200, body: { leases: [] } });
  });
});
