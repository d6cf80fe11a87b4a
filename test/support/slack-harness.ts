/**
 * The whole service with Slack at its edge, for end-to-end tests: a migrated database, the
 * Slack stand-in, the all-in-one app pointed at it, and a requester that signs as Slack does.
 * One injected clock drives both the service and the requester's timestamps.
 */
import { expect, vi } from 'vitest';
import { PLAN_LOOKAHEAD_MS, planDueDeliveries } from '../../src/core/deliveries/service.ts';
import {
  type SlackStandIn,
  type SlackUserSeed,
  startSlackStandIn,
} from '../../src/slack-emulator/index.ts';
import { startTestApp, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { createSlackRequester, type SlackRequester } from './slack-requests.ts';

export interface SlackHarness {
  /** The Slack team every signed request comes from. */
  teamId: string;
  database: TestDatabase;
  standIn: SlackStandIn;
  app: TestApp;
  slack: SlackRequester;
  close(): Promise<void>;
}

export async function startSlackHarness(options: {
  teamId: string;
  clock: () => Date;
  /** More configuration for the app, e.g. ADMIN_API_KEY. */
  env?: Record<string, string>;
  /** See startTestApp. */
  senderPollMs?: number;
  /** See startTestApp. */
  userGroupPollMs?: number;
  /** See startTestApp. */
  statusSweepPollMs?: number;
  /** Wraps the bot's calls to the api, to watch them (see startAllInOne). */
  wrapApiFetch?: (apiFetch: typeof fetch) => typeof fetch;
}): Promise<SlackHarness> {
  const database = await createTestDatabase();
  const standIn = await startSlackStandIn();
  const app = await startTestApp({
    databaseUrl: database.url,
    env: {
      SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: standIn.url,
      ...options.env,
    },
    clock: options.clock,
    senderPollMs: options.senderPollMs,
    userGroupPollMs: options.userGroupPollMs,
    statusSweepPollMs: options.statusSweepPollMs,
    wrapApiFetch: options.wrapApiFetch,
    // The tests play the worker's planners themselves, on their clock.
    cron: false,
  });
  const slack = createSlackRequester({
    baseUrl: app.url,
    signingSecret: TEST_SIGNING_SECRET,
    teamId: options.teamId,
    standIn,
    now: options.clock,
  });
  return {
    teamId: options.teamId,
    database,
    standIn,
    app,
    slack,
    async close() {
      await app.close();
      await standIn.close();
      await database.drop();
    },
  };
}

export type RecordedCall = SlackStandIn['calls'][number];

/** What the stand-in answered to a call, as Slack's JSON. */
export function answerOf(
  call: { response: { body: unknown } } | undefined,
): Record<string, string> {
  return (call?.response.body ?? {}) as Record<string, string>;
}

/** Runs `action`, then waits for the first call to `method` made after it began. */
export async function nextCall(
  standIn: SlackStandIn,
  method: string,
  action: () => Promise<unknown>,
): Promise<RecordedCall> {
  const before = standIn.callsTo(method).length;
  await action();
  await expect.poll(() => standIn.callsTo(method).length).toBeGreaterThan(before);
  return standIn.callsTo(method)[before] as RecordedCall;
}

/** A Block Kit block of a message, as far as tests read it. */
export interface MessageBlock {
  type: string;
  text?: { text: string };
  elements?: Array<{ action_id: string; value: string }>;
}

/** A manager's blind-spot note, as the stand-in received it. */
export interface ReceivedNote {
  /** The chat.postMessage call that carried the note. */
  call: RecordedCall;
  /** The DM channel and `ts` Slack gave the note, for thread replies and button clicks. */
  channel: string;
  ts: string;
  blocks: MessageBlock[];
  text: string;
  /** The value of the note's buttons ("Plan an action", "Not relevant"). */
  value: string;
  deliveryId: string;
  /** The minute the note was due; the clock is left there. */
  dueAt: Date;
}

/** The sign-up modal's state as Slack submits it. `weekdays` are ISO weekdays, 1 = Monday. */
export function signupModalValues(input: {
  weekdays: readonly number[];
  localTime: string;
  timeZone: string;
}): Parameters<SlackRequester['viewSubmission']>[0]['values'] {
  return {
    weekdays: {
      weekdays: {
        type: 'checkboxes',
        selected_options: input.weekdays.map((day) => ({ value: String(day) })),
      },
    },
    local_time: { local_time: { type: 'timepicker', selected_time: input.localTime } },
    time_zone: {
      time_zone_select: { type: 'external_select', selected_option: { value: input.timeZone } },
    },
    skip_themes: { skip_themes: { type: 'checkboxes', selected_options: [] } },
  } as unknown as Parameters<SlackRequester['viewSubmission']>[0]['values'];
}

/**
 * How long the helpers below wait for the service to record what Slack was already told.
 * vi.waitFor's own default, one second, was too short with two test files at once: CI once saw
 * the locale from `/blindspot` stored a little later than that.
 */
const SETTLED = { timeout: 10_000, interval: 50 };

/**
 * Signs a manager up through the signed Slack path (the sign-up modal), then plays the worker's
 * planner and moves the clock to the first delivery's minute, and resolves when the bot's sender
 * has posted the note and the ledger says it was sent.
 *
 * The clock belongs to the test, so the helper moves it with `setClock`: to a few minutes before
 * the note is due (within the planner's look-ahead), then to the due minute, where it stays.
 */
export async function signUpAndReceiveNote(
  harness: SlackHarness,
  manager: {
    userId: string;
    setClock: (at: Date) => void;
    /** Defaults to Europe/Berlin. */
    timeZone?: string;
    /** ISO weekdays; defaults to Monday to Friday. */
    weekdays?: readonly number[];
    /** Defaults to 09:00. */
    localTime?: string;
    /**
     * The manager's Slack locale (users.info), kept by opening the sign-up modal with
     * `/blindspot` first; without it, the modal is only submitted, and the manager is en-US.
     */
    locale?: string;
  },
): Promise<ReceivedNote> {
  const { database, standIn, slack, teamId } = harness;
  const { userId, setClock } = manager;
  const timeZone = manager.timeZone ?? 'Europe/Berlin';
  standIn.addUser({ id: userId, teamId, tz: timeZone, locale: manager.locale });
  if (manager.locale) {
    // As a manager signs up: `/blindspot` opens the modal, and keeps their Slack locale.
    await slack.slashCommand({ command: '/blindspot', userId });
    await vi.waitFor(async () => {
      const row = await database.db
        .selectFrom('managers')
        .where('slack_user_id', '=', userId)
        .select('locale')
        .executeTakeFirst();
      expect(row?.locale).toBe(manager.locale);
    }, SETTLED);
  }

  const confirmed = waitForNext(
    standIn,
    'chat.postMessage',
    (call) => call.args.channel === userId,
  );
  const homePublished = waitForNext(
    standIn,
    'views.publish',
    (call) => call.args.user_id === userId,
  );
  const submitted = await slack.viewSubmission({
    userId,
    callbackId: 'signup_modal',
    values: signupModalValues({
      weekdays: manager.weekdays ?? [1, 2, 3, 4, 5],
      localTime: manager.localTime ?? '09:00',
      timeZone,
    }),
  });
  // An empty 200 closes the modal; anything else lists the fields Slack would show as wrong.
  expect(submitted.body).toBe('');
  await Promise.all([confirmed, homePublished]);

  const subscription = await database.db
    .selectFrom('subscriptions')
    .innerJoin('managers', 'managers.id', 'subscriptions.manager_id')
    .where('managers.slack_user_id', '=', userId)
    .select(['subscriptions.id', 'subscriptions.next_due_at'])
    .executeTakeFirstOrThrow();
  const dueAt = subscription.next_due_at;
  if (!dueAt) throw new Error(`${userId}'s subscription has no next delivery`);

  setClock(new Date(dueAt.getTime() - PLAN_LOOKAHEAD_MS + 60_000));
  await planDueDeliveries(database.db, new Date(dueAt.getTime() - PLAN_LOOKAHEAD_MS + 60_000));
  const delivery = await database.db
    .selectFrom('deliveries')
    .where('subscription_id', '=', subscription.id)
    .where('due_at', '=', dueAt)
    .select('id')
    .executeTakeFirstOrThrow();
  setClock(dueAt);
  const call = await standIn.waitForCall(
    'chat.postMessage',
    (candidate) =>
      (candidate.args.metadata as { event_payload?: { delivery_id?: string } } | undefined)
        ?.event_payload?.delivery_id === delivery.id,
  );
  // vi.waitFor, not expect.poll: the helper also runs in beforeAll hooks, outside any test.
  await vi.waitFor(async () => {
    const row = await database.db
      .selectFrom('deliveries')
      .where('id', '=', delivery.id)
      .select('status')
      .executeTakeFirst();
    expect(row?.status).toBe('sent');
  }, SETTLED);

  const blocks = call.args.blocks as MessageBlock[];
  return {
    call,
    channel: String(answerOf(call).channel),
    ts: String(answerOf(call).ts),
    blocks,
    text: String(call.args.text),
    value: String(blocks.find((block) => block.type === 'actions')?.elements?.[0]?.value),
    deliveryId: delivery.id,
    dueAt,
  };
}

/**
 * A member sets a new status in Slack (an empty one clears it): the stand-in answers it from now
 * on, and Slack's `user_status_changed` event reaches the app, signed.
 */
export async function changeSlackStatus(
  harness: Pick<SlackHarness, 'standIn' | 'slack'>,
  userId: string,
  status: NonNullable<SlackUserSeed['status']>,
): ReturnType<SlackRequester['event']> {
  const event = harness.standIn.setUserStatus(userId, status);
  return harness.slack.event({ ...event, type: 'user_status_changed' });
}

/** Resolves with the first call to `method` matching `predicate` that arrives from now on. */
function waitForNext(
  standIn: SlackStandIn,
  method: string,
  predicate: (call: RecordedCall) => boolean,
): Promise<RecordedCall> {
  const seen = new Set(standIn.callsTo(method));
  return standIn.waitForCall(method, (call) => !seen.has(call) && predicate(call));
}
