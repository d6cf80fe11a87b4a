/**
 * Issue 17, item 5: no silent failures. The App Home's Sign up and digest buttons tell the
 * manager when they fail (a DM: the Home tab has no place for a reply), and a sign-up that fails
 * for no one field says so on top of the modal, not under "Which days?". Signed requests, the
 * real service, the Slack stand-in, real PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nextCall,
  type SlackHarness,
  signupModalValues,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0FAILS';
const KIM = 'U0KIM';
let harness: SlackHarness;

beforeAll(async () => {
  harness = await startSlackHarness({
    teamId: TEAM,
    clock: () => new Date('2026-11-23T07:58:00Z'),
  });
  harness.standIn.addUser({ id: KIM, teamId: TEAM, tz: 'Europe/Berlin' });
});

afterAll(async () => {
  await harness?.close();
});

function clickOnHome(actionId: string) {
  return harness.slack.blockActions({
    userId: KIM,
    actionId,
    value: 'x',
    view: { id: 'V0HOME', type: 'home' },
  });
}

describe('the App Home', () => {
  it('tells the manager by DM when Sign up cannot open its modal', async () => {
    harness.standIn.failNext('views.open', { error: 'expired_trigger_id' });
    const told = await nextCall(harness.standIn, 'chat.postMessage', () =>
      clickOnHome('home_sign_up'),
    );
    expect(told.args.channel).toBe(KIM);
    expect(String(told.args.text)).toBe(
      'Sorry, Blindspot could not do that just now. Nothing was changed; please try again in a minute.',
    );
  });

  it('tells the manager by DM when the digest toggle fails (here: not signed up yet)', async () => {
    const told = await nextCall(harness.standIn, 'chat.postMessage', () =>
      clickOnHome('home_digest_on'),
    );
    expect(told.args.channel).toBe(KIM);
    expect(String(told.args.text)).toBe(
      'You are not signed up yet. Type `/blindspot` to choose your days.',
    );
  });
});

describe('the sign-up modal', () => {
  it('shows a failure that belongs to no field on top of the modal, keeping its fields', async () => {
    const opened = await nextCall(harness.standIn, 'views.open', () =>
      harness.slack.slashCommand({ command: '/blindspot', text: '', userId: KIM }),
    );
    const view = opened.args.view as {
      blocks: Array<{ block_id?: string }>;
      title: { text: string };
    };
    // The API fails at the database: no field is to blame.
    await sql`ALTER TABLE subscriptions RENAME TO subscriptions_away`.execute(harness.database.db);
    let response: Awaited<ReturnType<SlackHarness['slack']['viewSubmission']>>;
    try {
      response = await harness.slack.viewSubmission({
        userId: KIM,
        callbackId: 'signup_modal',
        values: signupModalValues({ weekdays: [1], localTime: '09:00', timeZone: 'Europe/Berlin' }),
        blocks: view.blocks as never,
        title: view.title.text,
      });
    } finally {
      await sql`ALTER TABLE subscriptions_away RENAME TO subscriptions`.execute(
        harness.database.db,
      );
    }
    const answer = response.json() as {
      response_action: string;
      view: { blocks: Array<{ block_id?: string; text?: { text: string } }> };
    };
    expect(answer.response_action).toBe('update');
    const [top, ...rest] = answer.view.blocks;
    expect(top).toMatchObject({ block_id: 'modal_problem' });
    expect(top?.text?.text).toContain('Not saved.');
    expect(top?.text?.text).toContain('please try again in a minute');
    // The same fields, with the same ids, so Slack keeps what was entered.
    expect(rest.map((block) => block.block_id)).toEqual(view.blocks.map((b) => b.block_id));
  });
});
