/**
 * The weekly digest, planned set-wise (issue 19, item 3b). A tick locks the digests due in its
 * window (stored next times, migration 0017), then costs the same four statements however many
 * are due: which are planned already, the new ledger rows from `unnest` arrays, and every next
 * time moved on with one `UPDATE … FROM unnest(…)`. Before, each due digest cost two statements
 * of its own (1.5 s for 1,529 digests on a Monday with 100,000 digest subscribers among 1M).
 * The slots are computed in TypeScript by ./rules.ts (digestDecision).
 */
import type { Executor } from '../../db/executor.ts';
import { localDateOf } from '../schedule/rules.ts';
import {
  digestKey,
  digestsPlannedOn,
  insertDigests,
  lockDueDigestSubscriptions,
  type PlannedDigest,
  setNextDigestTimes,
} from './repositories/digests.ts';
import type { ActiveSubscription } from './repository.ts';
import { digestDecision, digestMondayOf, PAST_SLOT_GRACE_MS } from './rules.ts';

/**
 * Plans the weekly digests due by `until`, inside the reminder planner's transaction, and stores
 * when each locked subscription's digest is next looked at. How many digests it planned.
 */
export async function planDueDigests(trx: Executor, now: Date, until: Date): Promise<number> {
  const locked = await lockDueDigestSubscriptions(trx, until);
  if (locked.length === 0) return 0;
  // The decision depends only on the zone, the time, the workspace's policy and whether the
  // digest is planned, and the digests due in one window share a few of those: computed once
  // each, a tick's TypeScript costs little more for 1,500 digests than for 15 (luxon's zone
  // arithmetic was most of a 1,500-digest tick's CPU).
  const mondayIn = memo((timeZone: string) => digestMondayOf(localDateOf(now, timeZone)));
  const due = locked.map((subscription) => ({
    subscription,
    monday: mondayIn(subscription.timeZone, subscription.timeZone),
  }));
  const planned = await digestsPlannedOn(
    trx,
    due.map(({ subscription, monday }) => ({ managerId: subscription.managerId, monday })),
  );
  const notBefore = new Date(now.getTime() - PAST_SLOT_GRACE_MS);
  const decide = memo((subscription: ActiveSubscription, monday: string, alreadyPlanned: boolean) =>
    digestDecision(subscription, monday, alreadyPlanned, notBefore, until),
  );
  const toPlan: PlannedDigest[] = [];
  const nextDigests = due.map(({ subscription, monday }) => {
    const { timeZone, localTime, quietStart, quietEnd, dailyDmCap, managerId } = subscription;
    const alreadyPlanned = planned.has(digestKey(managerId, monday));
    const decision = decide(
      `${timeZone} ${localTime} ${quietStart} ${quietEnd} ${dailyDmCap} ${alreadyPlanned}`,
      subscription,
      monday,
      alreadyPlanned,
    );
    if (decision.plan) {
      toPlan.push({
        workspaceId: subscription.workspaceId,
        managerId,
        monday,
        dueAt: decision.plan.dueAt,
      });
    }
    return { subscriptionId: subscription.subscriptionId, nextDigestAt: decision.nextLookAt };
  });
  const inserted = await insertDigests(trx, toPlan);
  await setNextDigestTimes(trx, nextDigests);
  return inserted;
}

/** `compute`, called once per key: the caller's key must name everything its answer depends on. */
function memo<Args extends unknown[], Result>(
  compute: (...args: Args) => Result,
): (key: string, ...args: Args) => Result {
  const answers = new Map<string, Result>();
  return (key, ...args) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = compute(...args);
      answers.set(key, answer);
    }
    return answer;
  };
}
