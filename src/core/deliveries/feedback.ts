import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { notFound } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { topicInWorkspace } from '../topics/repository.ts';
import { insertTopicFeedback } from './repository.ts';

/** "Not relevant": the topic is never chosen for this manager again. Repeating it is harmless. */
export async function markTopicNotRelevant(
  db: Kysely<Database>,
  who: SlackIdentity,
  topicId: string,
  deliveryId: string | undefined,
  context: RequestContext = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    if (!(await topicInWorkspace(trx, manager.workspaceId, topicId))) throw notFound('topic');
    const inserted = await insertTopicFeedback(trx, {
      workspaceId: manager.workspaceId,
      managerId: manager.id,
      topicId,
      deliveryId: deliveryId ?? null,
    });
    if (inserted) {
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
