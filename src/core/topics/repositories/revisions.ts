/**
 * SQL for going back: one stored revision of a topic, un-retiring a topic, and the families a
 * workspace already knows (an import may use only those). Kept apart from ../repository.ts,
 * which holds the catalogue's everyday queries.
 */
import type { Executor } from '../../../db/executor.ts';
import type { TopicRevisionRow } from '../repository.ts';
import type { TopicContent } from '../rules.ts';

/** One revision of a topic of the workspace, or undefined when it has no such revision. */
export async function selectTopicRevision(
  db: Executor,
  workspaceId: string,
  topicId: string,
  revision: number,
): Promise<TopicRevisionRow | undefined> {
  const row = await db
    .selectFrom('topic_revisions')
    .where('workspace_id', '=', workspaceId)
    .where('topic_id', '=', topicId)
    .where('revision', '=', revision)
    .select(['topic_id as topicId', 'revision', 'source', 'content', 'created_at as createdAt'])
    .executeTakeFirst();
  return row && { ...row, content: row.content as TopicContent };
}

/** Clears retired_at if it is set; true when this call brought the topic back. */
export async function markTopicActive(
  db: Executor,
  workspaceId: string,
  topicId: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .updateTable('topics')
    .set({ retired_at: null, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', topicId)
    .where('retired_at', 'is not', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Every category the workspace's topics (retired too) or weekday themes use. */
export async function selectUsedCategories(db: Executor, workspaceId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('topics')
    .where('workspace_id', '=', workspaceId)
    .select('category')
    .union(
      db.selectFrom('weekday_themes').where('workspace_id', '=', workspaceId).select('category'),
    )
    .execute();
  return rows.map((row) => row.category).sort();
}
