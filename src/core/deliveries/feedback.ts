import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { notFound } from '../errors.ts';
import type { Language } from '../languages/rules.ts';
import { languageOfManager } from '../languages/service.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { titlesInLanguage } from '../topics/localize.ts';
import { topicInWorkspace } from '../topics/repository.ts';
import {
  deleteTopicFeedback,
  findDeliveryTopicOfManager,
  insertTopicFeedback,
  listHiddenTopicsOf,
} from './repository.ts';

/**
 * "Not relevant": the topic is never chosen for this manager again. Repeating it is harmless.
 * A `deliveryId` (the note the manager clicked in) must be one of their own: another manager's,
 * or one that does not exist, is `delivery_not_found`, as for action items.
 */
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
    if (deliveryId && !(await findDeliveryTopicOfManager(trx, manager.id, deliveryId))) {
      throw notFound('delivery');
    }
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

/** The topics the manager hid with "not relevant", latest first, for "Topics you hid". */
export async function listHiddenTopics(db: Kysely<Database>, who: SlackIdentity) {
  const manager = await getManager(db, who);
  const [rows, language] = await Promise.all([
    listHiddenTopicsOf(db, manager.id),
    languageOfManager(db, manager.id),
  ]);
  return hiddenTopicsFromRows(db, rows, language);
}

export type HiddenTopic = Awaited<ReturnType<typeof hiddenTopicsFromRows>>[number];

/** Hidden topics as the manager reads them: titles in their language where a topic has it. */
export async function hiddenTopicsFromRows(
  db: Kysely<Database>,
  rows: ReadonlyArray<{ topicId: string; title: string; hiddenAt: Date }>,
  language: Language,
) {
  const titled = await titlesInLanguage(
    db,
    rows.map((row) => ({ ...row, topicTitle: row.title })),
    language,
  );
  return titled.map(({ topicTitle, ...row }) => ({ ...row, title: topicTitle ?? row.title }));
}

/**
 * "Restore": the topic comes back into the manager's rotation, to be chosen again as any other
 * they have had. Restoring a topic that is not hidden changes nothing; one that is not in their
 * workspace is `topic_not_found`.
 */
export async function restoreHiddenTopic(
  db: Kysely<Database>,
  who: SlackIdentity,
  topicId: string,
  context: RequestContext = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    if (!(await topicInWorkspace(trx, manager.workspaceId, topicId))) throw notFound('topic');
    if (await deleteTopicFeedback(trx, manager.id, topicId)) {
      await recordAuditEvent(trx, {
        workspaceId: manager.workspaceId,
        actor: `slack:${who.slackUserId}`,
        action: 'topic.restored',
        subjectType: 'topic',
        subjectId: topicId,
        requestId: context.requestId,
      });
    }
  });
}
