import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

export interface TopicContent {
  id: string;
  slug: string;
  category: string;
  title: string;
  summary: string;
  whyItMatters: string;
  example: string;
  reflectionQuestion: string;
  actions: string[];
  reference: string;
}

export interface ClaimedRow {
  id: string;
  attempt: number;
  dueAt: Date;
  localDate: string;
  slackTeamId: string;
  slackUserId: string;
  dmChannelId: string | null;
  timeZone: string;
  topic: TopicContent;
}

export async function activeTopics(db: Executor, workspaceId: string) {
  return db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .where('retired_at', 'is', null)
    .orderBy('id')
    .select(['id', 'category'])
    .execute();
}

export async function weekdayThemes(
  db: Executor,
  workspaceId: string,
): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('weekday_themes')
    .where('workspace_id', '=', workspaceId)
    .select(['iso_weekday', 'category'])
    .execute();
  return new Map(rows.map((row) => [row.iso_weekday, row.category]));
}

/** Topic id → the latest local date it went (or is about to go) to this manager. */
export async function topicHistory(db: Executor, managerId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('deliveries')
    .where('manager_id', '=', managerId)
    .where('topic_id', 'is not', null)
    .where('status', 'in', ['pending', 'claimed', 'sent'])
    .groupBy('topic_id')
    .select(['topic_id', sql<string>`max(local_date)::text`.as('lastDate')])
    .execute();
  return new Map(rows.map((row) => [String(row.topic_id), row.lastDate]));
}

export async function dismissedTopics(db: Executor, managerId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('topic_feedback')
    .where('manager_id', '=', managerId)
    .where('kind', '=', 'not_relevant')
    .select('topic_id')
    .execute();
  return new Set(rows.map((row) => row.topic_id));
}

/** Inserts a ledger row unless one exists for that subscription and date. True if inserted. */
export async function insertDelivery(
  db: Executor,
  values: {
    workspaceId: string;
    subscriptionId: string;
    managerId: string;
    localDate: string;
    dueAt: Date;
    topicId: string | null;
    status: 'pending' | 'missed' | 'failed';
    errorCode?: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('deliveries')
    .values({
      workspace_id: values.workspaceId,
      subscription_id: values.subscriptionId,
      manager_id: values.managerId,
      local_date: values.localDate,
      due_at: values.dueAt,
      topic_id: values.topicId,
      status: values.status,
      error_code: values.errorCode ?? null,
    })
    .onConflict((oc) => oc.columns(['subscription_id', 'local_date']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setNextDueAt(db: Executor, subscriptionId: string, nextDueAt: Date) {
  await db
    .updateTable('subscriptions')
    .set({ next_due_at: nextDueAt, updated_at: new Date() })
    .where('id', '=', subscriptionId)
    .execute();
}

/**
 * Closes unsent deliveries that must not go out: too late (missed), or whose subscription or
 * workspace is no longer active (cancelled). Claimed ones only once their lease has run out.
 */
export async function closeUnsendable(db: Executor, now: Date, missedBefore: Date) {
  const claimable = sql<boolean>`(d.status = 'pending' OR d.lease_expires_at <= ${now})`;
  const missed = await sql<{ id: string }>`
    UPDATE deliveries d SET status = 'missed', lease_expires_at = NULL, updated_at = ${now}
    WHERE d.status IN ('pending', 'claimed') AND d.due_at < ${missedBefore} AND ${claimable}
    RETURNING d.id`.execute(db);
  const cancelled = await sql<{ id: string }>`
    UPDATE deliveries d SET status = 'cancelled', lease_expires_at = NULL, updated_at = ${now}
    FROM subscriptions s, workspaces w
    WHERE s.id = d.subscription_id AND w.id = d.workspace_id
      AND d.status IN ('pending', 'claimed') AND d.due_at <= ${now} AND ${claimable}
      AND (s.status <> 'active' OR w.status <> 'active')
    RETURNING d.id`.execute(db);
  return { missed: missed.rows.length, cancelled: cancelled.rows.length };
}

/**
 * Claims up to `limit` due deliveries under a lease. SKIP LOCKED lets any number of senders
 * claim at once without waiting on each other or taking the same row.
 */
export async function claimDue(
  db: Executor,
  now: Date,
  leaseExpiresAt: Date,
  limit: number,
): Promise<ClaimedRow[]> {
  const { rows } = await sql<{
    id: string;
    attempts: number;
    due_at: Date;
    local_date: string;
    slack_team_id: string;
    slack_user_id: string;
    dm_channel_id: string | null;
    time_zone: string;
    topic: TopicContent;
  }>`
    WITH picked AS (
      SELECT d.id FROM deliveries d
      WHERE d.status IN ('pending', 'claimed') AND d.due_at <= ${now}
        AND (d.status = 'pending' OR d.lease_expires_at <= ${now})
        AND d.topic_id IS NOT NULL
      ORDER BY d.due_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE deliveries d
      SET status = 'claimed', lease_expires_at = ${leaseExpiresAt}, attempts = d.attempts + 1,
          updated_at = ${now}
      FROM picked WHERE d.id = picked.id
      RETURNING d.*
    )
    SELECT c.id, c.attempts, c.due_at, c.local_date::text AS local_date,
      w.slack_team_id, m.slack_user_id, m.dm_channel_id, s.time_zone,
      json_build_object(
        'id', t.id::text, 'slug', t.slug, 'category', t.category, 'title', t.title,
        'summary', t.summary, 'whyItMatters', t.why_it_matters, 'example', t.example,
        'reflectionQuestion', t.reflection_question, 'actions', t.actions,
        'reference', t.reference
      ) AS topic
    FROM claimed c
    JOIN workspaces w ON w.id = c.workspace_id
    JOIN managers m ON m.id = c.manager_id
    JOIN subscriptions s ON s.id = c.subscription_id
    JOIN topics t ON t.id = c.topic_id
    ORDER BY c.due_at`.execute(db);
  return rows.map((row) => ({
    id: row.id,
    attempt: row.attempts,
    dueAt: row.due_at,
    localDate: row.local_date,
    slackTeamId: row.slack_team_id,
    slackUserId: row.slack_user_id,
    dmChannelId: row.dm_channel_id,
    timeZone: row.time_zone,
    topic: row.topic,
  }));
}

export async function findDelivery(db: Executor, id: string) {
  return db
    .selectFrom('deliveries')
    .where('id', '=', id)
    .select([
      'id',
      'workspace_id as workspaceId',
      'subscription_id as subscriptionId',
      'manager_id as managerId',
      'status',
      'attempts',
      'due_at as dueAt',
      'slack_ts as slackTs',
      'local_date as localDate',
      'topic_id as topicId',
    ])
    .forUpdate()
    .executeTakeFirst();
}

/** Age of the oldest delivery that is due and not yet sent, in seconds; 0 when none. */
export async function oldestUnsentDueAge(db: Executor, now: Date): Promise<number> {
  const row = await sql<{ oldest: Date | null }>`
    SELECT min(due_at) AS oldest FROM deliveries
    WHERE status IN ('pending', 'claimed') AND due_at <= ${now}`.execute(db);
  const oldest = row.rows[0]?.oldest;
  return oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
}
