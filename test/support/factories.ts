/**
 * Test data built through the business layer, so every row is one the service itself could
 * have written: a workspace comes with the shipped catalogue and weekday themes, a manager is
 * registered as the bot registers one, a subscription goes through the same rules as a sign-up.
 */
import type { Kysely } from 'kysely';
import { registerManager } from '../../src/core/managers/service.ts';
import type { SlackIdentity } from '../../src/core/request-context.ts';
import type { SubscriptionInput } from '../../src/core/subscriptions/rules.ts';
import { type SubscriptionRow, subscribe } from '../../src/core/subscriptions/service.ts';
import { ensureWorkspace } from '../../src/core/workspaces/service.ts';
import type { Database } from '../../src/db/schema.ts';

let sequence = 0;

/**
 * A Slack id that no other call in this process returns: 'T…' for a team, 'U…' for a user.
 * Upper-case letters and digits, as Slack's are.
 */
export function uniqueSlackId(prefix: 'T' | 'U'): string {
  sequence += 1;
  return `${prefix}0F${sequence.toString(36).toUpperCase().padStart(6, '0')}`;
}

export interface TestWorkspace {
  id: string;
  slackTeamId: string;
}

/** A workspace seeded with the shipped topics and the default weekday themes. */
/**
 * What Slack would answer to a DM: the DM channel and a message ts, unique among the answers
 * of one factory.
 */
export function fakeSlackDms() {
  let messages = 0;
  return (slackUserId: string, now: Date) => {
    messages += 1;
    return {
      channelId: `D${slackUserId.slice(1)}`,
      ts: `${Math.floor(now.getTime() / 1000)}.${String(messages).padStart(6, '0')}`,
    };
  };
}

export async function createWorkspace(
  db: Kysely<Database>,
  slackTeamId = uniqueSlackId('T'),
): Promise<TestWorkspace> {
  const id = await db.transaction().execute((trx) => ensureWorkspace(trx, slackTeamId, new Date()));
  return { id, slackTeamId };
}

export interface TestManager {
  id: string;
  who: SlackIdentity;
}

/** A manager of `workspace`, registered with a time zone as the bot's sign-up does. */
export async function createManager(
  db: Kysely<Database>,
  workspace: TestWorkspace,
  options: { timeZone?: string; slackUserId?: string } = {},
): Promise<TestManager> {
  const who = {
    slackTeamId: workspace.slackTeamId,
    slackUserId: options.slackUserId ?? uniqueSlackId('U'),
  };
  const manager = await registerManager(
    db,
    who,
    { timeZone: options.timeZone ?? 'Europe/Berlin', locale: 'en-US' },
    new Date(),
  );
  return { id: manager.id, who };
}

export interface TestSubscriber extends TestManager {
  subscription: SubscriptionRow;
}

/** Every day of the week, 1 = Monday … 7 = Sunday. */
export const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/**
 * A manager subscribed at `now` to the given schedule (by default every day at 09:00 in their
 * zone), through the same service as the sign-up modal.
 */
export async function createSubscriber(
  db: Kysely<Database>,
  workspace: TestWorkspace,
  schedule: Partial<SubscriptionInput>,
  now: Date,
  options: { slackUserId?: string } = {},
): Promise<TestSubscriber> {
  const input: SubscriptionInput = {
    weekdays: EVERY_DAY,
    localTime: '09:00',
    timeZone: 'Europe/Berlin',
    skippedCategories: [],
    ...schedule,
  };
  const manager = await createManager(db, workspace, {
    timeZone: input.timeZone,
    slackUserId: options.slackUserId,
  });
  const subscription = await subscribe(db, manager.who, input, now);
  return { ...manager, subscription };
}
