/**
 * The delivery planner's queries, each for a whole batch of due subscriptions: a tick costs a
 * few statements per batch however many rows it plans (issue 19, item 3). The per-manager
 * lookups that "send me one now" needs are in ./repository.ts.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';
import type { CandidateTopic, TopicHistory } from '../rules.ts';

/** Workspace id → its active topics, in catalogue order. */
export async function activeTopicsOf(
  db: Executor,
  workspaceIds: readonly string[],
): Promise<Map<string, CandidateTopic[]>> {
  const byWorkspace = new Map<string, CandidateTopic[]>(workspaceIds.map((id) => [id, []]));
  if (workspaceIds.length === 0) return byWorkspace;
  const rows = await db
    .selectFrom('topics')
    .where('workspace_id', '=', sql<string>`any(${[...workspaceIds]}::bigint[])`)
    .where('retired_at', 'is', null)
    .orderBy('id')
    .select(['workspace_id', 'id', 'category'])
    .execute();
  for (const row of rows) {
    byWorkspace.get(row.workspace_id)?.push({ id: row.id, category: row.category });
  }
  return byWorkspace;
}

/** Workspace id → ISO weekday → that day's theme. */
export async function weekdayThemesOf(
  db: Executor,
  workspaceIds: readonly string[],
): Promise<Map<string, Map<number, string>>> {
  const byWorkspace = new Map<string, Map<number, string>>(
    workspaceIds.map((id) => [id, new Map()]),
  );
  if (workspaceIds.length === 0) return byWorkspace;
  const rows = await db
    .selectFrom('weekday_themes')
    .where('workspace_id', '=', sql<string>`any(${[...workspaceIds]}::bigint[])`)
    .select(['workspace_id', 'iso_weekday', 'category'])
    .execute();
  for (const row of rows) byWorkspace.get(row.workspace_id)?.set(row.iso_weekday, row.category);
  return byWorkspace;
}

/**
 * Manager id → topic id → when it last went (or is about to go) to them, how many times, and
 * whether they turned it into an action item.
 */
export async function topicHistoriesOf(
  db: Executor,
  managerIds: readonly string[],
): Promise<Map<string, Map<string, TopicHistory>>> {
  const byManager = new Map<string, Map<string, TopicHistory>>(
    managerIds.map((id) => [id, new Map()]),
  );
  if (managerIds.length === 0) return byManager;
  // Both halves are served by an index on manager_id (deliveries_by_manager,
  // action_items_by_manager): the cost follows the batch's managers, not the tables.
  const { rows } = await sql<{
    manager_id: string;
    topic_id: string;
    last_date: string;
    times_sent: number;
    acted_on: boolean;
  }>`
    WITH sent AS (
      SELECT manager_id, topic_id, max(local_date) AS last_date, count(*)::int AS times_sent
      FROM deliveries
      WHERE manager_id = any(${[...managerIds]}::bigint[]) AND topic_id IS NOT NULL
        AND status IN ('pending', 'claimed', 'sent')
      GROUP BY manager_id, topic_id
    ), acted AS (
      SELECT DISTINCT manager_id, topic_id FROM action_items
      WHERE manager_id = any(${[...managerIds]}::bigint[]) AND topic_id IS NOT NULL
    )
    SELECT sent.manager_id::text, sent.topic_id::text, sent.last_date::text, sent.times_sent,
      acted.topic_id IS NOT NULL AS acted_on
    FROM sent LEFT JOIN acted USING (manager_id, topic_id)`.execute(db);
  for (const row of rows) {
    byManager.get(row.manager_id)?.set(row.topic_id, {
      lastSent: row.last_date,
      timesSent: row.times_sent,
      actedOn: row.acted_on,
    });
  }
  return byManager;
}

/** Manager id → the topics they marked "not relevant". */
export async function dismissedTopicsOf(
  db: Executor,
  managerIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const byManager = new Map<string, Set<string>>(managerIds.map((id) => [id, new Set()]));
  if (managerIds.length === 0) return byManager;
  // One index probe per manager of the batch. OFFSET 0 keeps PostgreSQL from flattening the
  // lateral subquery into a join it may answer with a full scan while the table is small: the
  // cost must follow the batch, not the table.
  const { rows } = await sql<{ manager_id: string; topic_id: string }>`
    SELECT m.id::text AS manager_id, f.topic_id::text AS topic_id
    FROM unnest(${[...managerIds]}::bigint[]) AS m (id)
    CROSS JOIN LATERAL (
      SELECT topic_id FROM topic_feedback
      WHERE manager_id = m.id AND kind = 'not_relevant' OFFSET 0
    ) AS f`.execute(db);
  for (const row of rows) byManager.get(row.manager_id)?.add(row.topic_id);
  return byManager;
}

export interface PlannedDelivery {
  workspaceId: string;
  subscriptionId: string;
  managerId: string;
  localDate: string;
  dueAt: Date;
  topicId: string | null;
  status: 'pending' | 'missed' | 'failed' | 'skipped_holiday';
  errorCode: string | null;
}

/**
 * Writes a batch of ledger rows in one statement. A row whose subscription already has one on
 * that date is skipped by the ledger's unique key, as a single insert would be. Returns the
 * statuses of the rows written.
 */
export async function insertPlannedDeliveries(
  db: Executor,
  rows: readonly PlannedDelivery[],
): Promise<Array<PlannedDelivery['status']>> {
  if (rows.length === 0) return [];
  const column = <T>(pick: (row: PlannedDelivery) => T): T[] => rows.map(pick);
  const { rows: inserted } = await sql<{ status: PlannedDelivery['status'] }>`
    INSERT INTO deliveries
      (workspace_id, subscription_id, manager_id, local_date, due_at, topic_id, status, error_code)
    SELECT * FROM unnest(
      ${column((row) => row.workspaceId)}::bigint[],
      ${column((row) => row.subscriptionId)}::bigint[],
      ${column((row) => row.managerId)}::bigint[],
      ${column((row) => row.localDate)}::date[],
      ${column((row) => row.dueAt.toISOString())}::timestamptz[],
      ${column((row) => row.topicId)}::bigint[],
      ${column((row) => row.status)}::text[],
      ${column((row) => row.errorCode)}::text[])
    ON CONFLICT (subscription_id, local_date) DO NOTHING
    RETURNING status`.execute(db);
  return inserted.map((row) => row.status);
}

/** Moves each subscription on to its next occurrence, in one statement for the batch. */
export async function advanceSubscriptions(
  db: Executor,
  next: ReadonlyArray<{ subscriptionId: string; nextDueAt: Date }>,
  now: Date,
): Promise<void> {
  if (next.length === 0) return;
  await sql`
    UPDATE subscriptions s SET next_due_at = v.next_due_at, updated_at = ${now}
    FROM unnest(
      ${next.map((row) => row.subscriptionId)}::bigint[],
      ${next.map((row) => row.nextDueAt.toISOString())}::timestamptz[]
    ) AS v (id, next_due_at)
    WHERE s.id = v.id AND s.id = any(${next.map((row) => row.subscriptionId)}::bigint[])`.execute(
    db,
  );
}
