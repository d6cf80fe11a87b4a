/**
 * Everything a manager's App Home shows, in one read: the bot draws the tab after every click,
 * and drawing it from five API calls (subscription, open items, progress, skipped notes, hidden
 * topics), each finding the manager again, was most of a click's cost (issue 19, item 4).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { type ActionItemRow, listActionItemsOf } from '../action-items/repository.ts';
import { type HiddenTopic, hiddenTopicsOf } from '../deliveries/feedback.ts';
import { type SkippedNote, skippedNotesOf } from '../deliveries/skips.ts';
import { type ManagerLanguage, managerLanguage } from '../languages/service.ts';
import { findManager, type ManagerRow } from '../managers/repository.ts';
import { type Progress, progressOfManager } from '../progress/service.ts';
import type { SlackIdentity } from '../request-context.ts';
import { findSubscriptionOfManager, type SubscriptionRow } from '../subscriptions/repository.ts';

/** As many skipped notes as the Home tab lists. */
export const HOME_SKIPPED_NOTES = 5;

export interface HomeView {
  /** Null for someone Blindspot has not met yet: the Home tab then offers to sign up. */
  manager: { row: ManagerRow; language: ManagerLanguage } | null;
  /** Null until they sign up; the rest is empty then. */
  subscription: SubscriptionRow | null;
  openItems: ActionItemRow[];
  progress: Progress | null;
  skippedNotes: SkippedNote[];
  hiddenTopics: HiddenTopic[];
}

const NOTHING = { openItems: [], progress: null, skippedNotes: [], hiddenTopics: [] };

export async function homeOf(
  db: Kysely<Database>,
  who: SlackIdentity,
  now: Date,
): Promise<HomeView> {
  const manager = await findManager(db, who.slackTeamId, who.slackUserId);
  if (!manager) return { manager: null, subscription: null, ...NOTHING };
  const language = managerLanguage(db, manager.id);
  const words = language.then(({ language }) => language);
  const [chosen, subscription, openItems, progress, skippedNotes, hiddenTopics] = await Promise.all(
    [
      language,
      findSubscriptionOfManager(db, manager.id),
      listActionItemsOf(db, manager.id, { status: 'open' }),
      progressOfManager(db, manager, words, now),
      skippedNotesOf(db, manager.id, HOME_SKIPPED_NOTES),
      hiddenTopicsOf(db, manager.id, words),
    ],
  );
  if (!subscription)
    return { manager: { row: manager, language: chosen }, subscription: null, ...NOTHING };
  return {
    manager: { row: manager, language: chosen },
    subscription,
    openItems,
    progress,
    skippedNotes,
    hiddenTopics,
  };
}
