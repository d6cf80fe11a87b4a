/**
 * Two refreshes of one note at once (a delete and its Undo, clicked in quick succession): the
 * note Slack shows last is the one read last, whatever order the reads come back in.
 */
import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import type { ApiClient, CallContext } from '../../src/bot/api-client/index.ts';
import { refreshNote } from '../../src/bot/listeners/views/plan-action.ts';

const delivery = {
  id: '41',
  channelId: 'D1',
  ts: '1764057600.000100',
  topic: {
    id: '2',
    slug: 'recency-bias',
    category: 'judging-people-fairly',
    title: 'Recency bias',
    summary: 'You judge a quarter by its last two weeks.',
    whyItMatters: 'People notice.',
    example: 'A strong quarter rated average after one late slip.',
    reflectionQuestion: 'What did each person do in the first month?',
    actions: ['Keep a running log'],
    reference: 'Kahneman (2011), Thinking, Fast and Slow.',
  },
};
const ACTION = 'Ask Sam how his week really went';
const planned = { id: '7', text: ACTION, status: 'open', checkBackOn: '2026-12-02' };

describe('refreshing a note', () => {
  it('when the first refresh reads the old state slowly and a second reads the new one at once, then Slack ends with the new one', async () => {
    let releaseFirstRead: () => void = () => {};
    const firstRead = new Promise<void>((resolve) => {
      releaseFirstRead = resolve;
    });
    let reads = 0;
    const api = {
      getMyDelivery: async () => delivery,
      listActionItems: async () => {
        reads += 1;
        // The first read saw the note before the Undo (no action), and comes back last.
        if (reads === 1) {
          await firstRead;
          return [];
        }
        return [planned];
      },
    } as unknown as ApiClient;
    const updates: string[] = [];
    const client = {
      chat: {
        update: async (message: { text: string; blocks: unknown[] }) => {
          updates.push(JSON.stringify(message.blocks));
        },
      },
    } as unknown as WebClient;
    const call = { teamId: 'T1', userId: 'U1' } as unknown as CallContext;

    const deleted = refreshNote(client, api, call, delivery.id);
    const restored = refreshNote(client, api, call, delivery.id);
    releaseFirstRead();
    await Promise.all([deleted, restored]);

    expect(updates).toHaveLength(2);
    expect(updates[0]).not.toContain(ACTION);
    expect(updates[1]).toContain(ACTION);
  });

  it('when a refresh fails, then the next one for that note still runs', async () => {
    let reads = 0;
    const api = {
      getMyDelivery: async () => delivery,
      listActionItems: async () => {
        reads += 1;
        if (reads === 1) throw new Error('the api was restarting');
        return [planned];
      },
    } as unknown as ApiClient;
    const updates: unknown[] = [];
    const client = {
      chat: { update: async (message: unknown) => void updates.push(message) },
    } as unknown as WebClient;
    const call = {} as CallContext;

    const failed = refreshNote(client, api, call, '42');
    const next = refreshNote(client, api, call, '42');
    await expect(failed).rejects.toThrow('the api was restarting');
    await next;
    expect(updates).toHaveLength(1);
  });
});
