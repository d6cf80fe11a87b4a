/**
 * Slack status (issue 18, item 3), end to end: just before a note goes, the bot reads the
 * manager's status with users.profile.get; "out" skips the note, recorded as skipped_away and
 * shown on the Home tab; an expired status, or Slack unable to tell, lets the note go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import {
  nextCall,
  type SlackHarness,
  signupModalValues,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0STATUS';
const LEA = 'U0LEA';
const BERLIN = 'Europe/Berlin';
let harness: SlackHarness;
/** Monday 7 December 2026, 07:00 UTC: an hour before Lea's 09:00 in Berlin. */
let clock = new Date('2026-12-07T07:00:00Z');

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  harness.standIn.addUser({ id: LEA, teamId: TEAM, tz: BERLIN });
  const submitted = await harness.slack.viewSubmission({
    userId: LEA,
    callbackId: 'signup_modal',
    values: signupModalValues({ weekdays: [1, 2, 3, 4, 5], localTime: '09:00', timeZone: BERLIN }),
  });
  expect(submitted.body).toBe('');
  // The sign-up shows the Home tab after closing the modal: wait for it, so that the Home tab a
  // test waits for is its own.
  await harness.standIn.waitForCall('views.publish', (call) => call.args.user_id === LEA);
});

afterAll(async () => {
  await harness?.close();
});

/** Lea's Slack status from now on, as Slack would report it. */
function setStatus(status?: { text?: string; emoji?: string; expiration?: number }) {
  harness.standIn.addUser({ id: LEA, teamId: TEAM, tz: BERLIN, ...(status && { status }) });
}

/** The planner runs before Lea's 09:00 on `day`; the clock moves to it; resolves with the row. */
async function noteDay(day: string, expected: 'sent' | 'skipped_away') {
  const { database } = harness;
  clock = new Date(`${day}T07:56:00Z`);
  expect(await planDueDeliveries(database.db, clock)).toMatchObject({ planned: 1 });
  clock = new Date(`${day}T08:00:00Z`);
  const row = () =>
    database.db
      .selectFrom('deliveries')
      .where('local_date', '=', day)
      .select(['id', 'status'])
      .executeTakeFirstOrThrow();
  await expect.poll(async () => (await row()).status).toBe(expected);
  return row();
}

const notesPosted = (deliveryId: string) =>
  harness.standIn
    .callsTo('chat.postMessage')
    .filter(
      (call) =>
        (call.args.metadata as { event_payload?: { delivery_id?: string } } | undefined)
          ?.event_payload?.delivery_id === deliveryId,
    );

describe('when the manager’s Slack status says they are out', () => {
  it('then the day’s note is not posted and is recorded as skipped_away', async () => {
    setStatus({ text: 'Im Urlaub', emoji: ':palm_tree:', expiration: 0 });
    const profileReads = harness.standIn.callsTo('users.profile.get').length;
    const monday = await noteDay('2026-12-07', 'skipped_away');
    expect(notesPosted(monday.id)).toEqual([]);
    const reads = harness.standIn.callsTo('users.profile.get').slice(profileReads);
    expect(reads.map((call) => call.args.user)).toEqual([LEA]);
    const metrics = await (await fetch(`${harness.app.url}/metrics`)).text();
    expect(metrics).toContain('blindspot_deliveries_skipped_total{reason="away"} 1');
  });

  it('then the Home tab says which day was skipped and why', async () => {
    const home = await nextCall(harness.standIn, 'views.publish', () =>
      harness.slack.event({ type: 'app_home_opened', user: LEA, tab: 'home' }),
    );
    expect(JSON.stringify(home.args.view)).toContain(
      '*Notes skipped*\\n• Monday, December 7: your Slack status said you were out',
    );
  });
});

describe('when the status has expired, or Slack cannot tell', () => {
  it('then an expired "out" status lets the note go', async () => {
    // Set to clear at the end of Monday: by Tuesday it is stale, though Slack still shows it.
    setStatus({ text: 'OOO', expiration: Date.parse('2026-12-07T23:00:00Z') / 1000 });
    const tuesday = await noteDay('2026-12-08', 'sent');
    expect(notesPosted(tuesday.id)).toHaveLength(1);
  });

  it('then a status Slack will not show (an error) lets the note go', async () => {
    setStatus({ text: 'Out of office', emoji: ':airplane:' });
    harness.standIn.failNext('users.profile.get', { error: 'missing_scope' });
    const wednesday = await noteDay('2026-12-09', 'sent');
    expect(notesPosted(wednesday.id)).toHaveLength(1);
  });
});
