/**
 * The sandbox's time machine: moves the sandbox clock to the moment something is due, then asks
 * the worker to plan at once instead of waiting for its next minute. The planners, the outbox and
 * the reminder rules run unchanged; they just see a later "now".
 */
import { DateTime } from 'luxon';
import { ApiCallError, type ApiClient } from '../bot/api-client/index.ts';
import { AppError } from '../core/errors.ts';
import { reminderSlot } from '../core/reminders/rules.ts';
import { localDateOf } from '../core/schedule/rules.ts';
import type { SandboxClock } from './clock.ts';
import { SANDBOX_TEAM, type SandboxPerson } from './people.ts';
import type { RunningStack } from './stack.ts';

export type Jump = 'next-delivery' | 'check-back' | 'plus-day';

export interface JumpResult {
  to: Date;
  what: string;
}

const DAY_MS = 86_400_000;
/** Land just after the due minute, so the planner and outbox see it as due, not as coming. */
const LANDING_MS = 1_000;

export async function jump(
  stack: RunningStack,
  clock: SandboxClock,
  person: SandboxPerson,
  kind: Jump,
): Promise<JumpResult> {
  const firstName = person.name.split(' ')[0];
  if (kind === 'plus-day') {
    const to = clock.advanceBy(DAY_MS);
    await plan(stack);
    return { to, what: `A day later: ${when(to, person)}.` };
  }
  const subscription = await subscriptionOf(stack.api, person);
  if (kind === 'next-delivery') {
    if (!subscription?.nextDeliveryAt) {
      throw nothingScheduled(
        subscription
          ? `${firstName} has no note coming: the subscription is ${subscription.status}.`
          : `${firstName} hasn't signed up yet: type /blindspot or open the Home tab first.`,
      );
    }
    const to = clock.advanceTo(new Date(Date.parse(subscription.nextDeliveryAt) + LANDING_MS));
    await stack.runTask('plan_deliveries');
    return { to, what: `Jumped to ${when(to, person)}: ${firstName}'s next note.` };
  }
  const open = await stack.api.listActionItems(context(person), { status: 'open' });
  const first = open.map((item) => item.checkBackOn).sort()[0];
  if (!first || !subscription) {
    throw nothingScheduled(
      `${firstName} has no open action to check back on: plan one from a note first.`,
    );
  }
  const today = localDateOf(clock.now(), subscription.timeZone);
  const slot = reminderSlot(subscription, first > today ? first : today, () => 0, clock.now());
  if (!slot) throw nothingScheduled(`${firstName} gets no messages on any day for now.`);
  const to = clock.advanceTo(new Date(slot.dueAt.getTime() + LANDING_MS));
  await plan(stack);
  return { to, what: `Jumped to ${when(to, person)}: the check-back on ${firstName}'s action.` };
}

async function plan(stack: RunningStack): Promise<void> {
  await Promise.all([stack.runTask('plan_deliveries'), stack.runTask('plan_reminders')]);
}

function context(person: SandboxPerson) {
  return { slackTeamId: SANDBOX_TEAM.teamId, slackUserId: person.userId };
}

async function subscriptionOf(api: ApiClient, person: SandboxPerson) {
  try {
    return await api.getSubscription(context(person));
  } catch (error) {
    if (error instanceof ApiCallError && error.status === 404) return undefined;
    throw error;
  }
}

function when(instant: Date, person: SandboxPerson): string {
  return `${DateTime.fromJSDate(instant, { zone: person.timeZone }).toFormat('ccc d LLL, HH:mm')} in ${person.timeZone}`;
}

const nothingScheduled = (message: string) => new AppError('nothing_scheduled', message, 409);
