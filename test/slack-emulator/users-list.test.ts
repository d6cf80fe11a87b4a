/**
 * users.list and status changes in the emulator, through a real WebClient: every member, in
 * pages joined by Slack's cursors, with their profile status (what the bot's status sweep reads),
 * deactivated members and bots listed as Slack lists them; and a member changing their status,
 * which every read answers from then on and which yields Slack's `user_status_changed` event.
 */
import type { UsersListResponse } from '@slack/web-api';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../src/slack-emulator/index.ts';

const NOW_SECONDS = 1_780_000_000;
const members = Array.from({ length: 7 }, (_, i) => ({ id: `U0MEMBER${i}`, realName: `M ${i}` }));

describe('Slack emulator: users.list and status changes', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeAll(async () => {
    emulator = await startSlackEmulator({
      now: () => NOW_SECONDS * 1000,
      users: [
        ...members,
        {
          id: 'U0AWAY',
          status: { text: 'Vacation', emoji: ':palm_tree:', expiration: NOW_SECONDS + 86_400 },
        },
        { id: 'U0GONE', deleted: true },
        { id: 'U0OTHERBOT', isBot: true },
      ],
    });
    client = new WebClient('xoxb-users-list', {
      slackApiUrl: emulator.url,
      retryConfig: { retries: 0 },
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('when paged with a limit, then the cursors join the pages into every member, once', async () => {
    const pages: UsersListResponse[] = [];
    for await (const page of client.paginate('users.list', { limit: 3 })) {
      pages.push(page as UsersListResponse);
    }
    expect(pages.map((page) => page.members?.length)).toEqual([3, 3, 3, 2]);
    const ids = pages.flatMap((page) => page.members?.map((member) => member.id) ?? []);
    expect(ids).toEqual([
      emulator.identity.botUserId,
      ...members.map((member) => member.id),
      'U0AWAY',
      'U0GONE',
      'U0OTHERBOT',
    ]);
    expect(pages.at(-1)?.response_metadata?.next_cursor).toBe('');
    expect(pages[0]?.response_metadata?.next_cursor).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(pages[0]?.cache_ts).toBe(NOW_SECONDS);
  });

  it('when read without a limit, then every member comes at once, with status, deleted and is_bot', async () => {
    const answer = await client.users.list({});
    expect(answer.members).toHaveLength(members.length + 4);
    expect(answer.response_metadata?.next_cursor).toBe('');
    const byId = new Map(answer.members?.map((member) => [member.id, member]));
    expect(byId.get('U0AWAY')?.profile).toMatchObject({
      status_text: 'Vacation',
      status_emoji: ':palm_tree:',
      status_expiration: NOW_SECONDS + 86_400,
    });
    expect(byId.get('U0MEMBER0')?.profile).toMatchObject({
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
    });
    expect(byId.get('U0GONE')?.deleted).toBe(true);
    expect(byId.get('U0OTHERBOT')?.is_bot).toBe(true);
    expect(byId.get(emulator.identity.botUserId)?.is_bot).toBe(true);
  });

  it('when the cursor is not one Slack gave, then it answers invalid_cursor', async () => {
    await expect(client.users.list({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_cursor' },
    });
  });

  it('when a member changes their status, then reads answer it and Slack’s event carries it', async () => {
    const event = emulator.setUserStatus('U0MEMBER1', {
      text: 'Out sick',
      emoji: ':face_with_thermometer:',
      expiration: 0,
    });
    expect(event).toMatchObject({
      type: 'user_status_changed',
      user: {
        id: 'U0MEMBER1',
        team_id: emulator.identity.teamId,
        updated: NOW_SECONDS,
        profile: {
          status_text: 'Out sick',
          status_emoji: ':face_with_thermometer:',
          status_expiration: 0,
        },
      },
      event_ts: `${NOW_SECONDS}.000000`,
    });
    const profile = await client.users.profile.get({ user: 'U0MEMBER1' });
    expect(profile.profile?.status_text).toBe('Out sick');
    const listed = await client.users.list({});
    expect(listed.members?.find((m) => m.id === 'U0MEMBER1')?.profile?.status_text).toBe(
      'Out sick',
    );
    // Clearing it is setting an empty one, as in Slack's client.
    emulator.setUserStatus('U0MEMBER1', {});
    expect((await client.users.profile.get({ user: 'U0MEMBER1' })).profile?.status_text).toBe('');
    expect(() => emulator.setUserStatus('U0NOBODY', { text: 'OOO' })).toThrow(/No member/);
  });
});
