/**
 * Going back without rewriting history: restoring a past revision makes its content current as
 * a new revision (the history keeps every step, the restore included), and un-retiring brings a
 * retired topic back into rotation. Both are audited under the caller's name, like every admin
 * operation in ./service.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, invalid } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { markTopicActive, selectTopicRevision } from './repositories/revisions.ts';
import { insertTopicRevisions, type TopicRow, updateTopicContent } from './repository.ts';
import { changedFields, normalizeContent, topicFieldProblems } from './rules.ts';
import { ADMIN_ACTOR, contentOf, topicOf, workspaceOf } from './service.ts';
import { describeProblems } from './validation.ts';

/** The largest revision number PostgreSQL's integer column can hold. */
const MAX_REVISION = 2_147_483_647;

/**
 * Makes revision `revision` of a topic its current content, as the next revision from an
 * admin. A retired topic stays retired (restoring its words does not start sending it again).
 * Restoring content identical to the current one adds no revision (`changed: false`).
 * @throws AppError topic_revision_not_found (404); invalid_topic (400) when that revision no
 *   longer meets today's limits, naming each field; topic_not_found, workspace_not_found (404).
 */
export async function restoreTopicRevision(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  revision: number,
  now: Date,
  context: RequestContext = {},
): Promise<TopicRow> {
  if (!Number.isInteger(revision) || revision < 1 || revision > MAX_REVISION) {
    throw invalid('invalid_topic', 'revision must be a whole number from 1.', {
      revision: 'revision must be a whole number from 1.',
    });
  }
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId, { lock: true });
    const stored = await selectTopicRevision(trx, workspaceId, topic.id, revision);
    if (!stored) {
      throw new AppError(
        'topic_revision_not_found',
        `Topic "${topic.slug}" has no revision ${revision}; it is at revision ${topic.revision}.`,
        404,
      );
    }
    const after = normalizeContent(stored.content);
    // The limits may have tightened since that revision was written: it is sent as it is now.
    const problems = topicFieldProblems(after, { required: true });
    if (Object.keys(problems).length > 0) {
      throw invalid(
        'invalid_topic',
        `Revision ${revision} no longer meets the limits: ${describeProblems(problems)} ` +
          'Edit the topic instead.',
        { ...problems },
      );
    }
    const before = contentOf(topic);
    const fields = changedFields(before, after);
    const changed = fields.length > 0;
    const current = changed
      ? await updateTopicContent(trx, workspaceId, topic.id, after, now)
      : topic.revision;
    if (changed) {
      await insertTopicRevisions(trx, [
        { topicId: topic.id, workspaceId, revision: current, content: after, source: 'admin' },
      ]);
    }
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic.revision_restored',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: {
        slug: topic.slug,
        restoredRevision: revision,
        revision: current,
        fields,
        changed,
        before: Object.fromEntries(fields.map((field) => [field, before[field]])),
        after: Object.fromEntries(fields.map((field) => [field, after[field]])),
      },
    });
    return changed ? topicOf(trx, workspaceId, topic.id) : topic;
  });
}

/**
 * Brings a retired topic back: it is sent again from the next delivery on. Un-retiring an
 * active topic changes nothing (the audit event says `changed: false`).
 * @throws AppError topic_not_found (404), workspace_not_found (404).
 */
export async function unretireTopic(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  now: Date,
  context: RequestContext = {},
): Promise<TopicRow> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId, { lock: true });
    const changed = await markTopicActive(trx, workspaceId, topic.id, now);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topic.unretired',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: { slug: topic.slug, category: topic.category, changed },
    });
    return changed ? topicOf(trx, workspaceId, topic.id) : topic;
  });
}
