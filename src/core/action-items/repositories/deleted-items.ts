/**
 * Deleted action items, kept for the minute of "Undo" (migration 0025). The copy is the rows as
 * PostgreSQL sees them (to_jsonb), and is put back with jsonb_populate_record, so a column added
 * to action_items later is kept and restored without a change here.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../db/executor.ts';

/**
 * Copies the item, its answers and its place in reminders into deleted_action_items, then
 * deletes the item (its answers and reminder rows go with it, by their foreign keys).
 */
export async function moveItemToDeleted(
  db: Executor,
  itemId: string,
  deletedAt: Date,
): Promise<void> {
  await sql`
    INSERT INTO deleted_action_items
      (action_item_id, workspace_id, manager_id, item, responses, reminder_items, deleted_at)
    SELECT a.id, a.workspace_id, a.manager_id, to_jsonb(a),
           COALESCE((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.id) FROM responses r
                      WHERE r.action_item_id = a.id), '[]'::jsonb),
           COALESCE((SELECT jsonb_agg(to_jsonb(ri)) FROM reminder_items ri
                      WHERE ri.action_item_id = a.id), '[]'::jsonb),
           ${deletedAt}
      FROM action_items a
     WHERE a.id = ${itemId}
    ON CONFLICT (action_item_id) DO UPDATE
      SET item = EXCLUDED.item, responses = EXCLUDED.responses,
          reminder_items = EXCLUDED.reminder_items, deleted_at = EXCLUDED.deleted_at`.execute(db);
  await db.deleteFrom('action_items').where('id', '=', itemId).execute();
}

/** When one of the manager's items was deleted, its copy locked for putting back; or undefined. */
export async function lockDeletedItem(
  db: Executor,
  managerId: string,
  itemId: string,
): Promise<{ deletedAt: Date; workspaceId: string } | undefined> {
  return db
    .selectFrom('deleted_action_items')
    .where('action_item_id', '=', itemId)
    .where('manager_id', '=', managerId)
    .select(['deleted_at as deletedAt', 'workspace_id as workspaceId'])
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Puts the copy back under the same ids, then deletes it. A source key another item took in the
 * meantime (the same Slack message saved again) stays with that item; a note or reminder that
 * is gone since is left out, as the foreign keys' ON DELETE would have done.
 */
export async function restoreDeletedItem(db: Executor, itemId: string): Promise<void> {
  await sql`
    INSERT INTO action_items OVERRIDING SYSTEM VALUE
    SELECT a.* FROM deleted_action_items d,
           jsonb_populate_record(NULL::action_items, d.item
             || CASE WHEN EXISTS (
                  SELECT 1 FROM action_items o
                   WHERE o.workspace_id = d.workspace_id AND o.source_key = d.item->>'source_key')
                THEN '{"source_key": null}'::jsonb ELSE '{}'::jsonb END
             || CASE WHEN NOT EXISTS (
                  SELECT 1 FROM deliveries v WHERE v.id = (d.item->>'delivery_id')::bigint)
                THEN '{"delivery_id": null}'::jsonb ELSE '{}'::jsonb END) a
     WHERE d.action_item_id = ${itemId}`.execute(db);
  await sql`
    INSERT INTO responses OVERRIDING SYSTEM VALUE
    SELECT r.* FROM deleted_action_items d,
           jsonb_populate_recordset(NULL::responses, (
             SELECT COALESCE(jsonb_agg(CASE WHEN EXISTS (
                      SELECT 1 FROM reminders m WHERE m.id = (e->>'reminder_id')::bigint)
                    THEN e ELSE e || '{"reminder_id": null}'::jsonb END), '[]'::jsonb)
               FROM jsonb_array_elements(d.responses) e)) r
     WHERE d.action_item_id = ${itemId}`.execute(db);
  await sql`
    INSERT INTO reminder_items
    SELECT ri.* FROM deleted_action_items d,
           jsonb_populate_recordset(NULL::reminder_items, d.reminder_items) ri
     WHERE d.action_item_id = ${itemId}
       AND EXISTS (SELECT 1 FROM reminders m WHERE m.id = ri.reminder_id)
    ON CONFLICT DO NOTHING`.execute(db);
  await db.deleteFrom('deleted_action_items').where('action_item_id', '=', itemId).execute();
}

/** Deletes the copies deleted before `before`: their minute has passed. Answers how many. */
export async function purgeDeletedItems(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('deleted_action_items')
    .where('deleted_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
