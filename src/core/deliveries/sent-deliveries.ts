/**
 * A manager's own sent deliveries: found by their Slack message (a thread reply), the latest
 * one (a DM that may be an action), or by id (to show the note again).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { notFound } from '../errors.ts';
import { languageOfManager } from '../languages/service.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { titlesInLanguage, topicsInLanguage } from '../topics/localize.ts';
import { findNoteRating, type NoteRating, upsertNoteRating } from './repositories/ratings.ts';
import {
  findDeliveryTopicOfManager,
  findDeliveryWithTopic,
  findLatestSentDeliverySince,
  findSentDeliveryByMessage,
  listRecentSentDeliveries,
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
  return inManagersLanguage(db, manager.id, row);
}

/** A sent delivery with its topic's title in the manager's language. */
async function inManagersLanguage(
  db: Kysely<Database>,
  managerId: string,
  row: SentDelivery,
): Promise<SentDelivery> {
  const [translated] = await titlesInLanguage(db, [row], await languageOfManager(db, managerId));
  return translated ?? row;
}

/**
 * The manager's last `limit` notes, newest first, after skipping `offset` of them: their history
 * of what Blindspot sent, a page at a time.
 */
export async function listMyRecentDeliveries(
  db: Kysely<Database>,
  who: SlackIdentity,
  limit: number,
  offset = 0,
): Promise<SentDelivery[]> {
  const manager = await getManager(db, who);
  const rows = await listRecentSentDeliveries(db, manager.id, limit, offset);
  return titlesInLanguage(db, rows, await languageOfManager(db, manager.id));
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
  return inManagersLanguage(db, manager.id, row);
}

/**
 * One of the manager's sent deliveries with its topic (in the manager's language, or English
 * where the topic lacks it) and the manager's rating of it, to show the message again.
 */
export async function getMyDelivery(db: Kysely<Database>, who: SlackIdentity, id: string) {
  const manager = await getManager(db, who);
  const row = await findDeliveryWithTopic(db, manager.id, id);
  if (!row) throw notFound('delivery');
  const { id: deliveryId, channelId, ts, topicId, ...topic } = row;
  const rating = await findNoteRating(db, deliveryId);
  const { locale } = manager;
  const language = await languageOfManager(db, manager.id);
  const [translated] = await topicsInLanguage(db, [{ id: topicId, ...topic }], language);
  return {
    id: deliveryId,
    channelId,
    ts,
    rating,
    locale,
    language,
    topic: translated ?? { id: topicId, ...topic },
  };
}

/**
 * The manager rates one of their notes "useful" or "not for me". Rating again replaces the
 * rating; another manager's note, or one that does not exist, is `delivery_not_found`.
 */
export async function rateMyDelivery(
  db: Kysely<Database>,
  who: SlackIdentity,
  deliveryId: string,
  rating: NoteRating,
  now: Date,
  context: RequestContext = {},
): Promise<{ rating: NoteRating }> {
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const delivery = await findDeliveryTopicOfManager(trx, manager.id, deliveryId);
    if (!delivery) throw notFound('delivery');
    await upsertNoteRating(trx, {
      deliveryId,
      workspaceId: manager.workspaceId,
      managerId: manager.id,
      topicId: delivery.topicId,
      rating,
      ratedAt: now,
    });
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'note.rated',
      subjectType: 'delivery',
      subjectId: deliveryId,
      requestId: context.requestId,
    });
    return { rating };
  });
}
