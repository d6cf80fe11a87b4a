/**
 * The contract the bot relies on: @slack/web-api's real WebClient, pointed at the emulator, gets
 * answers of the shapes Slack documents for the methods Blindspot calls. (Their static types are
 * checked at compile time: src/slack-emulator/workspace.ts `StandInAnswers`, and slack-types.ts.)
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/slack-emulator/index.ts';

const MANAGER = 'U0SBKENJI1';
const SLACK_TS = /^\d{10}\.\d{6}$/;

describe('Slack emulator: the Web API contract, through a real WebClient', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeAll(async () => {
    emulator = await startSlackEmulator({
      users: [
        { id: MANAGER, realName: 'Kenji Sato', tz: 'Asia/Tokyo', email: 'kenji@example.com' },
      ],
    });
    client = new WebClient('xoxb-contract', {
      slackApiUrl: emulator.url,
      retryConfig: { retries: 0 },
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('auth.test names the bot user, its bot and team', async () => {
    const answer = await client.auth.test();
    expect(answer).toMatchObject({
      ok: true,
      user_id: emulator.identity.botUserId,
      bot_id: emulator.identity.botId,
      team_id: emulator.identity.teamId,
      is_enterprise_install: false,
    });
    expect(answer.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
  });

  it('usergroups.list lists the enabled groups, usergroups.users.list a group’s members', async () => {
    emulator.setUserGroup({ id: 'S0LEADS', handle: 'leads', name: 'Leads', users: [MANAGER] });
    emulator.setUserGroup({ id: 'S0OLD', handle: 'old', name: 'Old', users: [] });
    emulator.disableUserGroup('S0OLD');
    const listed = await client.usergroups.list({ include_count: true });
    expect(listed.usergroups).toEqual([
      expect.objectContaining({
        id: 'S0LEADS',
        handle: 'leads',
        name: 'Leads',
        team_id: emulator.identity.teamId,
        date_delete: 0,
        user_count: 1,
      }),
    ]);
    const all = await client.usergroups.list({ include_disabled: true });
    expect(all.usergroups?.map((group) => [group.id, group.date_delete === 0])).toEqual([
      ['S0LEADS', true],
      ['S0OLD', false],
    ]);
    expect((await client.usergroups.users.list({ usergroup: 'S0LEADS' })).users).toEqual([MANAGER]);
    await expect(client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
  });

  it('users.info gives the member’s time zone as name, label and offset in seconds', async () => {
    const { user } = await client.users.info({ user: MANAGER });
    expect(user).toMatchObject({
      id: MANAGER,
      real_name: 'Kenji Sato',
      tz: 'Asia/Tokyo',
      tz_offset: 9 * 3600,
      deleted: false,
      is_bot: false,
      profile: { real_name: 'Kenji Sato', email: 'kenji@example.com' },
    });
    expect(typeof user?.tz_label).toBe('string');
  });

  it('conversations.open opens the DM once, then says it was already open', async () => {
    const first = await client.conversations.open({ users: MANAGER });
    const again = await client.conversations.open({ users: MANAGER, return_im: true });
    expect(first.channel?.id).toMatch(/^D/);
    expect(first.already_open).toBeUndefined();
    expect(again).toMatchObject({
      already_open: true,
      channel: { id: first.channel?.id, is_im: true, user: MANAGER },
    });
  });

  it('chat.postMessage, chat.update and conversations.history agree on the message', async () => {
    const channel = emulator.dmChannelIdFor(MANAGER);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Your note*' } }];
    const posted = await client.chat.postMessage({ channel, text: 'Your note', blocks });
    expect(posted.ts).toMatch(SLACK_TS);
    expect(posted).toMatchObject({
      channel,
      message: { type: 'message', text: 'Your note', bot_id: emulator.identity.botId, blocks },
    });

    const updated = await client.chat.update({ channel, ts: posted.ts ?? '', text: 'Read' });
    expect(updated).toMatchObject({
      channel,
      ts: posted.ts,
      text: 'Read',
      message: { text: 'Read' },
    });

    const history = await client.conversations.history({ channel, limit: 10 });
    expect(history).toMatchObject({
      ok: true,
      has_more: false,
      response_metadata: { next_cursor: '' },
    });
    expect(history.messages?.[0]).toMatchObject({ ts: posted.ts, text: 'Read' });
  });

  it('views.open and views.publish answer with Slack’s view object', async () => {
    const opened = await client.views.open({
      trigger_id: emulator.issueTriggerId(MANAGER),
      view: {
        type: 'modal',
        callback_id: 'signup',
        title: { type: 'plain_text', text: 'Sign up' },
        blocks: [],
        private_metadata: '{"from":"home"}',
      },
    });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'signup',
      private_metadata: '{"from":"home"}',
      title: { type: 'plain_text', text: 'Sign up' },
      team_id: emulator.identity.teamId,
      app_id: emulator.identity.appId,
      bot_id: emulator.identity.botId,
      state: { values: {} },
      // Slack answers null, not nothing, for a root view's previous view.
      previous_view_id: null,
      root_view_id: opened.view?.id,
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(typeof opened.view?.hash).toBe('string');

    const home = await client.views.publish({
      user_id: MANAGER,
      view: { type: 'home', blocks: [{ type: 'divider' }] },
    });
    expect(home.view).toMatchObject({ type: 'home', blocks: [{ type: 'divider' }] });
  });
});
