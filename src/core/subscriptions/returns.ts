/**
 * The end of an away (issue 18, item 3): when the day a manager said they are back starts in
 * their zone, their subscription is active again from the next occurrence of their schedule,
 * and one "welcome back" DM is planned for that day, at their delivery time.
 *
 * Run at the start of each of the delivery planner's passes, in its transaction, so the first
 * note after the return is planned in the same pass. Exactly once whatever the number of workers: the rows are locked
 * with SKIP LOCKED and change from paused to active inside the lock, and the welcome back is a
 * reminders-ledger row whose unique key (manager, day, kind) admits one.
 */
import type { Executor } from '../../db/executor.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { insertReminder } from '../reminders/repository.ts';
import { nextOccurrence, occurrenceOn } from '../schedule/rules.ts';
import {
  lockReturningSubscriptions,
  type ReturningSubscription,
  setSubscriptionStatus,
} from './repository.ts';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/**
 * When the welcome back goes: at the manager's delivery time on the day they are back, whether
 * or not it is one of their note days; at once if that time has passed (a late tick).
 */
export function welcomeBackDueAt(subscription: ReturningSubscription, now: Date): Date {
  const slot = occurrenceOn({ ...subscription, weekdays: EVERY_DAY }, subscription.pausedUntil);
  const dueAt = slot?.dueAt ?? now;
  return dueAt < now ? now : dueAt;
}

/**
 * Brings back up to `limit` managers whose away has ended by `now`, on the caller's transaction
 * (the planner's pass); returns how many came back.
 */
export async function resumeReturningSubscriptions(
  trx: Executor,
  now: Date,
  limit: number,
): Promise<number> {
  const back = await lockReturningSubscriptions(trx, now, limit);
  for (const subscription of back) {
    await setSubscriptionStatus(
      trx,
      subscription.id,
      { status: 'active', reason: null, nextDueAt: nextOccurrence(subscription, now).dueAt },
      now,
    );
    const dueAt = welcomeBackDueAt(subscription, now);
    await insertReminder(trx, {
      workspaceId: subscription.workspaceId,
      managerId: subscription.managerId,
      localDate: subscription.pausedUntil,
      kind: 'welcome_back',
      dueAt,
      wantedAt: dueAt,
    });
    await recordAuditEvent(trx, {
      workspaceId: subscription.workspaceId,
      actor: 'system',
      action: 'subscription.returned',
      subjectType: 'subscription',
      subjectId: subscription.id,
      details: { from: 'paused', to: 'active', until: subscription.pausedUntil },
    });
  }
  return back.length;
}
