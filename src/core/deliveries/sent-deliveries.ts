/**
 * A manager's own sent deliveries: found by their Slack message (a thread reply), the latest
 * one (a DM that may be an action), or by id (to show the note again).
 */
import type { Kysely } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import type { SlackIdentity } from '../request-context.ts';

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

/** The delivery whose Slack message this is (a reply's thread_ts), if it is the manager's. */
export async function findDeliveryByMessage(
  db: Kysely<Database>,
  who: SlackIdentity,
  channelId: string,
  ts: string,
): Promise<SentDelivery> {
  const manager = await getManager(db, who);
  const row = await sentDeliveries(db, manager.id)
    .where('d.slack_channel_id', '=', channelId)
    .where('d.slack_ts', '=', ts)
    .executeTakeFirst();
  if (!row) throw notFound('delivery');
  return row as SentDelivery;
}

/** The manager's latest delivery sent after `since`, for a plain DM that may be an action. */
export async function latestDeliverySince(
  db: Kysely<Database>,
  who: SlackIdentity,
  since: Date,
): Promise<SentDelivery> {
  const manager = await getManager(db, who);
  const row = await sentDeliveries(db, manager.id)
    .where('d.sent_at', '>=', since)
    .orderBy('d.sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw notFound('delivery');
  return row as SentDelivery;
}

/** One of the manager's sent deliveries with its topic, to show the message again. */
export async function getMyDelivery(db: Kysely<Database>, who: SlackIdentity, id: string) {
  const manager = await getManager(db, who);
  const row = await db
    .selectFrom('deliveries as d')
    .innerJoin('topics as t', 't.id', 'd.topic_id')
    .where('d.id', '=', id)
    .where('d.manager_id', '=', manager.id)
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
  if (!row) throw notFound('delivery');
  const { id: deliveryId, channelId, ts, topicId, ...topic } = row;
  return { id: deliveryId, channelId, ts, topic: { id: topicId, ...topic } };
}
