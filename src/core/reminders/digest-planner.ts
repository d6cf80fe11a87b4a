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
} from './digest-repository.ts';
import { digestDecision, digestMondayOf, PAST_SLOT_GRACE_MS } from './rules.ts';

/**
 * Plans the weekly digests due by `until`, inside the reminder planner's transaction, and stores
 * when each locked subscription's digest is next looked at. How many digests it planned.
 */
export async function planDueDigests(trx: Executor, now: Date, until: Date): Promise<number> {
  const locked = await lockDueDigestSubscriptions(trx, until);
  if (locked.length === 0) return 0;
  const mondays = locked.map((subscription) => ({
    subscription,
    managerId: subscription.managerId,
    monday: digestMondayOf(localDateOf(now, subscription.timeZone)),
  }));
  const planned = await digestsPlannedOn(trx, mondays);
  const notBefore = new Date(now.getTime() - PAST_SLOT_GRACE_MS);
  const toPlan: PlannedDigest[] = [];
  const nextDigests = mondays.map(({ subscription, managerId, monday }) => {
    const decision = digestDecision(
      subscription,
      monday,
      planned.has(digestKey(managerId, monday)),
      notBefore,
      until,
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
