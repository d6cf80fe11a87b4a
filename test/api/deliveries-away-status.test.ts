/**
 * The claim and the kept Slack statuses, over real HTTP (issue 19, items 1–2): a note whose
 * manager's status is fresh and says out is recorded skipped_away in the claim itself and never
 * handed out; every other note goes out with `statusKnown`, which tells the bot whether it still
 * has to read Slack before posting. The statuses are pushed the way the bot pushes them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, ClaimedDelivery } from '../../src/bot/api-client/index.ts';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import { setUpTestApp } from '../support/app.ts';
import { createSubscriber, createWorkspace, type TestSubscriber } from '../support/factories.ts';
import { botApiClient } from '../support/service-calls.ts';

const SUBSCRIBED_AT = new Date('2026-12-07T12:00:00Z');
/** 09:00 in Berlin on 2026-12-08: the subscribers' delivery time. */
const DUE_AT = new Date('2026-12-08T08:00:00Z');
const HOUR_MS = 3_600_000;

let api: ApiClient;
let clock = SUBSCRIBED_AT;

const testApp = setUpTestApp({ clock: () => clock });

beforeAll(async () => {
  api = botApiClient(testApp.url, () => clock);
});

const ago = (ms: number) => new Date(DUE_AT.getTime() - ms).toISOString();
const later = (ms: number) => new Date(DUE_AT.getTime() + ms).toISOString();

function ledgerRowOf(manager: TestSubscriber) {
  return testApp.database.db
    .selectFrom('deliveries')
    .where('manager_id', '=', manager.id)
    .select(['status', 'attempts', 'lease_expires_at as leaseExpiresAt'])
    .executeTakeFirstOrThrow();
}

describe('when the bot claims the notes of managers whose statuses are kept', () => {
  const people = new Map<string, TestSubscriber>();
  let claimed: ClaimedDelivery[] = [];

  function person(name: string): TestSubscriber {
    const found = people.get(name);
    if (!found) throw new Error(`no subscriber ${name}`);
    return found;
  }

  /** Pushes one manager's status as read at `readAt`. */
  async function statusOf(
    person: TestSubscriber,
    readAt: string,
    status: { away: boolean; until?: string },
  ) {
    const answer = await api.putMemberStatuses(person.who.slackTeamId, {
      readAt,
      statuses: [{ slackUserId: person.who.slackUserId, ...status }],
    });
    expect(answer).toEqual({ updated: 1 });
  }

  beforeAll(async () => {
    const workspace = await createWorkspace(testApp.database.db);
    for (const name of [
      'outForGood',
      'outTillNoon',
      'outLongAgo',
      'outAtTheEdge',
      'neverRead',
      'backAlready',
      'in',
    ]) {
      people.set(name, await createSubscriber(testApp.database.db, workspace, {}, SUBSCRIBED_AT));
    }
    await planDueDeliveries(testApp.database.db, new Date(DUE_AT.getTime() - 2 * 60_000));
    await statusOf(person('outForGood'), ago(HOUR_MS), { away: true });
    await statusOf(person('outTillNoon'), ago(HOUR_MS), {
      away: true,
      until: later(3 * HOUR_MS),
    });
    // Read 36 hours and a second before the claim: too old to trust.
    await statusOf(person('outLongAgo'), ago(36 * HOUR_MS + 1000), { away: true });
    // Read exactly 36 hours before: still trusted.
    await statusOf(person('outAtTheEdge'), ago(36 * HOUR_MS), { away: true });
    // "Out" until an hour before the note was due: over.
    await statusOf(person('backAlready'), ago(2 * HOUR_MS), {
      away: true,
      until: ago(HOUR_MS),
    });
    await statusOf(person('in'), ago(60_000), { away: false });

    clock = DUE_AT;
    claimed = await api.claimDeliveries(100, 20);
  });

  const claimOf = (name: string) =>
    claimed.find((delivery) => delivery.slackUserId === person(name).who.slackUserId);

  it('then a note whose manager is known to be out is not handed out, and the ledger records it skipped_away', async () => {
    for (const name of ['outForGood', 'outTillNoon', 'outAtTheEdge']) {
      expect(claimOf(name), name).toBeUndefined();
      expect(await ledgerRowOf(person(name)), name).toEqual({
        status: 'skipped_away',
        attempts: 1,
        leaseExpiresAt: null,
      });
    }
  });

  it('then a note whose manager’s status is unknown or stale goes out with statusKnown false', () => {
    expect(claimOf('neverRead')).toMatchObject({ statusKnown: false });
    expect(claimOf('outLongAgo')).toMatchObject({ statusKnown: false });
  });

  it('then a note whose manager is known to be in, or whose "out" is over, goes out with statusKnown true', () => {
    expect(claimOf('in')).toMatchObject({ statusKnown: true });
    expect(claimOf('backAlready')).toMatchObject({ statusKnown: true });
    expect(claimed).toHaveLength(4);
  });

  it('then a skipped note is not claimed again once the leases have run out; the others are', async () => {
    clock = new Date(DUE_AT.getTime() + 60_000);
    const again = await api.claimDeliveries(100, 20);
    expect(again.map((delivery) => delivery.id).sort()).toEqual(
      claimed.map((delivery) => delivery.id).sort(),
    );
    expect(await ledgerRowOf(person('outForGood'))).toMatchObject({ status: 'skipped_away' });
  });
});
