/**
 * The stand-in's conversations.history, and its hook that kills a sender right after Slack took
 * its message: what the outbox's duplicate-window lookup is tested against.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type JsonObject,
  type SlackStandIn,
  startSlackStandIn,
} from '../../src/slack-emulator/index.ts';

const BOT_TOKEN = 'xoxb-1234-5678-standin';
const USER = 'U0MANAGER1';

let standIn: SlackStandIn;
let client: WebClient;
let dm: string;

beforeEach(async () => {
  standIn = await startSlackStandIn({ users: [{ id: USER }, { id: 'U0MANAGER2' }] });
  client = new WebClient(BOT_TOKEN, { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  dm = standIn.dmChannelIdFor(USER);
});

afterEach(async () => {
  await standIn.close();
});

/** Posts `count` messages to the DM, each marked with its number in its metadata. */
async function postNumbered(count: number, channel = dm): Promise<string[]> {
  const stamps: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const posted = await client.chat.postMessage({
      channel,
      text: `message ${n}`,
      metadata: { event_type: 'numbered', event_payload: { n } },
    });
    stamps.push(String(posted.ts));
  }
  return stamps;
}

const texts = (messages: unknown) => (messages as JsonObject[]).map((message) => message.text);

describe('conversations.history', () => {
  it('answers a DM’s messages newest first, without their metadata unless include_all_metadata is set', async () => {
    const [first, second] = await postNumbered(2);

    const plain = await client.conversations.history({ channel: dm });
    expect(plain.ok).toBe(true);
    expect(texts(plain.messages)).toEqual(['message 2', 'message 1']);
    expect(plain.messages?.map((message) => message.ts)).toEqual([second, first]);
    expect(plain.messages?.every((message) => message.metadata === undefined)).toBe(true);
    expect(plain.has_more).toBe(false);

    const full = await client.conversations.history({ channel: dm, include_all_metadata: true });
    expect(full.messages?.map((message) => message.metadata)).toEqual([
      { event_type: 'numbered', event_payload: { n: 2 } },
      { event_type: 'numbered', event_payload: { n: 1 } },
    ]);
  });

  it('keeps messages posted to the user id in that user’s DM, and other DMs apart', async () => {
    await postNumbered(1, USER);
    await postNumbered(1, 'U0MANAGER2');
    const history = await client.conversations.history({ channel: dm });
    expect(texts(history.messages)).toEqual(['message 1']);
  });

  it('bounds the messages by oldest and latest, exclusively unless inclusive is set', async () => {
    const [, second, third, fourth] = await postNumbered(5);
    const exclusive = await client.conversations.history({
      channel: dm,
      oldest: second,
      latest: fourth,
    });
    expect(texts(exclusive.messages)).toEqual(['message 3']);
    expect(exclusive.messages?.[0]?.ts).toBe(third);

    const inclusive = await client.conversations.history({
      channel: dm,
      oldest: second,
      latest: fourth,
      inclusive: true,
    });
    expect(texts(inclusive.messages)).toEqual(['message 4', 'message 3', 'message 2']);

    // A bound in whole seconds, as callers compute it from a date.
    const fromSeconds = Number(String(second).split('.')[0]) - 1;
    const all = await client.conversations.history({ channel: dm, oldest: String(fromSeconds) });
    expect(all.messages?.length).toBeGreaterThanOrEqual(4);
  });

  it('pages by limit with a next_cursor until has_more is false', async () => {
    await postNumbered(5);
    const seen: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.conversations.history({
        channel: dm,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      pages += 1;
      seen.push(...texts(page.messages));
      cursor = page.has_more ? page.response_metadata?.next_cursor : undefined;
      if (page.has_more) expect(cursor).toMatch(/\S/);
      else expect(page.response_metadata?.next_cursor).toBe('');
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['message 5', 'message 4', 'message 3', 'message 2', 'message 1']);
  });

  it('leaves thread replies out, as Slack does', async () => {
    const [parent] = await postNumbered(1);
    await client.chat.postMessage({ channel: dm, text: 'a reply', thread_ts: String(parent) });
    const history = await client.conversations.history({ channel: dm });
    expect(texts(history.messages)).toEqual(['message 1']);
  });

  it('answers channel_not_found for a user id or a DM it never opened', async () => {
    for (const channel of [USER, 'D0NOSUCHDM']) {
      const answer = await fetch(`${standIn.url}conversations.history`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${BOT_TOKEN}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ channel }),
      });
      expect(await answer.json()).toEqual({ ok: false, error: 'channel_not_found' });
    }
  });
});

describe('killAfterPost', () => {
  it('answers the matching post, then calls back in the same tick, once', async () => {
    const seen: JsonObject[] = [];
    standIn.killAfterPost({
      when: (args) => args.text === 'the one',
      onPosted: (post) => seen.push(post.body),
    });
    await client.chat.postMessage({ channel: dm, text: 'another' });
    expect(seen).toEqual([]);

    const posted = await client.chat.postMessage({ channel: dm, text: 'the one' });
    expect(seen).toEqual([expect.objectContaining({ ok: true, channel: dm, ts: posted.ts })]);
    await client.chat.postMessage({ channel: dm, text: 'the one' });
    expect(seen).toHaveLength(1);
  });

  it('is not set off by a post Slack refused', async () => {
    let fired = 0;
    standIn.killAfterPost({ onPosted: () => fired++ });
    standIn.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: dm, text: 'refused' })).rejects.toThrow();
    expect(fired).toBe(0);
    await client.chat.postMessage({ channel: dm, text: 'taken' });
    expect(fired).toBe(1);
  });

  it('SIGKILLs the given process right after the post, which stays in the DM', async () => {
    const victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      stdio: 'ignore',
    });
    const exited = once(victim, 'exit');
    standIn.killAfterPost({ pid: victim.pid ?? -1 });

    const posted = await client.chat.postMessage({ channel: dm, text: 'last words' });
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
    const history = await client.conversations.history({ channel: dm });
    expect(history.messages?.map((message) => message.ts)).toEqual([posted.ts]);
  });

  it('needs something to kill or call', () => {
    expect(() => standIn.killAfterPost({})).toThrow(TypeError);
  });
});
