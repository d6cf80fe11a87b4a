/**
 * The people page's one query: every manager of a workspace with their subscription's schedule
 * and status, and when a note last reached them. Nothing a manager wrote is selected.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/executor.ts';

export interface PersonRow {
  slackUserId: string;
  timeZone: string;
  status: 'active' | 'paused' | 'unsubscribed' | null;
  statusReason: string | null;
  weekdays: number[] | null;
  localTime: string | null;
  lastDeliveredAt: Date | null;
}

export async function selectPeople(
  db: Executor,
  workspaceId: string,
  options: {
    status?: 'active' | 'paused' | 'unsubscribed';
    limit: number;
    after?: string;
    only?: string;
  },
): Promise<PersonRow[]> {
  let query = db
    .selectFrom('managers as m')
    .leftJoin('subscriptions as s', 's.manager_id', 'm.id')
    .where('m.workspace_id', '=', workspaceId)
    .select([
      'm.slack_user_id as slackUserId',
      'm.time_zone as timeZone',
      's.status as status',
      's.status_reason as statusReason',
      's.weekdays as weekdays',
      sql<string | null>`to_char(s.local_time, 'HH24:MI')`.as('localTime'),
      (eb) =>
        eb
          .selectFrom('deliveries as d')
          .whereRef('d.manager_id', '=', 'm.id')
          .where('d.status', '=', 'sent')
          .select(sql<Date>`max(d.sent_at)`.as('at'))
          .as('lastDeliveredAt'),
    ])
    .orderBy('m.slack_user_id')
    .limit(options.limit);
  if (options.status) query = query.where('s.status', '=', options.status);
  if (options.after) query = query.where('m.slack_user_id', '>', options.after);
  if (options.only) query = query.where('m.slack_user_id', '=', options.only);
  return query.execute();
}

export async function findManagerOfWorkspace(
  db: Executor,
  workspaceId: string,
  slackUserId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('managers')
    .where('workspace_id', '=', workspaceId)
    .where('slack_user_id', '=', slackUserId)
    .select('id')
    .executeTakeFirst();
}
