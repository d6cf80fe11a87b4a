/**
 * The outbox's lookup before it posts a re-claimed message (decision 0011): a sender that posted
 * and died before confirming left the message in the DM, so the next claim confirms that message
 * instead of posting it again. The dead sender is played here by claiming through the API and
 * posting what the outbox would post, without confirming; the API's clock then runs the lease out.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildReminderMessage } from '../../src/bot/blocks/reminders.ts';
import { buildTopicMessage } from '../../src/bot/blocks/topic-message.ts';
import { voiceFor } from '../../src/bot/i18n/index.ts';
import type { RecordedSlackCall } from '../../src/slack-emulator/index.ts';
import { TEST_BOT_TOKEN } from '../support/app.ts';
import type { TestSubscriber } from '../support/factories.ts';
import {
  deliveryOf,
  messagesIn,
  type OutboxWorld,
  reminderRow,
  startOutboxWorld,
} from '../support/outbox-harness.ts';
import { botApiClient } from '../support/service-calls.ts';

/** The shortest lease the API grants. */
const LEASE_SECONDS = 5;

let world: OutboxWorld;

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterEach(() => {
  world.standIn.reset();
});

afterAll(async () => {
  await world?.close();
});

/** A sender that claims what is due and dies: after posting each message when `posts`. */
async function senderThatDies(options: { posts: boolean; kind?: 'delivery' | 'reminder' }) {
  const api = botApiClient(world.apiUrl, world.clock.now);
  const slack = new WebClient(TEST_BOT_TOKEN, {
    slackApiUrl: world.standIn.url,
    logLevel: LogLevel.ERROR,
  });
  const tsById = new Map<string, string>();
  if (options.kind === 'reminder') {
    for (const reminder of await api.claimReminders(10, LEASE_SECONDS)) {
      expect(reminder.attempt).toBe(1);
      if (!options.posts) continue;
      const channel = reminder.dmChannelId ?? reminder.slackUserId;
      const posted = await slack.chat.postMessage({ channel, ...buildReminderMessage(reminder) });
      tsById.set(reminder.id, String(posted.ts));
    }
  } else {
    for (const delivery of await api.claimDeliveries(10, LEASE_SECONDS)) {
      expect(delivery.attempt).toBe(1);
      if (!options.posts) continue;
      const channel = delivery.dmChannelId ?? delivery.slackUserId;
      const posted = await slack.chat.postMessage({
        channel,
        ...buildTopicMessage(delivery, [], voiceFor()),
      });
      tsById.set(delivery.id, String(posted.ts));
    }
  }
  // Its lease runs out.
  world.clock.advance((LEASE_SECONDS + 1) * 1000);
  return tsById;
}

/** Runs a sender in this process until `done` holds. */
async function sendUntil(done: () => Promise<boolean>) {
  const sender = world.startSender(LEASE_SECONDS);
  try {
    await expect.poll(done, { timeout: 15_000, interval: 20 }).toBe(true);
  } finally {
    await sender.stop();
  }
}

function postsTo(manager: TestSubscriber): RecordedSlackCall[] {
  const dm = world.standIn.dmChannelIdFor(manager.who.slackUserId);
  return world.standIn
    .callsTo('chat.postMessage')
    .filter((call) => call.args.channel === manager.who.slackUserId || call.args.channel === dm);
}

