/**
 * The weekly digest planner's queries (issue 19, item 3b): each takes the whole tick's due
 * digests in one statement, so a Monday tick costs the same few round trips for 10 digests as
 * for 10,000. The digest's content (weekCounts) is in ./repository.ts with the other reads a
 * claimed reminder needs.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import { type ActiveSubscription, SUBSCRIPTION_COLUMNS } from '../repository.ts';

/**
 * The active subscriptions whose weekly digest is due for a look by `until`, locked (SKIP LOCKED:
 * planners running at once each take their own): from the partial index
 * subscriptions_digest_due, so a tick reads and locks only these.
 */
export async function lockDueDigestSubscriptions(
  db: Executor,
  until: Date,
): Promise<ActiveSubscription[]> {
  return db
    .selectFrom('subscriptions as s')
    .where('s.status', '=', 'active')
    .where('s.weekly_digest', '=', true)
    .where('s.next_digest_at', '<=', until)
    .leftJoin('workspace_settings as ws', 'ws.workspace_id', 's.workspace_id')
    .select(SUBSCRIPTION_COLUMNS)
    .forUpdate('s')
    .skipLocked()
    .execute();
}

/** The key digestsPlannedOn answers with: a manager and the Monday of their digest. */
export const digestKey = (managerId: string, monday: string) => `${managerId}/${monday}`;

/** Which of these managers already have their digest for that Monday (digestKey), of any status. */
export async function digestsPlannedOn(
  db: Executor,
  wanted: ReadonlyArray<{ managerId: string; monday: string }>,
): Promise<Set<string>> {
  if (wanted.length === 0) return new Set();
  // The ledger's unique key (manager_id, local_date, kind) finds each pair by index. LATERAL
  // with LIMIT keeps it a probe per pair: a plain join let the planner hash the whole ledger.
  const { rows } = await sql<{ manager_id: string; local_date: string }>`
    SELECT w.manager_id::text AS manager_id, w.local_date::text AS local_date
    FROM unnest(
      ${wanted.map((row) => row.managerId)}::bigint[],
      ${wanted.map((row) => row.monday)}::date[]
    ) AS w (manager_id, local_date)
    CROSS JOIN LATERAL (
      SELECT 1 FROM reminders r
       WHERE r.manager_id = w.manager_id AND r.local_date = w.local_date AND r.kind = 'digest'
       LIMIT 1
    ) AS planned`.execute(db);
  return new Set(rows.map((row) => digestKey(row.manager_id, row.local_date)));
}

export interface PlannedDigest {
  workspaceId: string;
  managerId: string;
  monday: string;
  dueAt: Date;
}

/**
 * Plans these digests in one statement; the ledger's unique key skips one planned meanwhile
 * (or twice in the batch). How many were planned.
 */
export async function insertDigests(
  db: Executor,
  digests: readonly PlannedDigest[],
): Promise<number> {
  if (digests.length === 0) return 0;
  const dueAt = digests.map((row) => row.dueAt.toISOString());
  const { rows } = await sql<{ id: string }>`
    INSERT INTO reminders (workspace_id, manager_id, local_date, kind, due_at, wanted_at)
    SELECT workspace_id, manager_id, local_date, 'digest', due_at, due_at FROM unnest(
      ${digests.map((row) => row.workspaceId)}::bigint[],
      ${digests.map((row) => row.managerId)}::bigint[],
      ${digests.map((row) => row.monday)}::date[],
      ${dueAt}::timestamptz[]
    ) AS d (workspace_id, manager_id, local_date, due_at)
    ON CONFLICT (manager_id, local_date, kind) DO NOTHING
    RETURNING id`.execute(db);
  return rows.length;
}

/** When the planner next looks at each of these digests, in one statement. */
export async function setNextDigestTimes(
  db: Executor,
  next: ReadonlyArray<{ subscriptionId: string; nextDigestAt: Date }>,
): Promise<void> {
  if (next.length === 0) return;
  await sql`
    UPDATE subscriptions s SET next_digest_at = v.next_digest_at
    FROM unnest(
      ${next.map((row) => row.subscriptionId)}::bigint[],
      ${next.map((row) => row.nextDigestAt.toISOString())}::timestamptz[]
    ) AS v (id, next_digest_at)
    -- The second condition lets the primary key find the rows even where PostgreSQL
    -- expects a batch large enough to prefer hashing the whole table.
    WHERE s.id = v.id AND s.id = any(${next.map((row) => row.subscriptionId)}::bigint[])`.execute(
    db,
  );
}
