/**
 * Action items: what a manager plans to do about a blind spot. Every operation is scoped to
 * the calling manager in their workspace: another manager's item does not exist for them.
 * Audit events record that something changed, never the manager's words.
 */
import type { Kysely, Updateable } from 'kysely';
import type { Executor } from '../../db/executor.ts';
import type { ActionItemsTable, Database } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/repository.ts';
import { findDeliveryTopicOfManager } from '../deliveries/repository.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { type ManagerRow, managerIdBySlack } from '../managers/repository.ts';
import { getManager } from '../managers/service.ts';
import type { RequestContext, SlackIdentity } from '../request-context.ts';
import { addDays, localDateOf } from '../schedule/rules.ts';
import { workspaceSettingsOrDefaults } from '../settings/repository.ts';
import { topicInWorkspace } from '../topics/repository.ts';
import {
  lockDeletedItem,
  moveItemToDeleted,
  purgeDeletedItems,
  restoreDeletedItem,
} from './repositories/deleted-items.ts';
import {
  type ActionItemRow,
  findActionItem,
  findItemBySourceKey,
  insertActionItem,
  listActionItemsBySlack,
  listActionItemsOf,
  updateActionItemRow,
} from './repository.ts';
import {
  type CheckBack,
  canUndoDeletion,
  checkBackDate,
  daysBetween,
  noteProblem,
  textProblem,
  UNDO_WINDOW_MS,
} from './rules.ts';

export type { ActionItemRow } from './repository.ts';

export interface NewActionItem {
  text: string;
  note?: string;
  checkBack?: CheckBack;
  source: ActionItemRow['source'];
  /** The Slack message or event it came from; the same key twice makes one item. */
  sourceKey?: string;
  deliveryId?: string;
  topicId?: string;
}

export interface ActionItemChanges {
  text?: string;
  note?: string | null;
  checkBack?: CheckBack;
  status?: 'open' | 'done' | 'dropped';
}

async function itemOf(db: Executor, managerId: string, id: string): Promise<ActionItemRow> {
  const item = await findActionItem(db, managerId, id);
  if (!item) throw notFound('action_item');
  return item;
}

function validated(
  input: { text?: string; note?: string | null; checkBack?: CheckBack },
  today: string,
): { checkBackOn?: string } {
  const problems: Record<string, string> = {};
  const text = input.text === undefined ? undefined : textProblem(input.text);
  if (text) problems.text = text;
  const note = input.note ? noteProblem(input.note) : undefined;
  if (note) problems.note = note;
  let checkBackOn: string | undefined;
  if (input.checkBack) {
    const date = checkBackDate(input.checkBack, today);
    if ('problem' in date) problems.checkBack = date.problem;
    else checkBackOn = date.date;
  }
  if (Object.keys(problems).length > 0) {
    throw invalid('invalid_action_item', Object.values(problems).join(' '), problems);
  }
  return { checkBackOn };
}

/** The manager's local today, for check-back dates. */
function todayOf(manager: ManagerRow, now: Date): string {
  return localDateOf(now, manager.timeZone);
}

/**
 * Saves an action item, linked to its delivery (and so its topic) when given. With a source
 * key that was seen before, returns the item made then, and `created: false`.
 */
export async function createActionItem(
  db: Kysely<Database>,
  who: SlackIdentity,
  input: NewActionItem,
  now: Date,
  context: RequestContext = {},
): Promise<{ item: ActionItemRow; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    if (input.sourceKey) {
      const existing = await findItemBySourceKey(trx, manager.workspaceId, input.sourceKey);
      if (existing?.managerId === manager.id) {
        return { item: await itemOf(trx, manager.id, existing.id), created: false };
      }
      if (existing) throw invalid('invalid_source_key', 'That source belongs to someone else.');
    }
    const today = todayOf(manager, now);
    // Without a choice (an item made from a message, or the modal's default), the workspace's.
    const checkBack = input.checkBack ?? {
      on: addDays(
        today,
        (await workspaceSettingsOrDefaults(trx, manager.workspaceId)).checkBackDays,
      ),
    };
    const { checkBackOn } = validated({ ...input, checkBack }, today);
    let topicId = input.topicId ?? null;
    if (input.deliveryId) {
      const delivery = await findDeliveryTopicOfManager(trx, manager.id, input.deliveryId);
      if (!delivery) throw notFound('delivery');
      topicId = delivery.topicId;
    } else if (topicId) {
      if (!(await topicInWorkspace(trx, manager.workspaceId, topicId))) throw notFound('topic');
    }
    const id = await insertActionItem(trx, {
      workspaceId: manager.workspaceId,
      managerId: manager.id,
      topicId,
      deliveryId: input.deliveryId ?? null,
      text: input.text,
      note: input.note?.trim() ? input.note : null,
      source: input.source,
      sourceKey: input.sourceKey ?? null,
      checkBackOn: String(checkBackOn),
      intervalDays: daysBetween(today, String(checkBackOn)),
      createdAt: now,
    });
    // Lost a race with the same source key: the other insert's item is the one.
    if (!id) {
      const winner = await findItemBySourceKey(trx, manager.workspaceId, String(input.sourceKey));
      if (!winner) throw new Error('the item that won the source key race vanished');
      return { item: await itemOf(trx, manager.id, winner.id), created: false };
    }
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.created',
      subjectType: 'action_item',
      subjectId: id,
      requestId: context.requestId,
      details: { source: input.source, deliveryId: input.deliveryId ?? null },
    });
    return { item: await itemOf(trx, manager.id, id), created: true };
  });
}

