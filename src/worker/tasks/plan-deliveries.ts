import type { Task } from 'graphile-worker';
import { planDueDeliveries } from '../../core/deliveries/service.ts';
import type { WorkerDependencies } from './index.ts';

/**
 * Every minute: write the ledger rows for deliveries due in the next few minutes. Idempotent
 * (the ledger's unique key), so a retried or doubled run plans nothing twice.
 */
export function planDeliveries(deps: WorkerDependencies): Task {
  return async (_payload, helpers) => {
    const result = await planDueDeliveries(deps.db, deps.now());
    deps.metrics.deliveries.due.inc(result.planned);
    deps.metrics.deliveries.missed.inc(result.missed);
    if (result.planned + result.missed + result.failed > 0) {
      helpers.logger.info('planned deliveries', { ...result });
    }
    if (result.failed > 0) {
      helpers.logger.error('deliveries with no topic to send: is the catalogue seeded?', {
        failed: result.failed,
      });
    }
  };
}
