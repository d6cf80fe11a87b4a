import { type Expression, sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

export interface ActionItemRow {
  id: string;
  text: string;
  note: string | null;
  status: 'open' | 'done' | 'partly' | 'dropped' | 'lapsed';
  source: 'modal' | 'thread' | 'dm' | 'api';
  checkBackOn: string;
  deliveryId: string | null;
  topicId: string | null;
  topicTitle: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** A manager's items with their topic's title; `managerId` a value or a subquery (managerIdBySlack). */
export function selectActionItems(db: Executor, managerId: string | Expression<string>) {
  return db
    .selectFrom('action_items as a')
    .leftJoin('topics as t', 't.id', 'a.topic_id')
    .where('a.manager_id', '=', managerId)
    .select([
      'a.id',
      'a.text',
      'a.note',
      'a.status',
      'a.source',
      sql<string>`a.check_back_on::text`.as('checkBackOn'),
      'a.delivery_id as deliveryId',
      'a.topic_id as topicId',
      't.title as topicTitle',
      'a.created_at as createdAt',
      'a.updated_at as updatedAt',
      'a.completed_at as completedAt',
    ]);
}

export async function insertActionItem(
  db: Executor,
  values: {
    workspaceId: string;
    managerId: string;
    topicId: string | null;
    deliveryId: string | null;
    text: string;
    note: string | null;
    source: ActionItemRow['source'];
    sourceKey: string | null;
    checkBackOn: string;
    intervalDays: number;
    createdAt: Date;
  },
): Promise<string | undefined> {
  const row = await db
    .insertInto('action_items')
    .values({
      workspace_id: values.workspaceId,
      manager_id: values.managerId,
      topic_id: values.topicId,
      delivery_id: values.deliveryId,
      text: values.text,
      note: values.note,
      source: values.source,
      source_key: values.sourceKey,
      check_back_on: values.checkBackOn,
      interval_days: values.intervalDays,
      created_at: values.createdAt,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'source_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}
