/**
 * A topic's lifecycle: restoring a past revision makes its content current as a new revision
 * (the history keeps every step, the restore included); retiring takes a topic out of rotation
 * and un-retiring brings it back. Each is audited under the caller's name, like every admin
 * operation in ./service.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, invalid } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { markTopicActive, selectTopicRevision } from './repositories/revisions.ts';
import { markTopicRetired, type TopicRow } from './repository.ts';
import { normalizeContent, topicFieldProblems } from './rules.ts';
import { ADMIN_ACTOR, topicOf, workspaceOf, writeTopicContent } from './service.ts';
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
    return writeTopicContent(
      trx,
      workspaceId,
      topic,
      after,
      now,
      context,
      'topic.revision_restored',
      {
        restoredRevision: revision,
      },
    );
  });
}

/**
 * Retires a topic: it is no longer sent, and re-seeding does not bring it back. Retiring a
 * retired topic changes nothing (the audit event says `changed: false`).
 * @throws AppError topic_not_found (404), workspace_not_found (404).
 */
export function retireTopic(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  now: Date,
  context: RequestContext = {},
): Promise<TopicRow> {
  return setTopicRetired(db, slackTeamId, topicId, true, now, context);
}

/** Retires a topic or brings it back, audited; a topic already so changes nothing. */
export function setTopicRetired(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  retired: boolean,
  now: Date,
  context: RequestContext,
): Promise<TopicRow> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topic = await topicOf(trx, workspaceId, topicId, { lock: true });
    const changed = retired
      ? await markTopicRetired(trx, workspaceId, topic.id, now)
      : await markTopicActive(trx, workspaceId, topic.id, now);
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: retired ? 'topic.retired' : 'topic.unretired',
      subjectType: 'topic',
      subjectId: topic.id,
      requestId: context.requestId,
      details: { slug: topic.slug, category: topic.category, changed },
    });
    return changed ? topicOf(trx, workspaceId, topic.id) : topic;
  });
}

/**
 * Brings a retired topic back: it is sent again from the next delivery on. Un-retiring an
 * active topic changes nothing (the audit event says `changed: false`).
 * @throws AppError topic_not_found (404), workspace_not_found (404).
 */
export function unretireTopic(
  db: Kysely<Database>,
  slackTeamId: string,
  topicId: string,
  now: Date,
  context: RequestContext = {},
): Promise<TopicRow> {
  return setTopicRetired(db, slackTeamId, topicId, false, now, context);
}
