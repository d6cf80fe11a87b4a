/**
 * The duplicate window of decision 0008, closed (decision 0011): a real bot process is SIGKILLed
 * by the Slack stand-in right after Slack took one of its notes, before it could confirm it. A
 * restarted bot claims the note again once its lease has run out (the API's clock is moved on,
 * rather than waited for), finds it in the DM, and confirms it: the manager has one message.
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/slack-emulator/index.ts';
import { type ServiceProcess, startService } from '../deploy/service-process.ts';
import { TEST_BOT_TOKEN, TEST_SERVICE_TOKEN, TEST_SIGNING_SECRET } from '../support/app.ts';
import type { TestSubscriber } from '../support/factories.ts';
import {
  deliveryOf,
  messagesIn,
  type OutboxWorld,
  startOutboxWorld,
} from '../support/outbox-harness.ts';
import { TEST_API_SIGNING_SECRET } from '../support/service-calls.ts';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** The bot's default lease (src/bot/outbox.ts), which the restarted bot must wait out. */
const BOT_LEASE_MS = 20_000;

let world: OutboxWorld;
const bots: ServiceProcess[] = [];

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await world?.close();
});

/** The bot service as its container runs it, talking to this file's API and stand-in. */
async function startBot(): Promise<ServiceProcess> {
  const bot = await startService('src/entrypoints/bot.ts', {
    cwd: REPOSITORY,
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: world.standIn.url,
      API_URL: world.apiUrl,
      API_SERVICE_TOKEN: TEST_SERVICE_TOKEN,
      API_SIGNING_SECRET: TEST_API_SIGNING_SECRET,
    },
  });
  bots.push(bot);
  return bot;
}

function deliveryIdIn(args: JsonObject): unknown {
  const metadata = args.metadata as { event_payload?: { delivery_id?: unknown } } | undefined;
  return metadata?.event_payload?.delivery_id;
}

describe('when the bot is killed between posting a note and confirming it', () => {
  it('then a restarted bot confirms the note already in the DM: one message, sent with its ts', async () => {
    const managers = await world.managersDueNow(3);
    const victim = managers[1] as TestSubscriber;
    const victimDelivery = await deliveryOf(world, victim);

    const first = await startBot();
    const killed = once(first.child, 'exit');
    let firstTs: unknown;
    world.standIn.killAfterPost({
      when: (args) => deliveryIdIn(args) === victimDelivery.id,
      pid: first.child.pid ?? -1,
      onPosted: (post) => {
        firstTs = post.body.ts;
      },
    });
    const [code, signal] = await killed;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });

    // Slack has the note; the ledger does not know it was sent.
    expect(firstTs).toEqual(expect.any(String));
    expect((await messagesIn(world, victim)).map((message) => message.ts)).toEqual([firstTs]);
    expect(await deliveryOf(world, victim)).toEqual(
      expect.objectContaining({ status: 'claimed', attempts: 1, slackTs: null }),
    );

    world.clock.advance(BOT_LEASE_MS + 1_000);
    await startBot();
    await expect
      .poll(
        async () => {
          const rows = await Promise.all(managers.map((manager) => deliveryOf(world, manager)));
          return rows.every((row) => row.status === 'sent');
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true);

    for (const manager of managers) {
      const messages = await messagesIn(world, manager);
      const row = await deliveryOf(world, manager);
      expect(messages, `messages to ${manager.who.slackUserId}`).toHaveLength(1);
      expect(messages[0]?.metadata?.event_payload).toEqual({ delivery_id: row.id });
      expect(row.slackTs).toBe(messages[0]?.ts);
    }
    expect(await deliveryOf(world, victim)).toEqual(
      expect.objectContaining({ status: 'sent', attempts: 2, slackTs: firstTs }),
    );
    // The restarted bot looked the note up rather than posting it.
    const victimPosts = world.standIn
      .callsTo('chat.postMessage')
      .filter((call) => deliveryIdIn(call.args) === victimDelivery.id);
    expect(victimPosts).toHaveLength(1);
    expect(world.standIn.callsTo('conversations.history').length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
