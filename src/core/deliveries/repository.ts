/** The deliveries ledger's own queries; the lease protocol's are in ../ledger/repository.ts. */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import { LANGUAGE_CHOICE_COLUMNS, type LanguageChoiceColumns } from '../languages/repository.ts';
import type { Language } from '../languages/rules.ts';
import type { ClaimedLease, ClaimPayload } from '../ledger/repository.ts';
import type { TopicToSend } from '../topics/rules.ts';

export interface ClaimedRow extends ClaimedLease {
  timeZone: string;
  /** The language the manager reads (effectiveLanguage); the topic's text is in it if it can be. */
  language: Language;
  topic: TopicToSend;
  /**
   * The manager's kept Slack status is fresh and does not say out: the bot posts without
   * reading it. False when it is unknown or stale, and the bot reads Slack first.
   */
  statusKnown: boolean;
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

/**
 * What a claimed delivery carries beyond the lease: its zone, its topic, its reader's language,
 * and what the kept Slack status says of its manager (migration 0034).
 */
export interface DeliveryClaimColumns extends LanguageChoiceColumns {
  time_zone: string;
  topic: TopicToSend;
  /** The status was learned since `statusFreshSince`: it can be trusted. */
  status_fresh: boolean;
  /** The status says out, and has not cleared by `now`. */
  status_away: boolean;
  /** The subscription and the workspace are still active: otherwise the note must not go. */
  still_active: boolean;
}

/**
 * A delivery is claimable once it has a topic (a missed one recorded without is not). The
 * manager's status is judged here, in SQL, because an endless "out" is 'infinity', which pg
 * hands to JavaScript as a number.
 */
export function deliveryClaim(now: Date, statusFreshSince: Date): ClaimPayload {
  return {
    eligible: sql`AND r.topic_id IS NOT NULL`,
    columns: sql`s.time_zone,
    coalesce(m.status_read_at >= ${statusFreshSince}, false) AS status_fresh,
    coalesce(m.away_until > ${now}, false) AS status_away,
    (s.status = 'active' AND w.status = 'active') AS still_active,
    json_build_object(
      'id', t.id::text, 'slug', t.slug, 'category', t.category, 'title', t.title,
      'summary', t.summary, 'whyItMatters', t.why_it_matters, 'example', t.example,
      'reflectionQuestion', t.reflection_question, 'actions', t.actions,
      'reference', t.reference
    ) AS topic, ${LANGUAGE_CHOICE_COLUMNS}`,
    joins: sql`JOIN subscriptions s ON s.id = c.subscription_id
    JOIN topics t ON t.id = c.topic_id`,
  };
}

/** The subscription's delivery on a local date, locked, if there is one. */
export async function findDeliveryOn(db: Executor, subscriptionId: string, localDate: string) {
  return db
    .selectFrom('deliveries')
    .where('subscription_id', '=', subscriptionId)
    .where('local_date', '=', localDate)
    .select(['id', 'status', 'topic_id'])
    .forUpdate()
    .executeTakeFirst();
}

/** Puts a delivery back to pending, due now, with its topic: "send me one now". */
export async function rescheduleDeliveryNow(
  db: Executor,
  id: string,
  topicId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('deliveries')
    .set({
      status: 'pending',
      due_at: now,
      topic_id: topicId,
      lease_expires_at: null,
      error_code: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Age of the oldest delivery that is due and not yet sent, in seconds; 0 when none. */
export async function oldestUnsentDueAge(db: Executor, now: Date): Promise<number> {
  const row = await sql<{ oldest: Date | null }>`
    SELECT min(due_at) AS oldest FROM deliveries
    WHERE status IN ('pending', 'claimed') AND due_at <= ${now}`.execute(db);
  const oldest = row.rows[0]?.oldest;
  return oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
}

/** A manager's sent delivery, as a reply or a later DM refers to it. */
export interface SentDelivery {
  id: string;
  topicId: string | null;
  topicTitle: string | null;
  sentAt: Date;
  channelId: string;
  ts: string;
}

function sentDeliveries(db: Executor, managerId: string) {
  return db
    .selectFrom('deliveries as d')
    .leftJoin('topics as t', 't.id', 'd.topic_id')
    .where('d.manager_id', '=', managerId)
    .where('d.status', '=', 'sent')
    .select([
      'd.id',
      'd.topic_id as topicId',
      't.title as topicTitle',
      'd.sent_at as sentAt',
      'd.slack_channel_id as channelId',
      'd.slack_ts as ts',
    ]);
}

/** The manager's sent delivery posted as this Slack message, if any. */
export async function findSentDeliveryByMessage(
  db: Executor,
  managerId: string,
  channelId: string,
  ts: string,
): Promise<SentDelivery | undefined> {
  const row = await sentDeliveries(db, managerId)
    .where('d.slack_channel_id', '=', channelId)
    .where('d.slack_ts', '=', ts)
    .executeTakeFirst();
  return row as SentDelivery | undefined;
}

/** The manager's latest delivery sent at or after `since`, if any. */
export async function findLatestSentDeliverySince(
  db: Executor,
  managerId: string,
  since: Date,
): Promise<SentDelivery | undefined> {
  const row = await sentDeliveries(db, managerId)
    .where('d.sent_at', '>=', since)
    .orderBy('d.sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row as SentDelivery | undefined;
}

/** The manager's last `limit` sent deliveries, newest first. */
export async function listRecentSentDeliveries(
  db: Executor,
  managerId: string,
  limit: number,
  offset = 0,
): Promise<SentDelivery[]> {
  const rows = await sentDeliveries(db, managerId)
    .orderBy('d.sent_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows as SentDelivery[];
}

/** One of the manager's deliveries with its Slack message and its topic's full content. */
export async function findDeliveryWithTopic(db: Executor, managerId: string, id: string) {
  return db
    .selectFrom('deliveries as d')
    .innerJoin('topics as t', 't.id', 'd.topic_id')
    .where('d.id', '=', id)
    .where('d.manager_id', '=', managerId)
    .select([
      'd.id',
      'd.slack_channel_id as channelId',
      'd.slack_ts as ts',
      't.id as topicId',
      't.slug',
      't.category',
      't.title',
      't.summary',
      't.why_it_matters as whyItMatters',
      't.example',
      't.reflection_question as reflectionQuestion',
      't.actions',
      't.reference',
    ])
    .executeTakeFirst();
}

/** The topic of one of the manager's deliveries; undefined when it is not theirs. */
export async function findDeliveryTopicOfManager(
  db: Executor,
  managerId: string,
  deliveryId: string,
): Promise<{ topicId: string | null } | undefined> {
  return db
    .selectFrom('deliveries')
    .where('id', '=', deliveryId)
    .where('manager_id', '=', managerId)
    .select('topic_id as topicId')
    .executeTakeFirst();
}

/** Records "not relevant" for the manager and topic; false when it was already recorded. */
export async function insertTopicFeedback(
  db: Executor,
  values: { workspaceId: string; managerId: string; topicId: string; deliveryId: string | null },
): Promise<boolean> {
  const inserted = await db
    .insertInto('topic_feedback')
    .values({
      workspace_id: values.workspaceId,
      manager_id: values.managerId,
      topic_id: values.topicId,
      kind: 'not_relevant',
      delivery_id: values.deliveryId,
    })
    .onConflict((oc) => oc.columns(['manager_id', 'topic_id', 'kind']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Records claimed deliveries as not sent on purpose (skipped, or cancelled because their
 * subscription or workspace stopped), in one statement; their leases end.
 */
export async function markDeliveriesUnsent(
  db: Executor,
  ids: readonly string[],
  status: 'skipped_away' | 'skipped_holiday' | 'cancelled',
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('deliveries')
    .set({ status, lease_expires_at: null, updated_at: now })
    .where('id', 'in', ids)
    .execute();
}

/** The manager's last `limit` notes not sent on purpose, newest first (the Home tab says why). */
export async function listSkippedDeliveries(
  db: Executor,
  managerId: string,
  limit: number,
): Promise<SkippedDeliveryRow[]> {
  return (await skippedDeliveriesQuery(db, managerId, limit).execute()) as SkippedDeliveryRow[];
}

export type SkippedDeliveryRow = { localDate: string; status: 'skipped_away' | 'skipped_holiday' };

/** listSkippedDeliveries's query, to be run or read as part of another (core/home). */
export function skippedDeliveriesQuery(db: Executor, managerId: string, limit: number) {
  return db
    .selectFrom('deliveries')
    .where('manager_id', '=', managerId)
    .where('status', 'in', ['skipped_away', 'skipped_holiday'])
    .orderBy('local_date', 'desc')
    .limit(limit)
    .select([sql<string>`local_date::text`.as('localDate'), 'status']);
}

/** The topics a manager marked "not relevant", with their titles, latest first. */
export async function listHiddenTopicsOf(
  db: Executor,
  managerId: string,
): Promise<Array<{ topicId: string; title: string; hiddenAt: Date }>> {
  return hiddenTopicsQuery(db, managerId).execute();
}

/** listHiddenTopicsOf's query, to be run or read as part of another (core/home). */
export function hiddenTopicsQuery(db: Executor, managerId: string) {
  return db
    .selectFrom('topic_feedback as f')
    .innerJoin('topics as t', 't.id', 'f.topic_id')
    .where('f.manager_id', '=', managerId)
    .where('f.kind', '=', 'not_relevant')
    .select(['f.topic_id as topicId', 't.title', 'f.created_at as hiddenAt'])
    .orderBy('f.created_at', 'desc')
    .orderBy('f.topic_id', 'desc');
}

/** Takes back "not relevant": the topic is in the manager's rotation again. Answers whether it was hidden. */
export async function deleteTopicFeedback(
  db: Executor,
  managerId: string,
  topicId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('topic_feedback')
    .where('manager_id', '=', managerId)
    .where('topic_id', '=', topicId)
    .where('kind', '=', 'not_relevant')
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
