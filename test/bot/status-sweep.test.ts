/**
 * The status sweep end to end (issue 19): the bot asks the real API which workspaces are due,
 * pages through the stand-in's users.list (more than one page of 200), and what the API keeps is
 * read back from the database: managers' away state only (none for deleted members, bots or
 * people who are not managers), and the workspace marked swept. A Slack error leaves the
 * workspace unswept, is logged, and the sweep is tried again later; a 429 is waited out.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createManager, createWorkspace } from '../support/factories.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';

/** The stand-in's own team: the one its bot token belongs to. */
const TEAM = 'T0STANDIN';
const NOW = new Date('2026-12-07T08:00:00Z');
const HOUR = 3_600_000;
const POLL = { timeout: 15_000, interval: 50 };
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

const ANA = 'U0SWANA';
const BEN = 'U0SWBEN';
const CARL = 'U0SWCARL';
const DORA = 'U0SWDORA';
const EVE = 'U0SWEVE';
const FINN = 'U0SWFINN';
const GUS = 'U0SWGUS';
/** Out of office, but no manager: nothing about them may be kept. */
const NOT_A_MANAGER = 'U0SWNOBODY';
const MANAGERS = [ANA, BEN, CARL, DORA, EVE, FINN, GUS];
const ANA_BACK = new Date(NOW.getTime() + 72 * HOUR);
const GUS_BACK = new Date(NOW.getTime() + 40 * HOUR);

let clock = NOW;
let harness: SlackHarness;
/** How many times the bot has asked the API which workspaces are due a sweep. */
let duePolls = 0;

beforeAll(async () => {
  harness = await startSlackHarness({
    teamId: TEAM,
    clock: () => clock,
    statusSweepPollMs: 50,
    wrapApiFetch: (apiFetch) => async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/api/v1/workspaces/status-sweeps/claims')) duePolls += 1;
      return apiFetch(input, init);
    },
  });
  const { standIn } = harness;
  // The bot user comes first in users.list, then these in this order: 6 + 1 + 220 fillers + Gus
  // puts Gus on the second page of 200.
  standIn.addUser({
    id: ANA,
    status: { text: 'Vacation', emoji: ':palm_tree:', expiration: seconds(ANA_BACK) },
  });
  standIn.addUser({ id: BEN, status: { emoji: ':palm_tree:', expiration: 0 } });
  standIn.addUser({ id: CARL, status: { text: 'In a meeting', emoji: ':calendar:' } });
  standIn.addUser({ id: DORA, status: { text: 'OOO', expiration: seconds(NOW) - 60 } });
  standIn.addUser({ id: EVE, deleted: true, status: { text: 'OOO' } });
  standIn.addUser({ id: FINN, isBot: true, status: { text: 'OOO' } });
  standIn.addUser({ id: NOT_A_MANAGER, status: { text: 'Out of office' } });
  for (let i = 0; i < 220; i += 1) {
    standIn.addUser({ id: `U0SWFILL${String(i).padStart(3, '0')}` });
  }
  standIn.addUser({
    id: GUS,
    status: { text: 'Off sick', emoji: ':face_with_thermometer:', expiration: seconds(GUS_BACK) },
  });
  const workspace = await createWorkspace(harness.database.db, TEAM);
  for (const slackUserId of MANAGERS) {
    await createManager(harness.database.db, workspace, { slackUserId });
  }
  // A sweep may have run while the managers were being added: wait for it to finish, so that
  // each test's sweep below starts after its clock is set.
  await vi.waitFor(async () => expect(await sweptAt()).toEqual(NOW), POLL);
});

afterAll(async () => {
  await harness?.close();
});

async function sweptAt(): Promise<Date | null | undefined> {
  const row = await harness.database.db
    .selectFrom('workspaces')
    .where('slack_team_id', '=', TEAM)
    .select('statuses_swept_at')
    .executeTakeFirst();
  return row?.statuses_swept_at;
}

/** What is kept per Slack user: away until (Infinity: no end), and when it was read. */
async function kept() {
  const rows = await harness.database.db
    .selectFrom('managers')
    .select(['slack_user_id', 'away_until', 'status_read_at'])
    .orderBy('slack_user_id')
    .execute();
  return Object.fromEntries(
    rows.map((row) => [row.slack_user_id, { until: row.away_until, readAt: row.status_read_at }]),
  );
}

