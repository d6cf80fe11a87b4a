/**
 * A Slack stand-in with one member and a WebClient pointed at it, for the stand-in's own tests
 * (test/slack-emulator/slack-stand-in*.test.ts).
 */
import { WebClient } from '@slack/web-api';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';

export const STAND_IN_BOT_TOKEN = 'xoxb-1234-5678-standin';

/**
 * Starts a stand-in with Ada Lovelace (U0MANAGER1) as a member, and a client that neither
 * retries nor waits out a rate limit, so a test sees each fault as the stand-in gave it.
 */
export async function startStandInWithClient(): Promise<{
  standIn: SlackStandIn;
  client: WebClient;
}> {
  const standIn = await startSlackStandIn();
  standIn.addUser({
    id: 'U0MANAGER1',
    realName: 'Ada Lovelace',
    tz: 'Europe/London',
    locale: 'en-GB',
  });
  const client = new WebClient(STAND_IN_BOT_TOKEN, {
    slackApiUrl: standIn.url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return { standIn, client };
}

/** The error `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject, but it resolved');
}
