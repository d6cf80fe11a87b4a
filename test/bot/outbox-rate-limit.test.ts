/**
 * Slack's Retry-After honoured across bot replicas (decision 0013): two outboxes send through one
 * API. When one of them gets a 429 from a workspace, the API holds that workspace, so the other
 * one's claims leave its rows alone until the Retry-After has passed, while other workspaces go
 * on; and rows the other one had already claimed there wait too, once it has read the holds
 * again (every holdPollMs). The API's and the outboxes' clock is the harness's: the test moves
 * it past the 30 s pause, and past a poll interval, instead of waiting.
 */
import { LogLevel, type WebAPICallResult, WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Outbox, startOutbox } from '../../src/bot/outbox.ts';
import { postThroughWebClient } from '../../src/bot/slack-post.ts';
import { planDueDeliveries, sendNow } from '../../src/core/deliveries/service.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { TEST_BOT_TOKEN } from '../support/app.ts';
import {
  createSubscriber,
  createWorkspace,
  type TestSubscriber,
  type TestWorkspace,
} from '../support/factories.ts';
import {
  deliveryOf,
  messagesIn,
  type OutboxWorld,
  standInPoster,
  startOutboxWorld,
  ZONE,
} from '../support/outbox-harness.ts';
import { botApiClient } from '../support/service-calls.ts';

const RETRY_AFTER_SECONDS = 30;
const HOLD_POLL_MS = 250;

let world: OutboxWorld;

beforeAll(async () => {
  world = await startOutboxWorld();
});

afterAll(async () => {
  await world?.close();
});

const SLACK_OPTIONS = {
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  logLevel: LogLevel.ERROR,
};

/**
 * A Slack client (to the stand-in) whose next chat.postMessage waits until the test lets it go:
 * its sender is in the middle of a send, holding the rest of what it claimed.
 */
class HeldPostClient extends WebClient {
  readonly #reached = Promise.withResolvers<void>();
  readonly #released = Promise.withResolvers<void>();
  #holding = true;

  constructor() {
    super(TEST_BOT_TOKEN, { slackApiUrl: world.standIn.url, ...SLACK_OPTIONS });
  }

  /** Resolves when the held post is waiting. */
  reached(): Promise<void> {
    return this.#reached.promise;
  }

