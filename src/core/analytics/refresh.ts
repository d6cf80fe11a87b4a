/**
 * The worker's side of the analytics: brings the summary tables up to date with what changed
 * since the last run, in one transaction, so the API never reads half a refresh.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  type AtomSpan,
  refreshAtomActivityCells,
  refreshAtomDeliveryDays,
  refreshAtomMembers,
  refreshAtomWeekCells,
  refreshTeamDeliveryDays,
} from './repositories/atom-cells.ts';
import {
  refreshActivityCells,
  refreshDeliveryDays,
  refreshWeekCells,
} from './repositories/cells.ts';
import {
  collectTouchedDays,
  lockWatermark,
  markCellsChanged,
  refreshManagerDays,
  refreshManagerHours,
  saveWatermark,
  takeTouchedWeek,
  touchedWeeks,
} from './repositories/refresh.ts';
import { limitStatementTime } from './repositories/statement-time.ts';

/**
 * Rows changed up to this long before the last run are read again. A transaction that began
 * before the run and committed after it wrote timestamps older than the watermark; the pools'
 * idle-in-transaction (10 s) and statement (5 s) limits bound how much older, so five minutes
 * leaves a wide margin. Reading a manager-day again costs a recount and writes nothing.
 */
export const REFRESH_OVERLAP_MS = 5 * 60_000;

/**
 * Each statement of a refresh may run this long: longer than a request's, since the first run
 * after an upgrade recounts the whole history, but bounded, so a refresh gone wrong cannot hold
 * a connection for ever.
 */
export const REFRESH_STATEMENT_TIMEOUT_MS = 300_000;

export interface RefreshResult {
  /** Another run was under way: this one did nothing (the next tick catches up). */
  skipped: boolean;
  /** Manager-days whose rows changed since the last run (less the overlap). */
  touchedDays: number;
  /** Summary rows written or removed, per table. */
  managerDays: number;
  managerHours: number;
  weekCells: number;
  activityCells: number;
  deliveryDays: number;
  /** Rows of the memberships the atom cells are counted from (analytics_atom_members, _atoms). */
  atomMembers: number;
  /** Atoms whose managers changed: every week of theirs was recounted. */
  atomsChanged: number;
  atomWeekCells: number;
  atomActivityCells: number;
  atomDeliveryDays: number;
  teamDeliveryDays: number;
}

const NOTHING: RefreshResult = {
  skipped: false,
  touchedDays: 0,
  managerDays: 0,
  managerHours: 0,
  weekCells: 0,
  activityCells: 0,
  deliveryDays: 0,
  atomMembers: 0,
  atomsChanged: 0,
  atomWeekCells: 0,
  atomActivityCells: 0,
  atomDeliveryDays: 0,
  teamDeliveryDays: 0,
};

/** Recounts the team filter's cells (./repositories/atom-cells.ts) of the span. */
async function refreshAtomCells(
  trx: Kysely<Database>,
  span: AtomSpan,
  now: Date,
  result: RefreshResult,
): Promise<void> {
  result.atomWeekCells += await refreshAtomWeekCells(trx, span, now);
  result.atomActivityCells += await refreshAtomActivityCells(trx, span, now);
  result.atomDeliveryDays += await refreshAtomDeliveryDays(trx, span, now);
  result.teamDeliveryDays += await refreshTeamDeliveryDays(trx, span, now);
}

export function refreshAnalytics(db: Kysely<Database>, now: Date): Promise<RefreshResult> {
  return db.transaction().execute(async (trx) => {
    await limitStatementTime(trx, REFRESH_STATEMENT_TIMEOUT_MS);
    const lock = await lockWatermark(trx);
    if (lock.busy) return { ...NOTHING, skipped: true };
    const watermark = lock.at;
    const since = watermark && new Date(watermark.getTime() - REFRESH_OVERLAP_MS);
    const touchedDays = await collectTouchedDays(trx, since);
    // Taken before the weeks are recounted, so that every atom cell of this run is counted
    // from the same memberships, whatever a sync commits meanwhile.
    const atoms = await refreshAtomMembers(trx);
    const result: RefreshResult = {
      ...NOTHING,
      touchedDays,
      atomMembers: atoms.written,
      atomsChanged: atoms.changedAtoms,
    };
    // A week at a time: each statement recounts one week's manager-days and that week's cells.
    for (const monday of await touchedWeeks(trx)) {
      await takeTouchedWeek(trx, monday);
      result.managerDays += await refreshManagerDays(trx, now);
      result.managerHours += await refreshManagerHours(trx, now);
      result.weekCells += await refreshWeekCells(trx, now);
      result.activityCells += await refreshActivityCells(trx, now);
      result.deliveryDays += await refreshDeliveryDays(trx, now);
      await refreshAtomCells(trx, { week: monday }, now, result);
    }
    // An atom whose managers changed is other managers in every week: all of its are recounted.
    if (result.atomsChanged > 0) await refreshAtomCells(trx, 'changed', now, result);
    // The api's cached answers (./read-cache.ts) hold until a summary row changes.
    const { skipped, touchedDays: _, ...written } = result;
    if (Object.values(written).some((rows) => rows > 0)) await markCellsChanged(trx);
    // Never backwards: a run with a clock behind the last one keeps the later watermark.
    if (!watermark || now > watermark) await saveWatermark(trx, now);
    return result;
  });
}
