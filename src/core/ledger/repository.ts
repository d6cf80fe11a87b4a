/**
 * The SQL of the lease protocol, written once over either ledger table. Both tables share the
 * lease columns (status, due_at, lease_expires_at, attempts, slack_channel_id, slack_ts,
 * sent_at) and the partial index over unsent rows that the claim reads.
 */
import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database, RemindersTable } from '../../db/schema.ts';

export type LedgerTable = 'deliveries' | 'reminders';
/** The columns every ledger table has. */
type LeaseColumn =
  | 'id'
  | 'workspace_id'
  | 'manager_id'
  | 'local_date'
  | 'due_at'
  | 'status'
  | 'lease_expires_at'
  | 'attempts'
  | 'slack_channel_id'
  | 'slack_ts'
  | 'sent_at';
export type LedgerRow<T extends LedgerTable> = Selectable<Database[T]> &
  Selectable<Pick<RemindersTable, LeaseColumn>>;

/** Columns only the deliveries ledger keeps: whether it went late, and Slack's last error. */
export interface RowDetails {
  late?: boolean;
  errorCode?: string | null;
}

function detailColumns(details: RowDetails) {
  return {
    ...(details.late !== undefined && { late: details.late }),
    ...(details.errorCode !== undefined && { error_code: details.errorCode }),
  };
}

/**
 * The table's name as SQL. Raw on purpose: the name comes from the closed LedgerTable union,
 * never from input, and unquoted it keeps the statements' text (and so their names in logs and
 * the query-plan tests) as they were.
 */
function tableOf(table: LedgerTable): RawBuilder<unknown> {
  return sql.raw(table);
}

/** The row, locked for the rest of the transaction; every column, as its feature needs some. */
export async function findLedgerRowForUpdate<T extends LedgerTable>(
  db: Executor,
  table: T,
  id: string,
): Promise<LedgerRow<T> | undefined> {
  const row = await db
    .selectFrom(table as LedgerTable)
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row as LedgerRow<T> | undefined;
}

/**
 * Closes unsent rows due before `missedBefore` as missed: too late to send. A claimed one only
 * once its lease has run out, so a sender in the middle of it can still confirm. Returns how
 * many.
 */