describe('when a delivery is claimed again (attempt 2)', () => {
  it('and its message is already in the DM, then it is not posted again: that message’s ts is confirmed', async () => {
    const [manager] = await world.managersDueNow(1);
    if (!manager) throw new Error('no manager');
    const { id } = await deliveryOf(world, manager);
    const posted = await senderThatDies({ posts: true });
    const firstTs = posted.get(id);
    expect(firstTs).toBeDefined();
    world.standIn.reset();

    await sendUntil(async () => (await deliveryOf(world, manager)).status === 'sent');

    expect(postsTo(manager)).toEqual([]);
    expect(await deliveryOf(world, manager)).toEqual(
      expect.objectContaining({ status: 'sent', attempts: 2, slackTs: firstTs }),
    );
    expect(await messagesIn(world, manager)).toHaveLength(1);
    // Its DM was never confirmed, so the sender opened it again to read its history, from a
    // little before the due time, asking for the metadata that names the delivery.
    expect(world.standIn.callsTo('conversations.open')[0]?.args.users).toBe(
      manager.who.slackUserId,
    );
    const [lookup] = world.standIn.callsTo('conversations.history');
    expect(lookup?.args).toMatchObject({
      channel: world.standIn.dmChannelIdFor(manager.who.slackUserId),
      include_all_metadata: 'true',
    });
    const dueAtSeconds = manager.subscription.nextDueAt
      ? manager.subscription.nextDueAt.getTime() / 1000
      : Number.NaN;
    const oldest = Number(lookup?.args.oldest);
    expect(oldest).toBeLessThan(dueAtSeconds);
    expect(oldest).toBeGreaterThanOrEqual(dueAtSeconds - 600);
  });

  it('and the dead sender never posted it, then it is posted once, even with another delivery’s note in the DM', async () => {
    const [manager] = await world.managersDueNow(1);
    if (!manager) throw new Error('no manager');
    // Another delivery's note, as a previous day (or a bug) might have left in the window.
    const slack = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: world.standIn.url });
    await slack.chat.postMessage({
      channel: manager.who.slackUserId,
      text: 'another note',
      metadata: { event_type: 'blindspot_delivery', event_payload: { delivery_id: '999999' } },
    });
    await senderThatDies({ posts: false });
    world.standIn.reset();

    await sendUntil(async () => (await deliveryOf(world, manager)).status === 'sent');

    const posts = postsTo(manager);
    expect(posts).toHaveLength(1);
    expect(world.standIn.callsTo('conversations.history')).toHaveLength(1);
    const row = await deliveryOf(world, manager);
    expect(row).toEqual(expect.objectContaining({ status: 'sent', attempts: 2 }));
    expect(row.slackTs).toBe((posts[0]?.response.body as { ts?: string } | undefined)?.ts);
    expect(await messagesIn(world, manager)).toHaveLength(2);
  });

  it('and Slack answers the lookup with 429, then the failure is reported rate_limited, nothing is posted until Retry-After, and the earlier message is confirmed', async () => {
    const [manager] = await world.managersDueNow(1);
    if (!manager) throw new Error('no manager');
    const { id } = await deliveryOf(world, manager);
    const firstTs = (await senderThatDies({ posts: true })).get(id);
    world.standIn.reset();
    world.standIn.rateLimitNext('conversations.history', { retryAfterSeconds: 2 });

    const sender = world.startSender(LEASE_SECONDS);
    try {
      // Handed back with Slack's reason, and held for the pause.
      await expect
        .poll(async () => (await deliveryOf(world, manager)).errorCode, {
          timeout: 10_000,
          interval: 20,
        })
        .toBe('ratelimited');
      expect(world.standIn.callsTo('chat.postMessage')).toEqual([]);
      await expect
        .poll(async () => (await deliveryOf(world, manager)).status, { timeout: 15_000 })
        .toBe('sent');
    } finally {
      await sender.stop();
    }

    const lookups = world.standIn.callsTo('conversations.history');
    expect(lookups.map((call) => call.response.status)).toEqual([429, 200]);
    expect(lookups[0]?.response.headers['retry-after']).toBe('2');
    const [limited, retried] = lookups;
    if (!limited || !retried) throw new Error('expected two lookups');
    expect(retried.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(1_950);
    expect(postsTo(manager)).toEqual([]);
    expect(await deliveryOf(world, manager)).toEqual(
      expect.objectContaining({ status: 'sent', attempts: 3, errorCode: null, slackTs: firstTs }),
    );
  });

  it('and the workspace has not granted im:history, then it is posted again rather than never', async () => {
    const [manager] = await world.managersDueNow(1);
    if (!manager) throw new Error('no manager');
    await senderThatDies({ posts: false });
    world.standIn.reset();
    world.standIn.failNext('conversations.history', { error: 'missing_scope' });

    await sendUntil(async () => (await deliveryOf(world, manager)).status === 'sent');

    expect(world.standIn.callsTo('conversations.history')).toHaveLength(1);
    expect(postsTo(manager)).toHaveLength(1);
    expect(await deliveryOf(world, manager)).toEqual(
      expect.objectContaining({ status: 'sent', attempts: 2, errorCode: null }),
    );
  });
});

describe('when a reminder is claimed again (attempt 2)', () => {
  it('and its message is already in the DM, then it is not posted again: that message’s ts is confirmed', async () => {
    const [manager] = await world.managersDueNow(1);
    if (!manager) throw new Error('no manager');
    const reminderId = await world.reminderDueNow(manager);
    const posted = await senderThatDies({ posts: true, kind: 'reminder' });
    const firstTs = posted.get(reminderId);
    expect(firstTs).toBeDefined();
    world.standIn.reset();

    // The note (first attempt) goes out; the reminder is found, not posted again.
    await sendUntil(
      async () =>
        (await reminderRow(world, reminderId)).status === 'sent' &&
        (await deliveryOf(world, manager)).status === 'sent',
    );

    expect(await reminderRow(world, reminderId)).toEqual(
      expect.objectContaining({ status: 'sent', attempts: 2, slackTs: firstTs }),
    );
    const posts = postsTo(manager);
    expect(posts.map((call) => (call.args.metadata as { event_type: string }).event_type)).toEqual([
      'blindspot_delivery',
    ]);
    const reminders = (await messagesIn(world, manager)).filter(
      (message) => message.metadata?.event_type === 'blindspot_reminder',
    );
    expect(reminders.map((message) => message.ts)).toEqual([firstTs]);
    expect(reminders[0]?.metadata?.event_payload).toEqual({ reminder_id: reminderId });
  });
});
