/**
 * A Slack rate limit holds the whole workspace for every sender (decision 0013): a failure
 * report with Retry-After records until when, and no claim (of deliveries or of reminders)
 * hands out that workspace's rows before then. Other workspaces are claimed as usual. The clock
 * is passed in, so the 30 s hold is crossed without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimDeliveries,
  planDueDeliveries,
  reportDeliveryFailure,
} from '../../../src/core/deliveries/service.ts';
import { insertReminder } from '../../../src/core/reminders/repository.ts';
import { claimReminders, reportReminderFailure } from '../../../src/core/reminders/service.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import {
  createSubscriber,
  createWorkspace,
  type TestSubscriber,
  type TestWorkspace,
} from '../../support/factories.ts';

/** Short, so that a lease runs out well inside the 30 s hold. */
const LEASE_MS = 5_000;
const SUBSCRIBED_AT = new Date('2026-12-07T12:00:00Z');
/** 09:00 in Berlin on 2026-12-08. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function at(offsetMs: number): Date {
  return new Date(DUE_AT.getTime() + offsetMs);
}

/** A digest (a reminder row that needs no action items) due at DUE_AT for `manager`. */
async function digestDue(workspace: TestWorkspace, manager: TestSubscriber): Promise<string> {
  const id = await insertReminder(database.db, {
    workspaceId: workspace.id,
    managerId: manager.id,
    localDate: '2026-12-08',
    kind: 'digest',
    dueAt: DUE_AT,
    wantedAt: DUE_AT,
  });
  if (!id) throw new Error('a digest was already planned');
  return id;
}

async function claimAt(now: Date) {
  const [{ deliveries }, reminders] = await Promise.all([
    claimDeliveries(database.db, now, { limit: 100, leaseMs: LEASE_MS }),
    claimReminders(database.db, now, { limit: 100, leaseMs: LEASE_MS }),
  ]);
  return {
    deliveries: deliveries.map((row) => row.slackUserId).sort(),
    reminders: reminders.map((row) => row.id).sort(),
  };
}

function holdOf(workspace: TestWorkspace) {
  return database.db
    .selectFrom('workspaces')
    .where('id', '=', workspace.id)
    .select('slack_rate_limited_until as until')
    .executeTakeFirstOrThrow();
}

describe('when Slack rate-limits one workspace', () => {
  it('then no claim hands out its deliveries or reminders until Retry-After has passed, and other workspaces go on', async () => {
    const [limited, other] = [
      await createWorkspace(database.db),
      await createWorkspace(database.db),
    ];
    const first = await createSubscriber(database.db, limited, {}, SUBSCRIBED_AT);
    const second = await createSubscriber(database.db, limited, {}, SUBSCRIBED_AT);
    const elsewhere = await createSubscriber(database.db, other, {}, SUBSCRIBED_AT);
    await planDueDeliveries(database.db, at(-2 * 60_000));
    // One sender claims the first note alone, and Slack answers 429 with Retry-After 30.
    const [claimed] = (await claimDeliveries(database.db, DUE_AT, { limit: 1, leaseMs: LEASE_MS }))
      .deliveries;
    expect(claimed?.slackUserId).toBe(first.who.slackUserId);
    const outcome = await reportDeliveryFailure(
      database.db,
      claimed?.id ?? '',
      { attempt: 1, code: 'ratelimited', kind: 'rate_limited', retryAfterSeconds: 30 },
      at(1_000),
    );
    expect(outcome).toEqual({ status: 'retrying', retryAt: at(31_000), subscriptionPaused: false });
    expect(await holdOf(limited)).toEqual({ until: at(31_000) });
    expect(await holdOf(other)).toEqual({ until: null });

    const digests = {
      limited: await digestDue(limited, second),
      other: await digestDue(other, elsewhere),
    };
    // Another sender, 2 s later: only the other workspace's note and digest.
    expect(await claimAt(at(2_000))).toEqual({
      deliveries: [elsewhere.who.slackUserId],
      reminders: [digests.other],
    });
    // Every lease has run out by now (nothing was confirmed): the other workspace's rows come
    // round again, the limited one's do not, as it is held until +31 s.
    expect(await claimAt(at(30_999))).toEqual({
      deliveries: [elsewhere.who.slackUserId],
      reminders: [digests.other],
    });
    // Once the hold ends, everything of the limited workspace goes out again.
    expect(await claimAt(at(31_000))).toEqual({
      deliveries: [first.who.slackUserId, second.who.slackUserId].sort(),
      reminders: [digests.limited],
    });
  });

  it('then a shorter Retry-After reported later does not cut the hold short, and a reminder’s 429 holds the workspace too', async () => {
    const workspace = await createWorkspace(database.db);
    const manager = await createSubscriber(database.db, workspace, {}, SUBSCRIBED_AT);
    const digest = await digestDue(workspace, manager);
    const [reminder] = await claimReminders(database.db, DUE_AT, { limit: 100, leaseMs: LEASE_MS });
    expect(reminder?.id).toBe(digest);
    const limited = { code: 'ratelimited', kind: 'rate_limited' as const };

    await reportReminderFailure(
      database.db,
      digest,
      { ...limited, attempt: 1, retryAfterSeconds: 60 },
      DUE_AT,
    );
    expect(await holdOf(workspace)).toEqual({ until: at(60_000) });
    // A report about a stale claim changes nothing about the row, but its 429 still counts.
    await reportReminderFailure(
      database.db,
      digest,
      { ...limited, attempt: 7, retryAfterSeconds: 5 },
      at(1_000),
    );
    expect(await holdOf(workspace)).toEqual({ until: at(60_000) });
    // A transient failure or a 429 without Retry-After sets no hold of its own.
    await reportReminderFailure(database.db, digest, { ...limited, attempt: 1 }, at(2_000));
    expect(await holdOf(workspace)).toEqual({ until: at(60_000) });
  });
});
