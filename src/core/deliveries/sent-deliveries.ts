/**
 * A manager's own sent deliveries: found by their Slack message (a thread reply), the latest
 * one (a DM that may be an action), or by id (to show the note again).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { notFound } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import {
  findDeliveryWithTopic,
  findLatestSentDeliverySince,
  findSentDeliveryByMessage,
  type SentDelivery,
} from './repository.ts';

export type { SentDelivery } from './repository.ts';

/** The delivery whose Slack message this is (a reply's thread_ts), if it is the manager's. */
export async function findDeliveryByMessage(
  db: Kysely<Database>,
  who: SlackIdentity,
  channelId: string,
  ts: string,
): Promise<SentDelivery> {
  const manager = await getManager(db, who);
  const row = await findSentDeliveryByMessage(db, manager.id, channelId, ts);
  if (!row) throw notFound('delivery');
  return row;
}

/** The manager's latest delivery sent after `since`, for a plain DM that may be an action. */
export async function latestDeliverySince(
  db: Kysely<Database>,
  who: SlackIdentity,
  since: Date,
): Promise<SentDelivery> {
  const manager = await getManager(db, who);
  const row = await findLatestSentDeliverySince(db, manager.id, since);
  if (!row) throw notFound('delivery');
  return row;
}

/** One of the manager's sent deliveries with its topic, to show the message again. */
export async function getMyDelivery(db: Kysely<Database>, who: SlackIdentity, id: string) {
  const manager = await getManager(db, who);
  const row = await findDeliveryWithTopic(db, manager.id, id);
  if (!row) throw notFound('delivery');
  const { id: deliveryId, channelId, ts, topicId, ...topic } = row;
  return { id: deliveryId, channelId, ts, topic: { id: topicId, ...topic } };
}
