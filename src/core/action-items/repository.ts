import { type Expression, sql, type Updateable } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.ts';
import type { Executor } from '../../db/executor.ts';
import type { ActionItemsTable } from '../../db/schema.ts';
import { languageChoiceSubqueries } from '../languages/repository.ts';
import { managerIdBySlack } from '../managers/repository.ts';

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
  /** The manager's Slack locale (en-US, de-DE): the bot writes the item's dates in it. */
  locale: string;
  /** The manager's own choice of language and the workspace default (effectiveLanguage). */
  chosenLanguage: string | null;
  workspaceLanguage: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/**
 * A manager's items with their topic's title and the manager's locale; `managerId` a value or a
 * subquery (managerIdBySlack).
 */
function selectActionItems(db: Executor, managerId: string | Expression<string>) {
  return db
    .selectFrom('action_items as a')
    .innerJoin('managers as m', 'm.id', 'a.manager_id')
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
      'm.locale',
      ...languageChoiceSubqueries(sql.ref('a.manager_id')),
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

/** One of the manager's items; undefined when it is not theirs. */
export async function findActionItem(
  db: Executor,
  managerId: string,
  id: string,
): Promise<ActionItemRow | undefined> {
  return selectActionItems(db, managerId).where('a.id', '=', id).executeTakeFirst();
}

export interface ActionItemFilter {
  status?: ActionItemRow['status'];
  deliveryId?: string;
  /** With the workspace it is unique in. */
  source?: { key: string; workspaceId: string };
}

/** The manager's latest 200 items, newest first; `managerId` a value or a subquery. */
export async function listActionItemsOf(
  db: Executor,
  managerId: string | Expression<string>,
  filter: ActionItemFilter,
): Promise<ActionItemRow[]> {
  return listActionItemsQuery(db, managerId, filter).execute();
}

/**
 * The API's list reads (no filter, or a status), the manager found by their Slack ids inside
 * the statement: compiled once (src/db/compiled-once.ts).
 */
export async function listActionItemsBySlack(
  db: Executor,
  slackTeamId: string,
  slackUserId: string,
  status?: ActionItemRow['status'],
): Promise<ActionItemRow[]> {
  return status === undefined
    ? itemsBySlack(db, slackTeamId, slackUserId)
    : itemsBySlackAndStatus(db, slackTeamId, slackUserId, status);
}

export const itemsBySlack = compiledOnce((db, slackTeamId: string, slackUserId: string) =>
  listActionItemsQuery(db, managerIdBySlack(db, slackTeamId, slackUserId), {}),
);
export const itemsBySlackAndStatus = compiledOnce(
  (db, slackTeamId: string, slackUserId: string, status: ActionItemRow['status']) =>
    listActionItemsQuery(db, managerIdBySlack(db, slackTeamId, slackUserId), { status }),
);

/** listActionItemsOf's query, to be run or read as part of another (core/home). */
export function listActionItemsQuery(
  db: Executor,
  managerId: string | Expression<string>,
  filter: ActionItemFilter,
) {
  let query = selectActionItems(db, managerId);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.deliveryId) query = query.where('a.delivery_id', '=', filter.deliveryId);
  if (filter.source) {
    query = query
      .where('a.source_key', '=', filter.source.key)
      .where('a.workspace_id', '=', filter.source.workspaceId);
  }
  return query.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(200);
}

/** The item made from this source (a Slack message or event) in the workspace, if any. */
export async function findItemBySourceKey(
  db: Executor,
  workspaceId: string,
  sourceKey: string,
): Promise<{ id: string; managerId: string } | undefined> {
  return db
    .selectFrom('action_items')
    .where('workspace_id', '=', workspaceId)
    .where('source_key', '=', sourceKey)
    .select(['id', 'manager_id as managerId'])
    .executeTakeFirst();
}

export async function updateActionItemRow(
  db: Executor,
  id: string,
  set: Updateable<ActionItemsTable>,
): Promise<void> {
  await db.updateTable('action_items').set(set).where('id', '=', id).execute();
}

/** The item locked for an answer, when it is the manager's. */
export async function lockActionItemOf(db: Executor, managerId: string, id: string) {
  return db
    .selectFrom('action_items')
    .where('id', '=', id)
    .where('manager_id', '=', managerId)
    .select(['id', 'status', 'interval_days as intervalDays'])
    .forUpdate()
    .executeTakeFirst();
}

/** When the item was planned, if it is the manager's. */
export async function findItemCreatedAt(
  db: Executor,
  managerId: string,
  id: string,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('action_items')
    .where('id', '=', id)
    .where('manager_id', '=', managerId)
    .select('created_at')
    .executeTakeFirst();
  return row?.created_at;
}

