/**
 * Data rights' SQL (issue 16, item 6): export links, reading everything held about one manager,
 * and erasing a manager or a whole workspace. Erasure deletes rows; the foreign keys to
 * managers and workspaces cascade (ON DELETE CASCADE in every migration), so one DELETE reaches
 * every table that references the person, including tables added later with the same rule.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';

export interface ExportOwner {
  managerId: string;
  workspaceId: string;
  slackTeamId: string;
  slackUserId: string;
}

export async function insertExportLink(
  db: Executor,
  link: { owner: ExportOwner; tokenSha256: Buffer; expiresAt: Date; now: Date },
): Promise<void> {
  await db
    .insertInto('data_exports')
    .values({
      workspace_id: link.owner.workspaceId,
      manager_id: link.owner.managerId,
      token_sha256: link.tokenSha256,
      expires_at: link.expiresAt,
      created_at: link.now,
    })
    .execute();
}

/**
 * Spends a link: marks it used if it is unused and unexpired, in one statement, so two
 * downloads racing for the same link cannot both win. Answers what the link was, either way.
 */
export async function spendExportLink(
  db: Executor,
  tokenSha256: Buffer,
  now: Date,
): Promise<
  | { outcome: 'spent'; owner: ExportOwner }
  | { outcome: 'used' | 'expired' | 'unknown'; owner?: undefined }
