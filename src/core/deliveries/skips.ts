/**
 * Notes not sent on purpose (issue 18, item 3). When the manager's Slack status is not known
 * fresh (the claim skips the known-away ones itself: ./service.ts), the bot, holding a
 * delivery's lease, reads it just before posting; when it says they are out, it reports the
 * skip here instead of posting, and the day is recorded as `skipped_away`. The topic was not used:
 * topic rotation counts only what went (or is about to go), so it comes another day. A skipped
 * note asks nothing, so no reminder follows it and it counts toward no lapse.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { publicHolidayOn } from '../holidays/rules.ts';
import { findLedgerRowForUpdate } from '../ledger/repository.ts';
import { findManagerHolidayPlace } from '../managers/repository.ts';
import { getManager } from '../managers/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import {
  listSkippedDeliveries,
  markDeliveriesUnsent,
  type SkippedDeliveryRow,
} from './repository.ts';

export interface SkipReport {
  /** The claim's attempt number; a report about an older claim is ignored. */
  attempt: number;
  reason: 'away';
}

/**
 * Records a claimed delivery as skipped because the manager is away. Reporting it again is
 * answered `skipped` and changes nothing; a report about a row no longer held under that
 * attempt (re-claimed, or already sent) is `ignored`.
 */
export async function skipDelivery(
  db: Kysely<Database>,
  id: string,
  report: SkipReport,
  now: Date,
): Promise<{ status: 'skipped' | 'ignored' }> {
  return db.transaction().execute(async (trx) => {
    const row = await findLedgerRowForUpdate(trx, 'deliveries', id);
    if (!row) throw notFound('delivery');
    // The lease columns' type knows only the statuses both ledgers share.
    const status: string = row.status;
    if (status === 'skipped_away') return { status: 'skipped' };
    if (status !== 'claimed' || row.attempts !== report.attempt) return { status: 'ignored' };
    await markDeliveriesUnsent(trx, [id], 'skipped_away', now);
    return { status: 'skipped' };
  });
}

export interface SkippedNote {
  localDate: string;
  reason: 'away' | 'holiday';
  /** The holiday's name, at the manager's place as it is now. */
  holiday: string | null;
}

/** The manager's last `limit` skipped notes, newest first, each with why it did not come. */
export async function listMySkippedNotes(
  db: Kysely<Database>,
  who: SlackIdentity,
  limit: number,
): Promise<SkippedNote[]> {
  const manager = await getManager(db, who);
  const [rows, place] = await Promise.all([
    listSkippedDeliveries(db, manager.id, limit),
    findManagerHolidayPlace(db, manager.id),
  ]);
  return skippedNotesFromRows(rows, place);
}

/** Skipped deliveries as the manager reads them, with the holiday's name at their place now. */
export function skippedNotesFromRows(
  rows: readonly SkippedDeliveryRow[],
  place: { country: string; region: string | null } | undefined,
): SkippedNote[] {
  return rows.map(({ localDate, status }) => ({
    localDate,
    reason: status === 'skipped_away' ? 'away' : 'holiday',
    holiday:
      status === 'skipped_holiday' && place ? (publicHolidayOn(place, localDate) ?? null) : null,
  }));
}
