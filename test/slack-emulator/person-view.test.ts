/**
 * What the sandbox reads from the emulator: each person's DM with the bot, Home tab and modals,
 * changed by the bot's real Web API calls (through @slack/web-api's WebClient, over HTTP) and by
 * the person's own gestures, with a change event for each.
 */
import { WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EmulatorChange,
  type SlackEmulator,
  startSlackEmulator,
  TRIGGER_ID_TTL_MS,
} from '../../src/slack-emulator/index.ts';

const ADA = 'U0SBADA001';
const RAVI = 'U0SBRAVI01';

const modal = (title: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: title } }],
  ...extra,
});

async function slackError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebAPIPlatformError) return error.data.error;
    throw error;
  }
  throw new Error('Expected the call to fail');
}

async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

describe('Slack emulator: what each person sees', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  let nowMs: number;
  let changes: EmulatorChange[];

  beforeEach(async () => {
    nowMs = Date.parse('2026-12-07T09:00:00Z');
    emulator = await startSlackEmulator({
      users: [
        { id: ADA, realName: 'Ada Osei', tz: 'Europe/London' },
        { id: RAVI, realName: 'Ravi Iyer', tz: 'Asia/Kolkata' },
      ],
      now: () => nowMs,
    });
    client = new WebClient('xoxb-sandbox', {
      slackApiUrl: emulator.url,
      retryConfig: { retries: 0 },
    });
    changes = [];
    emulator.onChange((change) => changes.push(change));
  });

  afterEach(async () => {
    await emulator.close();
  });

  describe('in the DM with the bot', () => {
    it('shows a message posted to the person by user id in their DM, oldest first, and says so', async () => {
      const first = await client.chat.postMessage({ channel: ADA, text: 'Your note for today' });
      const second = await client.chat.postMessage({
        channel: emulator.dmChannelIdFor(ADA),
        text: 'A thread reply',
        thread_ts: first.ts,
        metadata: { event_type: 'delivery', event_payload: { id: 7 } },
      });

      expect(first.channel).toBe(emulator.dmChannelIdFor(ADA));
      // The clock the emulator was given dates the messages.
      expect(first.ts).toMatch(/^1796634000\.\d{6}$/);
      const { dm } = emulator.snapshot(ADA);
      expect(dm.map((m) => m.text)).toEqual(['Your note for today', 'A thread reply']);
      expect(dm[0]).toMatchObject({ ts: first.ts, user: emulator.identity.botUserId });
      expect(dm[1]).toMatchObject({
        ts: second.ts,
        threadTs: first.ts,
        metadata: { event_type: 'delivery', event_payload: { id: 7 } },
      });
      expect(emulator.snapshot(RAVI).dm).toEqual([]);
      expect(changes).toEqual([
        { userId: ADA, scope: 'dm' },
        { userId: ADA, scope: 'dm' },
      ]);
    });

    it('marks an updated message edited, and forgets a deleted one', async () => {
      const posted = await client.chat.postMessage({ channel: ADA, text: 'Draft' });
      const channel = posted.channel ?? '';
      await client.chat.update({ channel, ts: posted.ts ?? '', text: 'Final' });
      expect(emulator.snapshot(ADA).dm).toEqual([
        expect.objectContaining({ text: 'Final', edited: true }),
      ]);

      await client.chat.delete({ channel, ts: posted.ts ?? '' });
      expect(emulator.snapshot(ADA).dm).toEqual([]);
      expect(changes.filter((c) => c.userId === ADA)).toHaveLength(3);
    });

    it('shows an ephemeral message to its person only, and keeps it out of the history', async () => {
      const channel = emulator.dmChannelIdFor(ADA);
      const answer = await client.chat.postEphemeral({ channel, user: ADA, text: 'Only you' });

      expect(emulator.snapshot(ADA).dm).toEqual([
        expect.objectContaining({ ts: answer.message_ts, text: 'Only you', ephemeral: true }),
      ]);
      const history = await client.conversations.history({ channel });
      expect(history.messages).toEqual([]);
      expect(
        await slackError(client.chat.update({ channel, ts: answer.message_ts ?? '', text: 'x' })),
      ).toBe('message_not_found');
    });

    it('stores what the person types, in the snapshot and in conversations.history', async () => {
      const note = await client.chat.postMessage({ channel: ADA, text: 'Note' });
      const typed = emulator.postUserMessage(ADA, { text: 'Thanks!' });
      const reply = emulator.postUserMessage(ADA, { text: 'In the thread', threadTs: note.ts });

      expect(typed.channel).toBe(emulator.dmChannelIdFor(ADA));
      const history = await client.conversations.history({ channel: typed.channel });
      // Newest first; thread replies stay out of the channel's history, as in Slack.
      expect(history.messages?.map((m) => [m.user, m.text])).toEqual([
        [ADA, 'Thanks!'],
        [emulator.identity.botUserId, 'Note'],
      ]);
      expect(emulator.snapshot(ADA).dm.at(-1)).toMatchObject({
        ts: reply.ts,
        user: ADA,
        text: 'In the thread',
        threadTs: note.ts,
      });
      expect(() => emulator.postUserMessage('U0NOBODY01', { text: 'hi' })).toThrow(/U0NOBODY01/);
    });
  });

  describe('a response_url tied to the person', () => {
    it('adds an ephemeral reply by default and a normal message for in_channel', async () => {
      const channelId = emulator.dmChannelIdFor(ADA);
      const url = emulator.responseUrlFor(ADA, { channelId });

      expect(await postJson(url, { text: 'Signed up' })).toEqual({ status: 200, text: 'ok' });
      expect(await postJson(url, { response_type: 'in_channel', text: 'For all' })).toEqual({
        status: 200,
        text: 'ok',
      });

      expect(emulator.snapshot(ADA).dm.map((m) => [m.text, m.ephemeral ?? false])).toEqual([
        ['Signed up', true],
        ['For all', false],
      ]);
      expect(emulator.responseUrlPosts.map((post) => post.body)).toEqual([
        { text: 'Signed up' },
        { response_type: 'in_channel', text: 'For all' },
      ]);
      expect(changes).toEqual([
        { userId: ADA, scope: 'dm' },
        { userId: ADA, scope: 'dm' },
      ]);
    });

    it('replaces or deletes the message it came from, and refuses an empty reply', async () => {
      const posted = await client.chat.postMessage({ channel: ADA, text: 'Plan an action?' });
      const channelId = posted.channel ?? '';
      const url = emulator.responseUrlFor(ADA, { channelId, messageTs: posted.ts ?? '' });

      await postJson(url, { replace_original: true, text: 'Planned' });
      expect(emulator.snapshot(ADA).dm).toEqual([
        expect.objectContaining({ ts: posted.ts, text: 'Planned', edited: true }),
      ]);
      expect(await postJson(url, { replace_original: true })).toEqual({
        status: 400,
        text: 'no_text',
      });
      await postJson(url, { delete_original: true });
      expect(emulator.snapshot(ADA).dm).toEqual([]);
    });
  });

  describe('views', () => {
    it('shows the published Home tab, keeping its id across publishes', async () => {
      const first = await client.views.publish({
        user_id: ADA,
        view: { type: 'home', blocks: [{ type: 'divider' }] },
      });
      const second = await client.views.publish({
        user_id: ADA,
        view: { type: 'home', blocks: [] },
      });

      expect(second.view?.id).toBe(first.view?.id);
      expect(emulator.snapshot(ADA).home).toMatchObject({ id: first.view?.id, blocks: [] });
      expect(emulator.snapshot(RAVI).home).toBeNull();
      expect(changes).toEqual([
        { userId: ADA, scope: 'home' },
        { userId: ADA, scope: 'home' },
      ]);
    });

    it('opens a modal for the person whose trigger id it gets, and stacks pushed ones up to three', async () => {
      const opened = await client.views.open({
        trigger_id: emulator.issueTriggerId(ADA),
        view: modal('Sign up'),
      });
      const pushed = await client.views.push({
        trigger_id: emulator.issueTriggerId(ADA),
        view: modal('Details'),
      });
      await client.views.push({ trigger_id: emulator.issueTriggerId(ADA), view: modal('More') });

      const { modals } = emulator.snapshot(ADA);
      expect(modals.map((v) => v.title?.text)).toEqual(['Sign up', 'Details', 'More']);
      expect(pushed.view).toMatchObject({
        previous_view_id: opened.view?.id,
        root_view_id: opened.view?.id,
      });
      expect(
        await slackError(
          client.views.push({ trigger_id: emulator.issueTriggerId(ADA), view: modal('Too many') }),
        ),
      ).toBe('push_limit_reached');
      expect(emulator.snapshot(RAVI).modals).toEqual([]);
      expect(emulator.viewFor(ADA, opened.view?.id ?? '')).toMatchObject({ id: opened.view?.id });
      expect(emulator.viewFor(RAVI, opened.view?.id ?? '')).toBeUndefined();
    });

    it('refuses a trigger id after 30 s, and one of its own it never issued', async () => {
      const triggerId = emulator.issueTriggerId(ADA);
      nowMs += TRIGGER_ID_TTL_MS + 1;
      expect(
        await slackError(client.views.open({ trigger_id: triggerId, view: modal('Late') })),
      ).toBe('expired_trigger_id');
      const forged = triggerId.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      expect(
        await slackError(client.views.open({ trigger_id: forged, view: modal('Forged') })),
      ).toBe('invalid_trigger_id');
      // A trigger id a test made up still opens a modal, tied to nobody.
      const loose = await client.views.open({
        trigger_id: '12345.98765.abcd2358fdea',
        view: modal('Any'),
      });
      expect(loose.view?.id).toMatch(/^V/);
      expect(emulator.snapshot(ADA).modals).toEqual([]);
    });

    it('updates an open modal through views.update, telling its person', async () => {
      const opened = await client.views.open({
        trigger_id: emulator.issueTriggerId(ADA),
        view: modal('Sign up'),
      });
      changes.length = 0;
      await client.views.update({ view_id: opened.view?.id ?? '', view: modal('Signed up') });

      expect(emulator.snapshot(ADA).modals.map((v) => v.title?.text)).toEqual(['Signed up']);
      expect(changes).toEqual([{ userId: ADA, scope: 'modals' }]);
    });
  });

  describe('the answer to a view_submission', () => {
    async function openTwo(): Promise<[string, string]> {
      const root = await client.views.open({
        trigger_id: emulator.issueTriggerId(ADA),
        view: modal('Root'),
      });
      const top = await client.views.push({
        trigger_id: emulator.issueTriggerId(ADA),
        view: modal('Top'),
      });
      return [root.view?.id ?? '', top.view?.id ?? ''];
    }
    const titles = () => emulator.snapshot(ADA).modals.map((v) => v.title?.text);

    it('keeps the view open and returns the errors', async () => {
      const [, top] = await openTwo();
      const outcome = emulator.applyViewResponse(ADA, top, {
        response_action: 'errors',
        errors: { goal_block: 'Pick a goal' },
      });
      expect(outcome).toEqual({ errors: { goal_block: 'Pick a goal' } });
      expect(titles()).toEqual(['Root', 'Top']);
    });

    it('closes the submitted view on an empty answer, and all of them on clear', async () => {
      const [root, top] = await openTwo();
      expect(emulator.applyViewResponse(ADA, top, '')).toEqual({});
      expect(titles()).toEqual(['Root']);
      expect(emulator.applyViewResponse(ADA, root, { response_action: 'clear' })).toEqual({});
      expect(titles()).toEqual([]);
      expect(emulator.applyViewResponse(ADA, root, undefined)).toEqual({
        problem: 'view_not_open',
      });
    });

    it('replaces the view in place on update, and pushes one on push', async () => {
      const [, top] = await openTwo();
      const before = emulator.viewFor(ADA, top);
      emulator.applyViewResponse(ADA, top, { response_action: 'update', view: modal('Updated') });
      const after = emulator.viewFor(ADA, top);
      expect(after?.title?.text).toBe('Updated');
      expect(after?.hash).not.toBe(before?.hash);

      emulator.applyViewResponse(ADA, top, { response_action: 'push', view: modal('Third') });
      expect(titles()).toEqual(['Root', 'Updated', 'Third']);
      expect(
        emulator.applyViewResponse(ADA, top, { response_action: 'push', view: modal('Fourth') }),
      ).toEqual({ problem: 'push_limit_reached' });
      expect(emulator.applyViewResponse(ADA, top, { response_action: 'dance' })).toEqual({
        problem: 'invalid_response',
      });
    });

    it('closes the top view when the person presses Close, or the whole stack with clear_on_close', async () => {
      const [root, top] = await openTwo();
      expect(emulator.closeView(ADA, top).map((v) => v.id)).toEqual([top]);
      expect(titles()).toEqual(['Root']);
      await client.views.push({
        trigger_id: emulator.issueTriggerId(ADA),
        view: modal('Clearing', { clear_on_close: true }),
      });
      const clearing = emulator.snapshot(ADA).modals.at(-1)?.id ?? '';
      expect(emulator.closeView(ADA, clearing).map((v) => v.id)).toEqual([clearing, root]);
      expect(titles()).toEqual([]);
      expect(emulator.closeView(ADA, clearing)).toEqual([]);
    });
  });

  it('forgets every person’s messages and views on resetAll, keeping members and DM ids', async () => {
    const dm = emulator.dmChannelIdFor(ADA);
    await client.chat.postMessage({ channel: ADA, text: 'Hello' });
    await client.views.publish({ user_id: RAVI, view: { type: 'home', blocks: [] } });
    const triggerId = emulator.issueTriggerId(ADA);
    changes.length = 0;

    emulator.resetAll();

    expect(emulator.snapshot(ADA)).toEqual({ dm: [], home: null, modals: [] });
    expect(emulator.snapshot(RAVI)).toEqual({ dm: [], home: null, modals: [] });
    expect(emulator.calls).toEqual([]);
    expect(emulator.dmChannelIdFor(ADA)).toBe(dm);
    expect((await client.users.info({ user: RAVI })).user?.real_name).toBe('Ravi Iyer');
    expect(await slackError(client.views.open({ trigger_id: triggerId, view: modal('Old') }))).toBe(
      'invalid_trigger_id',
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        { userId: ADA, scope: 'dm' },
        { userId: RAVI, scope: 'home' },
      ]),
    );
  });

  it('answers the call even when a change listener throws', async () => {
    emulator.onChange(() => {
      throw new Error('listener broke');
    });
    const answer = await client.chat.postMessage({ channel: ADA, text: 'Still sent' });
    expect(answer.ok).toBe(true);
    expect(emulator.snapshot(ADA).dm).toHaveLength(1);
  });
});