export async function closeMissedRows(
  db: Executor,
  table: LedgerTable,
  now: Date,
  missedBefore: Date,
): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    UPDATE ${tableOf(table)} SET status = 'missed', lease_expires_at = NULL, updated_at = ${now}
    WHERE status IN ('pending', 'claimed') AND due_at < ${missedBefore}
      AND (status = 'pending' OR lease_expires_at <= ${now})
    RETURNING id`.execute(db);
  return rows.length;
}

/** What every claimed row carries: the lease, and where to send it. */
export interface ClaimedLedgerRow {
  id: string;
  attempts: number;
  due_at: Date;
  local_date: string;
  manager_id: string;
  slack_team_id: string;
  slack_user_id: string;
  dm_channel_id: string | null;
}

/** What a sender needs of any claimed row, whatever the ledger: its lease and its address. */
export interface ClaimedLease {
  id: string;
  /** The claim's attempt number, which the sender reports back with the outcome. */
  attempt: number;
  dueAt: Date;
  localDate: string;
  slackTeamId: string;
  slackUserId: string;
  dmChannelId: string | null;
}

/** A claimed row's lease and address, as every ledger hands them out. */
export function claimedLease(row: ClaimedLedgerRow): ClaimedLease {
  return {
    id: row.id,
    attempt: row.attempts,
    dueAt: row.due_at,
    localDate: row.local_date,
    slackTeamId: row.slack_team_id,
    slackUserId: row.slack_user_id,
    dmChannelId: row.dm_channel_id,
  };
}

/** What a feature adds to a claim: its columns (from the claimed row `c` and its joins). */
export interface ClaimPayload {
  /** A further condition on a due row (alias `r`) for it to be claimable. */
  eligible?: RawBuilder<unknown>;
  columns: RawBuilder<unknown>;
  joins?: RawBuilder<unknown>;
}

/**
 * Claims up to `limit` due rows under a lease, oldest first, and bumps their attempt number.
 * SKIP LOCKED lets any number of senders claim at once without waiting on each other or
 * taking the same row. A claimed row whose lease ran out is due again. Rows of a workspace
 * Slack rate-limited are left until its hold ends (workspaces.slack_rate_limited_until), so no
 * replica posts there before Slack's Retry-After.
 */
export async function claimDueRows<Payload>(
  db: Executor,
  table: LedgerTable,
  lease: { now: Date; expiresAt: Date; limit: number },
  payload: ClaimPayload,
): Promise<Array<ClaimedLedgerRow & Payload>> {
  const { now, expiresAt, limit } = lease;
  const { rows } = await sql<ClaimedLedgerRow & Payload>`
    WITH picked AS (
      SELECT r.id FROM ${tableOf(table)} r
      WHERE r.status IN ('pending', 'claimed') AND r.due_at <= ${now}
        AND (r.status = 'pending' OR r.lease_expires_at <= ${now})
        AND NOT EXISTS (SELECT 1 FROM workspaces held WHERE held.id = r.workspace_id
          AND held.slack_rate_limited_until > ${now})
        ${payload.eligible ?? sql``}
      -- Oldest first; among rows due together, the first planned first, so claims are fair
      -- and repeatable.
      ORDER BY r.due_at, r.id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE ${tableOf(table)} r
      SET status = 'claimed', lease_expires_at = ${expiresAt}, attempts = r.attempts + 1,
          updated_at = ${now}
      FROM picked WHERE r.id = picked.id
      RETURNING r.*
    )
    SELECT c.id, c.attempts, c.due_at, c.local_date::text AS local_date, c.manager_id,
      w.slack_team_id, m.slack_user_id, m.dm_channel_id, ${payload.columns}
    FROM claimed c
    JOIN workspaces w ON w.id = c.workspace_id
    JOIN managers m ON m.id = c.manager_id
    ${payload.joins ?? sql``}
    ORDER BY c.due_at, c.id`.execute(db);
  return rows;
}

/** Records the row as sent with its Slack message; the lease ends. */
export async function markLedgerRowSent(
  db: Executor,
  table: LedgerTable,
  id: string,
  sent: { channelId: string; ts: string },
  now: Date,
  details: RowDetails = {},
): Promise<void> {
  await db
    .updateTable(table)
    .set({
      status: 'sent',
      slack_channel_id: sent.channelId,
      slack_ts: sent.ts,
      sent_at: now,
      ...detailColumns(details),
      lease_expires_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Gives up on the row: it will not be claimed again. */
export async function markLedgerRowFailed(
  db: Executor,
  table: LedgerTable,
  id: string,
  now: Date,
  details: RowDetails = {},
): Promise<void> {
  await db
    .updateTable(table)
    .set({ status: 'failed', lease_expires_at: null, ...detailColumns(details), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Moves a claimed row's lease end to `until`: it is claimed again only after that. */
export async function extendLedgerLease(
  db: Executor,
  table: LedgerTable,
  id: string,
  until: Date,
  now: Date,
  details: RowDetails = {},
): Promise<void> {
  await db
    .updateTable(table)
    .set({ lease_expires_at: until, ...detailColumns(details), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Renews many leases in one statement: each `{ id, attempt }` whose row is still claimed under
 * that attempt gets its lease moved to `until`, never earlier than it was (a failure report may
 * have pushed it out to Slack's Retry-After, and a renewal racing it must not pull that back).
 * Returns the renewed rows' ids with their lease ends; a lease not listed was not renewed.
 */
export async function renewLedgerLeases(
  db: Executor,
  table: LedgerTable,
  leases: ReadonlyArray<{ id: string; attempt: number }>,
  until: Date,
  now: Date,
): Promise<Map<string, Date>> {
  if (leases.length === 0) return new Map();
  const { rows } = await sql<{ id: string; lease_expires_at: Date }>`
    UPDATE ${tableOf(table)} r
    SET lease_expires_at = GREATEST(r.lease_expires_at, ${until}), updated_at = ${now}
    FROM unnest(${leases.map((lease) => lease.id)}::bigint[],
      ${leases.map((lease) => lease.attempt)}::integer[]) AS held(id, attempt)
    WHERE r.id = held.id AND r.status = 'claimed' AND r.attempts = held.attempt
    RETURNING r.id::text AS id, r.lease_expires_at`.execute(db);
  return new Map(rows.map((row) => [row.id, row.lease_expires_at]));
}

/** What a row's lock reads before confirming it: enough to tell new, repeated and conflicting. */
export interface LockedLedgerRow {
  id: string;
  status: string;
  slack_ts: string | null;
  manager_id: string;
  due_at: Date;
}

/**
 * Locks the listed rows for the rest of the transaction, in id order so that two senders
 * confirming overlapping batches cannot deadlock. Rows that do not exist are simply absent.
 */
export async function lockLedgerRows(
  db: Executor,
  table: LedgerTable,
  ids: readonly string[],
): Promise<LockedLedgerRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<LockedLedgerRow>`
    SELECT id::text AS id, status, slack_ts, manager_id::text AS manager_id, due_at
    FROM ${tableOf(table)} WHERE id = ANY(${ids}::bigint[])
    ORDER BY id FOR UPDATE`.execute(db);
  return rows;
}

/**
 * Records many rows as sent with their Slack messages in one statement; the leases end. `late`
 * is the deliveries ledger's own column, so a batch of reminders passes none.
 */
export async function markLedgerRowsSent(
  db: Executor,
  table: LedgerTable,
  sent: ReadonlyArray<{ id: string; channelId: string; ts: string; late?: boolean }>,
  now: Date,
): Promise<void> {
  if (sent.length === 0) return;
  const ids = sent.map((row) => row.id);
  const channels = sent.map((row) => row.channelId);
  const tss = sent.map((row) => row.ts);
  const details = table === 'deliveries' ? sql`, late = s.late, error_code = NULL` : sql``;
  await sql`
    UPDATE ${tableOf(table)} r
    SET status = 'sent', slack_channel_id = s.channel_id, slack_ts = s.ts, sent_at = ${now},
        lease_expires_at = NULL, updated_at = ${now} ${details}
    FROM unnest(${ids}::bigint[], ${channels}::text[], ${tss}::text[],
      ${sent.map((row) => row.late ?? false)}::boolean[]) AS s(id, channel_id, ts, late)
    WHERE r.id = s.id`.execute(db);
}
