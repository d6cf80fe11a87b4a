/**
 * Slack's user_status_changed event end to end (issue 19): a member changes their status in the
 * stand-in, Slack's signed event reaches the bot, and what the API kept is read back from the
 * database: a manager's away state as of the event, and nothing for anyone who is not a manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManager, createWorkspace } from '../support/factories.ts';
import {
  changeSlackStatus,
  type SlackHarness,
  startSlackHarness,
} from '../support/slack-harness.ts';

const TEAM = 'T0STANDIN';
const NOW = new Date('2026-12-07T08:00:00Z');
const POLL = { timeout: 10_000, interval: 50 };
const LENA = 'U0STLENA';
const MARC = 'U0STMARC';
/** A member who never signed up. */
const OMAR = 'U0STOMAR';

let clock = NOW;
let harness: SlackHarness;

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => clock });
  for (const id of [LENA, MARC, OMAR]) harness.standIn.addUser({ id });
  const workspace = await createWorkspace(harness.database.db, TEAM);
  await createManager(harness.database.db, workspace, { slackUserId: LENA });
  await createManager(harness.database.db, workspace, { slackUserId: MARC });
});

afterAll(async () => {
  await harness?.close();
});

async function kept(slackUserId: string) {
  const row = await harness.database.db
    .selectFrom('managers')
    .where('slack_user_id', '=', slackUserId)
    .select(['away_until', 'status_read_at'])
    .executeTakeFirst();
  return row && { until: row.away_until, readAt: row.status_read_at };
}

describe('when a member changes their Slack status', () => {
  it('then a manager’s “out” is kept until it clears, and a status back at work clears it', async () => {
    const back = new Date(NOW.getTime() + 5 * 86_400_000);
    const sent = await changeSlackStatus(harness, LENA, {
      text: 'Im Urlaub',
      emoji: ':palm_tree:',
      expiration: back.getTime() / 1000,
    });
    expect(sent.status).toBe(200);
    await expect.poll(() => kept(LENA), POLL).toEqual({ until: back, readAt: NOW });

    clock = new Date(NOW.getTime() + 3_600_000);
    await changeSlackStatus(harness, LENA, { text: 'Back early', emoji: ':wave:' });
    await expect.poll(() => kept(LENA), POLL).toEqual({ until: null, readAt: clock });
  });

  it('then an “out” with no end is kept with no end', async () => {
    await changeSlackStatus(harness, MARC, { text: 'On parental leave', expiration: 0 });
    await expect
      .poll(() => kept(MARC), POLL)
      .toEqual({ until: Number.POSITIVE_INFINITY, readAt: clock });
  });

  it('then nothing is kept for a member who is not a manager', async () => {
    const managers = async () =>
      (await harness.database.db.selectFrom('managers').select('slack_user_id').execute())
        .map((row) => row.slack_user_id)
        .sort();
    const before = await managers();
    clock = new Date(clock.getTime() + 60_000);
    const sent = await changeSlackStatus(harness, OMAR, { text: 'OOO', emoji: ':palm_tree:' });
    expect(sent.status).toBe(200);
    // A manager's change sent after it is kept: the non-manager's was handled before or beside it.
    await changeSlackStatus(harness, MARC, { text: 'Working', emoji: ':computer:' });
    await expect.poll(() => kept(MARC), POLL).toEqual({ until: null, readAt: clock });

    expect(await kept(OMAR)).toBeUndefined();
    expect(await managers()).toEqual(before);
    // Nor did the listener fail on it: a non-manager is no error, only nothing to keep.
    expect(harness.app.logs.lines.filter((line) => line.component === 'slack-listener')).toEqual(
      [],
    );
  });

  it('then an event not in Slack’s shape is dropped, and a deactivated member’s is ignored', async () => {
    const { slack } = harness;
    clock = new Date(clock.getTime() + 60_000);
    for (const user of [
      undefined,
      LENA,
      {
        id: LENA,
        profile: { status_text: 42, status_emoji: ['palm_tree'], status_expiration: 'x' },
      },
      { id: LENA, deleted: true, profile: { status_text: 'OOO' } },
      { id: 'not an id', profile: { status_text: 'OOO' } },
    ]) {
      expect((await slack.event({ type: 'user_status_changed', user })).status).toBe(200);
    }
    const read = clock;
    await changeSlackStatus(harness, MARC, { text: 'Vacation' });
    await expect.poll(() => kept(MARC), POLL).toMatchObject({ readAt: read });

    // The odd shapes were no fault; the one with a user and no status said "not away".
    expect(await kept(LENA)).toEqual({ until: null, readAt: read });
    expect(harness.app.logs.lines.filter((line) => line.component === 'slack-listener')).toEqual(
      [],
    );
  });
});
