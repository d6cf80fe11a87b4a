/**
 * Export and import of a workspace's whole catalogue (the file formats are in ./transfer.ts).
 * An import is all or nothing: every problem in the file is reported at once and nothing is
 * saved unless there is none, in one transaction. Topics are matched by slug; a changed topic
 * gets a new revision, an unchanged one is left alone, and topics the file does not name are
 * kept as they are (an import never deletes). Exporting and importing the export changes
 * nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { AppError, invalid } from '../errors.ts';
import type { RequestContext } from '../request-context.ts';
import { TOPIC_CATEGORIES } from './catalogue.ts';
import { markTopicActive, selectUsedCategories } from './repositories/revisions.ts';
import {
  findTopicsBySlug,
  insertTopic,
  insertTopicRevisions,
  lockTopicsBySlug,
  markTopicRetired,
  selectTopics,
  type TopicRow,
  updateTopicContent,
} from './repository.ts';
import { changedFields, normalizeContent } from './rules.ts';
import { ADMIN_ACTOR, contentOf, workspaceOf } from './service.ts';
import {
  type FileProblem,
  type FileTopic,
  type ReadFile,
  readCsvFile,
  readJsonFile,
  unknownFamilies,
} from './transfer.ts';

export type ImportFile = { format: 'json'; data: unknown } | { format: 'csv'; text: string };

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

const fileTopicOf = (topic: TopicRow): FileTopic => ({
  slug: topic.slug,
  status: topic.retiredAt ? 'retired' : 'active',
  ...contentOf(topic),
});

/** Every topic of the workspace, retired ones too, by category then slug. */
export async function exportTopics(
  db: Kysely<Database>,
  slackTeamId: string,
  format: 'json' | 'csv',
  context: RequestContext = {},
): Promise<FileTopic[]> {
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const topics = await selectTopics(trx, workspaceId, { includeRetired: true });
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topics.exported',
      subjectType: 'workspace',
      subjectId: workspaceId,
      requestId: context.requestId,
      details: { format, count: topics.length },
    });
    return topics.map(fileTopicOf);
  });
}

/** Where a problem is, as a sortable position: the file itself first, then by line or index. */
function position(at: string): number {
  const number = /\d+/.exec(at);
  return number ? Number(number[0]) + 1 : 0;
}

/** The 400 that lists every problem, each under "where.field" (or "line N: field"). */
function refuse(problems: FileProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => position(a.at) - position(b.at));
  const fields: Record<string, string> = Object.create(null);
  for (const { at, field, message } of sorted) {
    fields[at.startsWith('topics[') ? `${at}.${field}` : `${at}: ${field}`] = message;
  }
  const count = sorted.length === 1 ? 'One problem' : `${sorted.length} problems`;
  const first = sorted[0];
  return invalid(
    'invalid_import',
    `${count} in the file, so nothing was imported. Each is listed in fields` +
      (first ? `; the first: ${first.at}, ${first.field}: ${first.message}` : '.'),
    { ...fields },
  );
}

/**
 * Imports a file: creates the topics whose slug is new, gives a changed topic a new revision
 * (and retires or un-retires it when its status changed), and leaves the rest alone.
 * @throws AppError invalid_import (400) listing every problem, nothing saved;
 *   topic_slug_taken (409) when another import created one of its slugs meanwhile.
 */
export async function importTopics(
  db: Kysely<Database>,
  slackTeamId: string,
  file: ImportFile,
  now: Date,
  context: RequestContext = {},
): Promise<ImportCounts> {
  const read: ReadFile = file.format === 'json' ? readJsonFile(file.data) : readCsvFile(file.text);
  return db.transaction().execute(async (trx) => {
    const workspaceId = await workspaceOf(trx, slackTeamId);
    const known = new Set<string>([
      ...TOPIC_CATEGORIES,
      ...(await selectUsedCategories(trx, workspaceId)),
    ]);
    const problems = [...read.problems, ...unknownFamilies(read.topics, known)];
    if (problems.length > 0) throw refuse(problems);

    const slugs = read.topics.map(({ topic }) => topic.slug);
    await lockTopicsBySlug(trx, workspaceId, slugs);
    const existing = new Map(
      (await findTopicsBySlug(trx, workspaceId, slugs)).map((topic) => [topic.slug, topic]),
    );
    const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0 };
    const audit = (topicId: string, action: string, details: Record<string, unknown>) =>
      recordAuditEvent(trx, {
        workspaceId,
        actor: context.actor ?? ADMIN_ACTOR,
        address: context.address,
        action,
        subjectType: 'topic',
        subjectId: topicId,
        requestId: context.requestId,
        details,
      });
    for (const { topic: wanted } of read.topics) {
      const content = normalizeContent(wanted);
      const current = existing.get(wanted.slug);
      if (!current) {
        const topicId = await insertTopic(trx, workspaceId, wanted.slug, content);
        if (!topicId) {
          throw new AppError(
            'topic_slug_taken',
            `Topic "${wanted.slug}" was created while this file was being imported; import it again.`,
            409,
          );
        }
        await insertTopicRevisions(trx, [
          { topicId, workspaceId, revision: 1, content, source: 'admin' },
        ]);
        if (wanted.status === 'retired') await markTopicRetired(trx, workspaceId, topicId, now);
        await audit(topicId, 'topic.imported', {
          slug: wanted.slug,
          created: true,
          revision: 1,
          status: wanted.status,
        });
        counts.created += 1;
        continue;
      }
      const before = contentOf(current);
      const fields = changedFields(before, content);
      const wasRetired = current.retiredAt !== null;
      const statusChanged = wasRetired !== (wanted.status === 'retired');
      if (fields.length === 0 && !statusChanged) {
        counts.unchanged += 1;
        continue;
      }
      let revision = current.revision;
      if (fields.length > 0) {
        revision = await updateTopicContent(trx, workspaceId, current.id, content, now);
        await insertTopicRevisions(trx, [
          { topicId: current.id, workspaceId, revision, content, source: 'admin' },
        ]);
      }
      if (statusChanged) {
        if (wasRetired) await markTopicActive(trx, workspaceId, current.id, now);
        else await markTopicRetired(trx, workspaceId, current.id, now);
      }
      await audit(current.id, 'topic.imported', {
        slug: current.slug,
        created: false,
        revision,
        fields,
        status: wanted.status,
        statusChanged,
        before: Object.fromEntries(fields.map((field) => [field, before[field]])),
        after: Object.fromEntries(fields.map((field) => [field, content[field]])),
      });
      counts.updated += 1;
    }
    await recordAuditEvent(trx, {
      workspaceId,
      actor: context.actor ?? ADMIN_ACTOR,
      address: context.address,
      action: 'topics.imported',
      subjectType: 'workspace',
      subjectId: workspaceId,
      requestId: context.requestId,
      details: { format: file.format, ...counts },
    });
    return counts;
  });
}