> {
  const spent = await db
    .updateTable('data_exports as e')
    .set({ used_at: now })
    .from('managers as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .whereRef('m.id', '=', 'e.manager_id')
    .where('e.token_sha256', '=', tokenSha256)
    .where('e.used_at', 'is', null)
    .where('e.expires_at', '>', now)
    .returning([
      'm.id as managerId',
      'w.id as workspaceId',
      'w.slack_team_id as slackTeamId',
      'm.slack_user_id as slackUserId',
    ])
    .executeTakeFirst();
  if (spent) return { outcome: 'spent', owner: spent };
  const link = await db
    .selectFrom('data_exports')
    .where('token_sha256', '=', tokenSha256)
    .select(['used_at as usedAt'])
    .executeTakeFirst();
  if (!link) return { outcome: 'unknown' };
  return { outcome: link.usedAt ? 'used' : 'expired' };
}

/** The audit events about a person: those they caused, and those about their profile or schedule. */
function aboutPerson(
  person: { slackUserId: string; subjectIds: string[] },
  eb: ExpressionBuilder<Database, 'audit_events'>,
): Expression<SqlBool> {
  return eb.or([
    eb('actor', '=', `slack:${person.slackUserId}`),
    eb.and([
      eb('subject_type', 'in', ['manager', 'subscription']),
      eb('subject_id', 'in', person.subjectIds.length > 0 ? person.subjectIds : ['']),
    ]),
  ]);
}

/** The ids the audit log names a manager's profile and subscription by. */
export async function subjectIdsOf(db: Executor, managerId: string): Promise<string[]> {
  const subscription = await db
    .selectFrom('subscriptions')
    .where('manager_id', '=', managerId)
    .select('id')
    .executeTakeFirst();
  return subscription ? [managerId, subscription.id] : [managerId];
}

/** Everything held about one manager, table by table, as stored. */
export async function selectManagerData(db: Executor, owner: ExportOwner) {
  const managerId = owner.managerId;
  const subjectIds = await subjectIdsOf(db, managerId);
  const stored = await db
    .selectFrom('managers')
    .where('id', '=', managerId)
    .selectAll()
    .executeTakeFirstOrThrow();
  // pg reads 'infinity' (out, with no end set) as the number Infinity, which JSON writes null:
  // the file would say "not out". Written as Postgres writes it instead.
  const profile = {
    ...stored,
    away_until: stored.away_until === Infinity ? 'infinity' : stored.away_until,
  };
  const workspace = await db
    .selectFrom('workspaces')
    .where('id', '=', owner.workspaceId)
    .select(['slack_team_id', 'name'])
    .executeTakeFirstOrThrow();
  const subscription =
    (await db
      .selectFrom('subscriptions')
      .where('manager_id', '=', managerId)
      .selectAll()
      .executeTakeFirst()) ?? null;
  const deliveries = await db
    .selectFrom('deliveries')
    .where('manager_id', '=', managerId)
    .selectAll()
    .orderBy('id')
    .execute();
  const actionItems = await db
    .selectFrom('action_items')
    .where('manager_id', '=', managerId)
    .selectAll()
    .orderBy('id')
    .execute();
  const reminders = await db
    .selectFrom('reminders')
    .where('manager_id', '=', managerId)
    .selectAll()
    .orderBy('id')
    .execute();
  const reminderItems = await db
    .selectFrom('reminder_items as ri')
    .innerJoin('reminders as r', 'r.id', 'ri.reminder_id')
    .where('r.manager_id', '=', managerId)
    .selectAll('ri')
    .orderBy('ri.reminder_id')
    .orderBy('ri.action_item_id')
    .execute();
  // Answers and reflections: a response belongs to the manager through its action item.
  const responses = await db
    .selectFrom('responses as r')
    .innerJoin('action_items as a', 'a.id', 'r.action_item_id')
    .where('a.manager_id', '=', managerId)
    .selectAll('r')
    .orderBy('r.id')
    .execute();
  const topicFeedback = await db
    .selectFrom('topic_feedback')
    .where('manager_id', '=', managerId)
    .selectAll()
    .orderBy('created_at')
    .execute();
  const noteRatings = await db
    .selectFrom('note_ratings')
    .where('manager_id', '=', managerId)
    .selectAll()
    .orderBy('delivery_id')
    .execute();
  // Items deleted in the last minute, kept only so that "Undo" can put them back.
  const deletedActionItems = await db
    .selectFrom('deleted_action_items')
    .where('manager_id', '=', managerId)
    .selectAll()
    .orderBy('action_item_id')
    .execute();
  const topicIds = [
    ...new Set(
      [...deliveries, ...actionItems, ...topicFeedback, ...noteRatings]
        .map((row) => row.topic_id)
        .filter((id): id is string => id !== null),
    ),
  ];
  const topics =
    topicIds.length === 0
      ? []
      : await db
          .selectFrom('topics')
          .where('id', 'in', topicIds)
          .select(['id', 'slug', 'title'])
          .orderBy('id')
          .execute();
  const auditEvents = await db
    .selectFrom('audit_events')
    .where('workspace_id', '=', owner.workspaceId)
    .where((eb) => aboutPerson({ slackUserId: owner.slackUserId, subjectIds }, eb))
    .select(['id', 'created_at', 'actor', 'action', 'subject_type', 'subject_id', 'details'])
    .orderBy('id')
    .execute();
  return {
    workspace,
    profile,
    subscription,
    deliveries,
    actionItems,
    reminders,
    reminderItems,
    responses,
    topicFeedback,
    noteRatings,
    deletedActionItems,
    topics,
    auditEvents,
  };
}

export type ManagerData = Awaited<ReturnType<typeof selectManagerData>>;

/**
 * Erases one manager: their audit trail through the one function allowed to delete from the
 * log (migration 0019), then the manager row, whose deletion cascades to every row that
 * references it. Answers how many rows went, by table, for the erasure's own audit event.
 */
export async function deleteManager(
  db: Executor,
  manager: { id: string; workspaceId: string; slackUserId: string },
): Promise<Record<string, number>> {
  const subjectIds = await subjectIdsOf(db, manager.id);
  const counts = await countManagerRows(db, manager.id);
  const { rows } = await sql<{ erased: string }>`
    SELECT erase_person_audit_events(${manager.workspaceId}, ${manager.slackUserId},
      ${subjectIds}::text[]) AS erased`.execute(db);
  await db.deleteFrom('managers').where('id', '=', manager.id).execute();
  return { ...counts, managers: 1, audit_events: Number(rows[0]?.erased ?? 0) };
}

/**
 * The columns that name a manager, read from the catalog so no table is missed: a key to
 * managers.id, or a key that carries another table's manager_id (a delivery's key to its
 * subscription, migration 0036). The erasure tests look for leftovers in the same columns.
 */
export async function managerReferenceColumns(
  db: Executor,
): Promise<Array<{ table: string; column: string }>> {
  const { rows } = await sql<{ table: string; column: string }>`
    SELECT DISTINCT n.nspname || '.' || t.relname AS table, la.attname AS column
      FROM pg_constraint c
      JOIN pg_class t ON t.oid = c.conrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k (local, referenced)
      JOIN pg_attribute la ON la.attrelid = c.conrelid AND la.attnum = k.local
      JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.referenced
     WHERE c.contype = 'f'
       AND ((c.confrelid = 'managers'::regclass AND ra.attname = 'id')
         OR (c.confrelid <> 'managers'::regclass AND ra.attname = 'manager_id'))
     ORDER BY 1, 2`.execute(db);
  return rows;
}

/** Rows that reference a manager, by table (managerReferenceColumns). */
export async function countManagerRows(
  db: Executor,
  managerId: string,
): Promise<Record<string, number>> {
  const columns = await managerReferenceColumns(db);
  const counts: Record<string, number> = {};
  for (const { table, column } of columns) {
    // Names from the catalog, not from input; sql.table and sql.ref quote them.
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ${managerId}`.execute(
      db,
    );
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) counts[table.replace(/^public\./, '')] = n;
  }
  return counts;
}

/**
 * Erases a workspace: the people's audit trail, then the workspace row, which cascades to its
 * managers, topics and everything under them. Events by admins and the system stay, naming
 * the workspace only by its internal id.
 */
export async function deleteWorkspace(
  db: Executor,
  workspaceId: string,
): Promise<{ managers: number; auditEvents: number }> {
  const managers = await db
    .selectFrom('managers')
    .where('workspace_id', '=', workspaceId)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  // Subject ids of managers and subscriptions, named by admins' events (a pause on request).
  const ids = await db
    .selectFrom('managers as m')
    .leftJoin('subscriptions as s', 's.manager_id', 'm.id')
    .where('m.workspace_id', '=', workspaceId)
    .select(['m.id as managerId', 's.id as subscriptionId'])
    .execute();
  const subjectIds = ids.flatMap((row) =>
    row.subscriptionId ? [row.managerId, row.subscriptionId] : [row.managerId],
  );
  const { rows } = await sql<{ erased: string }>`
    SELECT erase_person_audit_events(${workspaceId}, NULL, ${subjectIds}::text[]) AS erased`.execute(
    db,
  );
  // The ledger first: its rows go with their subscriptions (migration 0036), a cascade one
  // level below the topics', whose key from the ledger PostgreSQL would check before that
  // cascade had run.
  await db
    .deleteFrom('deliveries')
    .where('subscription_id', 'in', (eb) =>
      eb.selectFrom('subscriptions').where('workspace_id', '=', workspaceId).select('id'),
    )
    .execute();
  await db.deleteFrom('workspaces').where('id', '=', workspaceId).execute();
  return { managers: Number(managers.n), auditEvents: Number(rows[0]?.erased ?? 0) };
}