  release(): void {
    this.#released.resolve();
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<WebAPICallResult> {
    if (method === 'chat.postMessage' && this.#holding) {
      this.#holding = false;
      this.#reached.resolve();
      await this.#released.promise;
    }
    return super.apiCall(method, options);
  }
}

/** A bot replica's sender, on the harness's clock. */
function startSender(options: { concurrency?: number; slack?: WebClient } = {}): Outbox {
  return startOutbox({
    api: botApiClient(world.apiUrl, world.clock.now),
    slack:
      options.slack ??
      new WebClient(TEST_BOT_TOKEN, { slackApiUrl: world.standIn.url, ...SLACK_OPTIONS }),
    // A client of the test's own is reached through its chat.postMessage, which it holds.
    post: options.slack ? postThroughWebClient : standInPoster(world.standIn),
    logger: createLogger({ level: 'silent', service: 'test' }),
    pollIntervalMs: 10,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    holdPollMs: HOLD_POLL_MS,
    now: world.clock.now,
  });
}

/** The next whole minute on the harness's clock, and that time in ZONE as "HH:mm". */
function nextMinute(): { dueAt: Date; dueTime: string } {
  const dueAt = new Date(Math.ceil((world.clock.now().getTime() + 1) / 60_000) * 60_000);
  return { dueAt, dueTime: DateTime.fromJSDate(dueAt, { zone: ZONE }).toFormat('HH:mm') };
}

/** A subscriber of `workspace` known to Slack, at `localTime` every day. */
async function subscriber(workspace: TestWorkspace, localTime: string): Promise<TestSubscriber> {
  const weekdays = [1, 2, 3, 4, 5, 6, 7];
  const manager = await createSubscriber(
    world.database.db,
    workspace,
    { weekdays, localTime, timeZone: ZONE },
    world.clock.now(),
  );
  world.standIn.addUser({ id: manager.who.slackUserId, tz: ZONE });
  return manager;
}

/** The chat.postMessage calls to a manager (by user id or DM), with their HTTP status. */
function postsTo(manager: TestSubscriber): number[] {
  const channels = [manager.who.slackUserId, world.standIn.dmChannelIdFor(manager.who.slackUserId)];
  return world.standIn
    .callsTo('chat.postMessage')
    .filter((call) => channels.includes(String(call.args.channel)))
    .map((call) => call.response.status);
}

/** Each delivery's status, with Slack's last error if any. */
function outcomesOf(managers: TestSubscriber[]): Promise<string[]> {
  return Promise.all(
    managers.map(async (manager) => {
      const row = await deliveryOf(world, manager);
      return row.errorCode ? `${row.status} ${row.errorCode}` : row.status;
    }),
  );
}

function holdOf(workspace: TestWorkspace) {
  return world.database.db
    .selectFrom('workspaces')
    .where('id', '=', workspace.id)
    .select('slack_rate_limited_until as until')
    .executeTakeFirstOrThrow();
}

describe('when Slack rate-limits a workspace for one bot replica', () => {
  it('then no replica posts there until Retry-After has passed, other workspaces are unaffected, and each note goes out once', async () => {
    const limited = world.workspace;
    const other = await createWorkspace(world.database.db);
    // Due at the next minute: two notes in the limited workspace, one in the other.
    const { dueAt, dueTime } = nextMinute();
    const [first, second, elsewhere] = [
      await subscriber(limited, dueTime),
      await subscriber(limited, dueTime),
      await subscriber(other, dueTime),
    ];
    // Managers who ask for a note once the limit is known ("send me one now"), hours away
    // from their schedule so the planner leaves them alone.
    const laterTime = DateTime.fromJSDate(dueAt, { zone: ZONE })
      .plus({ hours: 6 })
      .toFormat('HH:mm');
    const [late, lateElsewhere] = [
      await subscriber(limited, laterTime),
      await subscriber(other, laterTime),
    ];
    world.clock.advance(Math.max(0, dueAt.getTime() - world.clock.now().getTime()));
    expect(await planDueDeliveries(world.database.db, world.clock.now())).toMatchObject({
      planned: 3,
    });

    // Replica 1, one message at a time: Slack answers its first post to the limited
    // workspace with 429; it hands the other note back without calling Slack.
    const limitedUsers = new Set([first, second].map((manager) => manager.who.slackUserId));
    world.standIn.rateLimitNext('chat.postMessage', {
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      when: (args) => limitedUsers.has(String(args.channel)),
    });
    const replicas = [startSender({ concurrency: 1 })];
    try {
      // Both notes are handed back with Slack's reason; the other workspace's goes out.
      await expect
        .poll(() => outcomesOf([first, second, elsewhere]), { timeout: 10_000, interval: 20 })
        .toEqual(['claimed ratelimited', 'claimed ratelimited', 'sent']);
      const limitedAt = world.clock.now().getTime();
      const { until } = await holdOf(limited);
      expect(until?.getTime()).toBeGreaterThan(limitedAt + (RETRY_AFTER_SECONDS - 10) * 1000);
      expect(await holdOf(other)).toEqual({ until: null });

      // Replica 2 starts, and two managers ask for a note now, one in each workspace.
      replicas.push(startSender());
      await sendNow(world.database.db, late.who, world.clock.now());
      await sendNow(world.database.db, lateElsewhere.who, world.clock.now());
      await expect
        .poll(async () => (await deliveryOf(world, lateElsewhere)).status, { timeout: 10_000 })
        .toBe('sent');
      // The claim that took the other workspace's note (due at the same time) left this one.
      expect(await deliveryOf(world, late)).toMatchObject({ status: 'pending', attempts: 0 });
      expect([...postsTo(first), ...postsTo(second), ...postsTo(late)]).toEqual([429]);

      // Past Retry-After, the limited workspace's three notes go out, each once.
      world.clock.advance(RETRY_AFTER_SECONDS * 1000);
      await expect
        .poll(() => outcomesOf([first, second, late]), { timeout: 10_000, interval: 20 })
        .toEqual(['sent', 'sent', 'sent']);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
    for (const manager of [first, second, late, elsewhere, lateElsewhere]) {
      expect((await messagesIn(world, manager)).length).toBe(1);
    }
    // Slack was called once in the limited workspace before the pause ended: the 429.
    expect([...postsTo(first), ...postsTo(second)].sort()).toEqual([200, 200, 429]);
    expect([late, elsewhere, lateElsewhere].map(postsTo)).toEqual([[200], [200], [200]]);
  });
});

describe('when Slack rate-limits a workspace while another replica holds rows it already claimed there', () => {
  it('then that replica stops posting them within one hold poll, and each goes out once after Retry-After', async () => {
    const limited = await createWorkspace(world.database.db);
    const { dueAt, dueTime } = nextMinute();
    const claimedFirst = [
      await subscriber(limited, dueTime),
      await subscriber(limited, dueTime),
      await subscriber(limited, dueTime),
    ];
    const laterTime = DateTime.fromJSDate(dueAt, { zone: ZONE })
      .plus({ hours: 6 })
      .toFormat('HH:mm');
    const asksLater = await subscriber(limited, laterTime);
    world.clock.advance(Math.max(0, dueAt.getTime() - world.clock.now().getTime()));
    expect(await planDueDeliveries(world.database.db, world.clock.now())).toMatchObject({
      planned: 3,
    });

    // Replica 1, one message at a time, claims all three notes; its first post waits.
    const heldPost = new HeldPostClient();
    const replicas = [startSender({ concurrency: 1, slack: heldPost })];
    try {
      await heldPost.reached();
      expect(await outcomesOf(claimedFirst)).toEqual(['claimed', 'claimed', 'claimed']);

      // Replica 2 sends a note asked for now in the same workspace, and Slack answers 429.
      world.standIn.rateLimitNext('chat.postMessage', {
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        when: (args) => args.channel === asksLater.who.slackUserId,
      });
      await sendNow(world.database.db, asksLater.who, world.clock.now());
      replicas.push(startSender({ concurrency: 1 }));
      await expect
        .poll(async () => (await holdOf(limited)).until, { timeout: 10_000, interval: 20 })
        .not.toBeNull();
      expect(await outcomesOf([asksLater])).toEqual(['claimed ratelimited']);

      // One poll interval on, replica 1's post goes (it was under way before the 429), and
      // the two notes it still holds are handed back without calling Slack.
      world.clock.advance(HOLD_POLL_MS);
      heldPost.release();
      await expect
        .poll(async () => (await outcomesOf(claimedFirst)).sort(), {
          timeout: 10_000,
          interval: 20,
        })
        .toEqual(['claimed ratelimited', 'claimed ratelimited', 'sent']);
      expect(claimedFirst.flatMap(postsTo)).toEqual([200]);
      expect(postsTo(asksLater)).toEqual([429]);

      // Past Retry-After (and the second the hand-backs round it up by), all go out, once.
      world.clock.advance((RETRY_AFTER_SECONDS + 1) * 1000);
      await expect
        .poll(() => outcomesOf([...claimedFirst, asksLater]), { timeout: 10_000, interval: 20 })
        .toEqual(['sent', 'sent', 'sent', 'sent']);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
    for (const manager of [...claimedFirst, asksLater]) {
      expect((await messagesIn(world, manager)).length).toBe(1);
    }
    expect(claimedFirst.map(postsTo)).toEqual([[200], [200], [200]]);
    expect(postsTo(asksLater)).toEqual([429, 200]);
  });
});
