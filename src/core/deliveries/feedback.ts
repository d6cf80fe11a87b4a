import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { notFound } from '../errors.ts';
import { findManager } from '../managers/repository.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';

/** "Not relevant": the topic is never chosen for this manager again. Repeating it is harmless. */
export async function markTopicNotRelevant(
  db: Kysely<Database>,
  who: SlackIdentity,
  topicId: string,
  deliveryId: string | undefined,
  context: RequestContext = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const manager = await findManager(trx, who.slackTeamId, who.slackUserId);
    if (!manager) throw notFound('manager');
    const topic = await trx
      .selectFrom('topics')
      .where('id', '=', topicId)
      .where('workspace_id', '=', manager.workspaceId)
      .select('id')
      .executeTakeFirst();
    if (!topic) throw notFound('topic');
    const inserted = await trx
      .insertInto('topic_feedback')
      .values({
        workspace_id: manager.workspaceId,
        manager_id: manager.id,
        topic_id: topicId,
        kind: 'not_relevant',
        delivery_id: deliveryId ?? null,
      })
      .onConflict((oc) => oc.columns(['manager_id', 'topic_id', 'kind']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
      await recordAuditEvent(trx, {
        workspaceId: manager.workspaceId,
        actor: `slack:${who.slackUserId}`,
        action: 'topic.marked_not_relevant',
        subjectType: 'topic',
        subjectId: topicId,
        requestId: context.requestId,
      });
    }
  });
}
