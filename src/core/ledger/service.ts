/**
 * The lease protocol, written once for every ledger (deliveries, reminders). A ledger row is
 * planned by the worker, claimed by the bot under a lease, and then confirmed with its Slack
 * message or reported as failed. Each feature configures the protocol with its table, what a
 * claim carries, and its own side effects; docs/decisions/0008 has the reasoning.
 *
 * Every function here runs on the caller's transaction: the feature decides its bounds.
 */
import type { Executor } from '../../db/executor.ts';
import { type AppError, notFound } from '../errors.ts';
import { recordDmChannel, recordDmChannels } from '../managers/repository.ts';
import { holdWorkspaceSlackCalls } from '../workspaces/repository.ts';
import {
  type ClaimedLedgerRow,
  type ClaimPayload,
  claimDueRows,
  closeMissedRows,
  extendLedgerLease,
  findLedgerRowForUpdate,
  type LedgerRow,
  type LedgerTable,
  lockLedgerRows,
  markLedgerRowFailed,
  markLedgerRowSent,
  markLedgerRowsSent,
  type RowDetails,
  renewLedgerLeases,
} from './repository.ts';
import { type FailureReport, missedBefore, retryAt, workspaceHoldUntil } from './rules.ts';

export type {
  ClaimedLease,
  ClaimedLedgerRow,
  ClaimPayload,
  LedgerRow,
  LedgerTable,
} from './repository.ts';
export { claimedLease } from './repository.ts';

/** How a feature names its ledger: the table, and the subject of its 404. */
export interface Ledger<T extends LedgerTable> {
  table: T;
  subject: 'delivery' | 'reminder';
  /**
   * Whether the table records Slack's error code on a failure (deliveries do). The code
   * stays on the row for operators to read.
   */
  recordsErrorCode: boolean;
}

/** Closes the rows past the missed window, then claims due rows for `leaseMs`. */
export async function claimLeases<Payload>(
  trx: Executor,
  ledger: Ledger<LedgerTable>,
  now: Date,
  options: { limit: number; leaseMs: number },
  payload: ClaimPayload,
): Promise<{ missed: number; rows: Array<ClaimedLedgerRow & Payload> }> {
  const missed = await closeMissedRows(trx, ledger.table, now, missedBefore(now));
  const rows = await claimDueRows<Payload>(
    trx,
    ledger.table,
    { now, expiresAt: new Date(now.getTime() + options.leaseMs), limit: options.limit },
    payload,
  );
  return { missed, rows };
}

export interface Confirmed<T extends LedgerTable> {
  /** Already confirmed before: nothing changed. */
  repeated: boolean;
  row: LedgerRow<T>;
}

/**
 * Records a row as sent with its Slack channel and ts, and remembers the manager's DM
 * channel. The truth wins: a message that went out is recorded as sent even if its lease had
 * lapsed meanwhile. Repeating the confirmation changes nothing (`repeated`); a confirmation
 * naming another message throws `otherMessage` when the feature gives one.
 */
export async function confirmLease<T extends LedgerTable>(
  trx: Executor,
  ledger: Ledger<T>,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
  options: { details?: (row: LedgerRow<T>) => RowDetails; otherMessage?: () => AppError } = {},
): Promise<Confirmed<T>> {
  const row = await findLedgerRowForUpdate(trx, ledger.table, id);
  if (!row) throw notFound(ledger.subject);
  if (row.status === 'sent') {
    if (row.slack_ts !== sent.ts && options.otherMessage) throw options.otherMessage();
    return { repeated: true, row };
  }
  await markLedgerRowSent(trx, ledger.table, id, sent, now, options.details?.(row));
  await recordDmChannel(trx, row.manager_id, sent.channelId, now);
  return { repeated: false, row };
}

/** One message a sender posted, to confirm in a batch. */
export interface SentMessage {
  id: string;
  channelId: string;
  ts: string;
}

/**
 * What became of each confirmation in a batch: `sent` (recorded now), `repeated` (already
 * recorded with this message), `conflict` (already recorded with another message) or
 * `not_found`. A sent one carries its due time, for the caller's lateness.
 */
export type BatchConfirmation =
  | { id: string; status: 'sent'; dueAt: Date; managerId: string }
  | { id: string; status: 'repeated' | 'conflict' | 'not_found' };

/**
 * confirmLease for a batch, with a fixed number of statements whatever its size: lock the rows,
 * mark the new ones sent, remember the managers' DM channels. The same rules: the truth wins
 * over a lapsed lease, and a repeat changes nothing.
 */
