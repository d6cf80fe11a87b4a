/**
 * Public holidays (issue 18, item 3), end to end: the manager picks their country and region on
 * the Home tab (the menu offering places as they type); a note due on one of its public holidays
 * is recorded as skipped_holiday, not sent, and the Home tab says why; an unknown place is
 * refused with a message and nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDueDeliveries } from '../../src/core/deliveries/service.ts';
import {
  nextCall,
  type SlackHarness,
  signupModalValues,
  startSlackHarness,
} from '../support/slack-harness.ts';
import { encodeSlackForm } from '../support/slack-requests.ts';

const TEAM = 'T0HOLIDAYS';
const MAX = 'U0MAX';
const BERLIN = 'Europe/Berlin';
let harness: SlackHarness;
/** Thursday 24 December 2026, 09:30 in Berlin: Max's first note is Friday's, Christmas Day. */
let clock = new Date('2026-12-24T08:30:00Z');

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  harness.standIn.addUser({ id: MAX, teamId: TEAM, tz: BERLIN });
  const submitted = await harness.slack.viewSubmission({
    userId: MAX,
    callbackId: 'signup_modal',
    values: signupModalValues({ weekdays: [1, 2, 3, 4, 5], localTime: '09:00', timeZone: BERLIN }),
  });
  expect(submitted.body).toBe('');
  // The sign-up shows the Home tab after closing the modal: wait for it, so that the Home tab a
  // test waits for is its own.
  await harness.standIn.waitForCall('views.publish', (call) => call.args.user_id === MAX);
});

afterAll(async () => {
  await harness?.close();
});

/** Max picks a place from the Home tab's menu; resolves with the Slack call that followed. */
function pickPlace(value: string, name: string, method: 'views.publish' | 'chat.postMessage') {
  return nextCall(harness.standIn, method, () =>
    harness.slack.blockActions({
      userId: MAX,
      actionId: 'home_holiday_place',
      actionType: 'external_select',
      action: { selected_option: { text: { type: 'plain_text', text: name }, value } },
      view: { type: 'home' },
    }),
  );
}

async function keptPlace() {
  return harness.database.db
    .selectFrom('managers')
    .where('slack_user_id', '=', MAX)
    .select(['holiday_country', 'holiday_region'])
    .executeTakeFirstOrThrow();
}

describe('when a manager picks the country whose holidays they keep', () => {
  it('then the menu offers the places matching what they type', async () => {
    const payload = {
      type: 'block_suggestion',
      user: { id: MAX, team_id: TEAM },
      team: { id: TEAM, domain: 'holidays' },
      api_app_id: harness.standIn.identity.appId,
      action_id: 'home_holiday_place',
      block_id: 'holidays',
      value: 'bayern',
      view: { id: 'V0HOME', type: 'home' },
    };
    const response = await harness.slack.raw({
      body: encodeSlackForm({ payload: JSON.stringify(payload) }),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      options: [{ text: { type: 'plain_text', text: 'Germany: Bayern' }, value: 'DE/BY' }],
    });
  });

  it('then an unknown country is refused in a DM, and nothing is saved', async () => {
    const refused = await pickPlace('XX', 'Nowhere', 'chat.postMessage');
    expect(refused.args.text).toBe(
      '"XX" is not a country we know the holidays of. Pick one from the list.',
    );
    expect(await keptPlace()).toEqual({ holiday_country: null, holiday_region: null });
  });

  it('then the Home tab shows the place kept', async () => {
    const home = await pickPlace('DE/BY', 'Germany: Bayern', 'views.publish');
    expect(JSON.stringify(home.args.view)).toContain(
      '*Public holidays:* Germany: Bayern. No note comes on its public holidays.',
    );
    expect(await keptPlace()).toEqual({ holiday_country: 'DE', holiday_region: 'BY' });
  });

  it('then no note comes on a public holiday there, and the Home tab says why', async () => {
    const { database, standIn } = harness;
    clock = new Date('2026-12-25T07:56:00Z');
    expect(await planDueDeliveries(database.db, clock)).toMatchObject({ planned: 0, skipped: 1 });
    const christmas = await database.db
      .selectFrom('deliveries')
      .where('local_date', '=', '2026-12-25')
      .select(['status', 'topic_id'])
      .executeTakeFirstOrThrow();
    expect(christmas).toEqual({ status: 'skipped_holiday', topic_id: null });

    // The next note day is an ordinary one: Monday 28th.
    clock = new Date('2026-12-28T07:56:00Z');
    expect(await planDueDeliveries(database.db, clock)).toMatchObject({ planned: 1, skipped: 0 });
    clock = new Date('2026-12-28T08:00:00Z');
    await standIn.waitForCall('chat.postMessage', (call) =>
      JSON.stringify(call.args.blocks ?? []).includes('Why it matters'),
    );

    const home = await nextCall(standIn, 'views.publish', () =>
      harness.slack.event({ type: 'app_home_opened', user: MAX, tab: 'home' }),
    );
    expect(JSON.stringify(home.args.view)).toMatch(
      /Notes skipped\*\\n• Friday, December 25: a public holiday \(Christmas Day\)/,
    );
  });

  it('then "None" stops keeping holidays', async () => {
    const home = await pickPlace('none', 'None: send notes on holidays too', 'views.publish');
    expect(JSON.stringify(home.args.view)).toContain('*Public holidays:* none.');
    expect(await keptPlace()).toEqual({ holiday_country: null, holiday_region: null });
  });
});
