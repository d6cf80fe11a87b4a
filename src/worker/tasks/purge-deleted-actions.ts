import { purgeExpiredDeletions } from '../../core/action-items/service.ts';
import type { WorkerDependencies } from '../dependencies.ts';
import type { JobBody } from '../jobs.ts';

/**
 * Every minute: deletes the copies of deleted action items whose minute of "Undo" has passed
 * (migration 0025), so a deleted item is gone for good within two minutes. Idempotent: a second
 * run finds nothing left to delete.
 */
export function purgeDeletedActionsTask(deps: WorkerDependencies): JobBody {
  return async (_payload, { log }) => {
    const purged = await purgeExpiredDeletions(deps.db, deps.now());
    if (purged > 0) log.info({ purged }, 'purged deleted actions past their undo');
  };
}
