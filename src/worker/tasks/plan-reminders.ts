import { planDueReminders } from '../../core/reminders/service.ts';
import type { WorkerDependencies } from '../dependencies.ts';
import type { JobBody } from '../jobs.ts';

/**
 * Every minute: plan the reminder messages (and weekly digests) due in the next few minutes.
 * Idempotent: the reminders ledger allows one per manager, day and kind.
 */
export function planReminders(deps: WorkerDependencies): JobBody {
  return async (_payload, { log }) => {
    const result = await planDueReminders(deps.db, deps.now());
    deps.metrics.reminders.due.inc(result.planned);
    deps.metrics.reminders.lapsed.inc(result.lapsed);
    if (result.planned + result.digests > 0) log.info({ ...result }, 'planned reminders');
  };
}
