import { refreshAnalytics } from '../../core/analytics/refresh.ts';
import type { WorkerDependencies } from '../dependencies.ts';
import type { JobBody } from '../jobs.ts';

/**
 * Every five minutes: brings the analytics summary tables up to date with the rows changed
 * since the last run, and the team filter's cells with the teams' members
 * (src/core/analytics/refresh.ts). Idempotent: a run recounts whole manager-days and writes
 * only values that differ, so running it twice writes nothing more.
 * Five minutes, not one: the dashboards need no fresher numbers, and each run recounts the
 * current week.
 */
export function refreshAnalyticsTask(deps: WorkerDependencies): JobBody {
  return async (_payload, { log }) => {
    const result = await refreshAnalytics(deps.db, deps.now());
    if (result.skipped) log.info('analytics refresh skipped: another run is under way');
    else if (result.touchedDays > 0 || result.atomsChanged > 0)
      log.info({ ...result }, 'refreshed analytics');
  };
}