export async function confirmLeases(
  trx: Executor,
  ledger: Ledger<LedgerTable>,
  sent: readonly SentMessage[],
  now: Date,
  late?: (dueAt: Date) => boolean,
): Promise<BatchConfirmation[]> {
  const locked = new Map(
    (await lockLedgerRows(trx, ledger.table, [...new Set(sent.map((m) => m.id))])).map((row) => [
      row.id,
      { ...row },
    ]),
  );
  const results: BatchConfirmation[] = [];
  const toMark: Array<SentMessage & { late?: boolean }> = [];
  const channels = new Map<string, string>();
  for (const message of sent) {
    const row = locked.get(message.id);
    if (!row) {
      results.push({ id: message.id, status: 'not_found' });
    } else if (row.status === 'sent') {
      const status = row.slack_ts === message.ts ? 'repeated' : 'conflict';
      results.push({ id: message.id, status });
    } else {
      // A second copy of the id later in the same batch now finds it sent.
      row.status = 'sent';
      row.slack_ts = message.ts;
      toMark.push({ ...message, ...(late && { late: late(row.due_at) }) });
      channels.set(row.manager_id, message.channelId);
      results.push({
        id: message.id,
        status: 'sent',
        dueAt: row.due_at,
        managerId: row.manager_id,
      });
    }
  }
  await markLedgerRowsSent(trx, ledger.table, toMark, now);
  await recordDmChannels(
    trx,
    [...channels].map(([managerId, channelId]) => ({ managerId, channelId })),
    now,
  );
  return results;
}

export type Failure<T extends LedgerTable> =
  | { status: 'ignored'; row: LedgerRow<T> }
  | { status: 'failed'; row: LedgerRow<T> }
  | { status: 'retrying'; retryAt: Date; row: LedgerRow<T> };

/**
 * Records a failed send. A report about an older claim (or a row no longer claimed) is
 * ignored. Rate limits and transient errors extend the lease, so the row is claimed again
 * once it runs out (within the missed window); an unreachable manager fails the row. A rate
 * limit with Retry-After also holds the row's workspace until then, for every sender (see
 * workspaceHoldUntil), even when the report itself is stale: the 429 is news either way.
 */
export async function reportLeaseFailure<T extends LedgerTable>(
  trx: Executor,
  ledger: Ledger<T>,
  id: string,
  report: FailureReport,
  now: Date,
): Promise<Failure<T>> {
  const row = await findLedgerRowForUpdate(trx, ledger.table, id);
  if (!row) throw notFound(ledger.subject);
  const holdUntil = workspaceHoldUntil(report, now);
  if (holdUntil) await holdWorkspaceSlackCalls(trx, row.workspace_id, holdUntil);
  if (row.status !== 'claimed' || row.attempts !== report.attempt)
    return { status: 'ignored', row };
  const details: RowDetails = ledger.recordsErrorCode ? { errorCode: report.code } : {};
  if (report.kind === 'unreachable') {
    await markLedgerRowFailed(trx, ledger.table, id, now, details);
    return { status: 'failed', row };
  }
  const until = retryAt(report, row.attempts, now);
  await extendLedgerLease(trx, ledger.table, id, until, now, details);
  return { status: 'retrying', retryAt: until, row };
}

/** One held lease: the row, and the attempt number its holder claimed it under. */
export interface HeldLease {
  id: string;
  attempt: number;
}

export type LeaseRenewal = HeldLease &
  ({ renewed: true; leaseExpiresAt: Date } | { renewed: false; leaseExpiresAt: null });

/**
 * Renews every lease a sender holds at once, each to `leaseMs` from now (see renewLedgerLeases),
 * so a sender can keep its leases short and still hold what it has queued. An unknown row is
 * answered `renewed: false`, as a stale one is: either way the sender should drop it, and one
 * gone row must not fail the renewal of the rest. Answers in the order asked.
 */
export async function renewLeases(
  trx: Executor,
  ledger: Ledger<LedgerTable>,
  leases: readonly HeldLease[],
  now: Date,
  leaseMs: number,
): Promise<LeaseRenewal[]> {
  const until = new Date(now.getTime() + leaseMs);
  const renewed = await renewLedgerLeases(trx, ledger.table, leases, until, now);
  return leases.map(({ id, attempt }): LeaseRenewal => {
    const leaseExpiresAt = renewed.get(id);
    return leaseExpiresAt
      ? { id, attempt, renewed: true, leaseExpiresAt }
      : { id, attempt, renewed: false, leaseExpiresAt: null };
  });
}
