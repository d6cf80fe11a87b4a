import { planDueDeliveries } from '../../core/deliveries/service.ts';
import type { WorkerDependencies } from '../dependencies.ts';
import type { JobBody } from '../jobs.ts';

/**
 * Every minute: write the ledger rows for deliveries due in the next few minutes. Idempotent
 * (the ledger's unique key), so a retried or doubled run plans nothing twice.
 */
export function planDeliveries(deps: WorkerDependencies): JobBody {
  return async (_payload, { log }) => {
    const result = await planDueDeliveries(deps.db, deps.now());
    deps.metrics.deliveries.due.inc(result.planned);
    deps.metrics.deliveries.missed.inc(result.missed);
    deps.metrics.deliveries.skipped.inc({ reason: 'holiday' }, result.skipped);
    if (result.planned + result.missed + result.failed + result.skipped + result.returned > 0) {
      log.info({ ...result }, 'planned deliveries');
    }
    if (result.failed > 0) {
      log.error(
        { failed: result.failed },
        'deliveries with no topic to send: is the catalogue seeded?',
      );
    }
  };
}