function usersListCallsSince(count: number) {
  return harness.standIn.callsTo('users.list').slice(count);
}

describe('the status sweep', () => {
  it('when a workspace is due, then every page is read and only managers’ away state is kept', async () => {
    const calls = harness.standIn.callsTo('users.list').length;
    clock = new Date(NOW.getTime() + 13 * HOUR);
    await expect.poll(sweptAt, POLL).toEqual(clock);

    expect(await kept()).toEqual({
      [ANA]: { until: ANA_BACK, readAt: clock },
      [BEN]: { until: Number.POSITIVE_INFINITY, readAt: clock },
      [CARL]: { until: null, readAt: clock },
      [DORA]: { until: null, readAt: clock },
      // A deactivated member and a bot are skipped: whatever they were is left alone.
      [EVE]: { until: null, readAt: null },
      [FINN]: { until: null, readAt: null },
      [GUS]: { until: GUS_BACK, readAt: clock },
    });
    const pages = usersListCallsSince(calls);
    expect(pages.map((call) => [call.args.limit, call.args.cursor !== undefined])).toEqual([
      ['200', false],
      ['200', true],
    ]);
    expect(
      pages.map((call) => (call.response.body as { members: unknown[] }).members.length),
    ).toEqual([200, 29]);
  });

  it('when Slack fails mid-sweep, then the pages read are kept, it is logged, and the sweep is tried again later', async () => {
    const { standIn, app } = harness;
    const before = clock;
    clock = new Date(before.getTime() + 13 * HOUR);
    const failedAt = clock;
    const calls = standIn.callsTo('users.list').length;
    standIn.failNext('users.list', { error: 'fatal_error', when: (args) => 'cursor' in args });
    standIn.addUser({ id: ANA, status: { text: 'Back at work' } });

    await expect
      .poll(
        () =>
          app.logs.lines.find(
            (line) => line.component === 'status-sweep' && line.code === 'fatal_error',
          ),
        POLL,
      )
      .toMatchObject({ teamId: TEAM, msg: 'could not sweep the member statuses; will try again' });
    // The first page was pushed as read; the workspace is not marked swept.
    expect((await kept())[ANA]).toEqual({ until: null, readAt: failedAt });
    expect((await kept())[GUS]).toEqual({ until: GUS_BACK, readAt: before });
    expect(await sweptAt()).toEqual(before);
    expect(usersListCallsSince(calls)).toHaveLength(2);

    // Still due, but not tried again at once: the next polls leave Slack alone.
    const polled = duePolls;
    await expect.poll(() => duePolls, POLL).toBeGreaterThanOrEqual(polled + 3);
    expect(usersListCallsSince(calls)).toHaveLength(2);
    clock = new Date(failedAt.getTime() + 16 * 60_000);
    await expect.poll(sweptAt, POLL).toEqual(clock);
    expect((await kept())[GUS]).toEqual({ until: GUS_BACK, readAt: clock });
    expect(usersListCallsSince(calls)).toHaveLength(4);
  });

  it('when Slack rate-limits a page, then the sweep waits it out and finishes', async () => {
    const { standIn } = harness;
    clock = new Date(clock.getTime() + 13 * HOUR);
    const calls = standIn.callsTo('users.list').length;
    standIn.rateLimitNext('users.list', { retryAfterSeconds: 1, when: (args) => 'cursor' in args });

    await expect.poll(sweptAt, POLL).toEqual(clock);
    expect(
      usersListCallsSince(calls).map((call) => [call.response.status, 'cursor' in call.args]),
    ).toEqual([
      [200, false],
      [429, true],
      [200, true],
    ]);
    expect((await kept())[GUS]).toEqual({ until: GUS_BACK, readAt: clock });
  });
});

describe('what is kept', () => {
  it('then nothing is about people who are not managers', async () => {
    const rows = await harness.database.db
      .selectFrom('managers')
      .select('slack_user_id')
      .orderBy('slack_user_id')
      .execute();
    expect(rows.map((row) => row.slack_user_id)).toEqual([...MANAGERS].sort());
    expect(rows.map((row) => row.slack_user_id)).not.toContain(NOT_A_MANAGER);
  });
});
