/**
 * The outbox's status check (issue 18, item 3), against the Slack stand-in through a real
 * WebClient: a status is read once per person within the cache time, and when Slack does not
 * answer in time the note goes (nothing is reported as skipped).
 */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwayCheck } from '../../src/bot/outbox-away-check.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';

const TEAM = 'T0CHECK';
const OUT = 'U0OUT';
const logger = createLogger({ level: 'silent', service: 'test' });
let standIn: SlackStandIn;
let slack: WebClient;
let clock = new Date('2026-12-07T08:00:00Z');

beforeAll(async () => {
  standIn = await startSlackStandIn();
  standIn.addUser({ id: OUT, teamId: TEAM, status: { text: 'OOO', emoji: ':palm_tree:' } });
  slack = new WebClient('xoxb-check', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
});

afterAll(async () => {
  await standIn?.close();
});

function check(options: { timeoutMs?: number; client?: WebClient } = {}) {
  const skipped: string[] = [];
  const { client = slack, ...rest } = options;
  const skipIfAway = createAwayCheck({
    slackFor: async () => client,
    api: {
      skipDelivery: async (id) => {
        skipped.push(id);
        return { status: 'skipped' };
      },
    },
    log: logger,
    now: () => clock,
    ...rest,
  });
  return { skipIfAway, skipped };
}

const note = (id: string) => ({ id, attempt: 1, teamId: TEAM, userId: OUT });

describe('when the outbox checks a manager’s status before a note', () => {
  it('then it reads Slack once within the cache time, and again after it', async () => {
    const { skipIfAway, skipped } = check();
    const reads = () => standIn.callsTo('users.profile.get').length;
    const before = reads();
    expect(await skipIfAway(note('1'))).toBe(true);
    clock = new Date(clock.getTime() + 60_000);
    expect(await skipIfAway(note('2'))).toBe(true);
    expect(reads()).toBe(before + 1);
    clock = new Date(clock.getTime() + 5 * 60_000);
    standIn.addUser({ id: OUT, teamId: TEAM });
    expect(await skipIfAway(note('3'))).toBe(false);
    expect(reads()).toBe(before + 2);
    expect(skipped).toEqual(['1', '2']);
  });

  it('then a Slack that does not answer in time lets the note go', async () => {
    standIn.addUser({ id: OUT, teamId: TEAM, status: { text: 'Out of office' } });
    standIn.setLatency('users.profile.get', 2_000);
    const { skipIfAway, skipped } = check({ timeoutMs: 100 });
    expect(await skipIfAway(note('4'))).toBe(false);
    expect(skipped).toEqual([]);
    standIn.setLatency('users.profile.get', 0);
  });

  it('then a 429 stops status reads in the workspace until its Retry-After, and the notes go', async () => {
    clock = new Date(clock.getTime() + 60 * 60_000);
    for (const id of ['U0RL1', 'U0RL2']) {
      standIn.addUser({ id, teamId: TEAM, status: { text: 'OOO', emoji: ':palm_tree:' } });
    }
    // As the outbox's own client: a 429 is an error at once, not a wait inside the client.
    const outboxClient = new WebClient('xoxb-check', {
      slackApiUrl: standIn.url,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const { skipIfAway, skipped } = check({ client: outboxClient });
    const reads = () => standIn.callsTo('users.profile.get').length;
    const before = reads();
    standIn.rateLimitNext('users.profile.get', { retryAfterSeconds: 30 });
    const first = { id: '8', attempt: 1, teamId: TEAM, userId: 'U0RL1' };
    const second = { id: '9', attempt: 1, teamId: TEAM, userId: 'U0RL2' };
    expect(await skipIfAway(first)).toBe(false);
    clock = new Date(clock.getTime() + 29_000);
    expect(await skipIfAway(second)).toBe(false);
    expect(reads()).toBe(before + 1);
    clock = new Date(clock.getTime() + 2_000);
    expect(await skipIfAway(second)).toBe(true);
    expect(reads()).toBe(before + 2);
    expect(skipped).toEqual(['9']);
  });
});