export async function listActionItems(
  db: Kysely<Database>,
  who: SlackIdentity,
  filter: { status?: ActionItemRow['status']; deliveryId?: string; sourceKey?: string } = {},
): Promise<ActionItemRow[]> {
  if (filter.sourceKey === undefined && filter.deliveryId === undefined) {
    // The API's usual read: one statement, compiled once.
    const items = await listActionItemsBySlack(db, who.slackTeamId, who.slackUserId, filter.status);
    // No items: an unknown manager is still a 404, not an empty list.
    if (items.length === 0) await getManager(db, who);
    return items;
  }
  // The source key is unique per workspace, so that lookup needs the manager's workspace first.
  const manager = filter.sourceKey ? await getManager(db, who) : undefined;
  // Otherwise one round trip: the manager is found by their Slack ids inside the query.
  const items = await listActionItemsOf(
    db,
    manager?.id ?? managerIdBySlack(db, who.slackTeamId, who.slackUserId),
    {
      status: filter.status,
      deliveryId: filter.deliveryId,
      ...(manager && filter.sourceKey
        ? { source: { key: filter.sourceKey, workspaceId: manager.workspaceId } }
        : {}),
    },
  );
  // No items: an unknown manager is still a 404, not an empty list.
  if (items.length === 0 && !manager) await getManager(db, who);
  return items;
}

export async function getActionItem(db: Kysely<Database>, who: SlackIdentity, id: string) {
  return itemOf(db, (await getManager(db, who)).id, id);
}

export async function updateActionItem(
  db: Kysely<Database>,
  who: SlackIdentity,
  id: string,
  changes: ActionItemChanges,
  now: Date,
  context: RequestContext = {},
): Promise<ActionItemRow> {
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const before = await itemOf(trx, manager.id, id);
    const today = todayOf(manager, now);
    const { checkBackOn } = validated(changes, today);
    const set: Updateable<ActionItemsTable> = { updated_at: now };
    if (changes.text !== undefined) set.text = changes.text;
    if (changes.note !== undefined) set.note = changes.note?.trim() ? changes.note : null;
    if (checkBackOn) {
      set.check_back_on = checkBackOn;
      set.interval_days = daysBetween(today, checkBackOn);
      set.unanswered_reminders = 0;
    }
    if (changes.status) {
      set.status = changes.status;
      set.completed_at = changes.status === 'done' ? now : null;
    }
    await updateActionItemRow(trx, before.id, set);
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.updated',
      subjectType: 'action_item',
      subjectId: id,
      requestId: context.requestId,
      details: {
        fields: Object.keys(changes).sort(),
        ...(changes.status && { status: changes.status }),
      },
    });
    return itemOf(trx, manager.id, id);
  });
}

/**
 * Deletes an item. For the minute in which Slack offers "Undo" a copy is kept
 * (./repositories/deleted-items.ts); after it, the copy is purged.
 */
export async function deleteActionItem(
  db: Kysely<Database>,
  who: SlackIdentity,
  id: string,
  now: Date,
  context: RequestContext = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const item = await itemOf(trx, manager.id, id);
    await moveItemToDeleted(trx, item.id, now);
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.deleted',
      subjectType: 'action_item',
      subjectId: id,
      requestId: context.requestId,
    });
  });
}

/**
 * "Undo": puts back an item the manager deleted less than a minute ago, as it was (its answers
 * and reminders too); an item already back is answered as it is. Later, or for an item that was
 * never the manager's, `undo_expired`.
 */
export async function restoreActionItem(
  db: Kysely<Database>,
  who: SlackIdentity,
  id: string,
  now: Date,
  context: RequestContext = {},
): Promise<ActionItemRow> {
  return db.transaction().execute(async (trx) => {
    const manager = await getManager(trx, who);
    const deleted = await lockDeletedItem(trx, manager.id, id);
    // A second click on the same Undo (or one that raced it) finds the item back: no harm done.
    const standing = deleted ? undefined : await findActionItem(trx, manager.id, id);
    if (standing) return standing;
    if (!deleted || !canUndoDeletion(deleted.deletedAt, now)) {
      throw conflict(
        'undo_expired',
        'It is too late to undo that: a deleted action can be put back for a minute only.',
      );
    }
    await restoreDeletedItem(trx, id);
    await recordAuditEvent(trx, {
      workspaceId: manager.workspaceId,
      actor: `slack:${who.slackUserId}`,
      action: 'action_item.restored',
      subjectType: 'action_item',
      subjectId: id,
      requestId: context.requestId,
    });
    return itemOf(trx, manager.id, id);
  });
}

/** Deletes the kept copies whose minute of "Undo" has passed; answers how many went. */
export function purgeExpiredDeletions(db: Kysely<Database>, now: Date): Promise<number> {
  return purgeDeletedItems(db, new Date(now.getTime() - UNDO_WINDOW_MS));
}
