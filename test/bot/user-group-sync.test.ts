/**
 * The analytics teams kept in step with Slack, through the stand-in and Slack-signed events:
 * the bot reads the user groups when Slack says one changed, reads a group's members once an
 * admin chose it (its poll picks up the request), follows member changes and disabled groups,
 * and records Slack's refusal for the settings page. The bot never touches the database: what
 * it read is asserted through the business layer the API serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { chooseTeams, userGroupChoices } from '../../src/core/user-groups/service.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';

/** The stand-in's own team: the one its bot token belongs to. */
const TEAM = 'T0STANDIN';
const NOW = new Date('2026-03-20T12:00:00Z');
const POLL = { timeout: 10_000, interval: 50 };

let harness: SlackHarness;

beforeAll(async () => {
  harness = await startSlackHarness({ teamId: TEAM, clock: () => NOW, userGroupPollMs: 100 });
});

afterAll(async () => {
  await harness?.close();
});

/** The groups as the settings page gets them; none while the workspace is unknown. */
async function choices() {
  try {
    return await userGroupChoices(harness.database.db, TEAM);
  } catch (error) {
    if (error instanceof AppError && error.code === 'workspace_not_found') return undefined;
    throw error;
  }
}

const group = async (id: string) => (await choices())?.groups.find((g) => g.slackGroupId === id);

describe('syncing Slack user groups', () => {
  it('when Slack says a group was created, then the bot reads the groups; once an admin chooses one, its members', async () => {
    const { standIn, slack } = harness;
    standIn.setUserGroup({
      id: 'S0ALPHA',
      handle: 'alpha',
      name: 'Alpha',
      users: ['U0A1', 'U0A2', 'U0A3'],
    });
    standIn.setUserGroup({ id: 'S0BETA', handle: 'beta', name: 'Beta', users: ['U0B1'] });
    const sent = await slack.event({
      type: 'subteam_created',
      subteam: { id: 'S0ALPHA', team_id: TEAM },
    });
    expect(sent.status).toBe(200);
    await expect
      .poll(
        async () => (await choices())?.groups.map((g) => [g.slackGroupId, g.name, g.isTeam]),
        POLL,
      )
      .toEqual([
        ['S0ALPHA', 'Alpha', false],
        ['S0BETA', 'Beta', false],
      ]);
    // Nobody chose a group yet: no member list was read.
    expect(standIn.callsTo('usergroups.users.list')).toEqual([]);

    await chooseTeams(harness.database.db, TEAM, ['S0ALPHA'], NOW);
    await expect.poll(async () => (await group('S0ALPHA'))?.members, POLL).toBe(3);
    expect(standIn.callsTo('usergroups.users.list').map((call) => call.args.usergroup)).toEqual([
      'S0ALPHA',
    ]);
    await expect
      .poll(async () => (await choices())?.sync, POLL)
      .toEqual({
        syncedAt: NOW.toISOString(),
        requested: false,
        error: null,
      });
  });

  it('when members change in Slack, then the team follows the subteam_members_changed event', async () => {
    const { standIn, slack } = harness;
    standIn.setUserGroup({
      id: 'S0ALPHA',
      handle: 'alpha',
      name: 'Alpha leads',
      users: ['U0A1', 'U0A2', 'U0A3', 'U0A4'],
    });
    await slack.event({
      type: 'subteam_members_changed',
      subteam_id: 'S0ALPHA',
      team_id: TEAM,
      added_users: ['U0A4'],
      added_users_count: 1,
      removed_users: [],
      removed_users_count: 0,
    });
    await expect.poll(async () => (await group('S0ALPHA'))?.members, POLL).toBe(4);
    expect(await group('S0ALPHA')).toMatchObject({ name: 'Alpha leads', isTeam: true });
  });

  it('when a group is disabled in Slack, then it is marked gone and keeps no members', async () => {
    const { standIn, slack } = harness;
    standIn.disableUserGroup('S0ALPHA');
    await slack.event({ type: 'subteam_updated', subteam: { id: 'S0ALPHA', team_id: TEAM } });
    await expect.poll(async () => (await group('S0ALPHA'))?.removed, POLL).toBe(true);
    expect(await group('S0ALPHA')).toMatchObject({ members: 0, isTeam: true });
    expect((await group('S0BETA'))?.removed).toBe(false);
  });

  it('when Slack refuses the list, then its reason is kept for the settings page', async () => {
    const { standIn, slack } = harness;
    standIn.failNext('usergroups.list', { error: 'missing_scope' });
    await slack.event({ type: 'subteam_updated', subteam: { id: 'S0BETA', team_id: TEAM } });
    await expect.poll(async () => (await choices())?.sync.error, POLL).toBe('missing_scope');
    // The next sync that works clears it.
    await slack.event({ type: 'subteam_updated', subteam: { id: 'S0BETA', team_id: TEAM } });
    await expect.poll(async () => (await choices())?.sync.error, POLL).toBeNull();
  });
});
