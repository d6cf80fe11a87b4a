/**
 * A manager's data rights in Slack (issue 16, item 6), end to end with real signed requests:
 * `/blindspot export` DMs a link that downloads their data once; `/blindspot delete my data` and
 * the Home tab's button open a confirmation, and its submission erases everything about them and
 * says so in a DM; a second manager is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasedText } from '../../src/bot/blocks/data-rights.ts';
import { exportSentText } from '../../src/bot/blocks/messages.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import { footprintOf, leftoversOf } from '../support/erasure-checks.ts';
import {
  type ReceivedNote,
  type SlackHarness,
  signUpAndReceiveNote,
  startSlackHarness,
} from '../support/slack-harness.ts';

const ERASED_TEXT = erasedText(voiceFor());
const EXPORT_SENT_TEXT = exportSentText(voiceFor());

const TEAM = 'T0RIGHTS';
const PUBLIC_URL = 'https://blindspot.example.org';
let harness: SlackHarness;
let clock = new Date('2026-11-22T12:00:00Z');
const setClock = (at: Date) => {
  clock = at;
};
let erin: ReceivedNote;
let finn: ReceivedNote;

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock, env: { PUBLIC_URL } });
  erin = await signUpAndReceiveNote(harness, { userId: 'U0ERIN', setClock });
  finn = await signUpAndReceiveNote(harness, { userId: 'U0FINN', setClock });
}, 90_000);

afterAll(async () => {
  await harness?.close();
});

async function managerId(slackUserId: string): Promise<string> {
  const row = await harness.database.db
    .selectFrom('managers')
    .where('slack_user_id', '=', slackUserId)
    .select('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('/blindspot export', () => {
  it('DMs a link to the JSON file of their data, which downloads once', async () => {
    const { slack, standIn, app } = harness;
    const command = await slack.slashCommand({
      command: '/blindspot',
      text: 'export',
      userId: 'U0ERIN',
    });
    expect(command.status).toBe(200);
    const dm = await standIn.waitForCall(
      'chat.postMessage',
      (call) =>
        call.args.channel === 'U0ERIN' && String(call.args.text).includes('/exports?token='),
    );
    const reply = await standIn.waitForResponseUrlPost((p) => p.url === command.responseUrl);
    expect(JSON.stringify(reply.body)).toContain(EXPORT_SENT_TEXT);

    const url = /<(https:[^|>]+)\|/.exec(String(dm.args.text))?.[1];
    expect(url?.startsWith(`${PUBLIC_URL}/api/v1/exports?token=`)).toBe(true);
    const download = await fetch(String(url).replace(PUBLIC_URL, app.url));
    expect(download.status).toBe(200);
    const file = (await download.json()) as Record<string, Record<string, unknown> | unknown[]>;
    expect(file.profile).toMatchObject({ slack_user_id: 'U0ERIN' });
    // Erin's notes so far (a second came while Finn signed up), and no one else's.
    expect(file.deliveries).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: erin.deliveryId })]),
    );
    expect(JSON.stringify(file)).not.toContain('U0FINN');
    expect((await fetch(String(url).replace(PUBLIC_URL, app.url))).status).toBe(410);
  });
});

describe('erasing from Slack', () => {
  it('opens the same confirmation from the Home tab, and erases nothing on its own', async () => {
    const { slack, standIn } = harness;
    const click = await slack.blockActions({
      userId: 'U0FINN',
      actionId: 'home_erase_data',
      view: { type: 'home' },
    });
    expect(click.status).toBe(200);
    const opened = await standIn.waitForCall(
      'views.open',
      (call) => call.args.trigger_id === click.triggerId,
    );
    expect((opened.args.view as { callback_id: string }).callback_id).toBe('erase_my_data');
    expect(
      await leftoversOf(harness.database.db, {
        managerId: await managerId('U0FINN'),
        slackUserId: 'U0FINN',
      }),
    ).not.toEqual([]);
  });

  it('when a manager types /blindspot delete my data and confirms, then everything about them is gone and a DM says so', async () => {
    const { slack, standIn, database } = harness;
    const erinPerson = { managerId: await managerId('U0ERIN'), slackUserId: 'U0ERIN' };
    const finnPerson = { managerId: await managerId('U0FINN'), slackUserId: 'U0FINN' };
    const finnBefore = await footprintOf(database.db, finnPerson);

    const command = await slack.slashCommand({
      command: '/blindspot',
      text: 'delete  my  data',
      userId: 'U0ERIN',
    });
    expect(command.status).toBe(200);
    const opened = await standIn.waitForCall(
      'views.open',
      (call) => call.args.trigger_id === command.triggerId,
    );
    expect(JSON.stringify(opened.args.view)).toContain('cannot be undone');
    // Nothing is erased until the manager confirms.
    expect(await leftoversOf(database.db, erinPerson)).not.toEqual([]);

    const submitted = await slack.viewSubmission({
      userId: 'U0ERIN',
      callbackId: 'erase_my_data',
      values: {},
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    await standIn.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === 'U0ERIN' && call.args.text === ERASED_TEXT,
    );
    expect(await leftoversOf(database.db, erinPerson)).toEqual([]);
    expect(await footprintOf(database.db, finnPerson)).toEqual(finnBefore);
    expect(finn.deliveryId).toBeTruthy();
  });
});
