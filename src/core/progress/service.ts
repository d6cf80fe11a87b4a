/**
 * What a manager has done about their blind spots: each action item's history, and their
 * progress over the last weeks (completion rate, streak, open and recently completed items).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Answer } from '../action-items/responses.ts';
import { notFound } from '../errors.ts';
import { getManager } from '../managers/service.ts';
import { completionRate, streakWeeks } from '../reminders/rules.ts';
import type { SlackIdentity } from '../request-context.ts';
import { addDays, localDateOf } from '../schedule/rules.ts';

export interface HistoryEvent {
  at: Date;
  kind: 'planned' | 'reminded' | 'answered';
  answer?: Answer;
  reflection?: string | null;
  usefulness?: number | null;
}

/** An item's status history: when it was planned, each reminder sent, each answer. */
export async function actionItemHistory(
  db: Kysely<Database>,
  who: SlackIdentity,
  itemId: string,
): Promise<HistoryEvent[]> {
  const manager = await getManager(db, who);
  const item = await db
    .selectFrom('action_items')
    .where('id', '=', itemId)
    .where('manager_id', '=', manager.id)
    .select('created_at')
    .executeTakeFirst();
  if (!item) throw notFound('action_item');
  const [reminded, answered] = await Promise.all([
    db
      .selectFrom('reminder_items as ri')
      .innerJoin('reminders as r', 'r.id', 'ri.reminder_id')
      .where('ri.action_item_id', '=', itemId)
      .where('r.status', '=', 'sent')
      .select(['r.sent_at'])
      .execute(),
    db
      .selectFrom('responses')
      .where('action_item_id', '=', itemId)
      .select(['answer', 'reflection', 'usefulness', 'answered_at'])
      .execute(),
  ]);
  const events: HistoryEvent[] = [
    { at: item.created_at, kind: 'planned' },
    ...reminded.map((r) => ({ at: r.sent_at as Date, kind: 'reminded' as const })),
    ...answered.map((r) => ({
      at: r.answered_at,
      kind: 'answered' as const,
      answer: r.answer,
      reflection: r.reflection,
      usefulness: r.usefulness,
    })),
  ];
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface Progress {
  completionRate: number | null;
  planned: number;
  done: number;
  streakWeeks: number;
  open: Array<{ id: string; text: string; checkBackOn: string; topicTitle: string | null }>;
  recentlyCompleted: Array<{
    id: string;
    text: string;
    completedAt: Date;
    reflection: string | null;
    topicTitle: string | null;
  }>;
}

/** The manager's progress: completion over 8 weeks, the weekly streak, open and recent items. */
export async function progressOf(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
): Promise<Progress> {
  const manager = await getManager(db, who);
  const tz = manager.timeZone;
  const today = localDateOf(now, tz);
  const since = addDays(today, -7 * 8 - 7);
  const items = await db
    .selectFrom('action_items')
    .where('manager_id', '=', manager.id)
    // eb.or keeps the OR inside its parentheses: raw SQL here would escape the manager filter.
    .where((eb) =>
      eb.or([
        eb(sql`(created_at AT TIME ZONE ${tz})::date`, '>=', since),
        eb('status', '=', 'done'),
      ]),
    )
    .select([
      'status',
      sql<string>`(created_at AT TIME ZONE ${tz})::date::text`.as('createdOn'),
      sql<string | null>`(completed_at AT TIME ZONE ${tz})::date::text`.as('completedOn'),
    ])
    .execute();
  const rate = completionRate(items, today);
  const doneDates = items
    .filter((i) => i.status === 'done' && i.completedOn)
    .map((i) => String(i.completedOn));
  const [open, recent] = await Promise.all([
    db
      .selectFrom('action_items as a')
      .leftJoin('topics as t', 't.id', 'a.topic_id')
      .where('a.manager_id', '=', manager.id)
      .where('a.status', '=', 'open')
      .select([
        'a.id',
        'a.text',
        sql<string>`a.check_back_on::text`.as('checkBackOn'),
        't.title as topicTitle',
      ])
      .orderBy('a.check_back_on')
      .limit(20)
      .execute(),
    db
      .selectFrom('action_items as a')
      .leftJoin('topics as t', 't.id', 'a.topic_id')
      .where('a.manager_id', '=', manager.id)
      .where('a.status', 'in', ['done', 'partly'])
      .where('a.completed_at', 'is not', null)
      .select([
        'a.id',
        'a.text',
        'a.completed_at as completedAt',
        't.title as topicTitle',
        (eb) =>
          eb
            .selectFrom('responses as r')
            .whereRef('r.action_item_id', '=', 'a.id')
            .where('r.reflection', 'is not', null)
            .orderBy('r.answered_at', 'desc')
            .limit(1)
            .select('r.reflection')
            .as('reflection'),
      ])
      .orderBy('a.completed_at', 'desc')
      .limit(10)
      .execute(),
  ]);
  return {
    completionRate: rate.rate,
    planned: rate.planned,
    done: rate.done,
    streakWeeks: streakWeeks(doneDates, today),
    open,
    recentlyCompleted: recent.map((r) => ({
      ...r,
      completedAt: r.completedAt as Date,
      reflection: r.reflection ?? null,
    })),
  };
}
