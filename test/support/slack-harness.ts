/**
 * The whole service with Slack at its edge, for end-to-end tests: a migrated database, the
 * Slack stand-in, the all-in-one app pointed at it, and a requester that signs as Slack does.
 * One injected clock drives both the service and the requester's timestamps.
 */
import { expect } from 'vitest';
import { type SlackStandIn, startSlackStandIn } from '../../tools/slack-stand-in/index.ts';
import { startTestApp, TEST_BOT_TOKEN, TEST_SIGNING_SECRET, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { createSlackRequester, type SlackRequester } from './slack-requests.ts';

export interface SlackHarness {
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
  });
  const slack = createSlackRequester({
    baseUrl: app.url,
    signingSecret: TEST_SIGNING_SECRET,
    teamId: options.teamId,
    standIn,
    now: options.clock,
  });
  return {
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
