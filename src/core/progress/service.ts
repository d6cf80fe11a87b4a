/**
 * What a manager has done about their blind spots: each action item's history, and their
 * progress over the last weeks (completion rate, streak, open and recently completed items).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { findItemCreatedAt } from '../action-items/repository.ts';
import type { Answer } from '../action-items/responses.ts';
import { notFound } from '../errors.ts';
import type { Language } from '../languages/rules.ts';
import { languageOfManager } from '../languages/service.ts';
import { getManager } from '../managers/service.ts';
import { completionRate, streakWeeks } from '../reminders/rules.ts';
import type { SlackIdentity } from '../request-context.ts';
import { addDays, localDateOf } from '../schedule/rules.ts';
import { titlesInLanguage } from '../topics/localize.ts';
import {
  answersTo,
  itemDatesSince,
  openItemsOf,
  type ProgressRows,
  recentlyCompletedOf,
  remindersSentAbout,
} from './repository.ts';

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
  const createdAt = await findItemCreatedAt(db, manager.id, itemId);
  if (!createdAt) throw notFound('action_item');
  const [reminded, answered] = await Promise.all([
    remindersSentAbout(db, itemId),
    answersTo(db, itemId),
  ]);
  const events: HistoryEvent[] = [
    { at: createdAt, kind: 'planned' },
    ...reminded.map((at) => ({ at, kind: 'reminded' as const })),
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
  /** Topic titles are in the manager's language where the topic has it. */
  open: Array<{
    id: string;
    text: string;
    checkBackOn: string;
    topicId: string | null;
    topicTitle: string | null;
  }>;
  recentlyCompleted: Array<{
    id: string;
    text: string;
    completedAt: Date;
    reflection: string | null;
    topicId: string | null;
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
  const since = progressSince(manager.timeZone, now);
  const [items, language, openRows, recentRows] = await Promise.all([
    itemDatesSince(db, manager.id, manager.timeZone, since),
    languageOfManager(db, manager.id),
    openItemsOf(db, manager.id),
    recentlyCompletedOf(db, manager.id),
  ]);
  return progressFromRows(db, { items, openRows, recentRows }, language, manager.timeZone, now);
}

/** The items progress reads: those planned since this local date count toward the rate. */
export function progressSince(timeZone: string, now: Date): string {
  return addDays(localDateOf(now, timeZone), -7 * 8 - 7);
}

/** Progress from its rows, read already (core/home reads them with the rest of the Home tab). */
export async function progressFromRows(
  db: Kysely<Database>,
  { items, openRows, recentRows }: ProgressRows,
  language: Language,
  timeZone: string,
  now: Date,
): Promise<Progress> {
  const today = localDateOf(now, timeZone);
  const rate = completionRate(items, today);
  const doneDates = items
    .filter((i) => i.status === 'done' && i.completedOn)
    .map((i) => String(i.completedOn));
  const [open, recent] = await Promise.all([
    titlesInLanguage(db, openRows, language),
    titlesInLanguage(db, recentRows, language),
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
