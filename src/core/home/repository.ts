/**
 * The App Home's reads as two statements: the manager with their subscription, then every list
 * the tab shows, each list the query its own endpoint runs, read as JSON. Each statement is a
 * round trip with its query building, writes and parse; one per list was most of a click's
 * cost (docs/performance.md, "A Home-tab click in one read").
 */
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { compiledOnce } from '../../db/compiled-once.ts';
import type { Executor } from '../../db/executor.ts';
import { type ActionItemRow, listActionItemsQuery } from '../action-items/repository.ts';
import {
  hiddenTopicsQuery,
  type SkippedDeliveryRow,
  skippedDeliveriesQuery,
} from '../deliveries/repository.ts';
import { type ManagerRow, managerQuery } from '../managers/repository.ts';
import {
  itemDatesQuery,
  openItemsQuery,
  type ProgressRows,
  recentlyCompletedQuery,
} from '../progress/repository.ts';
import { type SubscriptionRow, subscriptionOfManagerQuery } from '../subscriptions/repository.ts';

/**
 * JSON carries timestamps as text and bigint ids as numbers, where the driver gives Dates and
 * strings: the rows are made what their own queries return.
 */
const date = (value: unknown) => new Date(value as string);
const dateOrNull = (value: unknown) => (value === null ? null : date(value));
const id = (value: unknown) => String(value);
const idOrNull = (value: unknown) => (value === null ? null : String(value));

/** Both statements are built and compiled once per process (src/db/compiled-once.ts). */
export const managerWithSubscriptionQuery = compiledOnce(
  (db, slackTeamId: string, slackUserId: string) =>
    managerQuery(db, slackTeamId, slackUserId).select((eb) =>
      jsonObjectFrom(subscriptionOfManagerQuery(db, eb.ref('managers.id'))).as('subscription'),
    ),
);

/** As many skipped notes as the Home tab lists. */
export const HOME_SKIPPED_NOTES = 5;

export const homeListsQuery = compiledOnce(
  (db, managerId: string, timeZone: string, since: string) =>
    db.selectNoFrom([
      jsonArrayFrom(listActionItemsQuery(db, managerId, { status: 'open' })).as('openItems'),
      jsonArrayFrom(itemDatesQuery(db, managerId, timeZone, since)).as('items'),
      jsonArrayFrom(openItemsQuery(db, managerId)).as('openRows'),
      jsonArrayFrom(recentlyCompletedQuery(db, managerId)).as('recentRows'),
      jsonArrayFrom(skippedDeliveriesQuery(db, managerId, HOME_SKIPPED_NOTES)).as('skipped'),
      jsonArrayFrom(hiddenTopicsQuery(db, managerId)).as('hidden'),
    ]),
);

/** The manager found by their Slack ids, with their subscription if they have one. */
export async function findManagerWithSubscription(
  db: Executor,
  slackTeamId: string,
  slackUserId: string,
): Promise<{ manager: ManagerRow; subscription: SubscriptionRow | null } | undefined> {
  const [row] = await managerWithSubscriptionQuery(db, slackTeamId, slackUserId);
  if (!row) return undefined;
  const { subscription, ...manager } = row;
  return {
    manager,
    subscription: subscription && {
      ...subscription,
      id: id(subscription.id),
      workspaceId: id(subscription.workspaceId),
      managerId: id(subscription.managerId),
      nextDueAt: dateOrNull(subscription.nextDueAt),
      createdAt: date(subscription.createdAt),
      updatedAt: date(subscription.updatedAt),
    },
  };
}

export interface HomeLists extends ProgressRows {
  openItems: ActionItemRow[];
  skipped: SkippedDeliveryRow[];
  hidden: Array<{ topicId: string; title: string; hiddenAt: Date }>;
}

/** Every list of the Home tab, in one statement. `since`: progress's first local date. */
export async function selectHomeLists(
  db: Executor,
  managerId: string,
  timeZone: string,
  since: string,
): Promise<HomeLists> {
  const [row] = await homeListsQuery(db, managerId, timeZone, since);
  if (!row) throw new Error('a SELECT without FROM returned no row');
  return {
    openItems: row.openItems.map((item) => ({
      ...item,
      id: id(item.id),
      deliveryId: idOrNull(item.deliveryId),
      topicId: idOrNull(item.topicId),
      createdAt: date(item.createdAt),
      updatedAt: date(item.updatedAt),
      completedAt: dateOrNull(item.completedAt),
    })),
    items: row.items,
    openRows: row.openRows.map((item) => ({
      ...item,
      id: id(item.id),
      topicId: idOrNull(item.topicId),
    })),
    recentRows: row.recentRows.map((item) => ({
      ...item,
      id: id(item.id),
      topicId: idOrNull(item.topicId),
      completedAt: date(item.completedAt),
    })),
    skipped: row.skipped as SkippedDeliveryRow[],
    hidden: row.hidden.map((topic) => ({
      ...topic,
      topicId: id(topic.topicId),
      hiddenAt: date(topic.hiddenAt),
    })),
  };
}