/* Answers to reminders ("did you do it?") and their reflections. */

export interface ResponseRow {
  id: string;
  answer: 'done' | 'partly' | 'not_yet' | 'snoozed' | 'dropped';
  reflection: string | null;
  usefulness: number | null;
  answeredAt: Date;
}

const RESPONSE_COLUMNS = [
  'id',
  'answer',
  'reflection',
  'usefulness',
  'answered_at as answeredAt',
] as const;

/** When the reminder that asked about this item was sent; undefined if it did not ask. */
export async function findReminderOfItem(
  db: Executor,
  reminderId: string,
  itemId: string,
): Promise<{ sentAt: Date | null } | undefined> {
  return db
    .selectFrom('reminder_items as ri')
    .innerJoin('reminders as r', 'r.id', 'ri.reminder_id')
    .where('ri.reminder_id', '=', reminderId)
    .where('ri.action_item_id', '=', itemId)
    .select('r.sent_at as sentAt')
    .executeTakeFirst();
}

/** The answer already given to this reminder about this item, if any. */
export async function findResponseTo(
  db: Executor,
  reminderId: string,
  itemId: string,
): Promise<ResponseRow | undefined> {
  return db
    .selectFrom('responses')
    .where('reminder_id', '=', reminderId)
    .where('action_item_id', '=', itemId)
    .select(RESPONSE_COLUMNS)
    .executeTakeFirst();
}

/** Records an answer; undefined when this reminder already has one for the item (a replay). */
export async function insertResponse(
  db: Executor,
  values: {
    workspaceId: string;
    itemId: string;
    reminderId: string | null;
    answer: ResponseRow['answer'];
    answeredAt: Date;
  },
): Promise<ResponseRow | undefined> {
  return db
    .insertInto('responses')
    .values({
      workspace_id: values.workspaceId,
      action_item_id: values.itemId,
      reminder_id: values.reminderId,
      answer: values.answer,
      answered_at: values.answeredAt,
    })
    .onConflict((oc) => oc.columns(['reminder_id', 'action_item_id']).doNothing())
    .returning(RESPONSE_COLUMNS)
    .executeTakeFirst();
}

/** Sets the given reflection fields of an answer to one of the manager's items. */
export async function updateResponseOfManager(
  db: Executor,
  managerId: string,
  itemId: string,
  responseId: string,
  changes: { reflection?: string | null; usefulness?: number | null },
): Promise<ResponseRow | undefined> {
  return db
    .updateTable('responses')
    .set({
      ...(changes.reflection !== undefined && { reflection: changes.reflection }),
      ...(changes.usefulness !== undefined && { usefulness: changes.usefulness }),
    })
    .where('id', '=', responseId)
    .where('action_item_id', '=', itemId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('action_items')
          .whereRef('action_items.id', '=', 'responses.action_item_id')
          .where('action_items.manager_id', '=', managerId)
          .select('action_items.id'),
      ),
    )
    .returning(RESPONSE_COLUMNS)
    .executeTakeFirst();
}

/** One answer about one of the manager's items, locked, and whether a later one followed it. */
export async function lockResponseOfManager(
  db: Executor,
  managerId: string,
  itemId: string,
  responseId: string,
): Promise<(ResponseRow & { superseded: boolean }) | undefined> {
  const row = await db
    .selectFrom('responses as r')
    .innerJoin('action_items as a', 'a.id', 'r.action_item_id')
    .where('r.id', '=', responseId)
    .where('r.action_item_id', '=', itemId)
    .where('a.manager_id', '=', managerId)
    .select([
      'r.id',
      'r.answer',
      'r.reflection',
      'r.usefulness',
      'r.answered_at as answeredAt',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('responses as later')
              .whereRef('later.action_item_id', '=', 'r.action_item_id')
              .whereRef('later.id', '>', 'r.id')
              .select('later.id'),
          )
          .as('superseded'),
    ])
    .forUpdate('r')
    .executeTakeFirst();
  return row && { ...row, superseded: Boolean(row.superseded) };
}

/** Replaces an answer with another: the latest answer is the one that counts. */
export async function setResponseAnswer(
  db: Executor,
  responseId: string,
  answer: ResponseRow['answer'],
): Promise<ResponseRow> {
  return db
    .updateTable('responses')
    .set({ answer })
    .where('id', '=', responseId)
    .returning(RESPONSE_COLUMNS)
    .executeTakeFirstOrThrow();
}
