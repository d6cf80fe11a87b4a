/**
 * Keeps the outbox's leases alive. The outbox claims rows under a short lease, so that what a
 * dead bot held goes to another replica within seconds (decision 0008); while this bot holds a
 * row (queued or in flight), the lease is renewed every third of its length, in one call per
 * ledger, so a slow send or a long queue does not lose it. A failed renewal is tried again at the
 * next tick, while the leases still have two thirds to run.
 */
import type { Logger } from '../observability/logger.ts';
import type { ApiClient, HeldLease, LeaseRenewal } from './api-client/index.ts';

/** A claimed row, as far as its lease goes. */

/** The two ledgers whose leases the outbox holds. */
const LEDGER_KINDS: ReadonlyArray<'delivery' | 'reminder'> = ['delivery', 'reminder'];
export interface LeasedRow {
  kind: 'delivery' | 'reminder';
  id: string;
  attempt: number;
}

export interface LeaseKeeper<Row extends LeasedRow> {
  /** Starts renewing these rows' leases. */
  hold(rows: readonly Row[]): void;
  /** Stops renewing a row's lease: it was sent, reported, or dropped. */
  release(row: Row): void;
  /** Stops renewing, after a renewal under way. */
  stop(): Promise<void>;
}

/** The most leases the API renews in one call (src/api/schemas.ts). */
const RENEWAL_BATCH = 500;

export function keepLeases<Row extends LeasedRow>(options: {
  api: ApiClient;
  log: Logger;
  leaseSeconds: number;
  renewEveryMs: number;
  /**
   * The API no longer counts the row as ours: it was claimed again after we stalled past its
   * lease, or closed. The caller drops it if still queued; sending it could post it twice.
   */
  onLost(row: Row): void;
}): LeaseKeeper<Row> {
  const { api, log, leaseSeconds } = options;
  const renew: Record<LeasedRow['kind'], (leases: HeldLease[]) => Promise<LeaseRenewal[]>> = {
    delivery: (leases) => api.renewDeliveryLeases(leases, leaseSeconds),
    reminder: (leases) => api.renewReminderLeases(leases, leaseSeconds),
  };
  const held = new Set<Row>();
  let renewing: Promise<void> | undefined;

  async function renewBatch(kind: LeasedRow['kind'], batch: Row[]): Promise<void> {
    const renewals = await renew[kind](batch.map(({ id, attempt }) => ({ id, attempt })));
    renewals.forEach((renewal, index) => {
      const row = batch[index];
      // A row released meanwhile (confirmed, say) is not ours to hold any more anyway.
      if (renewal.renewed || !row || !held.has(row)) return;
      held.delete(row);
      options.onLost(row);
    });
  }

  async function renewHeld(): Promise<void> {
    const calls: Array<Promise<void>> = [];
    for (const kind of LEDGER_KINDS) {
      const mine = [...held].filter((row) => row.kind === kind);
      for (let start = 0; start < mine.length; start += RENEWAL_BATCH)
        calls.push(renewBatch(kind, mine.slice(start, start + RENEWAL_BATCH)));
    }
    for (const result of await Promise.allSettled(calls)) {
      if (result.status === 'rejected')
        log.warn({ err: result.reason }, 'could not renew leases; trying again shortly');
    }
  }

  const timer = setInterval(() => {
    if (held.size > 0)
      renewing ??= renewHeld().finally(() => {
        renewing = undefined;
      });
  }, options.renewEveryMs);
  // The timer alone must not keep the process alive; the outbox's slots do while there is work.
  timer.unref();

  return {
    hold(rows) {
      for (const row of rows) held.add(row);
    },
    release(row) {
      held.delete(row);
    },
    async stop() {
      clearInterval(timer);
      await renewing;
    },
  };
}
